//! Set-up: accounts through the portal's own account functions (the bulk path an operator
//! script would use), then one device per account registered through the real
//! `POST /api/v1/devices` with the enroll token from the account's enrollment URI.

use std::sync::Arc;

use ed25519_dalek::{SigningKey, VerifyingKey};
use futures_util::{StreamExt as _, TryStreamExt as _, stream};
use zeroize::Zeroizing;
use zweifaktor_portal::AppState;
use zweifaktor_portal::accounts;
use zweifaktor_portal::password::{HashPool, QUEUED_PER_SLOT};
use zweifaktor_protocol::messages::{DeviceRegistered, EnrollToken, Platform, RegisterDevice};
use zweifaktor_protocol::{OtpAuthUri, Seed};

use crate::error::LoadError;

/// An account ready to be enrolled: its e-mail address and enrollment URI.
pub struct NewAccount {
    /// Login name.
    pub email: String,
    /// The `otpauth://` URI with `zf_` parameters; holds the seed, so wiped on drop.
    pub uri: Zeroizing<String>,
}

/// A simulated device: what the app keeps in its vault after enrollment.
pub struct Device {
    /// Index of the device (and its account) in the run.
    pub index: usize,
    /// Login name of its account.
    pub email: String,
    /// The account's seed, for the OCRA code.
    pub seed: Seed,
    /// The portal key pinned at enrollment.
    pub portal_key: VerifyingKey,
    /// Bearer token for the device API.
    pub token: Zeroizing<String>,
}

/// The login password of every load account: random per run, so a leaked database from a
/// load run opens nothing else.
pub fn run_password() -> Zeroizing<String> {
    Zeroizing::new(format!("load-{:032x}", rand::random::<u128>()))
}

/// Creates `count` accounts `load-N@load.invalid` with `password` in the portal's
/// database, `concurrency` at a time (at most as many as the portal's password-hashing pool
/// admits, which refuses more as busy), enrollment already due-free so the login goes
/// straight to the code page once the device is registered.
pub async fn create_accounts(
    state: &Arc<AppState>,
    count: usize,
    password: &Zeroizing<String>,
    concurrency: usize,
) -> Result<Vec<NewAccount>, LoadError> {
    stream::iter(0..count)
        .map(|i| {
            let state = Arc::clone(state);
            let password = password.clone();
            async move {
                let email = format!("load-{i}@load.invalid");
                let id = accounts::create_user_with_password(&state, &email, password).await?;
                state.db.set_must_enroll(&id, false).await?;
                let user = state
                    .db
                    .user_by_id(&id)
                    .await?
                    .ok_or(accounts::AccountError::NotFound)?;
                let uri = accounts::enrollment_uri(&state, &user).await?;
                Ok::<_, LoadError>(NewAccount { email, uri })
            }
        })
        .buffered(concurrency.clamp(1, hashing_capacity()))
        .try_collect()
        .await
}

/// Password hashes the portal's pool runs or queues at once.
fn hashing_capacity() -> usize {
    HashPool::global().slots() * (1 + QUEUED_PER_SLOT)
}

/// Registers one device per account through the device API, as the app does after
/// scanning the QR code.
pub async fn register_devices(
    base: &str,
    accounts: Vec<NewAccount>,
    concurrency: usize,
) -> Result<Vec<Device>, LoadError> {
    let http = reqwest::Client::new();
    stream::iter(accounts.into_iter().enumerate())
        .map(|(index, account)| {
            let http = http.clone();
            async move { register(&http, base, index, account).await }
        })
        .buffered(concurrency.max(1))
        .try_collect()
        .await
}

async fn register(
    http: &reqwest::Client,
    base: &str,
    index: usize,
    account: NewAccount,
) -> Result<Device, LoadError> {
    let uri = OtpAuthUri::parse(&account.uri)?;
    let zf = uri.zweifaktor.ok_or(LoadError::NotZweifaktor)?;
    let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let response = http
        .post(format!("{base}/api/v1/devices"))
        .json(&RegisterDevice {
            enroll_token: EnrollToken::new(zf.enroll_token.expose_secret().to_string()),
            device_key: key.verifying_key(),
            label: format!("load {index}"),
            platform: Platform::Headless,
            push_token: None,
        })
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(LoadError::Registration(response.status().as_u16()));
    }
    let registered: DeviceRegistered = response.json().await?;
    Ok(Device {
        index,
        email: account.email,
        seed: uri.seed,
        portal_key: zf.portal_key,
        token: Zeroizing::new(registered.device_token.expose_secret().to_string()),
    })
}
