//! Login attempts. A login that passed the password step is the challenge for one security
//! code: it holds the random nonce the OCRA code is computed over.

use sqlx::AnyConnection;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::users::{self, User};
use super::{Db, StorageError, WriteTx};

/// A pending login waits this long for its code (DESIGN.md: 5 minutes), then
/// "Zeitüberschreitung" and the user logs in again.
pub const LOGIN_LIFETIME_SECS: i64 = 5 * 60;

/// Wrong codes per login before it ends (DESIGN.md: at most 5). A guess can hit 3 codes (the
/// OCRA code and the TOTP codes of this and the previous step), so a login gives a password
/// holder at most a 15-in-a-million chance; the account's lock bounds all logins together
/// (crate README, "Guessing odds").
pub const MAX_WRONG_CODES: i64 = 5;

/// How a login attempt ended, or that it has not yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginStatus {
    /// Waiting for its security code.
    Pending,
    /// The right code was entered: the user is logged in.
    Approved,
    /// Refused on the phone ("Das war ich nicht"): suspicious.
    Denied,
    /// Nobody entered the code in time.
    Expired,
    /// Too many wrong codes.
    Failed,
    /// Completed with a one-time recovery code instead of a security code.
    Recovery,
    /// A wrong password for this account (no challenge was issued).
    BadPassword,
}

impl LoginStatus {
    /// Stable name, stored in the database and used in the status JSON of the code page.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Denied => "denied",
            Self::Expired => "expired",
            Self::Failed => "failed",
            Self::Recovery => "recovery",
            Self::BadPassword => "bad_password",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "pending" => Self::Pending,
            "approved" => Self::Approved,
            "denied" => Self::Denied,
            "failed" => Self::Failed,
            "recovery" => Self::Recovery,
            "bad_password" => Self::BadPassword,
            _ => Self::Expired,
        }
    }
}

/// One login attempt as stored.
#[derive(Debug, Clone)]
pub struct Login {
    /// Random hex id, also the challenge id.
    pub id: String,
    /// The account.
    pub user_id: String,
    /// The challenge nonce as hex (32 random bytes); the OCRA question.
    pub nonce: String,
    /// Stored status; see [`Login::status_at`] for the effective one.
    pub status: LoginStatus,
    /// Wrong codes so far.
    pub wrong_codes: i64,
    /// A device reported that it showed the code.
    pub seen: bool,
    /// Client address of the browser.
    pub ip: String,
    /// Browser's User-Agent, shortened.
    pub user_agent: String,
    /// Unix seconds of the password step.
    pub created_at: i64,
    /// Unix seconds when the login stops waiting.
    pub expires_at: i64,
}

impl Login {
    /// The status at `now`: a pending login past its expiry counts as expired.
    pub fn status_at(&self, now: i64) -> LoginStatus {
        if self.status == LoginStatus::Pending && now >= self.expires_at {
            LoginStatus::Expired
        } else {
            self.status
        }
    }
}

