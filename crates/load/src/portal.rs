//! The portal under test: one or more instances, started as child processes (or in-process for
//! tests) on a fresh SQLite file or one shared PostgreSQL database with the load-test password
//! profile, killed and restarted on demand, and measured through `/proc/PID/status`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zweifaktor_portal::AppState;
use zweifaktor_portal::clock::SystemClock;
use zweifaktor_portal::config::Config;
use zweifaktor_portal::password::PasswordProfile;

use crate::cpu::CpuTime;
use crate::error::LoadError;
use crate::options::PortalMode;

/// The name of a password profile on the portal's command line and in the report.
pub fn profile_name(profile: PasswordProfile) -> &'static str {
    match profile {
        PasswordProfile::Standard => "standard",
        PasswordProfile::LoadTest => "load-test",
    }
}

/// The SQLite file of a run, in its folder.
const DATABASE_FILE: &str = "load.db";

/// Longest wait for a (re)started portal to answer.
const READY_WAIT: Duration = Duration::from_secs(60);

/// Log filter of a portal child unless `RUST_LOG` says otherwise: per-request info lines
/// would make the portal measure its own logging.
const CHILD_LOG_FILTER: &str = "warn";

/// Where a portal keeps its state, so a restart finds the same accounts and keys.
#[derive(Debug, Clone)]
pub struct PortalFiles {
    /// The folder that holds them all.
    pub dir: PathBuf,
    /// `sqlite://...` URL of the database file, or the PostgreSQL database's URL.
    pub database_url: String,
    /// Folder of the key files.
    pub key_dir: PathBuf,
    /// Where the child's stderr goes.
    pub log: PathBuf,
    /// Argon2id cost of new password hashes.
    pub profile: PasswordProfile,
}

impl PortalFiles {
    /// A key folder inside `dir` and a fresh SQLite file there, or the PostgreSQL database
    /// `database_url`; new passwords hashed with `profile`.
    pub fn in_dir(dir: &Path, profile: PasswordProfile, database_url: Option<&str>) -> Self {
        Self {
            dir: dir.to_path_buf(),
            database_url: database_url.map_or_else(
                || format!("sqlite://{}", dir.join(DATABASE_FILE).display()),
                str::to_owned,
            ),
            key_dir: dir.join("keys"),
            log: dir.join("portal.log"),
            profile,
        }
    }

    /// Bytes of the database and of its log: for SQLite the file, and its log (`-wal`) with
    /// the log's index (`-shm`); for PostgreSQL `pg_database_size`, with no separate log.
    pub async fn database_bytes(&self) -> (u64, u64) {
        if !self.database_url.starts_with("sqlite:") {
            return (postgres_size(&self.database_url).await.unwrap_or(0), 0);
        }
        let size = |suffix: &str| {
            std::fs::metadata(self.dir.join(format!("{DATABASE_FILE}{suffix}")))
                .map_or(0, |m| m.len())
        };
        (size(""), size("-wal") + size("-shm"))
    }

    /// The portal configuration for these files, served at `base`.
    pub fn config(&self, base: &str) -> Config {
        let mut config = Config::new(base, self.database_url.clone());
        config.key_dir = self.key_dir.clone();
        config.password_profile = self.profile;
        config.trust_forwarded_for = true;
        config
    }
}

/// `pg_database_size` of the database at `url`; `None` if it cannot be asked.
async fn postgres_size(url: &str) -> Option<u64> {
    use sqlx::Connection as _;
    let mut connection = sqlx::PgConnection::connect(url).await.ok()?;
    let bytes: i64 = sqlx::query_scalar("SELECT pg_database_size(current_database())")
        .fetch_one(&mut connection)
        .await
        .ok()?;
    let _closed = connection.close().await;
    u64::try_from(bytes).ok()
}

/// A running portal.
enum Running {
    /// A child process.
    Child(tokio::process::Child),
    /// A server task in this runtime.
    InProcess(tokio::task::JoinHandle<Result<(), zweifaktor_portal::StartError>>),
}

