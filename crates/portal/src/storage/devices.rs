//! Registered devices (apps), the single-use enroll tokens that let them register, and the
//! answer nonces that stop replayed answers.

use super::sql::Row;
use super::{Db, ReadTx, StorageError, WriteTx};

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

/// The device of a row that selects [`device_columns`].
fn from_row(row: &dyn Row) -> Result<Device, StorageError> {
    Ok(Device {
        id: row.text(0)?,
        user_id: row.text(1)?,
        public_key: row.text(2)?,
        label: row.text(3)?,
        platform: row.text(4)?,
        created_at: row.int(5)?,
    })
}

/// The device columns, in the order [`from_row`] reads them.
macro_rules! device_columns {
    () => {
        "id, user_id, public_key, label, platform, created_at"
    };
}

/// A device about to be stored by [`WriteTx::insert_device`].
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
        let (token_hash, user_id) = (token_hash.to_owned(), user_id.to_owned());
        self.write(move |tx| tx.insert_enroll_token(&token_hash, &user_id, expires_at))
            .await
    }

    /// Uses up an enroll token: the account it belongs to, or `None` if it is unknown,
    /// expired or already used. Only one caller can ever get `Some` for a token.
    pub async fn consume_enroll_token(
        &self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StorageError> {
        let token_hash = token_hash.to_owned();
        self.write(move |tx| tx.consume_enroll_token(&token_hash, now))
            .await
    }

    /// The active device whose token hashes to `token_hash`.
    pub async fn device_by_token(&self, token_hash: &str) -> Result<Option<Device>, StorageError> {
        let token_hash = token_hash.to_owned();
        self.read(move |tx| tx.device_by_token(&token_hash)).await
    }

    /// Whether the device is registered and not revoked.
    pub async fn device_is_active(&self, device_id: &str) -> Result<bool, StorageError> {
        let device_id = device_id.to_owned();
        self.read(move |tx| tx.device_is_active(&device_id)).await
    }

    /// The active devices of an account, oldest first.
    pub async fn user_devices(&self, user_id: &str) -> Result<Vec<Device>, StorageError> {
        let user_id = user_id.to_owned();
        self.read(move |tx| {
            tx.conn().all(
                concat!(
                    "SELECT ",
                    device_columns!(),
                    " FROM devices WHERE user_id = $1 AND revoked = 0 ORDER BY created_at, id"
                ),
                &[(&user_id).into()],
                from_row,
            )
        })
        .await
    }

    /// Push tokens of the account's active devices, for the wake-up gateway.
    pub async fn push_tokens(&self, user_id: &str) -> Result<Vec<String>, StorageError> {
        let user_id = user_id.to_owned();
        self.read(move |tx| {
            tx.conn().all(
                "SELECT push_token FROM devices WHERE user_id = $1 AND revoked = 0 \
                 AND push_token IS NOT NULL",
                &[(&user_id).into()],
                |r| r.text(0),
            )
        })
        .await
    }

    /// Revokes one device of an account and announces it ([`Db::announce_revoked`]);
    /// `false` if there was no such active device.
    pub async fn revoke_device(
        &self,
        user_id: &str,
        device_id: &str,
    ) -> Result<bool, StorageError> {
        let (user_id, device_id) = (user_id.to_owned(), device_id.to_owned());
        self.write(move |tx| tx.revoke_device(&user_id, &device_id))
            .await
    }

    /// Deletes answer nonces received before `before` and enroll tokens that expired before
    /// it. Safe for nonces older than twice the answer skew: an answer that old fails the
    /// timestamp check before its nonce is looked at.
    pub async fn purge_device_records(&self, before: i64) -> Result<(), StorageError> {
        self.write(move |tx| {
            tx.conn().execute(
                "DELETE FROM answer_nonces WHERE created_at < $1",
                &[before.into()],
            )?;
            tx.conn().execute(
                "DELETE FROM enroll_tokens WHERE expires_at < $1",
                &[before.into()],
            )?;
            Ok(())
        })
        .await
    }
}

impl ReadTx<'_> {
    /// The active device whose token hashes to `token_hash`.
    pub fn device_by_token(&mut self, token_hash: &str) -> Result<Option<Device>, StorageError> {
        self.conn().optional(
            concat!(
                "SELECT ",
                device_columns!(),
                " FROM devices WHERE token_hash = $1 AND revoked = 0"
            ),
            &[token_hash.into()],
            from_row,
        )
    }

    /// Whether the device is registered and not revoked.
    pub fn device_is_active(&mut self, device_id: &str) -> Result<bool, StorageError> {
        let found = self.conn().optional(
            "SELECT id FROM devices WHERE id = $1 AND revoked = 0",
            &[device_id.into()],
            |_| Ok(()),
        )?;
        Ok(found.is_some())
    }
}

