//! The operator command line: `serve`, `demo`,
//! `user add|disable|enable|unlock|reset-password|reset-2fa`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};
use ipnet::IpNet;
use zweifaktor_portal::clock::SystemClock;
use zweifaktor_portal::config::{Config, DEFAULT_DATABASE_URL};
use zweifaktor_portal::error::error_chain;
use zweifaktor_portal::password::{HashPool, PasswordProfile};
use zweifaktor_portal::server::DEFAULT_HEADER_READ_TIMEOUT;
use zweifaktor_portal::storage::SqliteSync;
use zweifaktor_portal::storage::logins::LOGIN_LIFETIME_SECS;
use zweifaktor_portal::web::forwarded;
use zweifaktor_portal::{AppState, accounts};

/// Zweifaktor reference portal and push-2FA server.
#[derive(Debug, Parser)]
#[command(name = "zweifaktor-portal", version)]
struct Cli {
    /// Database URL: sqlite://FILE (created on first start) or postgres://...
    #[arg(long, global = true, env = "ZF_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database: String,
    /// Folder of the key files (default: beside the SQLite file).
    #[arg(long, global = true, env = "ZF_KEY_DIR")]
    key_dir: Option<PathBuf>,
    /// Base URL under which browsers and devices reach the portal.
    #[arg(
        long,
        global = true,
        env = "ZF_PUBLIC_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    public_url: String,
    /// Argon2id cost of new password hashes (load-test only for load tests).
    #[arg(long, global = true, value_enum, default_value_t = PasswordProfile::Standard)]
    password_profile: PasswordProfile,
    /// Issuer shown in authenticator apps (otpauth://totp/ISSUER:EMAIL).
    #[arg(long, global = true, env = "ZF_ISSUER", default_value = zweifaktor_portal::config::DEFAULT_ISSUER)]
    issuer: String,
    /// Webhook of the wake-up gateway: receives {"challenge_id", "push_token"} per device.
    #[arg(long, global = true, env = "ZF_WAKEUP_WEBHOOK")]
    wakeup_webhook: Option<String>,
    /// Trust the direct peer as one proxy: the client address is the right-most
    /// X-Forwarded-For entry (only behind a proxy that appends it).
    #[arg(long, global = true, env = "ZF_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
    /// A trusted proxy's address or CIDR range (repeatable): X-Forwarded-For is read from the
    /// right, skipping these; the first address outside them is the client.
    #[arg(
        long = "trusted-proxy",
        global = true,
        env = "ZF_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_name = "CIDR",
        value_parser = forwarded::parse_trusted_proxy
    )]
    trusted_proxies: Vec<IpNet>,
    /// Connections served at once; more wait in the listen backlog (default: the descriptor
    /// limit `ulimit -n` minus 64).
    #[arg(
        long,
        global = true,
        env = "ZF_MAX_CONNECTIONS",
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    max_connections: Option<u32>,
    /// Seconds a connection may take to send a request head, and may stay idle between
    /// requests, before it is closed.
    #[arg(
        long,
        global = true,
        env = "ZF_HEADER_READ_TIMEOUT",
        default_value_t = DEFAULT_HEADER_READ_TIMEOUT.as_secs(),
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    header_read_timeout: u64,
    /// Seconds a login waits for its security code (default 300; shorter for end-to-end tests).
    #[arg(
        long,
        global = true,
        env = "ZF_LOGIN_LIFETIME",
        default_value_t = LOGIN_LIFETIME_SECS,
        value_parser = clap::value_parser!(i64).range(1..=LOGIN_LIFETIME_SECS)
    )]
    login_lifetime: i64,
    /// Password hashes run at once (default: 2 per CPU core); more wait briefly or get 503.
    #[arg(
        long,
        global = true,
        env = "ZF_MAX_CONCURRENT_HASHES",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    max_concurrent_hashes: Option<u16>,
    /// Durability of SQLite commits: `normal` may lose the last commits on a power cut (never
    /// on a crash of the portal), `full` syncs every commit (group commit makes it one sync
    /// per batch of requests). Ignored for PostgreSQL.
    #[arg(long, global = true, env = "ZF_SQLITE_SYNC", value_enum, default_value_t = SqliteSync::Normal)]
    sqlite_sync: SqliteSync,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the portal.
    Serve {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Create (or refresh) a demo account, print how to log in, then serve.
    Demo {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
}

#[derive(Debug, Subcommand)]
enum UserAction {
    /// Create an account and print its one-time initial password.
    Add {
        /// E-mail address (the login name).
        email: String,
    },
    /// Disable an account and end its sessions.
    Disable {
        /// E-mail address.
        email: String,
    },
    /// Re-enable a disabled account.
    Enable {
        /// E-mail address.
        email: String,
    },
    /// Give an account a new one-time password (printed; replaced at the next login).
    ResetPassword {
        /// E-mail address.
        email: String,
    },
    /// Reset the second factor: new seed, devices signed out; prints a new enrollment URI.
    #[command(name = "reset-2fa")]
    Reset2fa {
        /// E-mail address.
        email: String,
    },
    /// Release the lock after too many failed attempts.
    Unlock {
        /// E-mail address.
        email: String,
    },
}

/// Runs the command line; the exit code is 0 on success.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(execute(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(cli: Cli) -> Result<(), String> {
    if let Some(slots) = cli.max_concurrent_hashes {
        HashPool::install(usize::from(slots)).map_err(|e| error_chain(&e))?;
    }
    let mut config = Config::new(&cli.public_url, &cli.database);
    if let Some(dir) = cli.key_dir {
        config.key_dir = dir;
    }
    config.password_profile = cli.password_profile;
    config.wakeup_url = cli.wakeup_webhook;
    config.issuer = cli.issuer;
    config.trust_forwarded_for = cli.trust_forwarded_for;
    config.trusted_proxies = cli.trusted_proxies;
    if let Some(max) = cli.max_connections {
        config.connections.max_connections = usize::try_from(max).unwrap_or(usize::MAX);
    }
    config.connections.header_read_timeout = Duration::from_secs(cli.header_read_timeout);
    config.login_lifetime_secs = cli.login_lifetime;
    config.sqlite_sync = cli.sqlite_sync;
    let state = AppState::open(config, Arc::new(SystemClock))
        .await
        .map_err(|e| error_chain(&e))?;
    match cli.command {
        Command::Serve { bind } => serve(state, &bind).await,
        Command::Demo { bind } => {
            let (password, uri) = accounts::demo_account(&state)
                .await
                .map_err(|e| error_chain(&e))?;
            println!("Zweifaktor demo portal: {}/", state.config.public_url);
            println!("E-mail address: {}", accounts::DEMO_EMAIL);
            println!("Password: {}", password.expose());
            println!(
                "Enrollment URI (paste it into the Zweifaktor app, or pipe it into `zweifaktor-device add -`):"
            );
            println!("{}", uri.as_str());
            serve(state, &bind).await
        }
        Command::User { action } => user(&state, action).await.map_err(|e| error_chain(&e)),
    }
}

