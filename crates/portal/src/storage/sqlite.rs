//! The SQLite back end: one writer thread, group commit, and reads on the caller's thread.
//!
//! SQLite allows one writer at a time, so the portal has exactly one writing connection,
//! owned by a thread of its own. A write ([`Sqlite::write`]) is a closure sent to that thread
//! over a channel, with a oneshot channel for its outcome: one hand-off there and one back,
//! however many statements the closure runs. Before, sqlx ran every statement as a hand-off
//! to its connection's thread and back, about 22 thread switches per code check
//! (docs/PERFORMANCE.md).
//!
//! **Group commit.** The writer takes the closures waiting in its queue (up to
//! [`MAX_BATCH`]) into one transaction, each inside a savepoint of its own: a closure that
//! fails, or discards its writes, is rolled back to its savepoint and leaves the others'
//! writes alone. Then one `COMMIT` for all, and only after it each closure's outcome is
//! handed back, so nobody hears "done" of a write that is not committed. Closures run one
//! after another on the one connection, so each sees everything the ones before it wrote:
//! the row-taking `UPDATE`s of the login's rules (`claim_second_factor`, `claim_login`)
//! serialise concurrent checks exactly as separate transactions did. If the commit fails,
//! every closure of the batch gets an error and none of their writes happened.
//!
//! **Durability** ([`SqliteSync`]): see its variants. A batch is one commit, so with `FULL`
//! a burst costs one `fsync` per batch rather than one per write.
//!
//! **Reads** run at once on the calling thread (a tokio worker), on a read-only connection
//! taken from a small pool. An indexed read of a cached page costs a few microseconds, less
//! than handing it to another thread and back; in WAL mode it never waits for the writer. A
//! read sees every write whose outcome was handed back before it began.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, mpsc};

use rusqlite::{Connection, OpenFlags};
use tokio::sync::{broadcast, oneshot};

use super::sql::{Conn, sqlite_execute};
use super::{MIGRATOR, StorageError, WriteTx};

/// Closures committed together at most. A batch's last closure waits for all before it, so
/// the bound keeps that wait near a millisecond (a code check's closure takes about 20 µs);
/// under a burst, batches of this size make one commit serve dozens of requests.
pub const MAX_BATCH: usize = 64;

/// Prepared statements kept per connection: more than the portal has (about 70 with the
/// transaction statements), so none is ever prepared twice.
const STATEMENT_CACHE: usize = 128;

/// Idle read-only connections kept for the next read. Reads run on the tokio workers (one
/// per core) and briefly on blocking threads, so a few cover them; a connection beyond this
/// is closed after its read.
const IDLE_READERS: usize = 8;

/// Name of the writer thread, as `top -H` and `perf` show it.
const WRITER_THREAD: &str = "zf-sqlite-writer";

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

/// A write as the writer thread runs it: the closure, then (after the commit) its answer.
trait Job: Send {
    /// Runs the closure in `tx`; whether it succeeded (its writes then stay unless it
    /// discarded them).
    fn run(&mut self, tx: &mut WriteTx<'_>) -> bool;

    /// Hands the outcome to the waiting request: the closure's own if the transaction
    /// committed (or if the closure failed), `committed`'s error otherwise.
    fn answer(self: Box<Self>, committed: Result<(), StorageError>);
}

/// A [`Job`] for one closure `F` with outcome `Result<T, E>`.
struct Pending<F, T, E> {
    work: Option<F>,
    outcome: Option<Result<T, E>>,
    reply: oneshot::Sender<Result<T, E>>,
}

impl<F, T, E> Job for Pending<F, T, E>
where
    F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send,
    T: Send,
    E: From<StorageError> + Send,
{
    fn run(&mut self, tx: &mut WriteTx<'_>) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        let outcome = work(tx);
        let ok = outcome.is_ok();
        self.outcome = Some(outcome);
        ok
    }

    fn answer(self: Box<Self>, committed: Result<(), StorageError>) {
        let this = *self;
        let outcome = match (this.outcome, committed) {
            (Some(Err(own)), _) => Err(own),
            (Some(Ok(value)), Ok(())) => Ok(value),
            (_, Err(failed)) => Err(failed.into()),
            (None, Ok(())) => Err(StorageError::WriterStopped.into()),
        };
        let _gone = this.reply.send(outcome);
    }
}

/// What the writer thread receives.
enum Message {
    /// A write.
    Write(Box<dyn Job>),
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

/// The SQLite database: the writer thread's queue and the idle read-only connections.
pub(crate) struct Sqlite {
    path: PathBuf,
    jobs: mpsc::Sender<Message>,
    readers: Mutex<Vec<Connection>>,
}

impl Sqlite {
    /// Applies the migrations to the file at `path` (which exists), then opens the writer
    /// connection and starts its thread; committed revocations are announced on `revoked`.
    pub(crate) async fn open(
        path: &Path,
        sync: SqliteSync,
        revoked: broadcast::Sender<Arc<str>>,
    ) -> Result<Self, StorageError> {
        migrate(path).await?;
        let writer = open_writer(path, sync)?;
        let (jobs, queue) = mpsc::channel();
        std::thread::Builder::new()
            .name(WRITER_THREAD.into())
            .spawn(move || run_writer(&writer, &queue, &revoked))
            .map_err(StorageError::Thread)?;
        Ok(Self {
            path: path.to_owned(),
            jobs,
            readers: Mutex::new(Vec::new()),
        })
    }

