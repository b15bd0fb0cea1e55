//! Login attempts. A login that passed the password step is the challenge for one security
//! code: it holds the random nonce the OCRA code is computed over.

use super::sql::Row;
use super::users::{self, User, user_joined_columns};
use super::{Db, ReadTx, StorageError, WriteTx};

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

    /// A proof may be checked for this login at `now` (rule 2 of
    /// `crate::login::second_factor`): it is pending, not expired, and has tries left.
    pub fn takes_proofs_at(&self, now: i64) -> bool {
        self.status_at(now) == LoginStatus::Pending && self.wrong_codes < MAX_WRONG_CODES
    }
}

/// The login of a row that selects [`login_columns`] first.
fn from_row(row: &dyn Row) -> Result<Login, StorageError> {
    Ok(Login {
        id: row.text(0)?,
        user_id: row.text(1)?,
        nonce: row.text(2)?,
        status: LoginStatus::parse(&row.text(3)?),
        wrong_codes: row.int(4)?,
        seen: row.flag(5)?,
        ip: row.text(6)?,
        user_agent: row.text(7)?,
        created_at: row.int(8)?,
        expires_at: row.int(9)?,
    })
}

/// Columns of [`login_columns`], where a joined table's columns begin.
const LOGIN_COLUMNS: usize = 10;

/// The login columns, in the order [`from_row`] reads them.
macro_rules! login_columns {
    () => {
        "id, user_id, nonce, status, wrong_codes, seen, ip, user_agent, created_at, expires_at"
    };
}

/// The login columns of `logins AS l`, for a join, in the order of [`login_columns`].
macro_rules! login_joined_columns {
    () => {
        "l.id, l.user_id, l.nonce, l.status, l.wrong_codes, l.seen, l.ip, l.user_agent, \
         l.created_at, l.expires_at"
    };
}

/// A login and its account. The account's table comes first: on PostgreSQL
/// [`WriteTx::claim_login_with_user`] takes the rows in this order.
const LOGIN_WITH_USER: &str = concat!(
    "SELECT ",
    login_joined_columns!(),
    ", ",
    user_joined_columns!(),
    " FROM users u JOIN logins l ON l.user_id = u.id WHERE l.id = $1"
);

/// The login and the account of a [`LOGIN_WITH_USER`] row.
fn login_with_user_from_row(row: &dyn Row) -> Result<(Login, User), StorageError> {
    Ok((from_row(row)?, users::from_row_at(row, LOGIN_COLUMNS)?))
}

impl WriteTx<'_> {
    /// Stores a new login attempt.
    pub fn insert_login(&mut self, l: &Login) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "INSERT INTO logins (id, user_id, nonce, status, wrong_codes, seen, ip, \
                 user_agent, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    (&l.id).into(),
                    (&l.user_id).into(),
                    (&l.nonce).into(),
                    l.status.as_str().into(),
                    l.wrong_codes.into(),
                    l.seen.into(),
                    (&l.ip).into(),
                    (&l.user_agent).into(),
                    l.created_at.into(),
                    l.expires_at.into(),
                ],
            )
            .map(drop)
    }

    /// Ends a pending login with `status`; `false` if it was no longer pending. The
    /// condition on the stored status is what makes a challenge single-use, on every
    /// instance: of two racing requests only one changes the row.
    pub fn finish_login(&mut self, id: &str, status: LoginStatus) -> Result<bool, StorageError> {
        let changed = self.conn().execute(
            "UPDATE logins SET status = $1 WHERE id = $2 AND status = 'pending'",
            &[status.as_str().into(), id.into()],
        )?;
        Ok(changed > 0)
    }

    /// Takes the rows of the login with this id and of its account for a second-factor step,
    /// and reads both in one statement. The rows are held until the transaction ends
    /// (`Conn::claim` in `storage::sql`; on PostgreSQL the account's row is taken first, as
    /// the order of the join says): steps of one account run one after another on every
    /// database, and each judges the lock, the login's state and its tries by what the ones
    /// before it left, never by what its request read earlier.
    pub fn claim_login_with_user(
        &mut self,
        id: &str,
    ) -> Result<Option<(Login, User)>, StorageError> {
        self.conn()
            .claim(LOGIN_WITH_USER, &[id.into()], login_with_user_from_row)
    }

    /// Counts one wrong code and returns the new count.
    pub fn add_wrong_code(&mut self, id: &str) -> Result<i64, StorageError> {
        self.conn().one(
            "UPDATE logins SET wrong_codes = wrong_codes + 1 WHERE id = $1 RETURNING wrong_codes",
            &[id.into()],
            |r| r.int(0),
        )
    }

    /// Notes that a device showed the code of this login.
    pub fn mark_seen(&mut self, id: &str) -> Result<(), StorageError> {
        self.conn()
            .execute("UPDATE logins SET seen = 1 WHERE id = $1", &[id.into()])
            .map(drop)
    }
}

