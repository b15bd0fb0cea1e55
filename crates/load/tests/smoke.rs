//! Smoke test of the load tool: a small run against an in-process portal must deliver every
//! challenge exactly once and complete every login. Bounded by count; nothing is timed.

use clap::Parser as _;
use zweifaktor_load::{Options, run};

mod support;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn small_run_delivers_every_challenge_once() {
    let args = ["zweifaktor-load", "--in-process"];
    let options = Options::parse_from(args.into_iter().chain(support::SMALL_RUN));
    let report = run(&options).await.unwrap();
    support::assert_small_run_clean(&report);
    assert_eq!(report.password_profile, "load-test");
}
