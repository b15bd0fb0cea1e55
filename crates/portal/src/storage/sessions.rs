//! Browser sessions, stored by the SHA-256 of their cookie value, each with its CSRF token.

use super::sql::Row;
use super::{Db, StorageError, WriteTx};

/// A session unused this long ends: NIST SP 800-63B §4.2.3 (AAL2) asks for re-authentication
/// after 30 minutes of inactivity.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;

/// A session ends this long after it began, whatever its use (NIST SP 800-63B §4.2.3, AAL2:
/// 12 hours).
pub const SESSION_MAX_SECS: i64 = 12 * 60 * 60;

/// The idle timer is written back only when it moves by at least this much. A session then
/// ends after between `SESSION_IDLE_SECS - SESSION_TOUCH_SECS` and [`SESSION_IDLE_SECS`]
/// without use, never later, and the requests of one minute cost one write instead of one
/// each (every page and form of a login touched its session).
pub const SESSION_TOUCH_SECS: i64 = 60;

/// How far a session has got through the login. Which step leads from which stage to which
/// is written once, in `crate::login::stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No password checked yet (no session is stored for it: the login form needs none).
    Anonymous,
    /// Password checked; waiting for the security code of the session's login.
    Code,
    /// Password checked on an account that never had a device: its first enrollment, then
    /// the first code.
    Enroll,
    /// Fully logged in.
    Authenticated,
}

impl Stage {
    fn as_str(self) -> &'static str {
        match self {
            Self::Anonymous => "anonymous",
            Self::Code => "code",
            Self::Enroll => "enroll",
            Self::Authenticated => "authenticated",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "code" => Self::Code,
            "enroll" => Self::Enroll,
            "authenticated" => Self::Authenticated,
            _ => Self::Anonymous,
        }
    }
}

/// One session as stored. `Debug` leaves out the CSRF token.
#[derive(Clone)]
pub struct Session {
    /// SHA-256 hex of the cookie value.
    pub id_hash: String,
    /// Token every form of this session must carry.
    pub csrf: String,
    /// The account, once the password was right.
    pub user_id: Option<String>,
    /// Progress through the login.
    pub stage: Stage,
    /// The pending login (challenge) while in [`Stage::Code`] or [`Stage::Enroll`].
    pub login_id: Option<String>,
    /// Start of the session, for [`SESSION_MAX_SECS`].
    pub created_at: i64,
}

impl Session {
    /// Whether `token` (from a form) is this session's CSRF token, compared in constant
    /// time; an empty token never is.
    pub fn csrf_matches(&self, token: &str) -> bool {
        use subtle::ConstantTimeEq as _;
        !token.is_empty() && bool::from(self.csrf.as_bytes().ct_eq(token.as_bytes()))
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("stage", &self.stage)
            .field("login_id", &self.login_id)
            .finish_non_exhaustive()
    }
}

/// The session of a row that selects `id_hash, csrf, user_id, stage, login_id, created_at`
/// first.
fn from_row(row: &dyn Row) -> Result<Session, StorageError> {
    Ok(Session {
        id_hash: row.text(0)?,
        csrf: row.text(1)?,
        user_id: row.opt_text(2)?,
        stage: Stage::parse(&row.text(3)?),
        login_id: row.opt_text(4)?,
        created_at: row.int(5)?,
    })
}

impl WriteTx<'_> {
    /// Stores a new session.
    pub fn insert_session(&mut self, s: &Session, now: i64) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "INSERT INTO sessions (id_hash, csrf, user_id, stage, login_id, created_at, \
                 expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    (&s.id_hash).into(),
                    (&s.csrf).into(),
                    (&s.user_id).into(),
                    s.stage.as_str().into(),
                    (&s.login_id).into(),
                    s.created_at.into(),
                    expiry(s.created_at, now).into(),
                ],
            )
            .map(drop)
    }

    /// Replaces the session `old_hash` by `new` in one statement: from the commit on, the old
    /// cookie is worthless and the new one works. Without an old session `new` is stored.
    pub fn replace_session(
        &mut self,
        old_hash: Option<&str>,
        new: &Session,
        now: i64,
    ) -> Result<(), StorageError> {
        if let Some(old_hash) = old_hash {
            let changed = self.conn().execute(
                "UPDATE sessions SET id_hash = $1, csrf = $2, user_id = $3, stage = $4, \
                 login_id = $5, created_at = $6, expires_at = $7 WHERE id_hash = $8",
                &[
                    (&new.id_hash).into(),
                    (&new.csrf).into(),
                    (&new.user_id).into(),
                    new.stage.as_str().into(),
                    (&new.login_id).into(),
                    new.created_at.into(),
                    expiry(new.created_at, now).into(),
                    old_hash.into(),
                ],
            )?;
            if changed > 0 {
                return Ok(());
            }
        }
        self.insert_session(new, now)
    }

    /// Ends a session.
    pub fn delete_session(&mut self, id_hash: &str) -> Result<(), StorageError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE id_hash = $1", &[id_hash.into()])
            .map(drop)
    }

    /// Ends every session of an account except `keep` (a password change keeps the
    /// changing browser's session, which it then rotates).
    pub fn delete_other_sessions(&mut self, user_id: &str, keep: &str) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2",
                &[user_id.into(), keep.into()],
            )
            .map(drop)
    }

    /// Ends every session of an account (2FA reset, disabled account).
    pub fn delete_user_sessions(&mut self, user_id: &str) -> Result<(), StorageError> {
        self.conn()
            .execute("DELETE FROM sessions WHERE user_id = $1", &[user_id.into()])
            .map(drop)
    }

    /// The live session with this id hash, its idle timer restarted (to within
    /// [`SESSION_TOUCH_SECS`]); expired ones are deleted.
    pub fn touch_session(
        &mut self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<Session>, StorageError> {
        let read = self.conn().optional(
            "SELECT id_hash, csrf, user_id, stage, login_id, created_at, expires_at \
             FROM sessions WHERE id_hash = $1",
            &[id_hash.into()],
            |r| Ok((from_row(r)?, r.int(6)?)),
        )?;
        let Some((session, expires_at)) = read else {
            return Ok(None);
        };
        if expires_at <= now {
            self.delete_session(id_hash)?;
            return Ok(None);
        }
        let renewed = expiry(session.created_at, now);
        if renewed - expires_at >= SESSION_TOUCH_SECS {
            self.conn().execute(
                "UPDATE sessions SET expires_at = $1 WHERE id_hash = $2",
                &[renewed.into(), id_hash.into()],
            )?;
        }
        Ok(Some(session))
    }
}

