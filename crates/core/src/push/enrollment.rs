//! Enrollment with a portal: a new device key, registration, then the account with its binding.

use ed25519_dalek::SigningKey;
use zweifaktor_protocol::messages::{DeviceRegistered, Platform, RegisterDevice};
use zweifaktor_protocol::uri::PortalEnrollment;

use super::{PortalBinding, PortalClient, PushError};
use crate::accounts::Account;

/// A registration in progress: made by
/// [`Authenticator::prepare_enrollment`](crate::Authenticator::prepare_enrollment), sent by
/// [`register`], stored by
/// [`Authenticator::finish_enrollment`](crate::Authenticator::finish_enrollment).
pub struct Enrollment {
    pub(crate) account: Account,
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
    /// A fresh device key for `account` at `portal`.
    pub(crate) fn new(
        account: Account,
        portal: PortalEnrollment,
        label: &str,
        platform: Platform,
    ) -> Self {
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
/// the user has to ask the portal for a new enrollment.
pub async fn register(enrollment: &Enrollment) -> Result<DeviceRegistered, PushError> {
    let client = PortalClient::new(&enrollment.portal.portal_url)?;
    let request = RegisterDevice {
        enroll_token: enrollment.portal.enroll_token.duplicate(),
        device_key: enrollment.device_key.verifying_key(),
        label: enrollment.label.clone(),
        platform: enrollment.platform,
        push_token: None,
    };
    let registered = client.register(&request).await?;
    tracing::info!(device = %registered.device_id, "device registered with the portal");
    Ok(registered)
}
