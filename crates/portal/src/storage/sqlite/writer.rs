//! The writer thread: it takes the closures waiting in its queue as one batch, runs each in
//! one transaction (a write in a savepoint of its own), commits once, and only then hands
//! each closure's outcome back (see the parent module for why).

use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tokio::sync::{broadcast, oneshot};

use crate::storage::sql::{Conn, sqlite_execute};
use crate::storage::{ReadTx, StorageError, WriteTx};

/// Closures committed together at most. A batch's last closure waits for all before it, so
/// the bound keeps that wait near a millisecond (a code check's closure takes about 20 µs);
/// under a burst, batches of this size make one commit serve dozens of requests.
pub const MAX_BATCH: usize = 64;

/// A batch that takes longer than this is logged (with its size and how long its commit
/// took): every request in it waited that long.
const SLOW_BATCH: Duration = Duration::from_millis(100);

/// A read or a write as the writer thread runs it: the closure, then (after the commit) its
/// answer.
pub(super) trait Job: Send {
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
pub(super) struct Outcome<T, E> {
    pub(super) outcome: Option<Result<T, E>>,
    pub(super) reply: oneshot::Sender<Result<T, E>>,
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
pub(super) struct PendingWrite<F, T, E> {
    pub(super) work: Option<F>,
    pub(super) result: Outcome<T, E>,
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
pub(super) struct PendingRead<F, T, E> {
    pub(super) work: Option<F>,
    pub(super) result: Outcome<T, E>,
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
pub(super) enum Message {
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

/// The writer thread: batches of queued writes until closed (or every [`Sqlite`] is gone).
pub(super) fn run_writer(
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
    use crate::storage::sqlite::Sqlite;
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
