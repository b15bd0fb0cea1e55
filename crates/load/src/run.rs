//! One load run from start to report: set-up, streams, logins at a rate, the optional code
//! burst and kill-and-restart, then the figures.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, watch};
use tokio::task::JoinSet;
use zweifaktor_portal::AppState;
use zweifaktor_portal::clock::SystemClock;

use crate::burst::{Bursts, CodeFigures, PasswordFigures};
use crate::device::{self, DeviceStats, Shared, Waiters};
use crate::error::LoadError;
use crate::http::Http;
use crate::limits;
use crate::login::{self, Finished, Outcome};
use crate::options::{Options, PortalMode};
use crate::portal::{PortalFiles, Portals, profile_name};
use crate::report::{Errors, KillRestart, Latency, PasswordBurst, Report};
use crate::setup;

/// Streams opened before the tool waits for them to connect: keeps the portal's accept
/// queue (1,024 on Linux) from overflowing into SYN retries.
const STREAM_BATCH: usize = 500;
/// Longest wait for one batch of streams, and for all streams after a restart.
const CONNECT_WAIT: Duration = Duration::from_secs(60);
/// Pause after the last stream connected before the memory is read, so the portal's
/// per-stream tasks have run once.
const SETTLE: Duration = Duration::from_secs(1);

