//! The PostgreSQL back end, for several portal instances on one database: a sqlx pool.
//!
//! A read or a write (`Postgres::read`, `Postgres::write`) takes a pooled connection,
//! then runs its closure on a blocking thread, a write inside one transaction, waiting there
//! for each statement's round trip: the closure is the same synchronous code the SQLite
//! writer thread runs, and a round trip to the server costs far more than the hand-off. The
//! row-taking reads of the login's rules (`Conn::claim`: `SELECT … FOR UPDATE`) lock their
//! rows until the commit, so concurrent checks of one account run one after another across
//! instances.

use std::sync::Arc;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Connection as _, PgConnection};
use tokio::runtime::Handle;
use tokio::sync::broadcast;

use super::sql::Conn;
use super::{MIGRATOR, ReadTx, StorageError, WriteTx};

/// Connections per PostgreSQL instance; deployments scale out by instances rather than by
/// pool size. A write holds its connection for the whole transaction.
const POSTGRES_CONNECTIONS: u32 = 8;

/// The PostgreSQL database.
pub(crate) struct Postgres {
    pool: PgPool,
}

impl Postgres {
    /// Connects the pool and applies the migrations.
    pub(crate) async fn connect(url: &str) -> Result<Self, StorageError> {
        let pool = PgPoolOptions::new()
            .max_connections(POSTGRES_CONNECTIONS)
            .connect(url)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    /// The pool, for notifications.
    pub(crate) fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Runs the reads of `work` on a blocking thread, each statement on its own.
    pub(crate) async fn read<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut ReadTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let mut conn = self.pool.acquire().await.map_err(StorageError::from)?;
        let runtime = Handle::current();
        tokio::task::spawn_blocking(move || {
            work(&mut ReadTx::new(Conn::Postgres {
                conn: &mut conn,
                runtime: &runtime,
            }))
        })
        .await
        .map_err(StorageError::from)?
    }

    /// Runs `work` in one transaction on a blocking thread; commits when it returns `Ok`
    /// (and did not discard its writes), then announces its revocations on `revoked`.
    pub(crate) async fn write<T, E, F>(
        &self,
        work: F,
        revoked: broadcast::Sender<Arc<str>>,
    ) -> Result<T, E>
    where
        F: FnOnce(&mut WriteTx<'_>) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<StorageError> + Send + 'static,
    {
        let mut conn = self.pool.acquire().await.map_err(StorageError::from)?;
        let runtime = Handle::current();
        tokio::task::spawn_blocking(move || {
            let (outcome, revocations) = transaction(&mut conn, &runtime, work)?;
            for user_id in revocations {
                let _listeners = revoked.send(user_id);
            }
            outcome
        })
        .await
        .map_err(StorageError::from)?
    }
}

/// A transaction's outcome and the revocations to announce (those it committed).
type Finished<T, E> = (Result<T, E>, Vec<Arc<str>>);

/// `work` inside `BEGIN` … `COMMIT` (or `ROLLBACK`) on `conn`: its outcome and, when it
/// committed, the revocations it wrote.
fn transaction<T, E>(
    conn: &mut PgConnection,
    runtime: &Handle,
    work: impl FnOnce(&mut WriteTx<'_>) -> Result<T, E>,
) -> Result<Finished<T, E>, StorageError> {
    let mut tx = runtime.block_on(conn.begin())?;
    let mut write = WriteTx::new(Conn::Postgres {
        conn: &mut tx,
        runtime,
    });
    let outcome = work(&mut write);
    let (kept, revocations) = write.finish();
    if outcome.is_ok() && kept {
        runtime.block_on(tx.commit())?;
        Ok((outcome, revocations))
    } else {
        if let Err(e) = runtime.block_on(tx.rollback()) {
            tracing::warn!(error = %e, "rollback failed; the connection is dropped");
        }
        Ok((outcome, Vec::new()))
    }
}
