//! One statement text, two drivers: the parameters, the rows and the three ways of running a
//! statement (for its count of changed rows, for at most one row, for all rows), on SQLite
//! through rusqlite and on PostgreSQL through sqlx.
//!
//! Every statement is written once, in the SQL both databases share, with `$1`-style
//! placeholders (SQLite reads `$1` as a named parameter, bound here by that name, so the
//! order in which placeholders first appear does not matter). The schema has three kinds of
//! column, so a parameter is one of three kinds too ([`Param`]), and a row is read by column
//! position as a number, a text or an optional text ([`Row`]): by position, since finding a
//! column by name compared every column's name, a sixth of the writer thread's time under a
//! burst of code checks. Each reader sits beside the column list it reads.
//!
//! On SQLite every statement is prepared once per connection and kept
//! (`prepare_cached`); sqlx keeps PostgreSQL's prepared statements per connection the same way.

use rusqlite::types::{ToSqlOutput, ValueRef};
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres, Row as _};
use tokio::runtime::Handle;

use super::StorageError;

/// Placeholder names in order: a statement's `n`-th parameter is bound to `$n`.
const PLACEHOLDERS: [&str; 16] = [
    "$1", "$2", "$3", "$4", "$5", "$6", "$7", "$8", "$9", "$10", "$11", "$12", "$13", "$14", "$15",
    "$16",
];

/// A statement parameter: a `BIGINT` (numbers, unix seconds, 0/1 flags), a `TEXT`, or the
/// `NULL` of an optional `TEXT`.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Param<'a> {
    /// A number.
    Int(i64),
    /// A text.
    Text(&'a str),
    /// No text.
    Null,
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<bool> for Param<'_> {
    fn from(value: bool) -> Self {
        Self::Int(i64::from(value))
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(value: &'a String) -> Self {
        Self::Text(value)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(value: Option<&'a str>) -> Self {
        value.map_or(Self::Null, Self::Text)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(value: &'a Option<String>) -> Self {
        value.as_deref().into()
    }
}

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Self::Int(value) => ValueRef::Integer(value),
            Self::Text(value) => ValueRef::Text(value.as_bytes()),
            Self::Null => ValueRef::Null,
        }))
    }
}

/// A result row of either driver, read by column position (0 is the first selected).
pub(crate) trait Row {
    /// A `BIGINT` column.
    fn int(&self, column: usize) -> Result<i64, StorageError>;
    /// A `TEXT NOT NULL` column.
    fn text(&self, column: usize) -> Result<String, StorageError>;
    /// A nullable `TEXT` column.
    fn opt_text(&self, column: usize) -> Result<Option<String>, StorageError>;
    /// A `BIGINT` 0/1 flag column.
    fn flag(&self, column: usize) -> Result<bool, StorageError> {
        Ok(self.int(column)? != 0)
    }
}

impl Row for rusqlite::Row<'_> {
    fn int(&self, column: usize) -> Result<i64, StorageError> {
        Ok(self.get(column)?)
    }

    fn text(&self, column: usize) -> Result<String, StorageError> {
        Ok(self.get(column)?)
    }

    fn opt_text(&self, column: usize) -> Result<Option<String>, StorageError> {
        Ok(self.get(column)?)
    }
}

impl Row for PgRow {
    fn int(&self, column: usize) -> Result<i64, StorageError> {
        Ok(self.try_get(column)?)
    }

    fn text(&self, column: usize) -> Result<String, StorageError> {
        Ok(self.try_get(column)?)
    }

    fn opt_text(&self, column: usize) -> Result<Option<String>, StorageError> {
        Ok(self.try_get(column)?)
    }
}

/// The connection a write's statements run on: SQLite's writer connection (inside the
/// batch's transaction, on the writer thread), or a PostgreSQL connection inside its
/// transaction, on a blocking thread that waits for each statement on the runtime.
pub(crate) enum Conn<'c> {
    /// SQLite, on the thread that owns the connection.
    Sqlite(&'c rusqlite::Connection),
    /// PostgreSQL, driven by `runtime` from a thread outside it.
    Postgres {
        /// The connection, inside a transaction.
        conn: &'c mut PgConnection,
        /// The runtime the connection's socket belongs to.
        runtime: &'c Handle,
    },
}

