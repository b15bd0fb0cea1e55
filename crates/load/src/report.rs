//! The figures of a run: collected while it runs, printed as JSON and as a table.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;

/// Errors counted by kind while the run goes on.
#[derive(Debug, Default)]
pub struct Errors {
    counts: Mutex<BTreeMap<String, u64>>,
}

impl Errors {
    /// Counts one error of `kind`.
    pub fn add(&self, kind: &str) {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        *counts.entry(kind.to_string()).or_default() += 1;
    }

    /// The counts so far.
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Latency percentiles in milliseconds.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Latency {
    /// Samples.
    pub count: usize,
    /// Median.
    pub p50_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest sample.
    pub max_ms: f64,
}

impl Latency {
    /// Percentiles of `samples` (nearest rank).
    pub fn of(mut samples: Vec<Duration>) -> Self {
        if samples.is_empty() {
            return Self::default();
        }
        samples.sort();
        let rank = |p: f64| {
            let i = ((p / 100.0) * samples.len() as f64).ceil() as usize;
            samples[i.clamp(1, samples.len()) - 1]
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        Self {
            count: samples.len(),
            p50_ms: ms(rank(50.0)),
            p99_ms: ms(rank(99.0)),
            max_ms: ms(samples[samples.len() - 1]),
        }
    }
}

/// CPU time one code check of the burst cost, in microseconds (CPU seconds used during the
/// burst ÷ checks sent). Two cores give at most 2,000,000 ÷ (portal + tool) checks per second.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct CheckCpu {
    /// The portal process (`None` in-process, where it is the tool's own).
    pub portal_us: Option<f64>,
    /// The part of `portal_us` spent in the kernel on the portal's behalf.
    pub portal_system_us: Option<f64>,
    /// The load tool: browsers, devices and the measuring.
    pub tool_us: f64,
}

/// The password burst of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PasswordBurst {
    /// Password steps sent.
    pub sent: usize,
    /// Answered with the code page.
    pub accepted: usize,
    /// Accepted password steps per second.
    pub logins_per_sec: Option<f64>,
    /// "Busy" answers (503, every hashing slot taken) that were retried.
    pub busy_retries: u64,
    /// CPU per password step, in microseconds.
    pub cpu: Option<CheckCpu>,
    /// Round trips of the password steps.
    pub round_trip: Latency,
}

/// The kill-and-restart part of a run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct KillRestart {
    /// Logins started before the SIGKILL.
    pub killed_after_logins: usize,
    /// Kill → new portal answering, in milliseconds.
    pub portal_away_ms: f64,
    /// Devices that opened their stream again after the restart.
    pub devices_reconnected: usize,
    /// Challenges the portal sent again on a new connection (open challenges are re-sent
    /// on every connect; not duplicates).
    pub challenges_resent_after_reconnect: u64,
}

