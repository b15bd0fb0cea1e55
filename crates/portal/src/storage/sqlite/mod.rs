//! The SQLite back end: one writer thread owns the connection, with group commit, and a
//! checkpoint thread keeps the log short.
//!
//! SQLite allows one writer at a time, so the portal has exactly one connection that runs
//! statements, owned by a thread of its own. A read or a write (`Db::read`,
//! `Db::write`) is a closure sent to that thread over a channel, with a oneshot
//! channel for its outcome: one hand-off there and one back, however many statements the
//! closure runs. Before, sqlx ran every statement as a hand-off to its connection's thread
//! and back, about 22 thread switches per code check (docs/PERFORMANCE.md).
//!
//! Reads run there too. A second connection would read without waiting, but SQLite drops a
//! connection's whole page cache whenever the log changed since its last read, which under
//! a stream of writes is every time: each read then allocated and copied its pages afresh,
//! which cost more than the hand-off. The writer's own cache is always current.
//!
//! **Group commit.** The writer takes the closures waiting in its queue (up to
//! [`MAX_BATCH`]) into one transaction, each write inside a savepoint of its own: a closure
//! that fails, or discards its writes, is rolled back to its savepoint and leaves the others'
//! writes alone. Then one `COMMIT` for all, and only after it each closure's outcome is
//! handed back, so nobody hears "done" of a write that is not committed (nor reads what a
//! failed commit undid). Closures run one after another on the one connection, so each sees
//! everything the ones before it wrote: the row-taking read of the login's rules
//! (`claim_login_with_user`, through `Conn::claim`) serialises concurrent checks exactly as
//! separate transactions did, without writing a page. If the commit fails, every closure of
//! the batch gets an error and none of their writes happened.
//!
//! **Durability** ([`SqliteSync`]): see its variants. A batch is one commit, so with `FULL`
//! a burst costs one `fsync` per batch rather than one per write.
//!
//! **Checkpoints** copy the log's pages back into the database file (and, with `NORMAL`,
//! are the moments the log is synced). The checkpoint thread runs one every
//! [`CHECKPOINT_INTERVAL`] on a connection of its own, beside the writer, so the writer never
//! waits for that copying and its `fsync`; the writer checkpoints itself only if the log
//! grows beyond [`WRITER_CHECKPOINT_PAGES`] regardless.
//!
//! # Layout
//! - `writer`: the writer thread: the queue, the batches, their savepoints and commit.

mod writer;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{broadcast, oneshot};

use super::{MIGRATOR, ReadTx, StorageError, WriteTx};
use writer::{Job, Message, Outcome, PendingRead, PendingWrite, run_writer};

pub use writer::MAX_BATCH;

/// Prepared statements kept per connection: more than the portal has (about 70 with the
/// transaction statements), so none is ever prepared twice.
const STATEMENT_CACHE: usize = 128;

/// How often the checkpoint thread copies the log back into the database file. It bounds
/// what a power cut can take with [`SqliteSync::Normal`] (the log is synced at each
/// checkpoint) and keeps the log small: a quarter second of a burst is a few thousand pages.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(250);

/// Pages of log after which the writer checkpoints itself after a commit (200 MiB of 4 KiB
/// pages; SQLite's own default is 1,000). The checkpoint thread copies the pages meanwhile,
/// but SQLite can start the log over only at a moment when it is copied completely and no
/// write is under way, which a sustained burst does not leave: the log grows until the burst
/// ends. A checkpoint on the writer makes every request of its batch wait for an `fsync`
/// (510 ms was seen on the shared load-test machine at 4,000 pages), so this bound is only
/// the last resort against an endless burst.
pub const WRITER_CHECKPOINT_PAGES: u32 = 50_000;

/// Bytes the log file keeps after it starts over: a log that grew in a burst gives the
/// space back (sqlite.org/pragma.html#pragma_journal_size_limit).
pub const LOG_SIZE_LIMIT: i64 = 64 * 1024 * 1024;

/// Name of the writer thread, as `top -H` and `perf` show it.
const WRITER_THREAD: &str = "zf-sqlite-writer";

/// Name of the checkpoint thread.
const CHECKPOINT_THREAD: &str = "zf-sqlite-ckpt";

/// How durable a commit is on SQLite (`PRAGMA synchronous`, sqlite.org/pragma.html).
/// Both are crash-safe for the process: a portal killed with SIGKILL loses no committed
/// write (it is in the operating system's page cache) and never leaves a damaged file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum SqliteSync {
    /// `synchronous=NORMAL`: commits are written to the log but synced only at checkpoints
    /// (about every 1,000 pages of log). A power cut or kernel crash may roll back the
    /// commits since the last checkpoint, never corrupting the file: at worst a challenge
    /// becomes open again, a consumed recovery code or a counted failure is forgotten, a
    /// login or session from the last moments is gone.
    #[default]
    Normal,
    /// `synchronous=FULL`: each commit (each batch) waits for `fsync` of the log, so a
    /// write whose outcome was handed back survives a power cut too.
    Full,
}