/// Carries out a load run as `options` describe it.
pub async fn run(options: &Options) -> Result<Report, LoadError> {
    if options.devices == 0 || options.rate <= 0.0 {
        return Err(LoadError::Options("--devices and --rate must be positive"));
    }
    options.check().map_err(LoadError::Options)?;
    let mode = options.portal_mode()?;
    let nofile = limits::raise_nofile(options.descriptors_needed())?;
    let temp = tempfile::tempdir()?;
    let dir = match &options.work_dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            dir.clone()
        }
        None => temp.path().to_path_buf(),
    };
    let files = PortalFiles::in_dir(
        &dir,
        options.password_profile,
        options.database_url.as_deref(),
    );
    let setup_started = Instant::now();
    let deadline = setup_started + Duration::from_secs(options.max_secs);
    let addrs = free_ports(options.instances)?;
    let bases: Vec<String> = addrs.iter().map(|addr| format!("http://{addr}")).collect();
    let base = &bases[0];
    let password = setup::run_password();
    let accounts = {
        let state = AppState::open(files.config(base), Arc::new(SystemClock)).await?;
        let made =
            setup::create_accounts(&state, options.accounts(), &password, options.concurrency)
                .await;
        state.db.close().await;
        made?
    };
    let portal = Portals::start(&mode, &files, &addrs).await?;
    if let Some(pid) = portal.first_pid()
        && let Some(limit) = limits::process_nofile(pid)
        && limit < options.descriptors_needed()
    {
        eprintln!(
            "warning: the portal may open {limit} files, fewer than the {} this run needs",
            options.descriptors_needed()
        );
    }
    let mut devices = setup::register_devices(base, accounts, options.concurrency).await?;
    // Every account has a registered device; the first `--devices` of them hold streams,
    // and the logins use those.
    devices.truncate(options.devices);
    let emails: Vec<String> = devices.iter().map(|d| d.email.clone()).collect();
    let before_streams = portal.memory_kib();

    let (stop_tx, stop_rx) = watch::channel(false);
    let shared = Arc::new(Shared {
        http: reqwest::Client::builder().build()?,
        webs: addrs
            .iter()
            .map(|addr| Http::new(*addr))
            .collect::<Result<_, _>>()?,
        bases,
        stats: DeviceStats::default(),
        waiters: Waiters::default(),
        errors: Errors::default(),
        stop: stop_rx,
    });
    let mut device_tasks = JoinSet::new();
    let mut spawned = 0;
    let mut devices = devices.into_iter();
    loop {
        let batch: Vec<_> = devices.by_ref().take(STREAM_BATCH).collect();
        if batch.is_empty() {
            break;
        }
        spawned += batch.len();
        for d in batch {
            device_tasks.spawn(device::run(Arc::clone(&shared), d));
        }
        wait_connected(&shared, spawned).await;
    }
    tokio::time::sleep(SETTLE).await;
    let streams_open = portal.memory_kib();
    let connected = shared.stats.connected.load(Ordering::Relaxed);
    if connected < options.devices {
        eprintln!(
            "warning: {}",
            LoadError::StreamsIncomplete {
                connected,
                wanted: options.devices
            }
        );
    }
    let setup_secs = setup_started.elapsed().as_secs_f64();

    let portal = Arc::new(Mutex::new(portal));
    let phase_started = Instant::now();
    let timeout = Duration::from_secs(options.challenge_timeout_secs);
    let password = Arc::new(password);
    let mut logins = JoinSet::new();
    let mut kill = None;
    let kill_at = options.kill_restart.then_some(options.logins / 2);
    let mut started = 0;
    for i in 0..options.logins {
        let when = phase_started + Duration::from_secs_f64(i as f64 / options.rate);
        if when > deadline {
            break;
        }
        tokio::time::sleep_until(when.into()).await;
        if kill_at == Some(i) {
            let portal = Arc::clone(&portal);
            kill = Some(tokio::spawn(async move {
                portal.lock().await.kill_and_restart().await
            }));
        }
        let shared = Arc::clone(&shared);
        let email = emails[i % emails.len()].clone();
        let password = Arc::clone(&password);
        logins.spawn(async move { login::full(&shared, i, &email, &password, timeout).await });
        started += 1;
    }
    let mut finished = collect(&mut logins, deadline).await;
    let kill_restart = match kill {
        Some(task) => {
            let away = match task.await {
                Ok(result) => result?,
                Err(_) => return Err(LoadError::Options("kill-and-restart task failed")),
            };
            wait_connected(&shared, options.devices).await;
            Some(KillRestart {
                killed_after_logins: kill_at.unwrap_or(0),
                portal_away_ms: away.as_secs_f64() * 1000.0,
                devices_reconnected: shared.stats.reconnected_devices.load(Ordering::Relaxed),
                challenges_resent_after_reconnect: 0,
            })
        }
        None => None,
    };
    let login_phase_secs = phase_started.elapsed().as_secs_f64();
    // The latencies of the logins at `--rate` only: the burst below prepares its logins with
    // `--concurrency` in flight, a different load from the one the target names.
    let push_latency = Latency::of(finished.iter().filter_map(|f| f.push_latency).collect());
    let password_step = Latency::of(finished.iter().filter_map(|f| f.password_step).collect());

    let bursts = Bursts {
        options,
        shared: &shared,
        emails: &emails,
        password: &password,
        timeout,
        portal: &portal,
    };
    let codes = if options.code_burst > 0 {
        bursts.codes(&mut finished).await
    } else {
        CodeFigures::default()
    };
    let passwords = if options.password_burst > 0 {
        bursts.passwords().await
    } else {
        PasswordFigures::default()
    };

    let memory = portal.lock().await.memory_kib();
    let (database_bytes, database_log_bytes) = files.database_bytes().await;
    let _stopped = stop_tx.send(true);
    if tokio::time::timeout(Duration::from_secs(10), device_tasks.join_all())
        .await
        .is_err()
    {
        shared.errors.add("stream_task_stuck");
    }
    if let Ok(portal) = Arc::try_unwrap(portal) {
        portal.into_inner().stop().await;
    }

    let stats = &shared.stats;
    let kill_restart = kill_restart.map(|mut k| {
        k.challenges_resent_after_reconnect = stats.resent_after_reconnect.load(Ordering::Relaxed);
        k
    });
    let mut refused = BTreeMap::new();
    let mut failed = BTreeMap::new();
    for f in &finished {
        match f.outcome {
            Outcome::Refused(kind) => *refused.entry(kind.to_string()).or_default() += 1,
            Outcome::Failed(kind) => *failed.entry(kind.to_string()).or_default() += 1,
            Outcome::Completed | Outcome::Lost => {}
        }
    }
    Ok(Report {
        password_profile: profile_name(options.password_profile).into(),
        portal: match mode {
            PortalMode::Child(_) => "child".into(),
            PortalMode::ToolChild(_) => "tool-child".into(),
            PortalMode::InProcess => "in-process".into(),
        },
        instances: options.instances,
        database: if files.database_url.starts_with("sqlite:") {
            "sqlite".into()
        } else {
            "postgresql".into()
        },
        accounts: options.accounts(),
        devices: options.devices,
        devices_connected_peak: stats.peak_connected.load(Ordering::Relaxed),
        logins_requested: options.logins,
        login_rate: options.rate,
        logins_started: started + options.code_burst,
        logins_completed: finished
            .iter()
            .filter(|f| f.outcome == Outcome::Completed)
            .count(),
        logins_refused: refused,
        logins_failed: failed,
        challenges_delivered: finished.iter().filter(|f| f.push_latency.is_some()).count(),
        challenges_lost: finished
            .iter()
            .filter(|f| f.outcome == Outcome::Lost)
            .count(),
        challenges_duplicated: stats.duplicated.load(Ordering::Relaxed),
        push_latency,
        password_step,
        code_checks_per_sec: codes.rate,
        code_burst: options.code_burst,
        code_burst_completed: codes.accepted,
        code_check_cpu: codes.cpu,
        code_check: codes.round_trip,
        password_burst: (options.password_burst > 0).then_some(PasswordBurst {
            sent: passwords.sent,
            accepted: passwords.accepted,
            logins_per_sec: passwords.rate,
            busy_retries: passwords.busy_retries,
            cpu: passwords.cpu,
            round_trip: passwords.round_trip,
        }),
        database_bytes,
        database_log_bytes,
        cores: std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
        errors: shared.errors.snapshot(),
        portal_rss_before_streams_kib: before_streams.rss_kib,
        portal_rss_streams_open_kib: streams_open.rss_kib,
        portal_peak_rss_kib: memory.peak_kib,
        memory_per_device_bytes: streams_open.rss_kib.saturating_sub(before_streams.rss_kib) * 1024
            / options.devices as u64,
        nofile_limit: nofile,
        kill_restart,
        setup_secs,
        login_phase_secs,
    })
}

