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
//! everything the ones before it wrote: the row-taking `UPDATE`s of the login's rules
//! (`claim_second_factor`, `claim_login`) serialise concurrent checks exactly as separate
//! transactions did. If the commit fails, every closure of the batch gets an error and none
//! of their writes happened.
//!
//! **Durability** ([`SqliteSync`]): see its variants. A batch is one commit, so with `FULL`
//! a burst costs one `fsync` per batch rather than one per write.
//!
//! **Checkpoints** copy the log's pages back into the database file (and, with `NORMAL`,
//! are the moments the log is synced). The checkpoint thread runs one every
//! [`CHECKPOINT_INTERVAL`] on a connection of its own, beside the writer, so the writer never
//! waits for that copying and its `fsync`; the writer checkpoints itself only if the log
//! grows beyond [`WRITER_CHECKPOINT_PAGES`] regardless.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{broadcast, oneshot};

use super::sql::{Conn, sqlite_execute};
use super::{MIGRATOR, ReadTx, StorageError, WriteTx};

/// Closures committed together at most. A batch's last closure waits for all before it, so
/// the bound keeps that wait near a millisecond (a code check's closure takes about 20 µs);
/// under a burst, batches of this size make one commit serve dozens of requests.
pub const MAX_BATCH: usize = 64;

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

/// A batch that takes longer than this is logged (with its size and how long its commit
/// took): every request in it waited that long.
const SLOW_BATCH: Duration = Duration::from_millis(100);

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

/// A read or a write as the writer thread runs it: the closure, then (after the commit) its
/// answer.
trait Job: Send {
    /// Whether the closure may write (it then runs inside a savepoint of its own).
    fn writes(&self) -> bool;

    /// Runs the closure on `conn`: whether it succeeded and its writes stay, and the accounts
    /// whose devices it revoked.
    fn run(&mut self, conn: &Connection) -> (bool, Vec<Arc<str>>);

    /// Hands the outcome to the waiting request: the closure's own if the transaction
    /// committed (or if the closure failed), `committed`'s error otherwise.
    fn answer(self: Box<Self>, committed: Result<(), StorageError>);
}

/// A closure's outcome and where it goes.
struct Outcome<T, E> {
    outcome: Option<Result<T, E>>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<T, E: From<StorageError>> Outcome<T, E> {
    fn answer(self, committed: Result<(), StorageError>) {
        let outcome = match (self.outcome, committed) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(failed)) => Err(failed.into()),
            (None, Ok(())) => Err(StorageError::WriterStopped.into()),
        };
        let _gone = self.reply.send(outcome);
    }
}

/// A write closure `F` with outcome `Result<T, E>`.
struct PendingWrite<F, T, E> {
    work: Option<F>,
    result: Outcome<T, E>,
}

impl<F, T, E> Job for PendingWrite<F, T, E>
where
    F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send,
    T: Send,
    E: From<StorageError> + Send,
{
    fn writes(&self) -> bool {
        true
    }

    fn run(&mut self, conn: &Connection) -> (bool, Vec<Arc<str>>) {
        let Some(work) = self.work.take() else {
            return (false, Vec::new());
        };
        let mut tx = WriteTx::new(Conn::Sqlite(conn));
        let outcome = work(&mut tx);
        let (kept, revoked) = tx.finish();
        let ok = outcome.is_ok() && kept;
        self.result.outcome = Some(outcome);
        (ok, revoked)
    }

    fn answer(self: Box<Self>, committed: Result<(), StorageError>) {
        self.result.answer(committed);
    }
}

/// A read closure `F` with outcome `Result<T, E>`.
struct PendingRead<F, T, E> {
    work: Option<F>,
    result: Outcome<T, E>,
}

