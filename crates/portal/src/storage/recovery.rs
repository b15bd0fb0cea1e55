//! One-time recovery codes, stored as SHA-256 hashes.

use sqlx::AnyConnection;

use super::{Db, StorageError, WriteTx};

async fn replace_on(
    conn: &mut AnyConnection,
    user_id: &str,
    hashes: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in hashes {
        sqlx::query("INSERT INTO recovery_codes (code_hash, user_id) VALUES ($1, $2)")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

async fn consume_on(
    conn: &mut AnyConnection,
    user_id: &str,
    code_hash: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE recovery_codes SET used = 1 WHERE user_id = $1 AND code_hash = $2 AND used = 0",
    )
    .bind(user_id)
    .bind(code_hash)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

impl Db {
    /// Replaces all recovery codes of an account with these hashes.
    pub async fn replace_recovery_codes(
        &self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StorageError> {
        let mut tx = self.begin_write().await?;
        tx.replace_recovery_codes(user_id, hashes).await?;
        tx.commit().await
    }

    /// Uses up a recovery code of `user_id`; `true` exactly once per code.
    pub async fn consume_recovery_code(
        &self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StorageError> {
        Ok(consume_on(&mut *self.writer().acquire().await?, user_id, code_hash).await?)
    }
}

impl WriteTx {
    /// Replaces all recovery codes of an account with these hashes.
    pub async fn replace_recovery_codes(
        &mut self,
        user_id: &str,
        hashes: &[String],
    ) -> Result<(), StorageError> {
        Ok(replace_on(self.conn(), user_id, hashes).await?)
    }

    /// Uses up a recovery code of `user_id`; `true` exactly once per code.
    pub async fn consume_recovery_code(
        &mut self,
        user_id: &str,
        code_hash: &str,
    ) -> Result<bool, StorageError> {
        Ok(consume_on(self.conn(), user_id, code_hash).await?)
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