/// `count` free loopback addresses, one per portal instance.
fn free_ports(count: usize) -> Result<Vec<std::net::SocketAddr>, LoadError> {
    let probes = (0..count)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0"))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(probes
        .iter()
        .map(std::net::TcpListener::local_addr)
        .collect::<Result<_, _>>()?)
}

/// Waits until `want` streams are open (or [`CONNECT_WAIT`] passed).
async fn wait_connected(shared: &Shared, want: usize) {
    let started = Instant::now();
    while shared.stats.connected.load(Ordering::Relaxed) < want && started.elapsed() < CONNECT_WAIT
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Collects finished logins until all are done or the deadline passed (the rest count as
/// failed with kind `deadline`).
async fn collect(logins: &mut JoinSet<Finished>, deadline: Instant) -> Vec<Finished> {
    let mut finished = Vec::new();
    loop {
        let next = tokio::time::timeout_at(deadline.into(), logins.join_next()).await;
        match next {
            Ok(Some(Ok(f))) => finished.push(f),
            Ok(Some(Err(_))) => finished.push(failed("task_panicked")),
            Ok(None) => return finished,
            Err(_) => {
                finished.extend((0..logins.len()).map(|_| failed("deadline")));
                logins.abort_all();
                return finished;
            }
        }
    }
}

fn failed(kind: &'static str) -> Finished {
    Finished::without_figures(Outcome::Failed(kind))
}