impl Db {
    /// Stores a new session.
    pub async fn insert_session(&self, s: &Session, now: i64) -> Result<(), StorageError> {
        let s = s.clone();
        self.write(move |tx| tx.insert_session(&s, now)).await
    }

    /// The live session with this id hash, its idle timer restarted (to within
    /// [`SESSION_TOUCH_SECS`]); expired ones are deleted. One storage write, which writes
    /// only when the session has expired or its timer is due (once a minute).
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<Session>, StorageError> {
        let id_hash = id_hash.to_owned();
        self.write(move |tx| tx.touch_session(&id_hash, now)).await
    }

    /// Ends a session (logout, rotation).
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StorageError> {
        let id_hash = id_hash.to_owned();
        self.write(move |tx| tx.delete_session(&id_hash)).await
    }

    /// Ends every session of an account (disable, password reset).
    pub async fn delete_user_sessions(&self, user_id: &str) -> Result<(), StorageError> {
        let user_id = user_id.to_owned();
        self.write(move |tx| tx.delete_user_sessions(&user_id))
            .await
    }

    /// Removes sessions past their expiry.
    pub async fn purge_sessions(&self, now: i64) -> Result<u64, StorageError> {
        self.write(move |tx| {
            tx.conn()
                .execute("DELETE FROM sessions WHERE expires_at <= $1", &[now.into()])
        })
        .await
    }
}

fn expiry(created_at: i64, now: i64) -> i64 {
    (now + SESSION_IDLE_SECS).min(created_at + SESSION_MAX_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::db;

    fn anon(id: &str, now: i64) -> Session {
        Session {
            id_hash: id.into(),
            csrf: "c".into(),
            user_id: None,
            stage: Stage::Anonymous,
            login_id: None,
            created_at: now,
        }
    }

    #[tokio::test]
    async fn idle_session_expires_and_use_keeps_it_alive() {
        let (db, _dir) = db().await;
        db.insert_session(&anon("a", 0), 0).await.unwrap();
        assert!(
            db.touch_session("a", SESSION_IDLE_SECS - 1)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            db.touch_session("a", 2 * SESSION_IDLE_SECS - 2)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            db.touch_session("a", 4 * SESSION_IDLE_SECS)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            db.touch_session("a", 0).await.unwrap().is_none(),
            "expired session was deleted"
        );
    }

    /// Guards the idle limit against the skipped writes: a use within a minute of the last
    /// write does not extend the session, so it ends early, never late.
    #[tokio::test]
    async fn touches_within_a_minute_are_not_written_and_never_extend_the_limit() {
        let (db, _dir) = db().await;
        db.insert_session(&anon("c", 0), 0).await.unwrap();
        assert!(
            db.touch_session("c", SESSION_TOUCH_SECS - 1)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            db.touch_session("c", SESSION_IDLE_SECS)
                .await
                .unwrap()
                .is_none(),
            "the touch inside the first minute was not written"
        );
        db.insert_session(&anon("d", 0), 0).await.unwrap();
        db.touch_session("d", SESSION_TOUCH_SECS).await.unwrap();
        assert!(
            db.touch_session("d", SESSION_IDLE_SECS + SESSION_TOUCH_SECS - 1)
                .await
                .unwrap()
                .is_some(),
            "a touch a minute later was written"
        );
    }

    #[tokio::test]
    async fn replacing_a_session_ends_the_old_id_and_starts_the_new() {
        let (db, _dir) = db().await;
        db.insert_session(&anon("old", 0), 0).await.unwrap();
        db.write(|tx| {
            tx.replace_session(Some("old"), &anon("new", 5), 5)?;
            tx.replace_session(Some("gone"), &anon("fresh", 5), 5)
        })
        .await
        .unwrap();
        assert!(db.touch_session("old", 6).await.unwrap().is_none());
        assert!(db.touch_session("new", 6).await.unwrap().is_some());
        assert!(db.touch_session("fresh", 6).await.unwrap().is_some());
        let failed: Result<(), StorageError> = db
            .write(|tx| {
                tx.delete_session("new")?;
                Err(StorageError::RowMissing)
            })
            .await;
        assert!(failed.is_err());
        assert!(
            db.touch_session("new", 7).await.unwrap().is_some(),
            "a write that failed changed nothing"
        );
    }

    #[tokio::test]
    async fn session_ends_after_max_lifetime_even_when_used() {
        let (db, _dir) = db().await;
        db.insert_session(&anon("b", 0), 0).await.unwrap();
        let mut t = 0;
        while t < SESSION_MAX_SECS - SESSION_IDLE_SECS {
            t += SESSION_IDLE_SECS - 1;
            assert!(db.touch_session("b", t).await.unwrap().is_some());
        }
        assert!(
            db.touch_session("b", SESSION_MAX_SECS)
                .await
                .unwrap()
                .is_none()
        );
    }
}