/// The portal under test and how to start it again.
pub struct Portal {
    mode: PortalMode,
    files: PortalFiles,
    addr: SocketAddr,
    running: Running,
    /// Highest VmHWM of earlier (killed) portal processes, in KiB.
    earlier_peak_kib: u64,
}

impl Portal {
    /// Starts the portal on `addr` (a free loopback port) and waits until it answers.
    pub async fn start(
        mode: PortalMode,
        files: PortalFiles,
        addr: SocketAddr,
    ) -> Result<Self, LoadError> {
        let running = launch(&mode, &files, addr).await?;
        let portal = Self {
            mode,
            files,
            addr,
            running,
            earlier_peak_kib: 0,
        };
        portal.wait_ready().await?;
        Ok(portal)
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The child's process id (`None` in-process).
    pub fn pid(&self) -> Option<u32> {
        match &self.running {
            Running::Child(child) => child.id(),
            Running::InProcess(_) => None,
        }
    }

    /// Current and peak resident memory in KiB of the portal process (of this process
    /// in-process); the peak covers earlier, killed processes too.
    pub fn memory_kib(&self) -> Memory {
        let pid = self
            .pid()
            .map_or_else(|| "self".to_string(), |p| p.to_string());
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0)
        };
        Memory {
            rss_kib: field("VmRSS:"),
            peak_kib: field("VmHWM:").max(self.earlier_peak_kib),
        }
    }

    /// CPU time the portal process used so far (this process in-process).
    pub fn cpu_time(&self) -> Option<CpuTime> {
        let pid = self
            .pid()
            .map_or_else(|| "self".to_string(), |p| p.to_string());
        crate::cpu::cpu_time(&pid)
    }

    /// SIGKILLs the child and starts a new one on the same database, port and keys;
    /// returns how long the portal was away.
    pub async fn kill_and_restart(&mut self) -> Result<Duration, LoadError> {
        let started = Instant::now();
        self.earlier_peak_kib = self.memory_kib().peak_kib;
        let Running::Child(child) = &mut self.running else {
            return Err(LoadError::Options("--kill-restart needs a portal child"));
        };
        child.start_kill()?;
        child.wait().await?;
        self.running = launch(&self.mode, &self.files, self.addr).await?;
        self.wait_ready().await?;
        Ok(started.elapsed())
    }

    /// Stops the portal (SIGKILL for a child: its state is all in the database).
    pub async fn stop(mut self) {
        match &mut self.running {
            Running::Child(child) => {
                let _already_gone = child.start_kill();
                let _status = child.wait().await;
            }
            Running::InProcess(task) => task.abort(),
        }
    }

    async fn wait_ready(&self) -> Result<(), LoadError> {
        let http = reqwest::Client::new();
        let started = Instant::now();
        while started.elapsed() < READY_WAIT {
            if let Ok(response) = http.get(format!("{}/login", self.base_url())).send().await
                && response.status().is_success()
            {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Err(LoadError::NotReady(READY_WAIT.as_secs()))
    }
}

/// Every instance of the portal under test, on one database.
pub struct Portals(Vec<Portal>);

impl Portals {
    /// Starts one instance per address in `addrs` and waits until each answers.
    pub async fn start(
        mode: &PortalMode,
        files: &PortalFiles,
        addrs: &[SocketAddr],
    ) -> Result<Self, LoadError> {
        let mut started = Vec::with_capacity(addrs.len());
        for addr in addrs {
            started.push(Portal::start(mode.clone(), files.clone(), *addr).await?);
        }
        Ok(Self(started))
    }

    /// The first instance's process id (`None` in-process), for the file-limit check.
    pub fn first_pid(&self) -> Option<u32> {
        self.0.first().and_then(Portal::pid)
    }

    /// Whether the portal runs inside this process (its CPU and memory are the tool's).
    pub fn in_process(&self) -> bool {
        self.first_pid().is_none()
    }

    /// Resident memory of all instances together.
    pub fn memory_kib(&self) -> Memory {
        self.0
            .iter()
            .map(Portal::memory_kib)
            .fold(Memory::default(), |sum, m| Memory {
                rss_kib: sum.rss_kib + m.rss_kib,
                peak_kib: sum.peak_kib + m.peak_kib,
            })
    }

    /// CPU time all instances used so far; `None` if one cannot be read.
    pub fn cpu_time(&self) -> Option<CpuTime> {
        self.0.iter().map(Portal::cpu_time).sum()
    }

    /// SIGKILLs the first instance and starts it again (see [`Portal::kill_and_restart`]).
    pub async fn kill_and_restart(&mut self) -> Result<Duration, LoadError> {
        match self.0.first_mut() {
            Some(first) => first.kill_and_restart().await,
            None => Err(LoadError::Options("no portal instance to kill")),
        }
    }

    /// Stops every instance.
    pub async fn stop(self) {
        for portal in self.0 {
            portal.stop().await;
        }
    }
}

/// Resident memory of the portal (of all instances, summed, in [`Portals`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct Memory {
    /// VmRSS now.
    pub rss_kib: u64,
    /// VmHWM, the peak.
    pub peak_kib: u64,
}

