//! The kill-and-restart mode end to end: the portal runs as a child process, is SIGKILLed
//! halfway through the logins and started again on the same database. Every device must
//! reconnect by itself, no challenge may be lost or arrive twice on one connection, and
//! every login must either complete or be refused with a clear answer. Bounded by count
//! (few devices and logins, one kill) and by `--max-secs`; nothing is timed.

use clap::Parser as _;
use zweifaktor_load::{Options, run};

const DEVICES: usize = 8;
const LOGINS: usize = 16;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_halfway_loses_and_duplicates_nothing() {
    let devices = DEVICES.to_string();
    let logins = LOGINS.to_string();
    let options = Options::parse_from([
        "zweifaktor-load",
        "--portal-from-tool",
        "--portal-bin",
        env!("CARGO_BIN_EXE_zweifaktor-load"),
        "--devices",
        devices.as_str(),
        "--logins",
        logins.as_str(),
        "--rate",
        "20",
        "--concurrency",
        "8",
        "--kill-restart",
        "--max-secs",
        "120",
    ]);
    let report = run(&options).await.unwrap();
    let table = report.table();
    assert_eq!(report.portal, "tool-child", "{table}");
    let kill = report
        .kill_restart
        .as_ref()
        .expect("the run killed the portal");
    assert_eq!(kill.killed_after_logins, LOGINS / 2, "{table}");
    assert_eq!(kill.devices_reconnected, DEVICES, "{table}");
    assert_eq!(report.devices_connected_peak, DEVICES, "{table}");
    assert_eq!(report.logins_started, LOGINS, "{table}");
    assert_eq!(report.challenges_lost, 0, "{table}");
    assert_eq!(report.challenges_duplicated, 0, "{table}");
    assert!(report.logins_failed.is_empty(), "{table}");
    let refused: u64 = report.logins_refused.values().sum();
    assert_eq!(
        report.logins_completed + usize::try_from(refused).unwrap(),
        LOGINS,
        "every login completed or was refused: {table}"
    );
    assert!(report.clean(), "{table}");
}