/// Everything a run reports.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Argon2 profile of the portal.
    pub password_profile: String,
    /// How the portal ran: `child`, `tool-child` or `in-process`.
    pub portal: String,
    /// Portal instances on the one database.
    pub instances: usize,
    /// `sqlite` or `postgresql`.
    pub database: String,
    /// Accounts in the database, each with a registered device.
    pub accounts: usize,
    /// Devices holding a stream (the logins use their accounts).
    pub devices: usize,
    /// Most device streams open at once.
    pub devices_connected_peak: usize,
    /// Logins asked for and the rate they were started at.
    pub logins_requested: usize,
    /// Logins started per second.
    pub login_rate: f64,
    /// Logins started, the code burst's included (the time bound may stop earlier).
    pub logins_started: usize,
    /// Logins that reached the dashboard.
    pub logins_completed: usize,
    /// Logins the portal refused clearly, by kind.
    pub logins_refused: BTreeMap<String, u64>,
    /// Logins without a usable answer, by kind.
    pub logins_failed: BTreeMap<String, u64>,
    /// Challenges issued whose login got them on its device.
    pub challenges_delivered: usize,
    /// Challenges issued that never reached the device.
    pub challenges_lost: usize,
    /// Challenges that arrived twice on one connection.
    pub challenges_duplicated: u64,
    /// Password sent → challenge verified on the device, for the logins at `--rate` (the
    /// code burst's logins are prepared under another load and left out).
    pub push_latency: Latency,
    /// Password sent → the portal's answer to it, for the same logins: the part of the push
    /// latency that is the password step.
    pub password_step: Latency,
    /// Code checks (`POST /login/code`) per second in the code burst.
    pub code_checks_per_sec: Option<f64>,
    /// Codes sent in the burst, and how many were accepted.
    pub code_burst: usize,
    /// Accepted codes of the burst.
    pub code_burst_completed: usize,
    /// CPU per code check of the burst.
    pub code_check_cpu: Option<CheckCpu>,
    /// Code sent → answer, for the burst's checks: the check's round trip.
    pub code_check: Latency,
    /// Present with `--password-burst`.
    pub password_burst: Option<PasswordBurst>,
    /// Bytes of the SQLite file at the end of the run.
    pub database_bytes: u64,
    /// Bytes of its log (`-wal`, which a burst grows and the next quiet moment empties) and
    /// the log's index (`-shm`).
    pub database_log_bytes: u64,
    /// CPU cores of the machine (portal and tool share them).
    pub cores: usize,
    /// Errors by kind (streams, pages).
    pub errors: BTreeMap<String, u64>,
    /// Portal VmRSS before the streams were opened, KiB.
    pub portal_rss_before_streams_kib: u64,
    /// Portal VmRSS with every stream open, KiB.
    pub portal_rss_streams_open_kib: u64,
    /// Portal VmHWM at the end (peak of all its processes), KiB.
    pub portal_peak_rss_kib: u64,
    /// (RSS with streams − RSS before) ÷ devices, bytes.
    pub memory_per_device_bytes: u64,
    /// The tool's file-descriptor limit (the portal child inherits it).
    pub nofile_limit: u64,
    /// Present for `--kill-restart`.
    pub kill_restart: Option<KillRestart>,
    /// Seconds the set-up (accounts, registration, streams) took.
    pub setup_secs: f64,
    /// Seconds the login phase took.
    pub login_phase_secs: f64,
}

impl Report {
    /// True when nothing was lost, duplicated or left without an answer.
    pub fn clean(&self) -> bool {
        self.challenges_lost == 0
            && self.challenges_duplicated == 0
            && self.logins_failed.is_empty()
    }

