//! Registered devices (apps), the single-use enroll tokens that let them register, and the
//! answer nonces that stop replayed answers.

use sqlx::AnyConnection;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Db, StorageError, WriteTx};

/// An enroll token is valid this long (DESIGN.md Protocol v1: 10 minutes), enough to scan a
/// QR code, short enough that a photographed letter soon becomes useless.
pub const ENROLL_TOKEN_LIFETIME_SECS: i64 = 10 * 60;

/// One registered device as stored.
#[derive(Debug, Clone)]
pub struct Device {
    /// Random hex id, returned to the device at registration.
    pub id: String,
    /// The account.
    pub user_id: String,
    /// The device's Ed25519 public key, base64url.
    pub public_key: String,
    /// Name the user gave the device.
    pub label: String,
    /// Platform the app reported (android, ios, desktop, cli).
    pub platform: String,
    /// Unix seconds of registration.
    pub created_at: i64,
}

fn from_row(row: &AnyRow) -> Result<Device, sqlx::Error> {
    Ok(Device {
        id: row.try_get("id")?,
        user_id: row.try_get("user_id")?,
        public_key: row.try_get("public_key")?,
        label: row.try_get("label")?,
        platform: row.try_get("platform")?,
        created_at: row.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, user_id, public_key, label, platform, created_at";

/// A device about to be stored by [`Db::insert_device`].
#[derive(Debug)]
pub struct NewDevice<'a> {
    /// The registered device.
    pub device: &'a Device,
    /// Optional wake-up push token.
    pub push_token: Option<&'a str>,
    /// SHA-256 hex of the device token.
    pub token_hash: &'a str,
}

impl Db {
    /// Stores an enroll token (by hash) for `user_id`, valid until `expires_at`.
    pub async fn insert_enroll_token(
        &self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        Ok(insert_enroll_token_on(
            &mut *self.writer().acquire().await?,
            token_hash,
            user_id,
            expires_at,
        )
        .await?)
    }

    /// Uses up an enroll token: the account it belongs to, or `None` if it is unknown,
    /// expired or already used. Only one caller can ever get `Some` for a token.
    pub async fn consume_enroll_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StorageError> {
        Ok(consume_enroll_token_on(&mut *self.writer().acquire().await?, token_hash, now).await?)
    }

    /// Voids every unused enroll token of an account (2FA reset, new QR code).
    pub async fn void_enroll_tokens(&self, user_id: &str) -> Result<(), StorageError> {
        Ok(void_enroll_tokens_on(&mut *self.writer().acquire().await?, user_id).await?)
    }

    /// Stores a registered device.
    pub async fn insert_device(&self, new: NewDevice<'_>) -> Result<(), StorageError> {
        Ok(insert_device_on(&mut *self.writer().acquire().await?, new).await?)
    }

    /// The active device whose token hashes to `token_hash`.
    pub async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>, StorageError> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM devices WHERE token_hash = $1 AND revoked = 0"
        ))
        .bind(token_hash)
        .fetch_optional(self.reader())
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// Whether the device is registered and not revoked.
    pub async fn device_is_active(&self, device_id: &str) -> Result<bool, StorageError> {
        let row = sqlx::query("SELECT id FROM devices WHERE id = $1 AND revoked = 0")
            .bind(device_id)
            .fetch_optional(self.reader())
            .await?;
        Ok(row.is_some())
    }

    /// The active devices of an account, oldest first.
    pub async fn user_devices(&self, user_id: &str) -> Result<Vec<Device>, StorageError> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM devices WHERE user_id = $1 AND revoked = 0 ORDER BY created_at, id"
        ))
        .bind(user_id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows.iter().map(from_row).collect::<Result<_, _>>()?)
    }

    /// Push tokens of the account's active devices, for the wake-up gateway.
    pub async fn push_tokens(&self, user_id: &str) -> Result<Vec<String>, StorageError> {
        let rows = sqlx::query(
            "SELECT push_token FROM devices WHERE user_id = $1 AND revoked = 0 \
             AND push_token IS NOT NULL",
        )
        .bind(user_id)
        .fetch_all(self.reader())
        .await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String, _>("push_token"))
            .collect::<Result<_, _>>()?)
    }

    /// Revokes one device of an account and announces it ([`Db::announce_revoked`]);
    /// `false` if there was no such active device.
    pub async fn revoke_device(
        &self,
        user_id: &str,
        device_id: &str,
    ) -> Result<bool, StorageError> {
        let mut tx = self.begin_write().await?;
        let revoked = tx.revoke_device(user_id, device_id).await?;
        tx.commit().await?;
        Ok(revoked)
    }

    /// Records an answer nonce of a device; `false` if the device used it before (a replay).
    pub async fn remember_answer_nonce(
        &self,
        device_id: &str,
        nonce: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let result = sqlx::query(
            "INSERT INTO answer_nonces (device_id, nonce, created_at) VALUES ($1, $2, $3)",
        )
        .bind(device_id)
        .bind(nonce)
        .bind(now)
        .execute(self.writer())
        .await;
        match result {
            Ok(_) => Ok(true),
            Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Ok(false),
            Err(e) => Err(e.into()),
        }
    }
}

