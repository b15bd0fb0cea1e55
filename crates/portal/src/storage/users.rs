//! Accounts: e-mail, Argon2id hash, encrypted seed, the counter of failed second factors
//! behind the lock, the wrong-password back-off, and the enrollment facts the login's rules
//! read (`crate::login`).

use super::sql::Row;
use super::{Db, ReadTx, StorageError, WriteTx};

/// Failed second factors (security codes, TOTP codes, recovery codes entered after a right
/// password) after which an account is locked until an operator releases it (NIST SP
/// 800-63B §5.2.2: no more than 100 failed attempts). Wrong passwords do not count here, so
/// that nobody can lock an account by knowing its e-mail address; they back off instead
/// (`crate::login::backoff`).
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
    /// Failed second factors not forgiven by a passed one (see `crate::login::second_factor`).
    pub failures: i64,
    /// No device is registered since the account was created, its last device was removed, a
    /// recovery code was used or 2FA was reset: a new device is due.
    pub must_enroll: bool,
    /// The account has had its second factor set up at least once (a device registered or
    /// the first enrollment's code entered): no seed is ever shown after the password alone.
    pub ever_enrolled: bool,
    /// The next passed second factor shows a new set of recovery codes.
    pub recovery_codes_due: bool,
    /// Consecutive wrong passwords, for the back-off.
    pub password_failures: i64,
    /// Unix seconds of the last wrong password.
    pub password_failed_at: i64,
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
            .field("ever_enrolled", &self.ever_enrolled)
            .field("password_failures", &self.password_failures)
            .finish_non_exhaustive()
    }
}

impl User {
    /// Locked after too many failed second factors.
    pub fn locked(&self) -> bool {
        self.failures >= LOCK_AFTER_FAILURES
    }

    /// A proof of the second factor may be checked for this account (rule 3 of
    /// `crate::login::second_factor`): it is neither disabled nor locked.
    pub fn takes_second_factor(&self) -> bool {
        !self.disabled && !self.locked()
    }

    /// The first enrollment is open: the account never had a device, so the page after the
    /// password may show its seed (DESIGN.md, "Portal").
    pub fn first_enrollment_open(&self) -> bool {
        self.must_enroll && !self.ever_enrolled
    }
}

/// Trims and lower-cases an e-mail address so that lookups ignore case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The account columns, in the order [`from_row_at`] reads them.
macro_rules! user_columns {
    () => {
        "id, email, password_hash, seed_enc, disabled, failures, must_enroll, ever_enrolled, \
         recovery_codes_due, password_failures, password_failed_at, must_change_password"
    };
}

/// The account columns of `users AS u`, for a query that joins another table, in the order
/// of [`user_columns`].
macro_rules! user_joined_columns {
    () => {
        "u.id, u.email, u.password_hash, u.seed_enc, u.disabled, u.failures, u.must_enroll, \
         u.ever_enrolled, u.recovery_codes_due, u.password_failures, u.password_failed_at, \
         u.must_change_password"
    };
}
pub(super) use user_joined_columns;

fn from_row(row: &dyn Row) -> Result<User, StorageError> {
    from_row_at(row, 0)
}

