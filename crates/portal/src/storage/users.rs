//! Accounts: e-mail, Argon2id hash, encrypted seed, and the failure counter behind the lock.

use sqlx::AnyConnection;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Db, StorageError, WriteTx};

/// Consecutive failed password or code checks after which an account is locked until an
/// operator releases it (NIST SP 800-63B §5.2.2: no more than 100 consecutive failures).
pub const LOCK_AFTER_FAILURES: i64 = 100;

/// One account as stored. `Debug` leaves out the password hash and the sealed seed.
pub struct User {
    /// Random hex id.
    pub id: String,
    /// Normalised (trimmed, lower-case) e-mail address, the login name.
    pub email: String,
    /// PHC string of the Argon2id hash.
    pub password_hash: String,
    /// The OTP seed, encrypted with the seed key (see `keys`).
    pub seed_enc: String,
    /// Disabled by an operator.
    pub disabled: bool,
    /// Consecutive failed checks.
    pub failures: i64,
    /// A recovery code was used or 2FA was reset: the next page is enrollment.
    pub must_enroll: bool,
    /// The password is a one-time initial password that must be replaced after login.
    pub must_change_password: bool,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("disabled", &self.disabled)
            .field("failures", &self.failures)
            .field("must_enroll", &self.must_enroll)
            .finish_non_exhaustive()
    }
}

impl User {
    /// Locked after too many consecutive failures.
    pub fn locked(&self) -> bool {
        self.failures >= LOCK_AFTER_FAILURES
    }
}

/// Trims and lower-cases an e-mail address so that lookups ignore case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn from_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        password_hash: row.try_get("password_hash")?,
        seed_enc: row.try_get("seed_enc")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
        failures: row.try_get("failures")?,
        must_enroll: row.try_get::<i64, _>("must_enroll")? != 0,
        must_change_password: row.try_get::<i64, _>("must_change_password")? != 0,
    })
}

/// The account columns under the names [`from_joined_row`] reads, for a query that joins
/// `users AS u` to another table with columns of the same names.
pub(super) const JOINED_COLUMNS: &str = "u.id AS u_id, u.email AS u_email, \
     u.password_hash AS u_password_hash, u.seed_enc AS u_seed_enc, u.disabled AS u_disabled, \
     u.failures AS u_failures, u.must_enroll AS u_must_enroll, \
     u.must_change_password AS u_must_change_password";

/// The account of a row selected with [`JOINED_COLUMNS`].
pub(super) fn from_joined_row(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: row.try_get("u_id")?,
        email: row.try_get("u_email")?,
        password_hash: row.try_get("u_password_hash")?,
        seed_enc: row.try_get("u_seed_enc")?,
        disabled: row.try_get::<i64, _>("u_disabled")? != 0,
        failures: row.try_get("u_failures")?,
        must_enroll: row.try_get::<i64, _>("u_must_enroll")? != 0,
        must_change_password: row.try_get::<i64, _>("u_must_change_password")? != 0,
    })
}

const COLUMNS: &str =
    "id, email, password_hash, seed_enc, disabled, failures, must_enroll, must_change_password";