async fn insert_enroll_token_on(
    conn: &mut AnyConnection,
    token_hash: &str,
    user_id: &str,
    expires_at: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO enroll_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(token_hash)
        .bind(user_id)
        .bind(expires_at)
        .execute(conn)
        .await?;
    Ok(())
}

async fn consume_enroll_token_on(
    conn: &mut AnyConnection,
    token_hash: &str,
    now: i64,
) -> Result<Option<String>, sqlx::Error> {
    let row = sqlx::query(
        "UPDATE enroll_tokens SET used = 1 WHERE token_hash = $1 AND used = 0 AND expires_at > $2 \
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(conn)
    .await?;
    row.map(|r| r.try_get("user_id")).transpose()
}

async fn void_enroll_tokens_on(conn: &mut AnyConnection, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE enroll_tokens SET used = 1 WHERE user_id = $1 AND used = 0")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}

async fn insert_device_on(conn: &mut AnyConnection, new: NewDevice<'_>) -> Result<(), sqlx::Error> {
    let d = new.device;
    sqlx::query(
        "INSERT INTO devices (id, user_id, public_key, label, platform, push_token, token_hash, \
         created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&d.id)
    .bind(&d.user_id)
    .bind(&d.public_key)
    .bind(&d.label)
    .bind(&d.platform)
    .bind(new.push_token.map(str::to_string))
    .bind(new.token_hash)
    .bind(d.created_at)
    .execute(conn)
    .await?;
    Ok(())
}

async fn revoke_device_on(
    conn: &mut AnyConnection,
    user_id: &str,
    device_id: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE devices SET revoked = 1 WHERE id = $1 AND user_id = $2 AND revoked = 0",
    )
    .bind(device_id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

impl WriteTx {
    /// Stores an enroll token (see [`Db::insert_enroll_token`]).
    pub async fn insert_enroll_token(
        &mut self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        Ok(insert_enroll_token_on(self.conn(), token_hash, user_id, expires_at).await?)
    }

    /// Uses up an enroll token (see [`Db::consume_enroll_token`]).
    pub async fn consume_enroll_token(
        &mut self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StorageError> {
        Ok(consume_enroll_token_on(self.conn(), token_hash, now).await?)
    }

    /// Voids every unused enroll token of an account.
    pub async fn void_enroll_tokens(&mut self, user_id: &str) -> Result<(), StorageError> {
        Ok(void_enroll_tokens_on(self.conn(), user_id).await?)
    }

    /// Stores a registered device.
    pub async fn insert_device(&mut self, new: NewDevice<'_>) -> Result<(), StorageError> {
        Ok(insert_device_on(self.conn(), new).await?)
    }

    /// Revokes one device of an account; `false` if there was no such active device. The
    /// revocation is announced when the transaction commits ([`WriteTx::commit`]).
    pub async fn revoke_device(
        &mut self,
        user_id: &str,
        device_id: &str,
    ) -> Result<bool, StorageError> {
        let revoked = revoke_device_on(self.conn(), user_id, device_id).await?;
        if revoked {
            self.announce_after_commit(user_id);
        }
        Ok(revoked)
    }

    /// Revokes every device of an account (2FA reset, recovery, last device removed),
    /// announced when the transaction commits.
    pub async fn revoke_all_devices(&mut self, user_id: &str) -> Result<(), StorageError> {
        let done = sqlx::query("UPDATE devices SET revoked = 1 WHERE user_id = $1 AND revoked = 0")
            .bind(user_id)
            .execute(self.conn())
            .await?;
        if done.rows_affected() > 0 {
            self.announce_after_commit(user_id);
        }
        Ok(())
    }

    /// How many devices of the account are active.
    pub async fn active_devices(&mut self, user_id: &str) -> Result<i64, StorageError> {
        Ok(
            sqlx::query("SELECT COUNT(*) AS n FROM devices WHERE user_id = $1 AND revoked = 0")
                .bind(user_id)
                .fetch_one(self.conn())
                .await?
                .try_get("n")?,
        )
    }
}

impl Db {
    /// Deletes answer nonces received before `before` and enroll tokens that expired before
    /// it. Safe for nonces older than twice the answer skew: an answer that old fails the
    /// timestamp check before its nonce is looked at.
    pub async fn purge_device_records(&self, before: i64) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM answer_nonces WHERE created_at < $1")
            .bind(before)
            .execute(self.writer())
            .await?;
        sqlx::query("DELETE FROM enroll_tokens WHERE expires_at < $1")
            .bind(before)
            .execute(self.writer())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::testing::db;

    #[tokio::test]
    async fn enroll_token_is_single_use_and_expires() {
        let (db, _dir) = db().await;
        db.create_user("u", "u@example.org", "h", "s", 0)
            .await
            .unwrap();
        db.insert_enroll_token("t1", "u", 100).await.unwrap();
        db.insert_enroll_token("t2", "u", 100).await.unwrap();
        assert_eq!(
            db.consume_enroll_token("t1", 50).await.unwrap().as_deref(),
            Some("u")
        );
        assert_eq!(
            db.consume_enroll_token("t1", 50).await.unwrap(),
            None,
            "reuse"
        );
        assert_eq!(
            db.consume_enroll_token("t2", 100).await.unwrap(),
            None,
            "expired"
        );
        assert_eq!(db.consume_enroll_token("nope", 0).await.unwrap(), None);
    }

    #[tokio::test]
    async fn devices_are_found_by_token_until_revoked_and_nonces_replay_once() {
        let (db, _dir) = db().await;
        db.create_user("u", "u@example.org", "h", "s", 0)
            .await
            .unwrap();
        let device = Device {
            id: "d".into(),
            user_id: "u".into(),
            public_key: "pk".into(),
            label: "Telefon".into(),
            platform: "cli".into(),
            created_at: 1,
        };
        db.insert_device(NewDevice {
            device: &device,
            push_token: None,
            token_hash: "th",
        })
        .await
        .unwrap();
        assert_eq!(db.device_by_token("th").await.unwrap().unwrap().id, "d");
        assert_eq!(db.user_devices("u").await.unwrap().len(), 1);
        assert!(db.push_tokens("u").await.unwrap().is_empty());
        assert!(db.remember_answer_nonce("d", "n1", 1).await.unwrap());
        assert!(!db.remember_answer_nonce("d", "n1", 2).await.unwrap());
        db.purge_device_records(2).await.unwrap();
        assert!(
            db.remember_answer_nonce("d", "n1", 3).await.unwrap(),
            "purged nonce"
        );
        let mut revocations = db.revocations();
        assert!(!db.revoke_device("other", "d").await.unwrap());
        assert!(db.device_is_active("d").await.unwrap());
        assert!(revocations.is_empty(), "nothing revoked, nothing announced");
        let mut tx = db.begin_write().await.unwrap();
        tx.revoke_all_devices("u").await.unwrap();
        drop(tx);
        assert!(
            revocations.is_empty(),
            "a revocation that rolled back is not announced"
        );
        assert!(db.device_is_active("d").await.unwrap());
        let mut tx = db.begin_write().await.unwrap();
        tx.revoke_all_devices("u").await.unwrap();
        assert!(revocations.is_empty(), "announced only after the commit");
        tx.commit().await.unwrap();
        assert_eq!(&*revocations.try_recv().unwrap(), "u");
        assert!(!db.device_is_active("d").await.unwrap());
        assert!(db.device_by_token("th").await.unwrap().is_none());
        assert!(db.user_devices("u").await.unwrap().is_empty());
    }
}