/// The account in `row`, its [`user_columns`] from position `first` on.
pub(super) fn from_row_at(row: &dyn Row, first: usize) -> Result<User, StorageError> {
    Ok(User {
        id: row.text(first)?,
        email: row.text(first + 1)?,
        password_hash: row.text(first + 2)?,
        seed_enc: row.text(first + 3)?,
        disabled: row.flag(first + 4)?,
        failures: row.int(first + 5)?,
        must_enroll: row.flag(first + 6)?,
        ever_enrolled: row.flag(first + 7)?,
        recovery_codes_due: row.flag(first + 8)?,
        password_failures: row.int(first + 9)?,
        password_failed_at: row.int(first + 10)?,
        must_change_password: row.flag(first + 11)?,
    })
}

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
        let (id, email) = (id.to_owned(), normalise_email(email));
        let (password_hash, seed_enc) = (password_hash.to_owned(), seed_enc.to_owned());
        self.write(move |tx| {
            let stored = tx.conn().execute(
                "INSERT INTO users (id, email, password_hash, seed_enc, must_enroll, \
                 recovery_codes_due, created_at) VALUES ($1, $2, $3, $4, 1, 1, $5) \
                 ON CONFLICT DO NOTHING",
                &[
                    (&id).into(),
                    (&email).into(),
                    (&password_hash).into(),
                    (&seed_enc).into(),
                    now.into(),
                ],
            )?;
            Ok(stored > 0)
        })
        .await
    }

    /// The account with this e-mail address (case-insensitive).
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>, StorageError> {
        let email = email.to_owned();
        self.read(move |tx| tx.user_by_email(&email)).await
    }

    /// The account with this id.
    pub async fn user_by_id(&self, id: &str) -> Result<Option<User>, StorageError> {
        let id = id.to_owned();
        self.read(move |tx| tx.user_by_id(&id)).await
    }

    /// Disables or re-enables an account and, when disabling, ends its sessions; `false`
    /// when there is no such account.
    pub async fn set_disabled(&self, email: &str, disabled: bool) -> Result<bool, StorageError> {
        let email = normalise_email(email);
        self.write(move |tx| {
            let user_id = tx.conn().optional(
                "UPDATE users SET disabled = $1 WHERE email = $2 RETURNING id",
                &[disabled.into(), (&email).into()],
                |r| r.text(0),
            )?;
            let Some(user_id) = user_id else {
                return Ok(false);
            };
            if disabled {
                tx.delete_user_sessions(&user_id)?;
            }
            Ok(true)
        })
        .await
    }

    /// Counts one failed second factor and returns the new count.
    pub async fn record_failure(&self, user_id: &str) -> Result<i64, StorageError> {
        let user_id = user_id.to_owned();
        self.write(move |tx| tx.record_failure(&user_id)).await
    }

    /// Clears the failure counter and the password back-off when an operator unlocks or
    /// gives the account a new password.
    pub async fn reset_failures(&self, user_id: &str) -> Result<(), StorageError> {
        let user_id = user_id.to_owned();
        self.write(move |tx| tx.reset_failures(&user_id)).await
    }

    /// Replaces the password hash; `one_time` marks it as an initial password that must be
    /// changed after the next login.
    pub async fn set_password_hash(
        &self,
        user_id: &str,
        hash: &str,
        one_time: bool,
    ) -> Result<(), StorageError> {
        let (user_id, hash) = (user_id.to_owned(), hash.to_owned());
        self.write(move |tx| tx.set_password_hash(&user_id, &hash, one_time))
            .await
    }

    /// Marks the account as past its first login (enrolled, no recovery codes due), as test
    /// fixtures and the load tool set accounts up; `true` makes a new device due again.
    pub async fn set_must_enroll(&self, user_id: &str, due: bool) -> Result<(), StorageError> {
        let user_id = user_id.to_owned();
        self.write(move |tx| {
            let statement = if due {
                "UPDATE users SET must_enroll = 1 WHERE id = $1"
            } else {
                "UPDATE users SET must_enroll = 0, ever_enrolled = 1, recovery_codes_due = 0 \
                 WHERE id = $1"
            };
            tx.conn().execute(statement, &[(&user_id).into()]).map(drop)
        })
        .await
    }
}

impl ReadTx<'_> {
    /// The account with this e-mail address (case-insensitive).
    pub fn user_by_email(&mut self, email: &str) -> Result<Option<User>, StorageError> {
        let email = normalise_email(email);
        self.conn().optional(
            concat!("SELECT ", user_columns!(), " FROM users WHERE email = $1"),
            &[(&email).into()],
            from_row,
        )
    }

    /// The account with this id.
    pub fn user_by_id(&mut self, id: &str) -> Result<Option<User>, StorageError> {
        self.conn().optional(
            concat!("SELECT ", user_columns!(), " FROM users WHERE id = $1"),
            &[id.into()],
            from_row,
        )
    }
}