fn from_row(row: &AnyRow) -> Result<Login, sqlx::Error> {
    Ok(Login {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        nonce: row.try_get("nonce")?,
        status: LoginStatus::parse(&row.try_get::<String, _>("status")?),
        wrong_codes: row.try_get("wrong_codes")?,
        seen: row.try_get::<i64, _>("seen")? != 0,
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

const COLUMNS: &str =
    "id, user_id, nonce, status, wrong_codes, seen, ip, user_agent, created_at, expires_at";

/// [`COLUMNS`] of `logins AS l`, for a join.
const JOINED_COLUMNS: &str = "l.id, l.user_id, l.nonce, l.status, l.wrong_codes, l.seen, l.ip, \
     l.user_agent, l.created_at, l.expires_at";

async fn insert_on(conn: &mut AnyConnection, l: &Login) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO logins (id, user_id, nonce, status, wrong_codes, seen, ip, user_agent, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&l.id)
    .bind(&l.user_id)
    .bind(&l.nonce)
    .bind(l.status.as_str())
    .bind(l.wrong_codes)
    .bind(i64::from(l.seen))
    .bind(&l.ip)
    .bind(&l.user_agent)
    .bind(l.created_at)
    .bind(l.expires_at)
    .execute(conn)
    .await?;
    Ok(())
}

async fn finish_on(
    conn: &mut AnyConnection,
    id: &str,
    status: LoginStatus,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE logins SET status = $1 WHERE id = $2 AND status = 'pending'")
        .bind(status.as_str())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

async fn add_wrong_code_on(conn: &mut AnyConnection, id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query(
        "UPDATE logins SET wrong_codes = wrong_codes + 1 WHERE id = $1 RETURNING wrong_codes",
    )
    .bind(id)
    .fetch_one(conn)
    .await?
    .try_get("wrong_codes")
}

impl WriteTx {
    /// Stores a new login attempt.
    pub async fn insert_login(&mut self, l: &Login) -> Result<(), StorageError> {
        Ok(insert_on(self.conn(), l).await?)
    }

    /// Ends a pending login with `status`; `false` if it was no longer pending. The
    /// condition on the stored status is what makes a challenge single-use, on every
    /// instance: of two racing requests only one changes the row.
    pub async fn finish_login(
        &mut self,
        id: &str,
        status: LoginStatus,
    ) -> Result<bool, StorageError> {
        Ok(finish_on(self.conn(), id, status).await?)
    }

    /// Takes a login's row for one check of its second factor: its wrong codes so far, or
    /// `None` when it is no longer pending at `now` (ended, expired, or out of tries). Like
    /// `WriteTx::claim_second_factor` the statement holds the row until the transaction
    /// ends, so concurrent checks of one login run one after another and at most
    /// [`MAX_WRONG_CODES`] proofs of a login are ever evaluated.
    pub async fn claim_login(&mut self, id: &str, now: i64) -> Result<Option<i64>, StorageError> {
        let row = sqlx::query(
            "UPDATE logins SET wrong_codes = wrong_codes WHERE id = $1 AND status = 'pending' \
             AND expires_at > $2 AND wrong_codes < $3 RETURNING wrong_codes",
        )
        .bind(id)
        .bind(now)
        .bind(MAX_WRONG_CODES)
        .fetch_optional(self.conn())
        .await?;
        Ok(row.map(|r| r.try_get("wrong_codes")).transpose()?)
    }

    /// Counts one wrong code and returns the new count.
    pub async fn add_wrong_code(&mut self, id: &str) -> Result<i64, StorageError> {
        Ok(add_wrong_code_on(self.conn(), id).await?)
    }
}

impl Db {
    /// Stores a new login attempt.
    pub async fn insert_login(&self, l: &Login) -> Result<(), StorageError> {
        Ok(insert_on(&mut *self.writer().acquire().await?, l).await?)
    }

    /// The login with this id.
    pub async fn login_by_id(&self, id: &str) -> Result<Option<Login>, StorageError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM logins WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The login with this id and its account, in one query: the code step needs both.
    pub async fn login_with_user(&self, id: &str) -> Result<Option<(Login, User)>, StorageError> {
        let row = sqlx::query(&format!(
            "SELECT {JOINED_COLUMNS}, {} FROM logins l JOIN users u ON u.id = l.user_id \
             WHERE l.id = $1",
            users::JOINED_COLUMNS
        ))
        .bind(id)
        .fetch_optional(self.reader())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some((from_row(&row)?, users::from_joined_row(&row)?)))
    }

    /// Ends a pending login with `status`; `false` if it was no longer pending (so two
    /// racing requests cannot both complete it).
    pub async fn finish_login(&self, id: &str, status: LoginStatus) -> Result<bool, StorageError> {
        Ok(finish_on(&mut *self.writer().acquire().await?, id, status).await?)
    }

    /// Counts one wrong code and returns the new count.
    pub async fn add_wrong_code(&self, id: &str) -> Result<i64, StorageError> {
        Ok(add_wrong_code_on(&mut *self.writer().acquire().await?, id).await?)
    }

    /// Notes that a device showed the code of this login.
    pub async fn mark_seen(&self, id: &str) -> Result<(), StorageError> {
        sqlx::query("UPDATE logins SET seen = 1 WHERE id = $1")
            .bind(id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Logins of an account still waiting for a code at `now`, newest first.
    pub async fn pending_logins(
        &self,
        user_id: &str,
        now: i64,
    ) -> Result<Vec<Login>, StorageError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM logins WHERE user_id = $1 AND status = 'pending' \
             AND expires_at > $2 ORDER BY created_at DESC"
        ))
        .bind(user_id)
        .bind(now)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// The most recent login attempts of an account, for the dashboard.
    pub async fn recent_logins(
        &self,
        user_id: &str,
        limit: i64,
    ) -> Result<Vec<Login>, StorageError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM logins WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2"
        ))
        .bind(user_id)
        .bind(limit)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::db;

    fn login(id: &str, created: i64) -> Login {
        Login {
            id: id.into(),
            user_id: "u".into(),
            nonce: "00".repeat(32),
            status: LoginStatus::Pending,
            wrong_codes: 0,
            seen: false,
            ip: "127.0.0.1".into(),
            user_agent: "test".into(),
            created_at: created,
            expires_at: created + LOGIN_LIFETIME_SECS,
        }
    }

    #[tokio::test]
    async fn pending_login_expires_and_finishes_only_once() {
        let (db, _dir) = db().await;
        db.create_user("u", "u@example.org", "h", "s", 0)
            .await
            .unwrap();
        db.insert_login(&login("l1", 0)).await.unwrap();
        let l = db.login_by_id("l1").await.unwrap().unwrap();
        assert_eq!(l.status_at(LOGIN_LIFETIME_SECS - 1), LoginStatus::Pending);
        assert_eq!(l.status_at(LOGIN_LIFETIME_SECS), LoginStatus::Expired);
        assert_eq!(db.pending_logins("u", 10).await.unwrap().len(), 1);
        assert!(
            db.pending_logins("u", LOGIN_LIFETIME_SECS)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(db.finish_login("l1", LoginStatus::Denied).await.unwrap());
        assert!(!db.finish_login("l1", LoginStatus::Approved).await.unwrap());
        assert_eq!(
            db.login_by_id("l1").await.unwrap().unwrap().status,
            LoginStatus::Denied
        );
        let (joined, user) = db.login_with_user("l1").await.unwrap().unwrap();
        assert_eq!(
            (joined.id.as_str(), joined.status),
            ("l1", LoginStatus::Denied)
        );
        assert_eq!(
            (user.id.as_str(), user.email.as_str()),
            ("u", "u@example.org")
        );
        assert!(db.login_with_user("nope").await.unwrap().is_none());
    }

    #[tokio::test]
    async fn wrong_codes_are_counted_and_recent_is_newest_first() {
        let (db, _dir) = db().await;
        db.create_user("u", "u@example.org", "h", "s", 0)
            .await
            .unwrap();
        db.insert_login(&login("a", 1)).await.unwrap();
        db.insert_login(&login("b", 2)).await.unwrap();
        assert_eq!(db.add_wrong_code("a").await.unwrap(), 1);
        assert_eq!(db.add_wrong_code("a").await.unwrap(), 2);
        let recent = db.recent_logins("u", 10).await.unwrap();
        assert_eq!(
            recent.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["b", "a"]
        );
    }
}
