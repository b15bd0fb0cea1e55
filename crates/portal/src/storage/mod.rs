//! Persistent state through sqlx's `Any` driver: one code base for SQLite and PostgreSQL.
//!
//! The schema (`crates/portal/migrations`) uses only SQL both databases share, and every
//! query binds `$1`-style parameters, which both accept. A SQLite file is created on first
//! start and switched to WAL so readers never wait for the writer.
//!
//! The SQLite file holds password hashes, encrypted seeds and session tokens, so it is created
//! mode 0600 before SQLite opens it (SQLite would make it 0644 under the usual umask). SQLite
//! gives its `-wal` and `-shm` files the database file's permissions, so they are 0600 too.
//! Files an older version left readable by others are tightened at start, with a warning.
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

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyConnection, AnyPool, Executor as _, Transaction};
use tokio::sync::broadcast;
use zweifaktor_private_fs as private;

use crate::config::sqlite_path;

/// Connections per PostgreSQL instance; deployments scale out by instances rather than by
/// pool size.
const POSTGRES_CONNECTIONS: u32 = 8;

/// Read-only SQLite connections. In WAL mode readers never wait for the writer, and a read
/// is CPU work on the connection's own thread, so a few more than the load-test machine's
/// two cores keep both busy while a reader waits for the disk.
const SQLITE_READERS: u32 = 4;

/// SQLite allows one writer at a time. With several writing connections the losers of each
/// race wait in SQLite's busy handler, which sleeps 1 to 100 ms between attempts: under load
/// that sleeping, not the writing, set the pace (3,437 sleeps in 10 s of a code-check burst,
/// docs/PERFORMANCE.md). One writing connection makes writers queue in the pool instead,
/// first come first served, and wake up the moment the connection is free.
const SQLITE_WRITERS: u32 = 1;

/// SQLite durability per connection. In WAL mode `NORMAL` syncs the log at checkpoints
/// instead of at every commit: a commit survives a crash or SIGKILL of the portal (it is in
/// the operating system's cache), only a power loss or kernel crash may roll back the last
/// commits (sqlite.org/pragma.html#pragma_synchronous). With `FULL` every commit waited for
/// an fsync, which capped the whole portal at a few hundred writes per second on the
/// load-test machine (docs/PERFORMANCE.md, "Portal under load").
const SQLITE_SYNCHRONOUS: &str = "PRAGMA synchronous=NORMAL";

/// Revocation announcements buffered before a slow listener misses some (it then treats
/// every account as changed); revocations are rare, a few per user action.
const REVOCATION_CAPACITY: usize = 64;

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
    /// The SQLite file could not be created with its private mode.
    #[error("cannot create the database file {}", path.display())]
    File {
        /// The database file.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: io::Error,
    },
}

/// The portal's database handle; cheap to clone.
///
/// Reads and writes use separate pools. With PostgreSQL both are the same pool. With SQLite
/// the readers are read-only connections (a write sent to one fails, so tests catch it) and
/// the writer is a single connection, so writers queue in the pool rather than in SQLite's
/// sleeping busy handler.
///
/// Revoking devices is announced on [`Db::revocations`], so open event streams of revoked
/// devices end at once (see `hub`), whichever code path revoked them.
#[derive(Debug, Clone)]
pub struct Db {
    reader: AnyPool,
    writer: AnyPool,
    revoked: broadcast::Sender<Arc<str>>,
}

impl Db {
    /// Connects to `url`, creating a SQLite file if needed, and applies all migrations.
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        install_default_drivers();
        if sqlite_path(url).is_some() {
            Self::connect_sqlite(url).await
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = AnyPoolOptions::new()
                .max_connections(POSTGRES_CONNECTIONS)
                .connect(url)
                .await?;
            sqlx::migrate!("./migrations").run(&pool).await?;
            Ok(Self::from_pools(pool.clone(), pool))
        } else {
            Err(StorageError::UnsupportedUrl)
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Self, StorageError> {
        if let Some(path) = sqlite_path(url).filter(|_| !url.contains("mode=memory")) {
            prepare_sqlite_file(&path)?;
        }
        let with_mode = |mode: &str| {
            if url.contains("mode=") {
                url.to_string()
            } else {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}mode={mode}")
            }
        };
        // A pooled SQLite connection is a file handle in this process: there is no network
        // that could have dropped it, so the ping before each use only cost a round trip to
        // the connection's thread.
        let writer = AnyPoolOptions::new()
            .max_connections(SQLITE_WRITERS)
            .test_before_acquire(false)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(SQLITE_SYNCHRONOUS).await?;
                    Ok(())
                })
            })
            .connect(&with_mode("rwc"))
            .await?;
        writer.execute("PRAGMA journal_mode=WAL").await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        let reader = AnyPoolOptions::new()
            .max_connections(SQLITE_READERS)
            .test_before_acquire(false)
            .connect(&with_mode("ro"))
            .await?;
        Ok(Self::from_pools(reader, writer))
    }

    fn from_pools(reader: AnyPool, writer: AnyPool) -> Self {
        Self {
            reader,
            writer,
            revoked: broadcast::channel(REVOCATION_CAPACITY).0,
        }
    }

    /// The accounts whose devices were revoked from now on (one message per revocation).
    pub fn revocations(&self) -> broadcast::Receiver<Arc<str>> {
        self.revoked.subscribe()
    }

    /// Announces that devices of `user_id` were revoked. [`WriteTx::commit`] calls it for the
    /// revocations written in the transaction, so no path can forget it.
    pub fn announce_revoked(&self, user_id: &str) {
        let _listeners = self.revoked.send(user_id.into());
    }

    /// The pool for queries that only read.
    pub(crate) fn reader(&self) -> &AnyPool {
        &self.reader
    }

    /// The pool for statements that write.
    pub(crate) fn writer(&self) -> &AnyPool {
        &self.writer
    }

    /// Starts a transaction on the writer, so the writes of one request step commit
    /// together or not at all, as one commit instead of one per statement.
    pub async fn begin_write(&self) -> Result<WriteTx, StorageError> {
        Ok(WriteTx {
            tx: self.writer.begin().await?,
            db: self.clone(),
            revoked_accounts: Vec::new(),
        })
    }

    /// Sends a PostgreSQL notification (`pg_notify`) on `channel`.
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), StorageError> {
        sqlx::query("SELECT pg_notify($1, $2)")
            .bind(channel)
            .bind(payload)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Closes all connections (at shutdown).
    pub async fn close(&self) {
        self.reader.close().await;
        self.writer.close().await;
    }
}

