//! Settings of one portal instance, built by the CLI or by tests.

use std::path::PathBuf;

use ipnet::IpNet;

use crate::password::PasswordProfile;
use crate::server::ConnectionLimits;
use crate::storage::SqliteSync;
use crate::storage::logins::LOGIN_LIFETIME_SECS;

/// Default database: a SQLite file in the working directory, created on first start.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://zweifaktor-portal.db";

/// Issuer shown in authenticator apps (`otpauth://totp/ISSUER:EMAIL`).
pub const DEFAULT_ISSUER: &str = "Zweifaktor";

/// Everything a portal instance needs to know before it starts.
#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL under which browsers and devices reach the portal, e.g. `https://portal.example`.
    /// It goes into enrollment URIs (`zf_url`) and decides whether cookies are `Secure`.
    pub public_url: String,
    /// `sqlite://FILE` or `postgres://...`.
    pub database_url: String,
    /// Folder of the signing and seed-encryption key files.
    pub key_dir: PathBuf,
    /// Argon2id cost for new password hashes.
    pub password_profile: PasswordProfile,
    /// Issuer label of enrollment URIs.
    pub issuer: String,
    /// Webhook of the wake-up gateway (FCM, APNs or UnifiedPush behind it), if any.
    pub wakeup_url: Option<String>,
    /// Trust the direct peer as one proxy, whatever its address: the client address is then
    /// the right-most `X-Forwarded-For` entry (only behind a proxy that appends it; otherwise
    /// clients could choose their own rate-limit key). See `web::forwarded`.
    pub trust_forwarded_for: bool,
    /// Address ranges of trusted proxies: from the right, `X-Forwarded-For` entries inside
    /// these ranges are skipped, and the first one outside is the client.
    pub trusted_proxies: Vec<IpNet>,
    /// Connection cap and header-read timeout of the server.
    pub connections: ConnectionLimits,
    /// How durable a SQLite commit is (ignored for PostgreSQL); see [`SqliteSync`].
    pub sqlite_sync: SqliteSync,
    /// Seconds a login waits for its security code before "Zeitüberschreitung"; also the
    /// lifetime of its challenge. [`LOGIN_LIFETIME_SECS`] unless an end-to-end test shortens
    /// it to see a timeout without waiting minutes.
    pub login_lifetime_secs: i64,
}

impl Config {
    /// A configuration with defaults for everything but the URL and database.
    pub fn new(public_url: impl Into<String>, database_url: impl Into<String>) -> Self {
        let database_url = database_url.into();
        let key_dir = default_key_dir(&database_url);
        Self {
            public_url: public_url.into().trim_end_matches('/').to_string(),
            database_url,
            key_dir,
            password_profile: PasswordProfile::Standard,
            issuer: DEFAULT_ISSUER.to_string(),
            wakeup_url: None,
            trust_forwarded_for: false,
            trusted_proxies: Vec::new(),
            connections: ConnectionLimits::default(),
            login_lifetime_secs: LOGIN_LIFETIME_SECS,
            sqlite_sync: SqliteSync::default(),
        }
    }

    /// Cookies get the `Secure` flag when the portal is served over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Keys live next to a SQLite file (but outside it); for a server database, in the working
/// directory.
pub fn default_key_dir(database_url: &str) -> PathBuf {
    sqlite_path(database_url)
        .and_then(|p| p.parent().map(PathBuf::from))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The file path of a `sqlite://` URL, without query parameters.
pub fn sqlite_path(database_url: &str) -> Option<PathBuf> {
    let rest = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    Some(PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_dir_is_beside_the_sqlite_file() {
        assert_eq!(
            default_key_dir("sqlite:///var/lib/zf/portal.db"),
            PathBuf::from("/var/lib/zf")
        );
        assert_eq!(default_key_dir("sqlite://portal.db"), PathBuf::from("."));
        assert_eq!(default_key_dir("postgres://db/zf"), PathBuf::from("."));
    }

    #[test]
    fn secure_cookies_follow_the_scheme() {
        assert!(Config::new("https://p.example/", "sqlite://x.db").secure_cookies());
        assert!(!Config::new("http://127.0.0.1:8080", "sqlite://x.db").secure_cookies());
        assert_eq!(
            Config::new("https://p.example/", "x").public_url,
            "https://p.example"
        );
    }
}
