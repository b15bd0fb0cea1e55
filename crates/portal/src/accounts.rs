//! Account operations shared by the operator CLI, the login's rules (`crate::login`), the demo
//! and tests: create an account, disable or unlock it, enrollment URIs, 2FA reset, new seeds
//! and recovery codes.

use std::sync::Arc;

use zeroize::Zeroizing;
use zweifaktor_protocol::messages::EnrollToken;
use zweifaktor_protocol::otp::HashAlgorithm;
use zweifaktor_protocol::uri::{OtpKind, PortalEnrollment, ZWEIFAKTOR_SEED_BYTES};
use zweifaktor_protocol::{OtpAuthUri, Seed};

use crate::codes::TOTP_PERIOD_SECS;
use crate::storage::devices::ENROLL_TOKEN_LIFETIME_SECS;
use crate::storage::users::User;
use crate::tokens::RECOVERY_CODE_COUNT;

use crate::keys::{KeyError, PortalKeys};
use crate::password::{self, PasswordError};
use crate::state::AppState;
use crate::storage::{StorageError, WriteTx};
use crate::tokens::{SecretToken, new_id, random_bytes};

/// Digits of every code (RFC 4226 §5.3 minimum, what people type comfortably).
const CODE_DIGITS: u8 = 6;

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
/// handed to the user (it is stored only as a hash, and must be replaced after the first
/// login).
pub async fn create_user(state: &AppState, email: &str) -> Result<SecretToken, AccountError> {
    let initial = SecretToken::recovery_code();
    let id = create_user_with_password(state, email, Zeroizing::new(initial.expose().to_string()))
        .await?;
    let user = state
        .db
        .user_by_id(&id)
        .await?
        .ok_or(AccountError::NotFound)?;
    state
        .db
        .set_password_hash(&id, &user.password_hash, true)
        .await?;
    Ok(initial)
}

/// Gives an account a new one-time password (the answer to "Passwort vergessen?"), to be
/// replaced after the next login; ends its sessions and releases a lock.
pub async fn reset_password(state: &AppState, email: &str) -> Result<SecretToken, AccountError> {
    let user = state
        .db
        .user_by_email(email)
        .await?
        .ok_or(AccountError::NotFound)?;
    let initial = SecretToken::recovery_code();
    let hash = password::hash(
        state.config.password_profile,
        Zeroizing::new(initial.expose().to_string()),
    )
    .await?;
    let user_id = user.id.clone();
    state
        .db
        .write(move |tx| {
            tx.set_password_hash(&user_id, &hash, true)?;
            tx.delete_user_sessions(&user_id)?;
            tx.reset_failures(&user_id)
        })
        .await?;
    tracing::info!(user = %user.id, "password reset by operator");
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
    let seed = Seed::from_bytes(random_bytes(ZWEIFAKTOR_SEED_BYTES));
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
    if !state.db.set_disabled(email, disabled).await? {
        return Err(AccountError::NotFound);
    }
    tracing::info!(user = %user.id, disabled, "account state changed by operator");
    Ok(())
}

/// Releases the lock after too many failed second factors, and the wrong-password back-off
/// (operator action).
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

/// A fresh enrollment URI for `user`: the account's seed plus a new single-use enroll token,
/// the portal URL and the portal's public key. Earlier tokens stay valid until used or
/// expired, so a page shown again (say after a mistyped code) does not break a QR code that
/// was already scanned. The URI holds the seed and is wiped when dropped; it must never be
/// logged.
pub async fn enrollment_uri(
    state: &AppState,
    user: &User,
) -> Result<Zeroizing<String>, AccountError> {
    let token = SecretToken::generate();
    state
        .db
        .insert_enroll_token(
            &token.hash(),
            &user.id,
            state.now() + ENROLL_TOKEN_LIFETIME_SECS,
        )
        .await?;
    build_enrollment_uri(state, user, &user.seed_enc, &token)
}

