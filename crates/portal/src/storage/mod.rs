//! Persistent state: SQLite (one file, the default) or PostgreSQL (several portal instances),
//! behind one interface, so the login's rules and the handlers never know which one runs.
//!
//! Every access is a closure: [`Db::write`] runs the statements of one request step as one
//! transaction ([`WriteTx`]) that commits entirely or not at all, [`Db::read`] runs reads
//! ([`ReadTx`]). The closures are plain, synchronous code, so nothing slow (a password hash,
//! a network call) can ever sit inside a transaction, and a request that needs several
//! statements hands them to the database once. The `async` methods on [`Db`] are such
//! closures of one statement each, for the places that need no more.
//!
//! How each back end runs them (docs/PERFORMANCE.md, "Storage"):
//! - **SQLite** ([`sqlite`]): one thread owns the connection. A closure is one hand-off to
//!   it and one answer back, however many statements it has; the thread commits the closures
//!   waiting in its queue together (group commit), each write in a savepoint of its own, so
//!   one that fails undoes only its own writes.
//! - **PostgreSQL** ([`postgres`]): a pool of connections through sqlx; a closure runs on a
//!   blocking thread that waits for each statement's round trip, a write inside one
//!   transaction.
//!
//! Both run the same statements (`sql`: the SQL both databases share, `$1`-style
//! placeholders) and the same migrations (`crates/portal/migrations`, applied by sqlx at
//! start).
//!
//! The SQLite file holds password hashes, encrypted seeds and session tokens, so it is created
//! mode 0600 before SQLite opens it (SQLite would make it 0644 under the usual umask). SQLite
//! gives its `-wal` and `-shm` files the database file's permissions, so they are 0600 too.
//! Files an older version left readable by others are tightened at start, with a warning.
//!
//! # Layout
//! - `sql`: parameters, rows and running one statement on either driver.
//! - [`sqlite`]: the writer thread, group commit, the checkpoint thread.
//! - [`postgres`]: the sqlx pool.
//! - [`users`]: accounts, password hashes, encrypted seeds, failure counter and lock.
//! - [`sessions`]: browser sessions and their CSRF tokens.
//! - [`logins`]: login attempts, each the challenge for one security code.
//! - [`devices`]: registered apps, enroll tokens, answer nonces.
//! - [`recovery`]: one-time recovery codes.

pub mod devices;
pub mod logins;
pub mod postgres;
pub mod recovery;
pub mod sessions;
pub(crate) mod sql;
pub mod sqlite;
pub mod users;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::broadcast;
use zweifaktor_private_fs as private;

use crate::config::sqlite_path;
use postgres::Postgres;
use sql::Conn;
use sqlite::Sqlite;

pub use sqlite::SqliteSync;

