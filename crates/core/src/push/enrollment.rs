//! Enrollment with a portal: a new device key, registration, then the account with its binding.

use ed25519_dalek::SigningKey;
use zweifaktor_protocol::messages::{DeviceRegistered, Platform, RegisterDevice};
use zweifaktor_protocol::uri::{OtpAuthUri, PortalEnrollment};

use super::client::is_auth_failure;
use super::{PortalBinding, PortalClient, PushError};
use crate::accounts::NewAccount;
use crate::error::CoreError;

/// A registration in progress: made by [`Enrollment::prepare`] (first set-up, no vault yet) or
/// [`Authenticator::prepare_enrollment`](crate::Authenticator::prepare_enrollment) (a further
/// account), sent by [`register`], stored by
/// [`Authenticator::enroll_registered`](crate::Authenticator::enroll_registered) or
/// [`Authenticator::finish_enrollment`](crate::Authenticator::finish_enrollment).
pub struct Enrollment {
    pub(crate) account: NewAccount,
    pub(crate) portal: PortalEnrollment,
    pub(crate) device_key: SigningKey,
    label: String,
    platform: Platform,
}

impl std::fmt::Debug for Enrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Enrollment")
            .field("account", &self.account.label())
            .field("portal_url", &self.portal.portal_url)
            .finish_non_exhaustive()
    }
}

impl Enrollment {
    /// Checks an enrollment URI and makes a device key for it, without touching any vault:
    /// the first set-up registers before the vault exists. Nothing is sent or saved yet.
    ///
    /// Fails with [`PushError::NoPortal`] for a URI without `zf_` parameters, which is then
    /// an offline account only.
    pub fn prepare(uri: &str, device_label: &str, platform: Platform) -> Result<Self, CoreError> {
        let mut parsed = OtpAuthUri::parse(uri)?;
        let portal = parsed.zweifaktor.take().ok_or(PushError::NoPortal)?;
        Ok(Self::new(
            NewAccount::from_uri(&parsed),
            portal,
            device_label,
            platform,
        ))
    }

    /// A fresh device key for `account` at `portal`.
    fn new(account: NewAccount, portal: PortalEnrollment, label: &str, platform: Platform) -> Self {
        Self {
            account,
            portal,
            device_key: SigningKey::from_bytes(&rand::random()),
            label: label.to_owned(),
            platform,
        }
    }

    /// The portal this enrollment registers with.
    pub fn portal_url(&self) -> &str {
        &self.portal.portal_url
    }

    /// The account's name at the portal (the e-mail address the login screen shows).
    pub fn email(&self) -> &str {
        &self.account.name
    }

    /// The binding to store once the portal has answered.
    pub(crate) fn binding(&self, registered: DeviceRegistered) -> PortalBinding {
        PortalBinding::new(
            self.portal.portal_url.clone(),
            self.portal.portal_key,
            registered.device_id,
            registered.device_token,
            self.device_key.clone(),
        )
    }
}

/// Registers the device with the portal named in the enrollment URI.
///
/// The enroll token is single use: if this succeeds but the vault cannot be saved afterwards,
/// the user has to ask the portal for a new enrollment. A token the portal does not accept
/// (used, expired, voided by a 2FA reset) is [`PushError::EnrollTokenRefused`].
pub async fn register(enrollment: &Enrollment) -> Result<DeviceRegistered, PushError> {
    let client = PortalClient::new(&enrollment.portal.portal_url)?;
    let request = RegisterDevice {
        enroll_token: enrollment.portal.enroll_token.duplicate(),
        device_key: enrollment.device_key.verifying_key(),
        label: enrollment.label.clone(),
        platform: enrollment.platform,
        push_token: None,
    };
    let registered = client.register(&request).await.map_err(|err| {
        if is_auth_failure(&err) {
            PushError::EnrollTokenRefused
        } else {
            err
        }
    })?;
    tracing::info!(device = %registered.device_id, "device registered with the portal");
    Ok(registered)
}