impl Conn<'_> {
    /// Runs a statement that returns no rows; the number of rows it changed.
    pub(crate) fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, StorageError> {
        match self {
            Self::Sqlite(conn) => sqlite_execute(conn, sql, params),
            Self::Postgres { conn, runtime } => {
                runtime.block_on(pg_execute(&mut **conn, sql, params))
            }
        }
    }

    /// Runs a statement and maps its first row, if any.
    pub(crate) fn optional<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnOnce(&dyn Row) -> Result<T, StorageError>,
    ) -> Result<Option<T>, StorageError> {
        match self {
            Self::Sqlite(conn) => sqlite_optional(conn, sql, params, map),
            Self::Postgres { conn, runtime } => {
                runtime.block_on(pg_optional(&mut **conn, sql, params, map))
            }
        }
    }

    /// Runs `select`, a `SELECT` of at most one row, and takes the row it reads for the rest
    /// of the transaction, so that two transactions judging the same row (the lock count of
    /// an account, the tries of a login) run one after the other and the second judges what
    /// the first left. PostgreSQL says so with `FOR UPDATE`: a second claim waits for the
    /// first transaction to end, then reads the row anew. SQLite needs no words for it: its
    /// one writer connection runs every write's closure alone, one after another
    /// (`storage::sqlite`), so nothing else can change the row before the commit. A plain
    /// read there writes no page; a row-taking `UPDATE … SET x = x` would write one (copied
    /// to the savepoint's journal and to the log) for every check.
    pub(crate) fn claim<T>(
        &mut self,
        select: &str,
        params: &[Param<'_>],
        map: impl FnOnce(&dyn Row) -> Result<T, StorageError>,
    ) -> Result<Option<T>, StorageError> {
        match self {
            Self::Sqlite(conn) => sqlite_optional(conn, select, params, map),
            Self::Postgres { conn, runtime } => {
                let locking = format!("{select} FOR UPDATE");
                runtime.block_on(pg_optional(&mut **conn, &locking, params, map))
            }
        }
    }

    /// Runs a statement that must yield a row and maps the first;
    /// [`StorageError::RowMissing`] if it yields none.
    pub(crate) fn one<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnOnce(&dyn Row) -> Result<T, StorageError>,
    ) -> Result<T, StorageError> {
        self.optional(sql, params, map)?
            .ok_or(StorageError::RowMissing)
    }

    /// Runs a statement and maps all its rows.
    pub(crate) fn all<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        map: impl FnMut(&dyn Row) -> Result<T, StorageError>,
    ) -> Result<Vec<T>, StorageError> {
        match self {
            Self::Sqlite(conn) => sqlite_all(conn, sql, params, map),
            Self::Postgres { conn, runtime } => {
                runtime.block_on(pg_all(&mut **conn, sql, params, map))
            }
        }
    }
}

/// `sql` prepared (or taken from the connection's cache) with `params` bound.
fn sqlite_statement<'c>(
    conn: &'c rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<rusqlite::CachedStatement<'c>, StorageError> {
    let mut statement = conn.prepare_cached(sql)?;
    if statement.parameter_count() != params.len() {
        return Err(StorageError::Parameters);
    }
    for (param, name) in params.iter().zip(PLACEHOLDERS) {
        let index = statement
            .parameter_index(name)?
            .ok_or(StorageError::Parameters)?;
        statement.raw_bind_parameter(index, param)?;
    }
    Ok(statement)
}

/// [`Conn::execute`] on SQLite.
pub(crate) fn sqlite_execute(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<u64, StorageError> {
    let changed = sqlite_statement(conn, sql, params)?.raw_execute()?;
    Ok(u64::try_from(changed).unwrap_or(u64::MAX))
}

/// [`Conn::optional`] on SQLite.
fn sqlite_optional<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
    map: impl FnOnce(&dyn Row) -> Result<T, StorageError>,
) -> Result<Option<T>, StorageError> {
    let mut statement = sqlite_statement(conn, sql, params)?;
    let mut rows = statement.raw_query();
    rows.next()?.map(|row| map(row)).transpose()
}

