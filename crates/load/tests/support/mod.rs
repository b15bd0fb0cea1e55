//! The small run the load tool's tests share: 20 devices, 10 timed logins and a code burst of
//! 10, and what every such run must report, wherever its portal runs.

use zweifaktor_load::Report;

/// The small run's options after the portal's own (`--in-process`, or a child on a database).
pub const SMALL_RUN: [&str; 10] = [
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
];

/// Every device connected, every login (the burst's included) completed with its challenge
/// delivered exactly once, the whole burst accepted.
pub fn assert_small_run_clean(report: &Report) {
    let table = report.table();
    assert_eq!(report.devices_connected_peak, 20, "{table}");
    assert_eq!(report.logins_started, 20, "{table}");
    assert_eq!(report.logins_completed, 20, "{table}");
    assert_eq!(report.challenges_delivered, 20, "{table}");
    assert_eq!(report.challenges_lost, 0, "{table}");
    assert_eq!(report.challenges_duplicated, 0, "{table}");
    assert_eq!(report.code_burst_completed, 10, "{table}");
    assert!(report.logins_failed.is_empty(), "{table}");
    assert!(report.logins_refused.is_empty(), "{table}");
    assert!(report.clean(), "{table}");
}