impl Db {
    /// Stores a new account; `Ok(false)` when the e-mail address is taken.
    pub async fn create_user(
        &self,
        id: &str,
        email: &str,
        password_hash: &str,
        seed_enc: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(
            "INSERT INTO users (id, email, password_hash, seed_enc, must_enroll, created_at) \
             VALUES ($1, $2, $3, $4, 1, $5)",
        )
        .bind(id)
        .bind(normalise_email(email))
        .bind(password_hash)
        .bind(seed_enc)
        .bind(now)
        .execute(self.writer())
        .await;
        match result {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// The account with this e-mail address (case-insensitive).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StorageError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE email = $1"))
            .bind(normalise_email(email))
            .fetch_optional(self.reader())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The account with this id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StorageError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM users WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Disables or re-enables an account; `false` when there is no such account.
    pub async fn set_disabled(&self, email: &str, disabled: bool) -> Result<bool, StorageError> {
        let done = sqlx::query("UPDATE users SET disabled = $1 WHERE email = $2")
            .bind(i64::from(disabled))
            .bind(normalise_email(email))
            .execute(self.writer())
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Counts one failed check and returns the new number of consecutive failures.
    pub async fn record_failure(&self, user_id: &str) -> Result<i64, StorageError> {
        Ok(record_failure_on(&mut *self.writer().acquire().await?, user_id).await?)
    }

    /// Clears the failure counter after a complete login, or when an operator unlocks.
    pub async fn reset_failures(&self, user_id: &str) -> Result<(), StorageError> {
        Ok(reset_failures_on(&mut *self.writer().acquire().await?, user_id).await?)
    }

    /// Replaces the seed (2FA reset, recovery) and sets whether enrollment is due.
    pub async fn set_seed(
        &self,
        user_id: &str,
        seed_enc: &str,
        must_enroll: bool,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE users SET seed_enc = $1, must_enroll = $2 WHERE id = $3")
            .bind(seed_enc)
            .bind(i64::from(must_enroll))
            .bind(user_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Records that the TOTP code of `step` was used; `false` if this or a later step was
    /// accepted before (RFC 6238 §5.2: each code is accepted once).
    pub async fn accept_totp_step(&self, user_id: &str, step: u64) -> Result<bool, StorageError> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let done = sqlx::query(
            "UPDATE users SET last_totp_step = $1 WHERE id = $2 AND last_totp_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Replaces the password hash; `one_time` marks it as an initial password that must be
    /// changed after the next login.
    pub async fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        one_time: bool,
    ) -> Result<(), StorageError> {
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3")
            .bind(hash)
            .bind(i64::from(one_time))
            .bind(user_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }

    /// Marks enrollment as done (first code entered) or due.
    pub async fn set_must_enroll(&self, user_id: &str, due: bool) -> Result<(), StorageError> {
        sqlx::query("UPDATE users SET must_enroll = $1 WHERE id = $2")
            .bind(i64::from(due))
            .bind(user_id)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}

async fn record_failure_on(conn: &mut AnyConnection, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE users SET failures = failures + 1 WHERE id = $1 RETURNING failures")
        .bind(user_id)
        .fetch_one(conn)
        .await?
        .try_get("failures")
}

async fn reset_failures_on(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET failures = 0 WHERE id = $1 AND failures <> 0")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

impl WriteTx {
    /// Counts one failed check and returns the new number of consecutive failures.
    pub async fn record_failure(&mut self, user_id: &str) -> Result<i64, StorageError> {
        Ok(record_failure_on(self.conn(), user_id).await?)
    }

    /// Clears the failure counter after a complete login.
    pub async fn reset_failures(&mut self, user_id: &str) -> Result<(), StorageError> {
        Ok(reset_failures_on(self.conn(), user_id).await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::storage::testing::db;

    #[tokio::test]
    async fn create_find_disable_and_count_failures() {
        let (db, _dir) = db().await;
        assert!(
            db.create_user("u1", "Anna@Example.org ", "h", "s", 1)
                .await
                .unwrap()
        );
        assert!(
            !db.create_user("u2", "anna@example.org", "h", "s", 1)
                .await
                .unwrap()
        );
        let user = db.user_by_email("ANNA@example.org").await.unwrap().unwrap();
        assert_eq!(user.id, "u1");
        assert!(user.must_enroll && !user.disabled && !user.locked());
        assert!(db.set_disabled("anna@example.org", true).await.unwrap());
        assert!(!db.set_disabled("nobody@example.org", true).await.unwrap());
        assert!(db.user_by_id("u1").await.unwrap().unwrap().disabled);
        assert_eq!(db.record_failure("u1").await.unwrap(), 1);
        assert_eq!(db.record_failure("u1").await.unwrap(), 2);
        db.reset_failures("u1").await.unwrap();
        assert!(db.accept_totp_step("u1", 5).await.unwrap());
        assert!(
            !db.accept_totp_step("u1", 5).await.unwrap(),
            "same step twice"
        );
        assert!(!db.accept_totp_step("u1", 4).await.unwrap(), "older step");
        assert!(db.accept_totp_step("u1", 6).await.unwrap());
        assert_eq!(db.user_by_id("u1").await.unwrap().unwrap().failures, 0);
    }
}
