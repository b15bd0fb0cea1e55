//! Persistent state through sqlx's `Any` driver: one code base for SQLite and PostgreSQL.
//!
//! The schema (`crates/portal/migrations`) uses only SQL both databases share, and every
//! query binds `$1`-style parameters, which both accept. A SQLite file is created on first
//! start and switched to WAL so readers never wait for the writer.
//!
//! # Layout
//! - [`users`]: accounts, password hashes, encrypted seeds, failure counter and lock.
//! - [`sessions`]: browser sessions and their CSRF tokens.
//! - [`logins`]: login attempts, each the challenge for one security code.
//! - [`devices`]: registered apps, enroll tokens, answer nonces.
//! - [`recovery`]: one-time recovery codes.

pub mod devices;
pub mod logins;
pub mod recovery;
pub mod sessions;
pub mod users;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor as _};

use crate::config::sqlite_path;

/// Connections per instance: SQLite serialises writers anyway; PostgreSQL deployments scale
/// out by instances rather than by pool size.
const MAX_CONNECTIONS: u32 = 8;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database refused or failed a query.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// The URL names a database this portal does not support.
    #[error("unsupported database URL (use sqlite://FILE or postgres://...)")]
    UnsupportedUrl,
}

/// The portal's database handle; cheap to clone.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
}

impl Db {
    /// Connects to `url`, creating a SQLite file if needed, and applies all migrations.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        install_default_drivers();
        let is_sqlite = sqlite_path(url).is_some();
        let connect_url = if is_sqlite {
            let sep = if url.contains('?') { '&' } else { '?' };
            if url.contains("mode=") {
                url.to_string()
            } else {
                format!("{url}{sep}mode=rwc")
            }
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url.to_string()
        } else {
            return Err(StorageError::UnsupportedUrl);
        };
        let pool = AnyPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .connect(&connect_url)
            .await?;
        if is_sqlite {
            pool.execute("PRAGMA journal_mode=WAL").await?;
        }
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for the submodules' queries.
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Sends a PostgreSQL notification (`pg_notify`) on `channel`.
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), StorageError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Closes all connections (at shutdown).
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A fresh SQLite database per test.
    use super::Db;

    /// A new database in its own temporary folder (kept alive by the returned guard).
    pub async fn db() -> (Db, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("t.db").display());
        (Db::connect(&url).await.unwrap(), dir)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_file_is_created_in_wal_mode_and_migrated_twice_safely() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let db = Db::connect(&url).await.unwrap();
        let mode: (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(mode.0.to_lowercase(), "wal");
        db.close().await;
        assert!(dir.path().join("p.db").exists());
        Db::connect(&url).await.unwrap();
    }

    #[tokio::test]
    async fn unknown_scheme_is_refused() {
        assert!(matches!(
            Db::connect("mysql://x").await,
            Err(StorageError::UnsupportedUrl)
        ));
    }
}