/// The enrollment URI of the first enrollment of `user` (see [`enrollment_uri`]), or `None`
/// once the account has had a device. The account is judged as it is when the token is
/// stored, in one transaction with it, not as the caller read it
/// (`WriteTx::claim_first_enrollment`).
pub async fn first_enrollment_uri(
    state: &AppState,
    user: &User,
) -> Result<Option<Zeroizing<String>>, AccountError> {
    let token = SecretToken::generate();
    let (user_id, token_hash) = (user.id.clone(), token.hash());
    let expires_at = state.now() + ENROLL_TOKEN_LIFETIME_SECS;
    let seed_enc = state
        .db
        .write(move |tx| {
            let Some(seed_enc) = tx.claim_first_enrollment(&user_id)? else {
                return Ok::<_, StorageError>(None);
            };
            tx.insert_enroll_token(&token_hash, &user_id, expires_at)?;
            Ok(Some(seed_enc))
        })
        .await?;
    seed_enc
        .map(|seed_enc| build_enrollment_uri(state, user, &seed_enc, &token))
        .transpose()
}

/// The enrollment URI of `user` with the sealed seed `seed_enc` and the stored `token`.
fn build_enrollment_uri(
    state: &AppState,
    user: &User,
    seed_enc: &str,
    token: &SecretToken,
) -> Result<Zeroizing<String>, AccountError> {
    let uri = OtpAuthUri {
        kind: OtpKind::Totp {
            period: TOTP_PERIOD_SECS,
        },
        issuer: Some(state.config.issuer.clone()),
        account_name: user.email.clone(),
        seed: state.keys.decrypt_seed(&user.id, seed_enc)?,
        algorithm: HashAlgorithm::Sha1,
        digits: CODE_DIGITS,
        zweifaktor: Some(PortalEnrollment {
            portal_url: format!("{}/", state.config.public_url),
            enroll_token: EnrollToken::new(token.expose().to_string()),
            portal_key: state.keys.signing_key().verifying_key(),
        }),
    };
    tracing::info!(user = %user.id, "enrollment URI issued");
    Ok(uri.to_uri_string())
}

/// Resets an account's second factor: new seed, all devices and sessions revoked, a new
/// device and new recovery codes due. Returns the new enrollment URI for the operator to
/// hand over (the account has had a device, so the password alone never shows this seed).
pub async fn reset_2fa(state: &AppState, email: &str) -> Result<Zeroizing<String>, AccountError> {
    let user = state
        .db
        .user_by_email(email)
        .await?
        .ok_or(AccountError::NotFound)?;
    let (user_id, keys) = (user.id.clone(), Arc::clone(&state.keys));
    state
        .db
        .write(move |tx| {
            replace_seed_in(tx, &keys, &user_id)?;
            tx.set_recovery_codes_due(&user_id, true)?;
            tx.delete_user_sessions(&user_id)?;
            Ok::<_, AccountError>(())
        })
        .await?;
    tracing::info!(user = %user.id, "second factor reset by operator");
    let user = state
        .db
        .user_by_id(&user.id)
        .await?
        .ok_or(AccountError::NotFound)?;
    enrollment_uri(state, &user).await
}

/// Gives an account a new seed (sealed with `keys`), revokes its devices and their unused
/// enroll tokens, and makes a new device due, as part of `tx`.
pub fn replace_seed_in(
    tx: &mut WriteTx<'_>,
    keys: &PortalKeys,
    user_id: &str,
) -> Result<(), AccountError> {
    tx.revoke_all_devices(user_id)?;
    tx.void_enroll_tokens(user_id)?;
    let seed = Seed::from_bytes(random_bytes(ZWEIFAKTOR_SEED_BYTES));
    let sealed = keys.encrypt_seed(user_id, &seed)?;
    tx.set_seed(user_id, &sealed)?;
    Ok(())
}

/// Issues a new set of one-time recovery codes (replacing older ones) as part of `tx`, and
/// returns them, to be shown once.
pub fn issue_recovery_codes_in(
    tx: &mut WriteTx<'_>,
    user_id: &str,
) -> Result<Vec<SecretToken>, AccountError> {
    let codes: Vec<SecretToken> = (0..RECOVERY_CODE_COUNT)
        .map(|_| SecretToken::recovery_code())
        .collect();
    let hashes: Vec<String> = codes.iter().map(SecretToken::hash).collect();
    tx.replace_recovery_codes(user_id, &hashes)?;
    tx.set_recovery_codes_due(user_id, false)?;
    tracing::info!(user = %user_id, "recovery codes issued");
    Ok(codes)
}

/// E-mail address of the demo account.
pub const DEMO_EMAIL: &str = "demo@zweifaktor.example";