    /// A plain-text table for the operator.
    pub fn table(&self) -> String {
        let mut rows: Vec<(String, String)> = vec![
            (
                "portal / instances / database / password profile".into(),
                format!(
                    "{} / {} / {} / {}",
                    self.portal, self.instances, self.database, self.password_profile
                ),
            ),
            (
                "accounts / devices with streams / peak connected".into(),
                format!(
                    "{} / {} / {}",
                    self.accounts, self.devices, self.devices_connected_peak
                ),
            ),
            (
                "logins started / completed".into(),
                format!(
                    "{} / {} (at {}/s)",
                    self.logins_started, self.logins_completed, self.login_rate
                ),
            ),
            (
                "logins refused".into(),
                format!("{:?}", self.logins_refused),
            ),
            ("logins failed".into(), format!("{:?}", self.logins_failed)),
            (
                "challenges delivered / lost / duplicated".into(),
                format!(
                    "{} / {} / {}",
                    self.challenges_delivered, self.challenges_lost, self.challenges_duplicated
                ),
            ),
            (
                "push latency p50 / p99 / max".into(),
                format!(
                    "{:.1} / {:.1} / {:.1} ms ({} samples)",
                    self.push_latency.p50_ms,
                    self.push_latency.p99_ms,
                    self.push_latency.max_ms,
                    self.push_latency.count
                ),
            ),
            (
                "password step p50 / p99 / max".into(),
                format!(
                    "{:.1} / {:.1} / {:.1} ms",
                    self.password_step.p50_ms, self.password_step.p99_ms, self.password_step.max_ms,
                ),
            ),
            (
                "code checks per second (burst)".into(),
                self.code_checks_per_sec.map_or("-".into(), |r| {
                    format!(
                        "{r:.0} ({} of {} accepted)",
                        self.code_burst_completed, self.code_burst
                    )
                }),
            ),
            (
                "CPU per code check: portal / tool".into(),
                cpu_text(self.code_check_cpu),
            ),
            (
                "code check round trip p50 / p99 / max".into(),
                format!(
                    "{:.2} / {:.2} / {:.2} ms ({} samples)",
                    self.code_check.p50_ms,
                    self.code_check.p99_ms,
                    self.code_check.max_ms,
                    self.code_check.count
                ),
            ),
            (
                "database file / log".into(),
                format!(
                    "{:.1} / {:.1} MiB",
                    self.database_bytes as f64 / (1024.0 * 1024.0),
                    self.database_log_bytes as f64 / (1024.0 * 1024.0)
                ),
            ),
            (
                "portal RSS before streams / streams open / peak".into(),
                format!(
                    "{} / {} / {} MiB",
                    self.portal_rss_before_streams_kib / 1024,
                    self.portal_rss_streams_open_kib / 1024,
                    self.portal_peak_rss_kib / 1024
                ),
            ),
            (
                "memory per connected device".into(),
                format!("{:.1} KiB", self.memory_per_device_bytes as f64 / 1024.0),
            ),
            ("errors".into(), format!("{:?}", self.errors)),
            (
                "set-up / login phase".into(),
                format!("{:.1} s / {:.1} s", self.setup_secs, self.login_phase_secs),
            ),
        ];
        if let Some(p) = &self.password_burst {
            rows.push((
                "password logins per second (burst)".into(),
                p.logins_per_sec.map_or("-".into(), |r| {
                    format!(
                        "{r:.1} ({} of {} accepted, {} busy retries; {:.1} per core of {})",
                        p.accepted,
                        p.sent,
                        p.busy_retries,
                        r / self.cores.max(1) as f64,
                        self.cores
                    )
                }),
            ));
            rows.push((
                "password logins per core-second of portal CPU".into(),
                p.cpu
                    .and_then(|c| c.portal_us)
                    .filter(|us| *us > 0.0)
                    .map_or("-".into(), |us| format!("{:.1}", 1e6 / us)),
            ));
            rows.push((
                "CPU per password step: portal / tool".into(),
                cpu_text(p.cpu),
            ));
            rows.push((
                "password step (burst) p50 / p99 / max".into(),
                format!(
                    "{:.1} / {:.1} / {:.1} ms",
                    p.round_trip.p50_ms, p.round_trip.p99_ms, p.round_trip.max_ms
                ),
            ));
        }
        if let Some(k) = &self.kill_restart {
            rows.push((
                "kill-restart: after logins / portal away".into(),
                format!("{} / {:.0} ms", k.killed_after_logins, k.portal_away_ms),
            ));
            rows.push((
                "kill-restart: devices reconnected / re-sent".into(),
                format!(
                    "{} / {}",
                    k.devices_reconnected, k.challenges_resent_after_reconnect
                ),
            ));
        }
        let width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
        let mut out = String::new();
        for (key, value) in rows {
            let _infallible = writeln!(out, "{key:<width$}  {value}");
        }
        out
    }
}

/// `PORTAL (system SYSTEM) / TOOL µs` of a CPU figure, `-` where there is none.
fn cpu_text(cpu: Option<CheckCpu>) -> String {
    cpu.map_or("-".into(), |c| {
        let portal = c
            .portal_us
            .zip(c.portal_system_us)
            .map_or("-".into(), |(total, system)| {
                format!("{total:.0} (system {system:.0})")
            });
        format!("{portal} / {:.0} µs", c.tool_us)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_nearest_rank() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let l = Latency::of(samples);
        assert_eq!(l.count, 100);
        assert!((l.p50_ms - 50.0).abs() < 1e-9);
        assert!((l.p99_ms - 99.0).abs() < 1e-9);
        assert!((l.max_ms - 100.0).abs() < 1e-9);
        assert_eq!(Latency::of(Vec::new()).count, 0);
    }

    #[test]
    fn errors_are_counted_by_kind() {
        let e = Errors::default();
        e.add("a");
        e.add("a");
        e.add("b");
        assert_eq!(e.snapshot().get("a"), Some(&2));
        assert_eq!(e.snapshot().get("b"), Some(&1));
    }

    #[test]
    fn the_cpu_figure_names_the_kernel_share_of_the_portal() {
        let split = CheckCpu {
            portal_us: Some(142.4),
            portal_system_us: Some(45.2),
            tool_us: 60.0,
        };
        assert_eq!(cpu_text(Some(split)), "142 (system 45) / 60 µs");
        let in_process = CheckCpu {
            portal_us: None,
            portal_system_us: None,
            tool_us: 90.0,
        };
        assert_eq!(cpu_text(Some(in_process)), "- / 90 µs");
        assert_eq!(cpu_text(None), "-");
    }

    #[test]
    fn a_lost_challenge_makes_a_run_unclean() {
        let mut r = Report::default();
        assert!(r.clean());
        r.challenges_lost = 1;
        assert!(!r.clean());
    }
}