impl<F, T, E> Job for PendingRead<F, T, E>
where
    F: FnOnce(&mut ReadTx<'_>) -> Result<T, E> + Send,
    T: Send,
    E: From<StorageError> + Send,
{
    fn writes(&self) -> bool {
        false
    }

    fn run(&mut self, conn: &Connection) -> (bool, Vec<Arc<str>>) {
        let Some(work) = self.work.take() else {
            return (false, Vec::new());
        };
        let outcome = work(&mut ReadTx::new(Conn::Sqlite(conn)));
        let ok = outcome.is_ok();
        self.result.outcome = Some(outcome);
        (ok, Vec::new())
    }

    fn answer(self: Box<Self>, committed: Result<(), StorageError>) {
        self.result.answer(committed);
    }
}

/// What the writer thread receives.
enum Message {
    /// A read or a write.
    Job(Box<dyn Job>),
    /// Finish the writes queued before this, close the connection, then answer.
    Close(oneshot::Sender<()>),
}

/// A job run in the open transaction, waiting for its commit.
struct Ran {
    job: Box<dyn Job>,
    /// Accounts whose devices it revoked, to announce once committed (empty when its writes
    /// were rolled back).
    revoked: Vec<Arc<str>>,
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

/// The writer thread: batches of queued writes until closed (or every [`Sqlite`] is gone).
fn run_writer(
    conn: &Connection,
    queue: &mpsc::Receiver<Message>,
    revoked: &broadcast::Sender<Arc<str>>,
) {
    let mut closing = None;
    while closing.is_none() {
        let Ok(first) = queue.recv() else { break };
        let mut batch = Vec::new();
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Job(job) => batch.push(job),
                Message::Close(done) => {
                    closing = Some(done);
                    break;
                }
            }
            if batch.len() < MAX_BATCH {
                next = queue.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            run_batch(conn, batch, revoked);
        }
    }
    if let Some(done) = closing {
        let _closer_gone = done.send(());
    }
}

/// Runs `batch` in one transaction, each write in its own savepoint, commits, then answers
/// every job and announces the revocations that committed.
fn run_batch(conn: &Connection, batch: Vec<Box<dyn Job>>, revoked: &broadcast::Sender<Arc<str>>) {
    let started = Instant::now();
    let jobs = batch.len();
    let mut ran: Vec<Ran> = Vec::with_capacity(batch.len());
    for mut job in batch {
        if conn.is_autocommit()
            && let Err(failed) = sqlite_execute(conn, "BEGIN IMMEDIATE", &[])
        {
            job.answer(Err(StorageError::Batch(Arc::new(failed))));
            continue;
        }
        let writes = job.writes();
        if writes && let Err(failed) = sqlite_execute(conn, "SAVEPOINT write", &[]) {
            job.answer(Err(failed));
            continue;
        }
        let (keep, revocations) = job.run(conn);
        if conn.is_autocommit() {
            // SQLite ended the transaction itself after an error (disk full, I/O error):
            // the writes of the jobs before this one went with it.
            for earlier in ran.drain(..) {
                earlier.job.answer(Err(StorageError::RolledBack));
            }
            job.answer(Err(StorageError::RolledBack));
            continue;
        }
        if writes {
            let ended = if keep {
                sqlite_execute(conn, "RELEASE write", &[])
            } else {
                sqlite_execute(conn, "ROLLBACK TO write", &[])
                    .and_then(|_| sqlite_execute(conn, "RELEASE write", &[]))
            };
            if let Err(failed) = ended {
                job.answer(Err(failed));
                continue;
            }
        }
        ran.push(Ran {
            job,
            revoked: if keep { revocations } else { Vec::new() },
        });
    }
    if conn.is_autocommit() {
        // Nothing ran in a transaction (every job failed before or with it).
        for job in ran {
            job.job.answer(Err(StorageError::RolledBack));
        }
        return;
    }
    let committing = Instant::now();
    let committed = sqlite_execute(conn, "COMMIT", &[]);
    if started.elapsed() > SLOW_BATCH {
        tracing::warn!(
            jobs,
            ms = started.elapsed().as_millis(),
            commit_ms = committing.elapsed().as_millis(),
            "slow storage batch"
        );
    }
    match committed {
        Ok(_) => {
            for job in ran {
                for user_id in job.revoked {
                    let _listeners = revoked.send(user_id);
                }
                job.job.answer(Ok(()));
            }
        }
        Err(failed) => {
            if !conn.is_autocommit()
                && let Err(e) = sqlite_execute(conn, "ROLLBACK", &[])
            {
                tracing::error!(error = %e, "rollback after a failed commit failed");
            }
            let failed = Arc::new(failed);
            for job in ran {
                job.job
                    .answer(Err(StorageError::Batch(Arc::clone(&failed))));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc as std_mpsc;

    use super::*;
    use crate::storage::testing::db;
    use crate::storage::{Backend, Db};

    /// A table for the tests' own rows.
    async fn with_table() -> (Db, tempfile::TempDir) {
        let (db, dir) = db().await;
        db.write(|tx| {
            tx.conn()
                .execute("CREATE TABLE probe (n BIGINT NOT NULL)", &[])
                .map(drop)
        })
        .await
        .unwrap();
        (db, dir)
    }

    fn sqlite(db: &Db) -> &Sqlite {
        match &*db.backend {
            Backend::Sqlite(sqlite) => sqlite,
            Backend::Postgres(_) => panic!("a SQLite test database"),
        }
    }

    fn insert(tx: &mut WriteTx<'_>, n: i64) -> Result<(), StorageError> {
        tx.conn()
            .execute("INSERT INTO probe (n) VALUES ($1)", &[n.into()])
            .map(drop)
    }

    async fn rows(db: &Db) -> Vec<i64> {
        db.read(|tx| {
            tx.conn()
                .all("SELECT n FROM probe ORDER BY n", &[], |r| r.int(0))
        })
        .await
        .unwrap()
    }

    /// Occupies the writer with a write that waits until the returned sender is used, so
    /// writes queued meanwhile are committed together as the next batch.
    async fn hold_writer(db: &Db) -> std_mpsc::Sender<()> {
        let (release, held) = std_mpsc::channel::<()>();
        let (started, running) = oneshot::channel();
        let holding = sqlite(db)
            .submit_write(move |_| {
                let _ = started.send(());
                held.recv().map_err(|_| StorageError::WriterStopped)
            })
            .unwrap();
        running.await.unwrap();
        drop(holding);
        release
    }

    #[tokio::test]
    async fn each_write_of_a_batch_succeeds_or_fails_on_its_own() {
        let (db, _dir) = with_table().await;
        let release = hold_writer(&db).await;
        let writer = sqlite(&db);
        let kept = writer.submit_write(|tx| insert(tx, 1)).unwrap();
        let failed = writer
            .submit_write(|tx| {
                insert(tx, 2)?;
                Err::<(), _>(StorageError::Parameters)
            })
            .unwrap();
        let discarded = writer
            .submit_write(|tx| {
                insert(tx, 3)?;
                tx.discard();
                Ok::<_, StorageError>("discarded")
            })
            .unwrap();
        let after = writer.submit_write(|tx| insert(tx, 4)).unwrap();
        release.send(()).unwrap();
        kept.await.unwrap().unwrap();
        assert!(matches!(
            failed.await.unwrap(),
            Err(StorageError::Parameters)
        ));
        assert_eq!(discarded.await.unwrap().unwrap(), "discarded");
        after.await.unwrap().unwrap();
        assert_eq!(
            rows(&db).await,
            [1, 4],
            "only the failed and discarded writes undone"
        );
    }

    /// When SQLite itself ends the transaction (as after a disk-full error), the writes
    /// before it in the batch are gone too, and their requests must hear so; the next write
    /// gets a fresh transaction.
    #[tokio::test]
    async fn a_transaction_sqlite_rolled_back_fails_every_write_in_it() {
        let (db, _dir) = with_table().await;
        let release = hold_writer(&db).await;
        let writer = sqlite(&db);
        let before = writer.submit_write(|tx| insert(tx, 1)).unwrap();
        let breaking = writer
            .submit_write(|tx| tx.conn().execute("ROLLBACK", &[]).map(drop))
            .unwrap();
        let next = writer.submit_write(|tx| insert(tx, 3)).unwrap();
        release.send(()).unwrap();
        assert!(matches!(
            before.await.unwrap(),
            Err(StorageError::RolledBack)
        ));
        assert!(breaking.await.unwrap().is_err());
        next.await.unwrap().unwrap();
        assert_eq!(rows(&db).await, [3]);
    }

    /// Revocations are announced for the writes of a batch that committed, not for one
    /// rolled back to its savepoint.
    #[tokio::test]
    async fn only_committed_revocations_are_announced() {
        let (db, _dir) = with_table().await;
        let mut revocations = db.revocations();
        let release = hold_writer(&db).await;
        let writer = sqlite(&db);
        let undone = writer
            .submit_write(|tx| {
                tx.announce_after_commit("undone");
                Err::<(), _>(StorageError::Parameters)
            })
            .unwrap();
        let done = writer
            .submit_write(|tx| {
                tx.announce_after_commit("done");
                Ok::<_, StorageError>(())
            })
            .unwrap();
        release.send(()).unwrap();
        assert!(undone.await.unwrap().is_err());
        done.await.unwrap().unwrap();
        assert_eq!(&*revocations.try_recv().unwrap(), "done");
        assert!(revocations.try_recv().is_err(), "nothing else announced");
    }

    #[tokio::test]
    async fn a_closure_sees_the_writes_before_it_and_a_read_after_sees_its_own() {
        let (db, _dir) = with_table().await;
        db.write(|tx| insert(tx, 6)).await.unwrap();
        let seen = db
            .write(|tx| {
                insert(tx, 7)?;
                tx.conn()
                    .one("SELECT COUNT(*) AS n, MAX(n) AS top FROM probe", &[], |r| {
                        Ok((r.int(0)?, r.int(1)?))
                    })
            })
            .await
            .unwrap();
        assert_eq!(seen, (2, 7));
        assert_eq!(rows(&db).await, [6, 7]);
    }
}