    /// Hands `work` to the writer thread and waits for its committed outcome.
    pub(crate) async fn write<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let answer = self.submit(work)?;
        answer.await.map_err(|_| StorageError::WriterStopped)?
    }

    /// Queues `work` for the writer thread at once; its outcome arrives on the receiver.
    fn submit<T, E, F>(&self, work: F) -> Result<oneshot::Receiver<Result<T, E>>, StorageError>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Box::new(Pending {
            work: Some(work),
            outcome: None,
            reply,
        });
        self.jobs
            .send(Message::Write(job))
            .map_err(|_| StorageError::WriterStopped)?;
        Ok(answer)
    }

    /// Runs `read` on a read-only connection, here and now.
    pub(crate) fn read<T>(
        &self,
        read: impl FnOnce(&Connection) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        let idle = self.idle().pop();
        let conn = match idle {
            Some(conn) => conn,
            None => open_reader(&self.path)?,
        };
        let outcome = read(&conn);
        let mut idle = self.idle();
        if idle.len() < IDLE_READERS {
            idle.push(conn);
        }
        outcome
    }

    /// Lets the writer finish what is queued and stop; closes the idle readers.
    pub(crate) async fn close(&self) {
        let (done, closed) = oneshot::channel();
        if self.jobs.send(Message::Close(done)).is_ok() {
            let _stopped = closed.await;
        }
        self.idle().clear();
    }

    fn idle(&self) -> MutexGuard<'_, Vec<Connection>> {
        self.readers.lock().unwrap_or_else(PoisonError::into_inner)
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
    Ok(conn)
}

/// A read-only connection: a write sent to it fails, so tests catch a write on the read
/// path.
fn open_reader(path: &Path) -> Result<Connection, StorageError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(conn)
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
                Message::Write(job) => batch.push(job),
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

/// Runs `batch` in one transaction, each job in its own savepoint, commits, then answers
/// every job and announces the revocations that committed.
fn run_batch(conn: &Connection, batch: Vec<Box<dyn Job>>, revoked: &broadcast::Sender<Arc<str>>) {
    let mut ran: Vec<Ran> = Vec::with_capacity(batch.len());
    for mut job in batch {
        if conn.is_autocommit()
            && let Err(failed) = sqlite_execute(conn, "BEGIN IMMEDIATE", &[])
        {
            job.answer(Err(StorageError::Batch(Arc::new(failed))));
            continue;
        }
        if let Err(failed) = sqlite_execute(conn, "SAVEPOINT write", &[]) {
            job.answer(Err(failed));
            continue;
        }
        let mut tx = WriteTx::new(Conn::Sqlite(conn));
        let succeeded = job.run(&mut tx);
        let (kept, revocations) = tx.finish();
        if conn.is_autocommit() {
            // SQLite ended the transaction itself after an error (disk full, I/O error):
            // the writes of the jobs before this one went with it.
            for earlier in ran.drain(..) {
                earlier.job.answer(Err(StorageError::RolledBack));
            }
            job.answer(Err(StorageError::RolledBack));
            continue;
        }
        let keep = succeeded && kept;
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
    match sqlite_execute(conn, "COMMIT", &[]) {
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
        db.read_all("SELECT n FROM probe ORDER BY n", &[], |r| r.int("n"))
            .await
            .unwrap()
    }

    /// Occupies the writer with a write that waits until the returned sender is used, so
    /// writes queued meanwhile are committed together as the next batch.
    async fn hold_writer(db: &Db) -> std_mpsc::Sender<()> {
        let (release, held) = std_mpsc::channel::<()>();
        let (started, running) = oneshot::channel();
        let holding = sqlite(db)
            .submit(move |_| {
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
        let kept = writer.submit(|tx| insert(tx, 1)).unwrap();
        let failed = writer
            .submit(|tx| {
                insert(tx, 2)?;
                Err::<(), _>(StorageError::Parameters)
            })
            .unwrap();
        let discarded = writer
            .submit(|tx| {
                insert(tx, 3)?;
                tx.discard();
                Ok::<_, StorageError>("discarded")
            })
            .unwrap();
        let after = writer.submit(|tx| insert(tx, 4)).unwrap();
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
        let before = writer.submit(|tx| insert(tx, 1)).unwrap();
        let breaking = writer
            .submit(|tx| tx.conn().execute("ROLLBACK", &[]).map(drop))
            .unwrap();
        let next = writer.submit(|tx| insert(tx, 3)).unwrap();
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
            .submit(|tx| {
                tx.announce_after_commit("undone");
                Err::<(), _>(StorageError::Parameters)
            })
            .unwrap();
        let done = writer
            .submit(|tx| {
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
                        Ok((r.int("n")?, r.int("top")?))
                    })
            })
            .await
            .unwrap();
        assert_eq!(seen, (2, 7));
        assert_eq!(rows(&db).await, [6, 7]);
    }
}
