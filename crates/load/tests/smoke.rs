//! Smoke test of the load tool: a small run against an in-process portal must deliver every
//! challenge exactly once and complete every login. Bounded by count; nothing is timed.

use clap::Parser as _;
use zweifaktor_load::{Options, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_run_delivers_every_challenge_once() {
    let options = Options::parse_from([
        "zweifaktor-load",
        "--in-process",
        "--devices",
        "20",
        "--logins",
        "10",
        "--rate",
        "50",
        "--code-burst",
        "10",
        "--concurrency",
        "8",
    ]);
    let report = run(&options).await.unwrap();
    assert_eq!(report.devices_connected_peak, 20, "{}", report.table());
    assert_eq!(report.logins_started, 20, "{}", report.table());
    assert_eq!(report.logins_completed, 20, "{}", report.table());
    assert_eq!(report.challenges_delivered, 20, "{}", report.table());
    assert_eq!(report.challenges_lost, 0);
    assert_eq!(report.challenges_duplicated, 0);
    assert_eq!(report.code_burst_completed, 10);
    assert!(report.logins_failed.is_empty(), "{}", report.table());
    assert!(report.logins_refused.is_empty(), "{}", report.table());
    assert!(report.clean());
    assert_eq!(report.password_profile, "load-test");
}