async fn launch(
    mode: &PortalMode,
    files: &PortalFiles,
    addr: SocketAddr,
) -> Result<Running, LoadError> {
    let base = format!("http://{addr}");
    match mode {
        PortalMode::InProcess => {
            let state = AppState::open(files.config(&base), Arc::new(SystemClock)).await?;
            let listener = tokio::net::TcpListener::bind(addr).await?;
            Ok(Running::InProcess(tokio::spawn(zweifaktor_portal::run(
                state,
                listener,
                std::future::pending(),
            ))))
        }
        PortalMode::Child(bin) => {
            let filter = std::env::var("RUST_LOG").unwrap_or_else(|_| CHILD_LOG_FILTER.into());
            let mut command = tokio::process::Command::new(bin);
            command
                .arg("--database")
                .arg(&files.database_url)
                .arg("--key-dir")
                .arg(&files.key_dir)
                .arg("--public-url")
                .arg(&base)
                .arg("--password-profile")
                .arg(profile_name(files.profile))
                .arg("--trust-forwarded-for")
                .arg("serve")
                .arg("--bind")
                .arg(addr.to_string())
                .env("RUST_LOG", filter);
            spawn_child(command, files)
        }
        PortalMode::ToolChild(exe) => {
            let mut command = tokio::process::Command::new(exe);
            command
                .arg("--serve-portal")
                .arg(addr.to_string())
                .arg("--work-dir")
                .arg(&files.dir)
                .arg("--database-url")
                .arg(&files.database_url)
                .arg("--password-profile")
                .arg(profile_name(files.profile));
            spawn_child(command, files)
        }
    }
}

/// Starts a portal child: no input, its log appended to the run's log file, killed with the
/// tool.
fn spawn_child(
    mut command: tokio::process::Command,
    files: &PortalFiles,
) -> Result<Running, LoadError> {
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&files.log)?;
    let child = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()?;
    Ok(Running::Child(child))
}

/// Serves the portal of the files in `dir` (and the database at `database_url`, if given) on
/// `addr` until the process is killed: the child of [`PortalMode::ToolChild`].
pub async fn serve(
    addr: SocketAddr,
    dir: &Path,
    profile: PasswordProfile,
    database_url: Option<&str>,
) -> Result<(), LoadError> {
    let files = PortalFiles::in_dir(dir, profile, database_url);
    let state = AppState::open(
        files.config(&format!("http://{addr}")),
        Arc::new(SystemClock),
    )
    .await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    zweifaktor_portal::run(state, listener, std::future::pending()).await?;
    Ok(())
}