impl WriteTx<'_> {
    /// Takes the account's row while its first enrollment is open (it never had a device)
    /// and returns its sealed seed; `None` once it has had one. Issuing a first-enrollment
    /// token in the same transaction then orders it with the first registration on every
    /// database: either the registration comes later and voids the token, or it came first
    /// and no token is issued.
    pub fn claim_first_enrollment(
        &mut self,
        user_id: &str,
    ) -> Result<Option<String>, StorageError> {
        self.conn().claim(
            "SELECT seed_enc FROM users WHERE id = $1 AND must_enroll = 1 \
             AND ever_enrolled = 0",
            &[user_id.into()],
            |r| r.text(0),
        )
    }

    /// Counts one failed second factor and returns the new count.
    pub fn record_failure(&mut self, user_id: &str) -> Result<i64, StorageError> {
        self.conn().one(
            "UPDATE users SET failures = failures + 1 WHERE id = $1 RETURNING failures",
            &[user_id.into()],
            |r| r.int(0),
        )
    }

    /// Clears the failure counter and the password back-off (operator unlock, new password).
    pub fn reset_failures(&mut self, user_id: &str) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE users SET failures = 0, password_failures = 0 WHERE id = $1 \
                 AND (failures <> 0 OR password_failures <> 0)",
                &[user_id.into()],
            )
            .map(drop)
    }

    /// Forgives `count` failed second factors (those of the login that just passed), never
    /// going below zero.
    pub fn forgive_failures(&mut self, user_id: &str, count: i64) -> Result<(), StorageError> {
        if count <= 0 {
            return Ok(());
        }
        self.conn()
            .execute(
                "UPDATE users SET failures = CASE WHEN failures > $1 THEN failures - $1 ELSE 0 \
                 END WHERE id = $2",
                &[count.into(), user_id.into()],
            )
            .map(drop)
    }

    /// Counts one wrong password at `now` and returns the new number in a row.
    pub fn record_password_failure(
        &mut self,
        user_id: &str,
        now: i64,
    ) -> Result<i64, StorageError> {
        self.conn().one(
            "UPDATE users SET password_failures = password_failures + 1, \
                 password_failed_at = $1 WHERE id = $2 RETURNING password_failures",
            &[now.into(), user_id.into()],
            |r| r.int(0),
        )
    }

    /// Ends the wrong-password back-off after a right password.
    pub fn clear_password_failures(&mut self, user_id: &str) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE users SET password_failures = 0 WHERE id = $1 AND password_failures <> 0",
                &[user_id.into()],
            )
            .map(drop)
    }

    /// Records that the TOTP code of `step` was used; `false` if this or a later step was
    /// accepted before (RFC 6238 §5.2: each code is accepted once).
    pub fn accept_totp_step(&mut self, user_id: &str, step: u64) -> Result<bool, StorageError> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        let changed = self.conn().execute(
            "UPDATE users SET last_totp_step = $1 WHERE id = $2 AND last_totp_step < $1",
            &[step.into(), user_id.into()],
        )?;
        Ok(changed > 0)
    }

    /// Ends a due enrollment: the account has a second factor now, and has had one.
    /// Returns whether this was the account's first ever.
    pub fn end_enrollment(&mut self, user_id: &str) -> Result<bool, StorageError> {
        let before = self.conn().one(
            "SELECT ever_enrolled FROM users WHERE id = $1",
            &[user_id.into()],
            |r| r.flag(0),
        )?;
        self.conn().execute(
            "UPDATE users SET must_enroll = 0, ever_enrolled = 1 WHERE id = $1",
            &[user_id.into()],
        )?;
        Ok(!before)
    }

    /// Replaces the seed and makes a new device due (2FA reset, recovery, last device gone).
    pub fn set_seed(&mut self, user_id: &str, seed_enc: &str) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE users SET seed_enc = $1, must_enroll = 1 WHERE id = $2",
                &[seed_enc.into(), user_id.into()],
            )
            .map(drop)
    }

    /// Sets whether the next passed second factor shows new recovery codes.
    pub fn set_recovery_codes_due(&mut self, user_id: &str, due: bool) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE users SET recovery_codes_due = $1 WHERE id = $2",
                &[due.into(), user_id.into()],
            )
            .map(drop)
    }

    /// Replaces the password hash (see [`Db::set_password_hash`]).
    pub fn set_password_hash(
        &mut self,
        user_id: &str,
        hash: &str,
        one_time: bool,
    ) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3",
                &[hash.into(), one_time.into(), user_id.into()],
            )
            .map(drop)
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
        assert!(user.first_enrollment_open() && user.recovery_codes_due);
        assert!(db.set_disabled("anna@example.org", true).await.unwrap());
        assert!(!db.set_disabled("nobody@example.org", true).await.unwrap());
        assert!(db.user_by_id("u1").await.unwrap().unwrap().disabled);
        assert_eq!(db.record_failure("u1").await.unwrap(), 1);
        assert_eq!(db.record_failure("u1").await.unwrap(), 2);
        db.reset_failures("u1").await.unwrap();
        db.write(|tx| {
            assert!(tx.accept_totp_step("u1", 5)?);
            assert!(!tx.accept_totp_step("u1", 5)?, "same step twice");
            assert!(!tx.accept_totp_step("u1", 4)?, "older step");
            assert!(tx.accept_totp_step("u1", 6)?);
            assert_eq!(tx.record_failure("u1")?, 1);
            assert_eq!(tx.record_failure("u1")?, 2);
            tx.forgive_failures("u1", 5)?;
            assert_eq!(tx.record_password_failure("u1", 9)?, 1);
            assert!(tx.end_enrollment("u1")?, "the first enrollment");
            assert!(!tx.end_enrollment("u1")?);
            Ok::<_, crate::storage::StorageError>(())
        })
        .await
        .unwrap();
        let user = db.user_by_id("u1").await.unwrap().unwrap();
        assert_eq!(user.failures, 0, "forgiving stops at zero");
        assert_eq!((user.password_failures, user.password_failed_at), (1, 9));
        assert!(user.ever_enrolled && !user.must_enroll && !user.first_enrollment_open());
    }
}