/// Creates the demo account, or gives an existing one a new password; returns the password
/// and an enrollment URI for it.
pub async fn demo_account(
    state: &AppState,
) -> Result<(SecretToken, Zeroizing<String>), AccountError> {
    let password = SecretToken::recovery_code();
    let user = match state.db.user_by_email(DEMO_EMAIL).await? {
        Some(user) => {
            let hash = password::hash(
                state.config.password_profile,
                Zeroizing::new(password.expose().to_string()),
            )
            .await?;
            let user_id = user.id.clone();
            state
                .db
                .write(move |tx| {
                    tx.set_password_hash(&user_id, &hash, false)?;
                    tx.reset_failures(&user_id)
                })
                .await?;
            user
        }
        None => {
            let id = create_user_with_password(
                state,
                DEMO_EMAIL,
                Zeroizing::new(password.expose().to_string()),
            )
            .await?;
            state
                .db
                .user_by_id(&id)
                .await?
                .ok_or(AccountError::NotFound)?
        }
    };
    let uri = enrollment_uri(state, &user).await?;
    Ok((password, uri))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::ManualClock;
    use crate::config::Config;
    use crate::password::PasswordProfile;

    async fn state(dir: &tempfile::TempDir) -> Arc<AppState> {
        let mut config = Config::new(
            "https://portal.example",
            format!("sqlite://{}", dir.path().join("a.db").display()),
        );
        config.password_profile = PasswordProfile::LoadTest;
        AppState::open(config, Arc::new(ManualClock::new(1_700_000_000)))
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn enrollment_uri_carries_seed_token_url_and_key() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(&dir).await;
        let id = create_user_with_password(&state, "a@example.org", Zeroizing::new("pw".into()))
            .await
            .unwrap();
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        let uri = OtpAuthUri::parse(&enrollment_uri(&state, &user).await.unwrap()).unwrap();
        assert_eq!(uri.account_name, "a@example.org");
        assert_eq!(uri.seed.len(), ZWEIFAKTOR_SEED_BYTES);
        let zf = uri.zweifaktor.unwrap();
        assert_eq!(zf.portal_url, "https://portal.example/");
        assert_eq!(zf.portal_key, state.keys.signing_key().verifying_key());
        let hash = SecretToken::from_client(zf.enroll_token.expose_secret().to_string()).hash();
        assert_eq!(
            state
                .db
                .consume_enroll_token(&hash, state.now())
                .await
                .unwrap(),
            Some(id)
        );
    }

    #[tokio::test]
    async fn reset_2fa_replaces_the_seed_and_voids_old_tokens() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(&dir).await;
        let id = create_user_with_password(&state, "b@example.org", Zeroizing::new("pw".into()))
            .await
            .unwrap();
        state.db.set_must_enroll(&id, false).await.unwrap();
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        let first = OtpAuthUri::parse(&enrollment_uri(&state, &user).await.unwrap()).unwrap();
        let second = OtpAuthUri::parse(&reset_2fa(&state, "b@example.org").await.unwrap()).unwrap();
        assert_ne!(first.seed, second.seed);
        assert!(state.db.user_by_id(&id).await.unwrap().unwrap().must_enroll);
        let old = first.zweifaktor.unwrap().enroll_token;
        let old_hash = SecretToken::from_client(old.expose_secret().to_string()).hash();
        assert_eq!(
            state
                .db
                .consume_enroll_token(&old_hash, state.now())
                .await
                .unwrap(),
            None
        );
        assert!(matches!(
            reset_2fa(&state, "nobody@example.org").await,
            Err(AccountError::NotFound)
        ));
    }

    #[tokio::test]
    async fn demo_account_can_be_created_twice() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(&dir).await;
        let (first, _) = demo_account(&state).await.unwrap();
        let (second, _) = demo_account(&state).await.unwrap();
        assert_ne!(first.expose(), second.expose());
        let user = state.db.user_by_email(DEMO_EMAIL).await.unwrap().unwrap();
        assert!(
            password::verify(Zeroizing::new(second.expose().into()), user.password_hash)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn bad_and_duplicate_addresses_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let state = state(&dir).await;
        assert!(matches!(
            create_user(&state, "no-at-sign").await,
            Err(AccountError::InvalidEmail)
        ));
        create_user(&state, "c@example.org").await.unwrap();
        assert!(matches!(
            create_user(&state, "C@example.org").await,
            Err(AccountError::Exists)
        ));
    }
}