/// The schema's migrations, applied at start on either database.
static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// Revocation announcements buffered before a slow listener misses some (it then treats
/// every account as changed); revocations are rare, a few per user action.
const REVOCATION_CAPACITY: usize = 64;

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// SQLite refused or failed a statement.
    #[error("SQLite statement failed")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused or failed a query, or the migration connection failed.
    #[error("database query failed")]
    Database(#[from] sqlx::Error),
    /// A migration could not be applied.
    #[error("migration failed")]
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
    /// The transaction this write was committed in failed to commit (or to begin), so none of
    /// its writes happened.
    #[error("the write's transaction failed")]
    Batch(#[source] Arc<StorageError>),
    /// SQLite rolled back the whole transaction after another write in it met an error
    /// (disk full, I/O error), so this write's statements were undone too.
    #[error("the write's transaction was rolled back after an error in another write")]
    RolledBack,
    /// The SQLite writer thread could not be started.
    #[error("cannot start the database writer thread")]
    Thread(#[source] io::Error),
    /// The SQLite writer thread has stopped: the database was closed.
    #[error("the database writer has stopped")]
    WriterStopped,
    /// The blocking task that ran a PostgreSQL write failed.
    #[error("the database write task failed")]
    Task(#[from] tokio::task::JoinError),
    /// A statement that must yield a row (an update of a row the transaction holds) yielded
    /// none.
    #[error("an expected row is missing")]
    RowMissing,
    /// A statement was given more or fewer parameters than it has placeholders (a defect in
    /// the statement, caught instead of binding `NULL`).
    #[error("statement parameters do not match its placeholders")]
    Parameters,
}

/// The portal's database handle; cheap to clone.
///
/// Revoking devices is announced on [`Db::revocations`], so open event streams of revoked
/// devices end at once (see `hub`), whichever code path revoked them.
#[derive(Clone)]
pub struct Db {
    backend: Arc<Backend>,
    revoked: broadcast::Sender<Arc<str>>,
}

/// The database behind a [`Db`].
enum Backend {
    /// A SQLite file.
    Sqlite(Sqlite),
    /// A PostgreSQL server.
    Postgres(Postgres),
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend_name())
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Connects to `url` with the default SQLite durability ([`SqliteSync::Normal`]).
    pub async fn connect(url: &str) -> Result<Self, StorageError> {
        Self::connect_with(url, SqliteSync::default()).await
    }

    /// Connects to `url`, creating a SQLite file if needed, and applies all migrations;
    /// `sync` is the durability of SQLite commits (ignored for PostgreSQL).
    pub async fn connect_with(url: &str, sync: SqliteSync) -> Result<Self, StorageError> {
        let revoked = broadcast::channel(REVOCATION_CAPACITY).0;
        let backend = if let Some(path) = sqlite_path(url) {
            prepare_sqlite_file(&path)?;
            Backend::Sqlite(Sqlite::open(&path, sync, revoked.clone()).await?)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres(Postgres::connect(url).await?)
        } else {
            return Err(StorageError::UnsupportedUrl);
        };
        Ok(Self {
            backend: Arc::new(backend),
            revoked,
        })
    }

    /// `"sqlite"` or `"postgres"`, for logs and reports.
    pub fn backend_name(&self) -> &'static str {
        match &*self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Runs `work` as one transaction and returns its outcome once it is committed. An `Err`
    /// from `work` (or [`WriteTx::discard`]) undoes every write it made; a failed commit
    /// turns an `Ok` into an error. With SQLite this is one hand-off to the writer thread,
    /// with PostgreSQL one to a blocking thread.
    pub async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        match &*self.backend {
            Backend::Sqlite(sqlite) => sqlite.write(work).await,
            Backend::Postgres(postgres) => postgres.write(work, self.revoked.clone()).await,
        }
    }

    /// Runs the reads of `work` and returns its outcome: with SQLite one hand-off to the
    /// writer thread (after the commit of the batch it ran in), with PostgreSQL one to a
    /// blocking thread.
    pub async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut ReadTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        match &*self.backend {
            Backend::Sqlite(sqlite) => sqlite.read(work).await,
            Backend::Postgres(postgres) => postgres.read(work).await,
        }
    }

    /// The accounts whose devices were revoked from now on (one message per revocation).
    pub fn revocations(&self) -> broadcast::Receiver<Arc<str>> {
        self.revoked.subscribe()
    }

    /// Announces that devices of `user_id` were revoked. [`Db::write`] calls it for the
    /// revocations its transaction wrote, once committed, so no path can forget it.
    pub fn announce_revoked(&self, user_id: &str) {
        let _listeners = self.revoked.send(user_id.into());
    }

    /// Sends a PostgreSQL notification (`pg_notify`) on `channel`; nothing on SQLite, where
    /// one instance has no one to notify.
    pub async fn notify(&self, channel: &str, payload: &str) -> Result<(), StorageError> {
        if let Backend::Postgres(postgres) = &*self.backend {
            sql::pg_execute(
                postgres.pool(),
                "SELECT pg_notify($1, $2)",
                &[channel.into(), payload.into()],
            )
            .await?;
        }
        Ok(())
    }

    /// Closes the database (at shutdown): the SQLite writer finishes the writes already
    /// queued and stops, later writes fail with [`StorageError::WriterStopped`].
    pub async fn close(&self) {
        match &*self.backend {
            Backend::Sqlite(sqlite) => sqlite.close().await,
            Backend::Postgres(postgres) => postgres.pool().close().await,
        }
    }
}

/// The reads of one [`Db::read`] closure (and of a write: [`WriteTx`] dereferences to
/// it). The statements are methods in the submodules.
pub struct ReadTx<'c> {
    conn: Conn<'c>,
}

impl<'c> ReadTx<'c> {
    /// Reads on `conn`.
    fn new(conn: Conn<'c>) -> Self {
        Self { conn }
    }

