//! One-time recovery codes, stored as SHA-256 hashes.

use super::{Db, StorageError};

impl Db {
    /// Replaces all recovery codes of an account with these hashes.
    pub async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StorageError> {
        let mut tx = self.writer().begin().await?;
        sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        for hash in hashes {
            sqlx::query("INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)")
                .bind(hash)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Uses up a recovery code of `user_id`; `true` exactly once per code.
    pub async fn consume_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StorageError> {
        let done = sqlx::query(
            "UPDATE recovery_codes SET used = 1 WHERE user_id = $1 AND code_hash = $2 AND used = 0",
        )
        .bind(user_id)
        .bind(code_hash)
        .execute(self.writer())
        .await?;
        Ok(done.rows_affected() > 0)
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