/// The writes of one request step, committed together by [`WriteTx::commit`]; dropped
/// without a commit, none of them happened. The statements are methods in the submodules.
#[derive(Debug)]
pub struct WriteTx {
    tx: Transaction<'static, Any>,
    db: Db,
    revoked_accounts: Vec<Arc<str>>,
}

impl WriteTx {
    /// Makes every write of this transaction durable at once, then announces the device
    /// revocations it wrote: a stream must not end for a revocation that rolled back, nor
    /// stay open for one that committed.
    pub async fn commit(self) -> Result<(), StorageError> {
        self.tx.commit().await?;
        for user_id in &self.revoked_accounts {
            self.db.announce_revoked(user_id);
        }
        Ok(())
    }

    /// Notes that devices of `user_id` were revoked in this transaction.
    pub(crate) fn announce_after_commit(&mut self, user_id: &str) {
        self.revoked_accounts.push(user_id.into());
    }

    /// The transaction's connection, for the submodules' statements.
    pub(crate) fn conn(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}

/// Makes sure the SQLite file at `path` exists and only its owner can open it, before SQLite
/// opens it: a missing file is created empty with mode 0600 (SQLite starts a new database in
/// an empty file), and an existing one, with its `-wal` and `-shm` files, loses any access for
/// other users. A mode that cannot be changed is logged, not fatal: the portal may run on a
/// file it does not own on purpose.
fn prepare_sqlite_file(path: &Path) -> Result<(), StorageError> {
    match private::create_new(path) {
        Ok(_) => return Ok(()),
        Err(err) if err.kind() == io::ErrorKind::AlreadyExists => {}
        Err(source) => {
            return Err(StorageError::File {
                path: path.to_owned(),
                source,
            });
        }
    }
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        private::restrict(Path::new(&name));
    }
    Ok(())
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
            .fetch_one(db.reader())
            .await
            .unwrap();
        assert_eq!(mode.0.to_lowercase(), "wal");
        db.close().await;
        assert!(dir.path().join("p.db").exists());
        Db::connect(&url).await.unwrap();
    }

    /// The database file and SQLite's `-wal` and `-shm` files beside it, while `db` is open.
    #[cfg(unix)]
    async fn assert_private_files(db: &Db, file: &Path) {
        use zweifaktor_private_fs::testing::mode;
        // A write makes sure the log and the shared-memory index exist.
        sqlx::query("CREATE TABLE mode_probe (x INTEGER)")
            .execute(db.writer())
            .await
            .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            let mut name = file.as_os_str().to_owned();
            name.push(suffix);
            assert_eq!(mode(Path::new(&name)), 0o600, "portal.db{suffix}");
        }
    }

    /// Regression (issue 9, finding 11): SQLite created the database 0644 (and its `-wal` and
    /// `-shm` files the same), readable by every local user.
    #[cfg(unix)]
    #[tokio::test]
    async fn database_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("portal.db");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        assert_private_files(&db, &file).await;
    }

    /// Regression (issue 9, finding 11): a database an older version left 0644 is tightened
    /// when the portal starts, and SQLite's `-wal` and `-shm` files follow it.
    #[cfg(unix)]
    #[tokio::test]
    async fn loose_database_from_an_older_version_is_tightened() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("portal.db");
        let url = format!("sqlite://{}", file.display());
        Db::connect(&url).await.unwrap().close().await;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let db = Db::connect(&url).await.unwrap();
        assert_private_files(&db, &file).await;
    }

    /// Regression (issue 9, finding 11): the modes do not depend on the umask (with umask
    /// 000 SQLite made the files 0666, writable by everyone).
    #[cfg(unix)]
    #[tokio::test]
    async fn database_files_stay_private_under_umask_000() {
        if !zweifaktor_private_fs::testing::in_child_with_umask_000(
            "storage::tests::database_files_stay_private_under_umask_000",
        ) {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("portal.db");
        let db = Db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        assert_private_files(&db, &file).await;
    }

    #[tokio::test]
    async fn unknown_scheme_is_refused() {
        assert!(matches!(
            Db::connect("mysql://x").await,
            Err(StorageError::UnsupportedUrl)
        ));
    }
}