async fn serve(state: Arc<AppState>, bind: &str) -> Result<(), String> {
    let listener = tokio::net::TcpListener::bind(bind)
        .await
        .map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    zweifaktor_portal::run(state, listener, shutdown_signal())
        .await
        .map_err(|e| error_chain(&e))
}

async fn user(state: &AppState, action: UserAction) -> Result<(), accounts::AccountError> {
    match action {
        UserAction::Add { email } => {
            let password = accounts::create_user(state, &email).await?;
            println!("Account {email} created.");
            println!("One-time initial password: {}", password.expose());
        }
        UserAction::Disable { email } => {
            accounts::set_disabled(state, &email, true).await?;
            println!("Account {email} disabled.");
        }
        UserAction::Enable { email } => {
            accounts::set_disabled(state, &email, false).await?;
            println!("Account {email} enabled.");
        }
        UserAction::ResetPassword { email } => {
            let password = accounts::reset_password(state, &email).await?;
            println!("Password of {email} reset.");
            println!("One-time initial password: {}", password.expose());
        }
        UserAction::Reset2fa { email } => {
            let uri = accounts::reset_2fa(state, &email).await?;
            println!("Second factor of {email} reset; all devices signed out.");
            println!("New enrollment URI:");
            println!("{}", uri.as_str());
        }
        UserAction::Unlock { email } => {
            accounts::unlock(state, &email).await?;
            println!("Account {email} unlocked.");
        }
    }
    Ok(())
}

/// Completes on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_lifetime_defaults_to_five_minutes_and_may_only_be_shortened() {
        let default = Cli::try_parse_from(["zweifaktor-portal", "serve"]).unwrap();
        assert_eq!(default.login_lifetime, LOGIN_LIFETIME_SECS);
        let short =
            Cli::try_parse_from(["zweifaktor-portal", "--login-lifetime", "30", "serve"]).unwrap();
        assert_eq!(short.login_lifetime, 30);
        for refused in ["0", "301", "-5", "soon"] {
            assert!(
                Cli::try_parse_from(["zweifaktor-portal", "--login-lifetime", refused, "serve"])
                    .is_err(),
                "{refused} must be refused"
            );
        }
    }

    #[test]
    fn trusted_proxies_repeat_and_must_be_ranges() {
        let cli = Cli::try_parse_from([
            "zweifaktor-portal",
            "--trusted-proxy",
            "10.0.0.0/8",
            "--trusted-proxy",
            "2001:db8::1",
            "serve",
        ])
        .unwrap();
        let shown: Vec<String> = cli
            .trusted_proxies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(shown, ["10.0.0.0/8", "2001:db8::1/128"]);
        assert!(
            Cli::try_parse_from(["zweifaktor-portal", "--trusted-proxy", "nope", "serve"]).is_err()
        );
    }

    #[test]
    fn connection_limits_have_defaults_and_bounds() {
        let default = Cli::try_parse_from(["zweifaktor-portal", "serve"]).unwrap();
        assert_eq!(default.max_connections, None);
        assert_eq!(
            default.header_read_timeout,
            DEFAULT_HEADER_READ_TIMEOUT.as_secs()
        );
        let set = Cli::try_parse_from([
            "zweifaktor-portal",
            "--max-connections",
            "50",
            "--header-read-timeout",
            "2",
            "serve",
        ])
        .unwrap();
        assert_eq!(
            (set.max_connections, set.header_read_timeout),
            (Some(50), 2)
        );
        for refused in [["--max-connections", "0"], ["--header-read-timeout", "0"]] {
            let mut args = vec!["zweifaktor-portal"];
            args.extend(refused);
            args.push("serve");
            assert!(Cli::try_parse_from(args).is_err(), "{refused:?}");
        }
    }
}