impl Db {
    /// Stores a new login attempt.
    pub async fn insert_login(&self, l: &Login) -> Result<(), StorageError> {
        let l = l.clone();
        self.write(move |tx| tx.insert_login(&l)).await
    }

    /// The login with this id.
    pub async fn login_by_id(&self, id: &str) -> Result<Option<Login>, StorageError> {
        let id = id.to_owned();
        self.read(move |tx| tx.login_by_id(&id)).await
    }

    /// The login with this id and its account, in one query: the code step needs both.
    pub async fn login_with_user(&self, id: &str) -> Result<Option<(Login, User)>, StorageError> {
        let id = id.to_owned();
        self.read(move |tx| tx.login_with_user(&id)).await
    }

    /// Ends a pending login with `status`; `false` if it was no longer pending (so two
    /// racing requests cannot both complete it).
    pub async fn finish_login(&self, id: &str, status: LoginStatus) -> Result<bool, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| tx.finish_login(&id, status)).await
    }

    /// Counts one wrong code and returns the new count.
    pub async fn add_wrong_code(&self, id: &str) -> Result<i64, StorageError> {
        let id = id.to_owned();
        self.write(move |tx| tx.add_wrong_code(&id)).await
    }

    /// Logins of an account still waiting for a code at `now`, newest first.
    pub async fn pending_logins(
        &self,
        user_id: &str,
        now: i64,
    ) -> Result<Vec<Login>, StorageError> {
        let user_id = user_id.to_owned();
        self.read(move |tx| tx.pending_logins(&user_id, now)).await
    }

    /// The most recent login attempts of an account, for the dashboard.
    pub async fn recent_logins(
        &self,
        user_id: &str,
        limit: i64,
    ) -> Result<Vec<Login>, StorageError> {
        let user_id = user_id.to_owned();
        self.read(move |tx| {
            tx.conn().all(
                concat!(
                    "SELECT ",
                    login_columns!(),
                    " FROM logins WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT $2"
                ),
                &[(&user_id).into(), limit.into()],
                from_row,
            )
        })
        .await
    }
}

impl ReadTx<'_> {
    /// The login with this id.
    pub fn login_by_id(&mut self, id: &str) -> Result<Option<Login>, StorageError> {
        self.conn().optional(
            concat!("SELECT ", login_columns!(), " FROM logins WHERE id = $1"),
            &[id.into()],
            from_row,
        )
    }

    /// The login with this id and its account, in one query.
    pub fn login_with_user(&mut self, id: &str) -> Result<Option<(Login, User)>, StorageError> {
        self.conn()
            .optional(LOGIN_WITH_USER, &[id.into()], login_with_user_from_row)
    }

    /// Logins of an account still waiting for a code at `now`, newest first.
    pub fn pending_logins(&mut self, user_id: &str, now: i64) -> Result<Vec<Login>, StorageError> {
        self.conn().all(
            concat!(
                "SELECT ",
                login_columns!(),
                " FROM logins WHERE user_id = $1 AND status = 'pending' AND expires_at > $2 \
                 ORDER BY created_at DESC"
            ),
            &[user_id.into(), now.into()],
            from_row,
        )
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