    /// The connection, for the submodules' statements.
    pub(crate) fn conn(&mut self) -> &mut Conn<'c> {
        &mut self.conn
    }
}

impl std::fmt::Debug for ReadTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadTx").finish_non_exhaustive()
    }
}

/// The writes of one [`Db::write`] closure, committed together once it returns `Ok`. The
/// statements are methods in the submodules; the reads of [`ReadTx`] are there too, and see
/// the writes before them.
pub struct WriteTx<'c> {
    read: ReadTx<'c>,
    revoked_accounts: Vec<Arc<str>>,
    discarded: bool,
}

impl<'c> WriteTx<'c> {
    /// A transaction's writes on `conn`.
    fn new(conn: Conn<'c>) -> Self {
        Self {
            read: ReadTx::new(conn),
            revoked_accounts: Vec::new(),
            discarded: false,
        }
    }

    /// Undoes every write of this closure, even though it returns `Ok`: for an outcome that
    /// must leave no trace (a proof found valid for a login that another request ended).
    pub fn discard(&mut self) {
        self.discarded = true;
    }

    /// Notes that devices of `user_id` were revoked in this transaction: announced when (and
    /// only if) it commits, so a stream neither ends for a revocation that rolled back nor
    /// stays open for one that committed.
    pub(crate) fn announce_after_commit(&mut self, user_id: &str) {
        self.revoked_accounts.push(user_id.into());
    }

    /// Whether the writes stay, and the revocations to announce if they commit.
    fn finish(self) -> (bool, Vec<Arc<str>>) {
        (!self.discarded, self.revoked_accounts)
    }
}

impl<'c> std::ops::Deref for WriteTx<'c> {
    type Target = ReadTx<'c>;

    fn deref(&self) -> &ReadTx<'c> {
        &self.read
    }
}

impl std::ops::DerefMut for WriteTx<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.read
    }
}

impl std::fmt::Debug for WriteTx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTx")
            .field("discarded", &self.discarded)
            .finish_non_exhaustive()
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

    /// One `SELECT` through the read path.
    async fn journal_mode(db: &Db) -> String {
        db.read(|tx| tx.conn().one("PRAGMA journal_mode", &[], |r| r.text(0)))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn sqlite_file_is_created_in_wal_mode_and_migrated_twice_safely() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("p.db").display());
        let db = Db::connect(&url).await.unwrap();
        assert_eq!(journal_mode(&db).await.to_lowercase(), "wal");
        assert_eq!(db.backend_name(), "sqlite");
        db.close().await;
        assert!(dir.path().join("p.db").exists());
        Db::connect(&url).await.unwrap();
    }

    #[tokio::test]
    async fn a_closed_database_refuses_writes() {
        let (db, _dir) = testing::db().await;
        db.close().await;
        let outcome: Result<(), StorageError> = db.write(|_| Ok(())).await;
        assert!(
            matches!(outcome, Err(StorageError::WriterStopped)),
            "{outcome:?}"
        );
    }

    /// The database file and SQLite's `-wal` and `-shm` files beside it, while `db` is open.
    #[cfg(unix)]
    async fn assert_private_files(db: &Db, file: &Path) {
        use zweifaktor_private_fs::testing::mode;
        // A write makes sure the log and the shared-memory index exist.
        db.write(|tx| {
            tx.conn()
                .execute("CREATE TABLE mode_probe (x INTEGER)", &[])
                .map(drop)
        })
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

    /// Handlers and spawned tasks hold the storage's futures across threads (a future that
    /// is not `Send` fails only where such a caller is compiled, in another crate).
    #[tokio::test]
    async fn storage_futures_can_move_between_threads() {
        fn send<T: Send>(_: T) {}
        send(Db::connect("sqlite:///nonexistent/unused.db"));
        let (db, _dir) = testing::db().await;
        send(db.write(|tx| tx.delete_session("x")));
        send(db.user_by_id("x"));
        send(db.login_with_user("x"));
        send(db.pending_logins("x", 0));
        send(db.close());
    }

    #[tokio::test]
    async fn unknown_scheme_is_refused() {
        assert!(matches!(
            Db::connect("mysql://x").await,
            Err(StorageError::UnsupportedUrl)
        ));
    }
}