/// [`Conn::all`] on SQLite.
fn sqlite_all<T>(
    conn: &rusqlite::Connection,
    sql: &str,
    params: &[Param<'_>],
    mut map: impl FnMut(&dyn Row) -> Result<T, StorageError>,
) -> Result<Vec<T>, StorageError> {
    let mut statement = sqlite_statement(conn, sql, params)?;
    let mut rows = statement.raw_query();
    let mut all = Vec::new();
    while let Some(row) = rows.next()? {
        all.push(map(row)?);
    }
    Ok(all)
}

/// `sql` with `params` bound, for sqlx.
fn pg_query<'q>(sql: &'q str, params: &[Param<'q>]) -> Query<'q, Postgres, PgArguments> {
    params
        .iter()
        .fold(sqlx::query(sql), |query, param| match *param {
            Param::Int(value) => query.bind(value),
            Param::Text(value) => query.bind(value),
            Param::Null => query.bind(None::<&str>),
        })
}

/// [`Conn::execute`] on PostgreSQL, on a connection or the pool.
pub(crate) async fn pg_execute<'q, 'e>(
    executor: impl sqlx::PgExecutor<'e>,
    sql: &'q str,
    params: &[Param<'q>],
) -> Result<u64, StorageError> {
    Ok(pg_query(sql, params)
        .execute(executor)
        .await?
        .rows_affected())
}

/// [`Conn::optional`] on PostgreSQL.
async fn pg_optional<'q, 'e, T>(
    executor: impl sqlx::PgExecutor<'e>,
    sql: &'q str,
    params: &[Param<'q>],
    map: impl FnOnce(&dyn Row) -> Result<T, StorageError>,
) -> Result<Option<T>, StorageError> {
    let row = pg_query(sql, params).fetch_optional(executor).await?;
    row.as_ref().map(|row| map(row)).transpose()
}

/// [`Conn::all`] on PostgreSQL.
async fn pg_all<'q, 'e, T>(
    executor: impl sqlx::PgExecutor<'e>,
    sql: &'q str,
    params: &[Param<'q>],
    mut map: impl FnMut(&dyn Row) -> Result<T, StorageError>,
) -> Result<Vec<T>, StorageError> {
    let rows = pg_query(sql, params).fetch_all(executor).await?;
    rows.iter().map(|row| map(row)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conn() -> rusqlite::Connection {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (n BIGINT NOT NULL, s TEXT NOT NULL, o TEXT)")
            .unwrap();
        conn
    }

    #[test]
    fn placeholders_bind_by_name_whatever_their_order_in_the_text() {
        let conn = conn();
        let changed = sqlite_execute(
            &conn,
            "INSERT INTO t (o, s, n) VALUES ($3, $2, $1)",
            &[7.into(), "seven".into(), Param::Null],
        )
        .unwrap();
        assert_eq!(changed, 1);
        let row = sqlite_optional(
            &conn,
            "SELECT n, s, o FROM t WHERE s = $2 AND n = $1",
            &[7.into(), "seven".into()],
            |r| Ok((r.int(0)?, r.text(1)?, r.opt_text(2)?)),
        )
        .unwrap();
        assert_eq!(row, Some((7, "seven".to_string(), None)));
    }

    #[test]
    fn a_missing_or_extra_parameter_is_an_error_not_a_null() {
        let conn = conn();
        let sql = "INSERT INTO t (n, s) VALUES ($1, $2)";
        assert!(matches!(
            sqlite_execute(&conn, sql, &[1.into()]),
            Err(StorageError::Parameters)
        ));
        assert!(matches!(
            sqlite_execute(&conn, sql, &[1.into(), "a".into(), "b".into()]),
            Err(StorageError::Parameters)
        ));
    }

    #[test]
    fn all_rows_are_mapped_and_flags_read_as_booleans() {
        let conn = conn();
        for n in [0, 1, 1] {
            sqlite_execute(&conn, "INSERT INTO t (n, s) VALUES ($1, 'x')", &[n.into()]).unwrap();
        }
        let flags = sqlite_all(&conn, "SELECT n FROM t ORDER BY n", &[], |r| r.flag(0)).unwrap();
        assert_eq!(flags, [false, true, true]);
    }
}
