//! Enrolling a privacyIDEA push token from its link, in the three steps of every enrollment:
//! [`PiEnrollment::prepare`] (sync; makes the RSA key, slow: run it off the UI thread),
//! [`register`] (async; the second step of privacyIDEA's rollout), and
//! [`Authenticator::finish_pi_enrollment`](crate::Authenticator::finish_pi_enrollment) (sync;
//! one vault save).

use serde::Serialize;
use zweifaktor_protocol::pipush::{
    DeviceKey, DevicePrivateKey, NO_FIREBASE_TOKEN, PiPushLink, ServerKey,
};

use super::http::PiServer;
use super::token::{TOKEN_KIND, TokenParts};
use super::{PiPushToken, TlsMode, TlsWarning, tls_mode, tls_warning};
use crate::error::CoreError;
use crate::push::PushError;

/// What the add-account preview shows for a push link, before any key is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PiPreview {
    /// The token label.
    pub label: String,
    /// The issuer.
    pub issuer: String,
    /// The serial.
    pub serial: String,
    /// The server the phone registers with and polls.
    pub server: String,
    /// Minutes left for the registration, as the link says.
    pub ttl_minutes: u32,
    /// [`TOKEN_KIND`].
    pub kind: &'static str,
    /// What to warn about the connection, if anything.
    pub tls_warning: Option<TlsWarning>,
}

/// A link checked for enrollment: parsed, and its TLS setting allowed.
struct CheckedLink {
    link: PiPushLink,
    tls: TlsMode,
    warning: Option<TlsWarning>,
}

/// Parses `text` and applies the TLS rule.
fn check(text: &str) -> Result<CheckedLink, CoreError> {
    let link = PiPushLink::parse(text)?;
    let url = url::Url::parse(&link.url).map_err(|_| PushError::Malformed)?;
    let tls = tls_mode(&url, link.ssl_verify)?;
    let warning = tls_warning(&url, tls);
    Ok(CheckedLink { link, tls, warning })
}

/// What adding the push link `text` would add; nothing is made or sent.
pub(crate) fn preview(text: &str) -> Result<PiPreview, CoreError> {
    Ok(check(text)?.preview())
}

impl CheckedLink {
    /// The preview of this link.
    fn preview(&self) -> PiPreview {
        PiPreview {
            label: self.link.label.clone(),
            issuer: self.link.issuer.clone(),
            serial: self.link.serial.clone(),
            server: self.link.url.clone(),
            ttl_minutes: self.link.ttl_minutes,
            kind: TOKEN_KIND,
            tls_warning: self.warning,
        }
    }
}

/// A push token enrollment in progress: the link and the phone's new key pair.
pub struct PiEnrollment {
    checked: CheckedLink,
    key: DeviceKey,
    private: DevicePrivateKey,
}

impl std::fmt::Debug for PiEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PiEnrollment")
            .field("serial", &self.checked.link.serial)
            .field("server", &self.checked.link.url)
            .finish_non_exhaustive()
    }
}

/// The server's answer to the registration: its key, to pin.
#[derive(Debug)]
pub struct PiRegistered {
    server_key: ServerKey,
}

impl PiEnrollment {
    /// Checks the link and makes the phone's RSA key pair. Key generation takes a second or
    /// more: the app runs this with `spawn_blocking` behind a visible wait.
    pub fn prepare(text: &str) -> Result<Self, CoreError> {
        let checked = check(text)?;
        let (key, private) = DeviceKey::generate().map_err(PushError::PushKey)?;
        tracing::info!(serial = %checked.link.serial, "push token key made");
        Ok(Self {
            checked,
            key,
            private,
        })
    }

    /// What is being enrolled.
    pub fn preview(&self) -> PiPreview {
        self.checked.preview()
    }

    /// The vault entry, once the server's key is known.
    pub(crate) fn into_token(self, registered: PiRegistered) -> PiPushToken {
        let CheckedLink { link, tls, .. } = self.checked;
        PiPushToken::new(TokenParts {
            label: link.label,
            issuer: link.issuer,
            serial: link.serial,
            url: link.url,
            tls,
            server_key: registered.server_key,
            device_key: self.private,
        })
    }

    /// The serial and server, for the duplicate rule.
    pub(crate) fn identity(&self) -> (&str, &str) {
        (&self.checked.link.serial, &self.checked.link.url)
    }
}

/// The second step of privacyIDEA's rollout: `POST`s the enrollment credential, the serial,
/// the Firebase placeholder and the phone's public key to the link's URL, and reads the
/// server's key from the answer.
///
/// The credential is single use: if the vault cannot be saved afterwards, the token has to be
/// enrolled anew on the server.
pub async fn register(enrollment: &PiEnrollment) -> Result<PiRegistered, PushError> {
    let link = &enrollment.checked.link;
    let server = PiServer::new(&link.url, enrollment.checked.tls)?;
    let pubkey = enrollment
        .key
        .public_key_for_server()
        .map_err(PushError::PushKey)?;
    let form = [
        (
            "enrollment_credential",
            link.enrollment_credential.expose_secret(),
        ),
        ("serial", link.serial.as_str()),
        ("fbtoken", NO_FIREBASE_TOKEN),
        ("pubkey", pubkey.as_str()),
    ];
    let server_key = server.register(&form).await?;
    tracing::info!(serial = %link.serial, "push token registered with privacyIDEA");
    Ok(PiRegistered { server_key })
}