impl SqliteSync {
    fn pragma_value(self) -> &'static str {
        match self {
            Self::Normal => "NORMAL",
            Self::Full => "FULL",
        }
    }
}

/// The SQLite database: the writer thread's queue and the checkpoint thread's.
pub(crate) struct Sqlite {
    jobs: mpsc::Sender<Message>,
    checkpoints: Mutex<Option<mpsc::Sender<oneshot::Sender<()>>>>,
}

impl Sqlite {
    /// Applies the migrations to the file at `path` (which exists), then opens the writer
    /// and the checkpoint connections and starts their threads; committed revocations are
    /// announced on `revoked`.
    pub(crate) async fn open(
        path: &Path,
        sync: SqliteSync,
        revoked: broadcast::Sender<Arc<str>>,
    ) -> Result<Self, StorageError> {
        migrate(path).await?;
        let writer = open_writer(path, sync)?;
        let checkpointer = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name(WRITER_THREAD.into())
            .spawn(move || run_writer(&writer, &queue, &revoked))
            .map_err(StorageError::Thread)?;
        let (checkpoints, stop) = mpsc::channel();
        std::thread::Builder::new()
            .name(CHECKPOINT_THREAD.into())
            .spawn(move || run_checkpoints(&checkpointer, &stop))
            .map_err(StorageError::Thread)?;
        Ok(Self {
            jobs,
            checkpoints: Mutex::new(Some(checkpoints)),
        })
    }

    /// Hands the write `work` to the writer thread and waits for its committed outcome.
    pub(crate) async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let answer = self.submit_write(work)?;
        answer.await.map_err(|_| StorageError::WriterStopped)?
    }

    /// Hands the read `work` to the writer thread and waits for its outcome.
    pub(crate) async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut ReadTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.submit(Box::new(PendingRead {
            work: Some(work),
            result: Outcome {
                outcome: None,
                reply,
            },
        }))?;
        answer.await.map_err(|_| StorageError::WriterStopped)?
    }

    /// Queues the write `work` at once; its outcome arrives on the receiver.
    fn submit_write<T, E, F>(
        &self,
        work: F,
    ) -> Result<oneshot::Receiver<Result<T, E>>, StorageError>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        self.submit(Box::new(PendingWrite {
            work: Some(work),
            result: Outcome {
                outcome: None,
                reply,
            },
        }))?;
        Ok(answer)
    }

    fn submit(&self, job: Box<dyn Job>) -> Result<(), StorageError> {
        self.jobs
            .send(Message::Job(job))
            .map_err(|_| StorageError::WriterStopped)
    }

    /// Lets the writer finish what is queued and stop, then stops the checkpoint thread
    /// (the last connection to close checkpoints the whole log).
    pub(crate) async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.jobs.send(Message::Close(done)).is_ok() {
            let _stopped = closed.await;
        }
        let checkpoints = self
            .checkpoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(checkpoints) = checkpoints {
            let (done, closed) = oneshot::channel();
            if checkpoints.send(done).is_ok() {
                let _stopped = closed.await;
            }
        }
    }
}

/// Brings the schema up to date through sqlx's migrator (the same migrations and the same
/// bookkeeping table as on PostgreSQL, and as every earlier version of the portal used).
async fn migrate(path: &Path) -> Result<(), StorageError> {
    let options = sqlx::sqlite::SqliteConnectOptions::new()
        .filename(path)
        .journal_mode(sqlx::sqlite::SqliteJournalMode::Wal);
    let pool = sqlx::sqlite::SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    MIGRATOR.run(&pool).await?;
    pool.close().await;
    Ok(())
}

/// The one writing connection: WAL, the chosen durability, foreign keys enforced (as sqlx
/// enforced them before).
fn open_writer(path: &Path, sync: SqliteSync) -> Result<Connection, StorageError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get::<_, String>(0))?;
    conn.pragma_update(None, "synchronous", sync.pragma_value())?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
    conn.pragma_update_and_check(None, "journal_size_limit", LOG_SIZE_LIMIT, |row| {
        row.get::<_, i64>(0)
    })?;
    Ok(conn)
}

/// The checkpoint thread: a passive checkpoint every [`CHECKPOINT_INTERVAL`] (it copies
/// what the log holds without ever blocking the writer), until asked to stop or every
/// [`Sqlite`] is gone.
fn run_checkpoints(conn: &Connection, stop: &mpsc::Receiver<oneshot::Sender<()>>) {
    loop {
        match stop.recv_timeout(CHECKPOINT_INTERVAL) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let done = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                if let Err(e) = done {
                    tracing::warn!(error = %e, "checkpoint failed; retried later");
                }
            }
            Ok(done) => {
                let _closer_gone = done.send(());
                return;
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        }
    }
}
