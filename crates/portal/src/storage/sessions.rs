//! Browser sessions, stored by the SHA-256 of their cookie value, each with its CSRF token.

use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Db, StorageError};

/// A session unused this long ends: NIST SP 800-63B §4.2.3 (AAL2) asks for re-authentication
/// after 30 minutes of inactivity.
pub const SESSION_IDLE_SECS: i64 = 30 * 60;

/// A session ends this long after it began, whatever its use (NIST SP 800-63B §4.2.3, AAL2:
/// 12 hours).
pub const SESSION_MAX_SECS: i64 = 12 * 60 * 60;

/// How far a session has got through the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// No password checked yet.
    Anonymous,
    /// Password checked; waiting for the security code of the session's login.
    Code,
    /// Password checked, no device yet: enrollment, then the first code.
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

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("user_id", &self.user_id)
            .field("stage", &self.stage)
            .field("login_id", &self.login_id)
            .finish_non_exhaustive()
    }
}

fn from_row(row: &AnyRow) -> Result<Session, sqlx::Error> {
    Ok(Session {
        id_hash: row.try_get("id_hash")?,
        csrf: row.try_get("csrf")?,
        user_id: row.try_get("user_id")?,
        stage: Stage::parse(&row.try_get::<String, _>("stage")?),
        login_id: row.try_get("login_id")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Db {
    /// Stores a new session.
    pub async fn insert_session(&self, s: &Session, now: i64) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, csrf, user_id, stage, login_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&s.id_hash)
        .bind(&s.csrf)
        .bind(s.user_id.clone())
        .bind(s.stage.as_str())
        .bind(s.login_id.clone())
        .bind(s.created_at)
        .bind(expiry(s.created_at, now))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The live session with this id hash, its idle timer restarted; expired ones are deleted.
    pub async fn touch_session(
        &self,
        id_hash: &str,
        now: i64,
    ) -> Result<Option<Session>, StorageError> {
        let row = sqlx::query(
            "SELECT id_hash, csrf, user_id, stage, login_id, created_at, expires_at \
             FROM sessions WHERE id_hash = $1",
        )
        .bind(id_hash)
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let expires_at: i64 = row.try_get("expires_at")?;
        if expires_at <= now {
            self.delete_session(id_hash).await?;
            return Ok(None);
        }
        let session = from_row(&row)?;
        sqlx::query("UPDATE sessions SET expires_at = $1 WHERE id_hash = $2")
            .bind(expiry(session.created_at, now))
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(Some(session))
    }

    /// Ends a session (logout, rotation).
    pub async fn delete_session(&self, id_hash: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of an account (disable, 2FA reset).
    pub async fn delete_user_sessions(&self, user_id: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Removes sessions past their expiry.
    pub async fn purge_sessions(&self, now: i64) -> Result<u64, StorageError> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(self.pool())
            .await?;
        Ok(done.rows_affected())
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
