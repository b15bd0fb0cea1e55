//! Account operations shared by the operator CLI, the demo and tests: create an account,
//! release a lock.

use zeroize::Zeroizing;
use zweifaktor_protocol::Seed;

use crate::keys::KeyError;
use crate::password::{self, PasswordError};
use crate::state::AppState;
use crate::storage::StorageError;
use crate::tokens::{SecretToken, new_id, random_bytes};
use crate::web::recovery::SEED_BYTES;

/// Errors of account operations.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    /// An account with this e-mail address exists already.
    #[error("an account with this e-mail address exists already")]
    Exists,
    /// No account has this e-mail address.
    #[error("no account has this e-mail address")]
    NotFound,
    /// The e-mail address is empty or has no `@`.
    #[error("not an e-mail address")]
    InvalidEmail,
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Encrypting the seed failed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// Hashing the password failed.
    #[error(transparent)]
    Password(#[from] PasswordError),
}

/// Creates an account with a random one-time initial password, which is returned to be
/// handed to the user (it is stored only as a hash).
pub async fn create_user(state: &AppState, email: &str) -> Result<SecretToken, AccountError> {
    let initial = SecretToken::recovery_code();
    create_user_with_password(state, email, Zeroizing::new(initial.expose().to_string())).await?;
    Ok(initial)
}

/// Creates an account with the given password and a fresh seed; returns its id.
pub async fn create_user_with_password(
    state: &AppState,
    email: &str,
    password: password::Password,
) -> Result<String, AccountError> {
    if !email.contains('@') || email.trim().len() < 3 {
        return Err(AccountError::InvalidEmail);
    }
    let id = new_id();
    let hash = password::hash(state.config.password_profile, password).await?;
    let seed = Seed::from_bytes(random_bytes(SEED_BYTES));
    let sealed = state.keys.encrypt_seed(&id, &seed)?;
    if !state
        .db
        .create_user(&id, email, &hash, &sealed, state.now())
        .await?
    {
        return Err(AccountError::Exists);
    }
    tracing::info!(user = %id, "account created");
    Ok(id)
}

/// Disables or re-enables an account; disabling also ends its sessions.
pub async fn set_disabled(
    state: &AppState,
    email: &str,
    disabled: bool,
) -> Result<(), AccountError> {
    let user = state
        .db
        .user_by_email(email)
        .await?
        .ok_or(AccountError::NotFound)?;
    state.db.set_disabled(email, disabled).await?;
    if disabled {
        state.db.delete_user_sessions(&user.id).await?;
    }
    tracing::info!(user = %user.id, disabled, "account state changed by operator");
    Ok(())
}

/// Releases the lock after too many failures (operator action).
pub async fn unlock(state: &AppState, email: &str) -> Result<(), AccountError> {
    let user = state
        .db
        .user_by_email(email)
        .await?
        .ok_or(AccountError::NotFound)?;
    state.db.reset_failures(&user.id).await?;
    tracing::info!(user = %user.id, "account unlocked by operator");
    Ok(())
}
