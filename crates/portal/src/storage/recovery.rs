//! One-time recovery codes, stored as SHA-256 hashes.

use super::{Db, StorageError, WriteTx};

impl Db {
    /// Replaces all recovery codes of an account with these hashes.
    pub async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StorageError> {
        let (user_id, hashes) = (user_id.to_owned(), hashes.to_vec());
        self.write(move |tx| tx.replace_recovery_codes(&user_id, &hashes))
            .await
    }

    /// Uses up a recovery code of `user_id`; `true` exactly once per code.
    pub async fn consume_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StorageError> {
        let (user_id, code_hash) = (user_id.to_owned(), code_hash.to_owned());
        self.write(move |tx| tx.consume_recovery_code(&user_id, &code_hash))
            .await
    }
}

impl WriteTx<'_> {
    /// Replaces all recovery codes of an account with these hashes.
    pub fn replace_recovery_codes(
        &mut self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StorageError> {
        self.conn().execute(
            "DELETE FROM recovery_codes WHERE user_id = $1",
            &[user_id.into()],
        )?;
        for hash in hashes {
            self.conn().execute(
                "INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)",
                &[hash.into(), user_id.into()],
            )?;
        }
        Ok(())
    }

    /// Uses up a recovery code of `user_id`; `true` exactly once per code.
    pub fn consume_recovery_code(
        &mut self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StorageError> {
        let changed = self.conn().execute(
            "UPDATE recovery_codes SET used = 1 WHERE user_id = $1 AND code_hash = $2 \
             AND used = 0",
            &[user_id.into(), code_hash.into()],
        )?;
        Ok(changed > 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::storage::testing::db;

    #[tokio::test]
    async fn code_works_once_for_its_own_user_only() {
        let (db, _dir) = db().await;
        db.create_user("u", "u@example.org", "h", "s", 0)
            .await
            .unwrap();
        db.create_user("v", "v@example.org", "h", "s", 0)
            .await
            .unwrap();
        db.replace_recovery_codes("u", &["c1".into(), "c2".into()])
            .await
            .unwrap();
        assert!(!db.consume_recovery_code("v", "c1").await.unwrap());
        assert!(db.consume_recovery_code("u", "c1").await.unwrap());
        assert!(!db.consume_recovery_code("u", "c1").await.unwrap());
        db.replace_recovery_codes("u", &["c3".into()])
            .await
            .unwrap();
        assert!(
            !db.consume_recovery_code("u", "c2").await.unwrap(),
            "old codes are gone"
        );
    }
}