impl WriteTx<'_> {
    /// Stores an enroll token (by hash) for `user_id`, valid until `expires_at`.
    pub fn insert_enroll_token(
        &mut self,
        token_hash: &str,
        user_id: &str,
        expires_at: i64,
    ) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "INSERT INTO enroll_tokens (token_hash, user_id, expires_at) VALUES ($1, $2, $3)",
                &[token_hash.into(), user_id.into(), expires_at.into()],
            )
            .map(drop)
    }

    /// Uses up an enroll token (see [`Db::consume_enroll_token`]).
    pub fn consume_enroll_token(
        &mut self,
        token_hash: &str,
        now: i64,
    ) -> Result<Option<String>, StorageError> {
        self.conn().optional(
            "UPDATE enroll_tokens SET used = 1 WHERE token_hash = $1 AND used = 0 \
             AND expires_at > $2 RETURNING user_id",
            &[token_hash.into(), now.into()],
            |r| r.text(0),
        )
    }

    /// Voids every unused enroll token of an account (2FA reset, new QR code).
    pub fn void_enroll_tokens(&mut self, user_id: &str) -> Result<(), StorageError> {
        self.conn()
            .execute(
                "UPDATE enroll_tokens SET used = 1 WHERE user_id = $1 AND used = 0",
                &[user_id.into()],
            )
            .map(drop)
    }

    /// Stores a registered device.
    pub fn insert_device(&mut self, new: NewDevice<'_>) -> Result<(), StorageError> {
        let d = new.device;
        self.conn()
            .execute(
                "INSERT INTO devices (id, user_id, public_key, label, platform, push_token, \
                 token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    (&d.id).into(),
                    (&d.user_id).into(),
                    (&d.public_key).into(),
                    (&d.label).into(),
                    (&d.platform).into(),
                    new.push_token.into(),
                    new.token_hash.into(),
                    d.created_at.into(),
                ],
            )
            .map(drop)
    }

    /// Revokes one device of an account; `false` if there was no such active device. The
    /// revocation is announced when the transaction commits.
    pub fn revoke_device(&mut self, user_id: &str, device_id: &str) -> Result<bool, StorageError> {
        let changed = self.conn().execute(
            "UPDATE devices SET revoked = 1 WHERE id = $1 AND user_id = $2 AND revoked = 0",
            &[device_id.into(), user_id.into()],
        )?;
        if changed > 0 {
            self.announce_after_commit(user_id);
        }
        Ok(changed > 0)
    }

    /// Revokes every device of an account (2FA reset, recovery, last device removed),
    /// announced when the transaction commits.
    pub fn revoke_all_devices(&mut self, user_id: &str) -> Result<(), StorageError> {
        let changed = self.conn().execute(
            "UPDATE devices SET revoked = 1 WHERE user_id = $1 AND revoked = 0",
            &[user_id.into()],
        )?;
        if changed > 0 {
            self.announce_after_commit(user_id);
        }
        Ok(())
    }

    /// How many devices of the account are active.
    pub fn active_devices(&mut self, user_id: &str) -> Result<i64, StorageError> {
        self.conn().one(
            "SELECT COUNT(*) AS n FROM devices WHERE user_id = $1 AND revoked = 0",
            &[user_id.into()],
            |r| r.int(0),
        )
    }

    /// Records an answer nonce of a device; `false` if the device used it before (a replay).
    pub fn remember_answer_nonce(
        &mut self,
        device_id: &str,
        nonce: &str,
        now: i64,
    ) -> Result<bool, StorageError> {
        let stored = self.conn().execute(
            "INSERT INTO answer_nonces (device_id, nonce, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
            &[device_id.into(), nonce.into(), now.into()],
        )?;
        Ok(stored > 0)
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
        db.write(move |tx| {
            tx.insert_device(NewDevice {
                device: &device,
                push_token: None,
                token_hash: "th",
            })
        })
        .await
        .unwrap();
        assert_eq!(db.device_by_token("th").await.unwrap().unwrap().id, "d");
        assert_eq!(db.user_devices("u").await.unwrap().len(), 1);
        assert!(db.push_tokens("u").await.unwrap().is_empty());
        let nonce = |now: i64| {
            let db = db.clone();
            async move {
                db.write(move |tx| tx.remember_answer_nonce("d", "n1", now))
                    .await
                    .unwrap()
            }
        };
        assert!(nonce(1).await);
        assert!(!nonce(2).await, "replayed");
        db.purge_device_records(2).await.unwrap();
        assert!(nonce(3).await, "purged nonce");
        let mut revocations = db.revocations();
        assert!(!db.revoke_device("other", "d").await.unwrap());
        assert!(db.device_is_active("d").await.unwrap());
        assert!(revocations.is_empty(), "nothing revoked, nothing announced");
        let rolled_back: Result<(), StorageError> = db
            .write(|tx| {
                tx.revoke_all_devices("u")?;
                Err(StorageError::RowMissing)
            })
            .await;
        assert!(rolled_back.is_err());
        assert!(
            revocations.is_empty(),
            "a revocation that rolled back is not announced"
        );
        assert!(db.device_is_active("d").await.unwrap());
        db.write(|tx| tx.revoke_all_devices("u")).await.unwrap();
        assert_eq!(&*revocations.try_recv().unwrap(), "u");
        assert!(!db.device_is_active("d").await.unwrap());
        assert!(db.device_by_token("th").await.unwrap().is_none());
        assert!(db.user_devices("u").await.unwrap().is_empty());
    }
}
