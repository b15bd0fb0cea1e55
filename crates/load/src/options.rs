//! Command-line options of a load run, shared by the binary and the tests.

use std::path::PathBuf;

use zweifaktor_portal::password::PasswordProfile;

/// How the portal under test is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortalMode {
    /// The `zweifaktor-portal` binary as a child process: its RSS is the portal's own, and
    /// `--kill-restart` can SIGKILL it.
    Child(PathBuf),
    /// This tool's own binary as a child process serving the portal (`--serve-portal`): a
    /// process that can be SIGKILLed where no portal binary is built (the tests). It serves
    /// the same library with the same configuration as `zweifaktor-portal serve`.
    ToolChild(PathBuf),
    /// The portal library inside the tool's runtime (tests); RSS then includes the tool.
    InProcess,
}

/// What one load run does.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "zweifaktor-load", version, about)]
pub struct Options {
    /// Simulated devices: one account each, one SSE stream each; the logins use these
    /// accounts.
    #[arg(long, default_value_t = 1000)]
    pub devices: usize,
    /// Accounts in the database, each with a registered device (default: `--devices`); only
    /// the first `--devices` hold streams. More accounts make every table and index deeper,
    /// to see how the cost of a check grows with the work.
    #[arg(long)]
    pub accounts: Option<usize>,
    /// Logins started at `--rate` while all streams are open.
    #[arg(long, default_value_t = 500)]
    pub logins: usize,
    /// Logins started per second.
    #[arg(long, default_value_t = 100.0)]
    pub rate: f64,
    /// Logins prepared up to the code page, then all codes sent at once, to measure code
    /// checks per second (0: no burst).
    #[arg(long, default_value_t = 0)]
    pub code_burst: usize,
    /// Password steps sent with `--concurrency` in flight after the code burst, to measure
    /// password logins per second (0: none). With `--password-profile standard` Argon2id
    /// bounds them.
    #[arg(long, default_value_t = 0)]
    pub password_burst: usize,
    /// Argon2id cost of the accounts' passwords: `load-test` (tiny, so the rest is measured)
    /// or `standard` (what a deployment uses).
    #[arg(long, value_enum, default_value_t = PasswordProfile::LoadTest)]
    pub password_profile: PasswordProfile,
    /// Requests in flight at once during set-up and the code burst.
    #[arg(long, default_value_t = 64)]
    pub concurrency: usize,
    /// SIGKILL the portal halfway through the logins and start it again on the same database.
    #[arg(long)]
    pub kill_restart: bool,
    /// The portal binary to start (default: `zweifaktor-portal` beside this tool); with
    /// `--portal-from-tool` this tool's binary (default: the running executable).
    #[arg(long)]
    pub portal_bin: Option<PathBuf>,
    /// Start the portal as a child process of this tool's own binary instead of the
    /// `zweifaktor-portal` binary, for places where only the tool is built (its tests).
    #[arg(long, conflicts_with = "in_process")]
    pub portal_from_tool: bool,
    /// Serve the portal on this address from the files in `--work-dir` until killed: what
    /// the child started by `--portal-from-tool` runs.
    #[arg(long, hide = true, requires = "work_dir")]
    pub serve_portal: Option<std::net::SocketAddr>,
    /// Database of the portals: a fresh SQLite file in `--work-dir` (default), or a
    /// `postgres://` URL naming an empty database (`createdb` it first) that all
    /// `--instances` share.
    #[arg(long)]
    pub database_url: Option<String>,
    /// Portal processes serving the run, all on one `--database-url` (PostgreSQL): device
    /// `d`'s stream goes to instance `d mod N`, login `i` to instance `(i + 1) mod N`, so with
    /// an even `--devices` every challenge crosses instances through `NOTIFY`.
    #[arg(long, default_value_t = 1, conflicts_with = "in_process")]
    pub instances: usize,
    /// Folder for the fresh SQLite file and key files (default: a temporary folder).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// Upper bound of the whole run in seconds; logins not started by then are skipped.
    #[arg(long, default_value_t = 600)]
    pub max_secs: u64,
    /// Seconds a login waits for its challenge on the device before it counts as lost.
    #[arg(long, default_value_t = 30)]
    pub challenge_timeout_secs: u64,
    /// Write the JSON report to this file as well as printing it.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Run the portal in this process instead of as a child (no RSS of its own, no kill).
    #[arg(long, conflicts_with = "kill_restart")]
    pub in_process: bool,
}

impl Options {
    /// Where the portal runs, resolving the default binary beside the tool's executable.
    pub fn portal_mode(&self) -> Result<PortalMode, std::io::Error> {
        if self.in_process {
            return Ok(PortalMode::InProcess);
        }
        if self.portal_from_tool {
            let exe = match &self.portal_bin {
                Some(bin) => bin.clone(),
                None => std::env::current_exe()?,
            };
            return Ok(PortalMode::ToolChild(exe));
        }
        if let Some(bin) = &self.portal_bin {
            return Ok(PortalMode::Child(bin.clone()));
        }
        let exe = std::env::current_exe()?;
        let dir = exe.parent().map(PathBuf::from).unwrap_or_default();
        Ok(PortalMode::Child(dir.join("zweifaktor-portal")))
    }

    /// Accounts to create: `--accounts`, at least `--devices`.
    pub fn accounts(&self) -> usize {
        self.accounts.unwrap_or(self.devices).max(self.devices)
    }

    /// Checks what clap cannot: several instances need one shared PostgreSQL database.
    pub fn check(&self) -> Result<(), &'static str> {
        if self.instances == 0 {
            return Err("--instances must be at least 1");
        }
        let postgres = self
            .database_url
            .as_deref()
            .is_some_and(|url| url.starts_with("postgres://") || url.starts_with("postgresql://"));
        if self.instances > 1 && !postgres {
            return Err("--instances above 1 needs a postgres:// --database-url");
        }
        Ok(())
    }

    /// File descriptors the tool needs: one per stream, one per login in flight, headroom.
    pub fn descriptors_needed(&self) -> u64 {
        let streams = self.devices as u64;
        let logins = self.code_burst.max(self.concurrency) as u64;
        streams + logins + 256
    }
}
