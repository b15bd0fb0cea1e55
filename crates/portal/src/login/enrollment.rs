//! Enrollment: who may see a seed, registering a device, and removing one.
//!
//! A seed (in an enrollment URI or its QR code) is shown only
//! - to a session that has passed the second factor (the dashboard's "Neues Gerät"), or
//! - on the first enrollment of an account that never had a device
//!   ([`User::first_enrollment_open`]), the one page a password alone may reach.
//!
//! Any registration ends a due enrollment in the transaction that stores the device, so an
//! account that has a device never sends a password-only login to the enrollment page again.

use zeroize::Zeroizing;

use crate::accounts::{self, replace_seed_in};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::devices::{Device, NewDevice};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;
use crate::tokens::SecretToken;

/// What the first-enrollment page may show.
#[derive(Debug)]
pub enum FirstEnrollment {
    /// The enrollment URI (it holds the seed and is wiped when dropped).
    Show(Zeroizing<String>),
    /// Not this session or not any more: the account has had a device. The code page is
    /// the way on.
    Closed,
}

/// The first enrollment for a session waiting at [`Stage::Enroll`]: its URI while the
/// account has never had a device, [`FirstEnrollment::Closed`] otherwise.
pub async fn first_enrollment(
    state: &AppState,
    session: &Session,
    user: &User,
) -> Result<FirstEnrollment, AppError> {
    if session.stage != Stage::Enroll || !user.first_enrollment_open() {
        return Ok(FirstEnrollment::Closed);
    }
    Ok(FirstEnrollment::Show(
        accounts::enrollment_uri(state, user).await?,
    ))
}

/// A new device for a logged-in user (the dashboard's "Neues Gerät einrichten"): the caller
/// has checked that the session passed the second factor (`web::guards::Authenticated`).
pub async fn new_device(state: &AppState, user: &User) -> Result<Zeroizing<String>, AppError> {
    Ok(accounts::enrollment_uri(state, user).await?)
}

/// A device as the app describes itself at registration.
#[derive(Debug)]
pub struct DeviceDraft<'a> {
    /// The device's Ed25519 public key, base64url.
    pub public_key: String,
    /// Name the user gave it.
    pub label: &'a str,
    /// Platform the app reported.
    pub platform: String,
    /// Optional wake-up push token.
    pub push_token: Option<&'a str>,
    /// The new device's id.
    pub id: String,
}

/// A registered device and the token it reads its challenges with.
pub struct Registered {
    /// The stored device.
    pub device: Device,
    /// The device token, handed to the device once; only its hash is stored.
    pub token: SecretToken,
}

impl std::fmt::Debug for Registered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registered")
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// Registers a device with the enroll token hashing to `token_hash`, in one transaction:
/// the token is used up, the device stored and the account's due enrollment ended. On the
/// account's first registration ever, the other unused enroll tokens are voided, so a
/// first-enrollment page seen after the password alone cannot add a second device; later
/// devices come from the dashboard. `None` if the token is unknown, used or expired.
pub async fn register_device(
    state: &AppState,
    token_hash: &str,
    draft: DeviceDraft<'_>,
) -> Result<Option<Registered>, AppError> {
    let now = state.now();
    let mut tx = state.db.begin_write().await?;
    let Some(user_id) = tx.consume_enroll_token(token_hash, now).await? else {
        return Ok(None);
    };
    let token = SecretToken::generate();
    let device = Device {
        id: draft.id,
        user_id: user_id.clone(),
        public_key: draft.public_key,
        label: draft.label.to_string(),
        platform: draft.platform,
        created_at: now,
    };
    tx.insert_device(NewDevice {
        device: &device,
        push_token: draft.push_token,
        token_hash: &token.hash(),
    })
    .await?;
    if tx.end_enrollment(&user_id).await? {
        tx.void_enroll_tokens(&user_id).await?;
    }
    tx.commit().await?;
    tracing::info!(user = %user_id, device = %device.id, "device registered");
    Ok(Some(Registered { device, token }))
}

/// How removing a device ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Removed; other devices remain.
    Removed,
    /// Removed, and it was the last: the account has a new seed and a new device is due.
    RemovedLast,
    /// The account has no such active device.
    NotFound,
}

/// Removes a device of a logged-in user, in one transaction. When it was the last one, the
/// seed is replaced too: the removed phone still holds the old seed, and with no other
/// device to keep working a new seed costs nothing and makes that phone's codes worthless.
pub async fn remove_device(
    state: &AppState,
    user: &User,
    device_id: &str,
) -> Result<Removal, AppError> {
    let mut tx = state.db.begin_write().await?;
    if !tx.revoke_device(&user.id, device_id).await? {
        return Ok(Removal::NotFound);
    }
    let last = tx.active_devices(&user.id).await? == 0;
    if last {
        replace_seed_in(&mut tx, state, &user.id).await?;
    }
    tx.commit().await?;
    tracing::info!(user = %user.id, device = %device_id, last, "device removed by its user");
    Ok(if last {
        Removal::RemovedLast
    } else {
        Removal::Removed
    })
}
