//! Adding an account after set-up. The link or the hand-typed entry stays in the shell
//! between its preview and the save, so a seed read from a picture never travels to the
//! window and back. A Zweifaktor set-up link of another portal registers with that portal
//! when it is saved, through the same core steps as the first set-up ([`crate::portal`]); a
//! privacyIDEA push link makes its key and registers with its server (`add_push_token`).
//!
//! What is a duplicate, what is weak, what a link means: the core decides
//! (`Authenticator::preview_link`, `preview_manual`); this module only keeps and hands on.

use serde::Deserialize;
use zeroize::Zeroizing;
use zweifaktor_core::CoreError;
use zweifaktor_core::accounts::{AccountKind, AccountSummary, ManualEntry};
use zweifaktor_core::push::privacyidea::{self, PiEnrollment};
use zweifaktor_protocol::HashAlgorithm;

use crate::error::CommandError;
use crate::portal;
use crate::state::AppState;

/// What waits between a preview and its save. No `Debug`, no `Clone`: it holds a seed.
pub enum PendingAdd {
    /// An `otpauth://` link (pasted, scanned or read from a picture).
    Link(Zeroizing<String>),
    /// An account typed in by hand.
    Manual(ManualEntry),
    /// A privacyIDEA push link (`otpauth://pipush/…`, `pia://pipush/…`).
    PushToken(Zeroizing<String>),
}

/// What a saved preview added.
pub enum Added {
    /// An account with codes; `bound` when it is tied to a portal (the listeners then need a
    /// restart).
    Account {
        /// The new account.
        summary: AccountSummary,
        /// Whether it is bound to a portal.
        bound: bool,
    },
    /// A privacyIDEA push token (the listeners then need a restart to poll it).
    PushToken(privacyidea::PushTokenSummary),
}

/// Enrolls the push token of `link`: the RSA key is made on a blocking thread (seconds on a
/// phone; the window shows the save button busy meanwhile), registered with the server
/// without the vault lock, then stored with one vault save.
async fn add_push_token(
    state: &AppState,
    link: &str,
) -> Result<privacyidea::PushTokenSummary, CommandError> {
    state.with_session(|auth| Ok(auth.preview_pi_link(link).map(|_| ())?))?;
    let owned = Zeroizing::new(link.to_owned());
    let enrollment = tauri::async_runtime::spawn_blocking(move || PiEnrollment::prepare(&owned))
        .await
        .map_err(|_| CommandError::KEY_NOT_MADE)??;
    let registered = privacyidea::register(&enrollment)
        .await
        .map_err(CoreError::from)?;
    state.with_session(|auth| Ok(auth.finish_pi_enrollment(enrollment, registered)?))
}

/// The three kinds a person can choose in the form.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KindChoice {
    /// Time-based codes (RFC 6238).
    Totp,
    /// Counter-based codes (RFC 4226).
    Hotp,
    /// Steam Guard.
    Steam,
}

/// The "add by hand" form as the window sends it. Missing fields take the core's defaults
/// ([`ManualEntry::new`]). No `Debug`: it holds the secret.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManualForm {
    issuer: Option<String>,
    name: String,
    secret: Zeroizing<String>,
    #[serde(rename = "type")]
    kind: KindChoice,
    algorithm: Option<String>,
    digits: Option<u8>,
    period: Option<u64>,
    counter: Option<u64>,
}

impl ManualForm {
    /// The core's entry for this form.
    pub fn into_entry(self) -> Result<ManualEntry, CommandError> {
        let mut entry = ManualEntry::new(self.issuer, self.name, self.secret);
        if let Some(algorithm) = self.algorithm {
            entry.algorithm = algorithm
                .parse::<HashAlgorithm>()
                .map_err(|_| CommandError::INVALID_ALGORITHM)?;
        }
        if let Some(digits) = self.digits {
            entry.digits = digits;
        }
        entry.kind = match self.kind {
            KindChoice::Totp => self
                .period
                .map_or(entry.kind, |period| AccountKind::Totp { period }),
            KindChoice::Hotp => AccountKind::Hotp {
                counter: self.counter.unwrap_or(0),
            },
            KindChoice::Steam => AccountKind::Steam,
        };
        Ok(entry)
    }
}

/// Keeps `pending` for the next [`confirm`], replacing what waited before.
pub fn keep(state: &AppState, pending: PendingAdd) {
    *state.pending_add() = Some(pending);
}

/// Saves what the last preview showed; a Zweifaktor set-up link registers with its portal
/// first, a privacyIDEA push link with its server. On failure the pending link stays, so the
/// user can try again.
pub async fn confirm(state: &AppState) -> Result<Added, CommandError> {
    let pending = state
        .pending_add()
        .take()
        .ok_or(CommandError::NOTHING_PENDING)?;
    let result =
        match &pending {
            PendingAdd::Manual(entry) => state
                .with_session(|auth| Ok(auth.add_manual(entry)?))
                .map(|summary| Added::Account {
                    summary,
                    bound: false,
                }),
            PendingAdd::Link(uri) => portal::add_link(state, uri)
                .await
                .map(|(summary, bound)| Added::Account { summary, bound }),
            PendingAdd::PushToken(link) => add_push_token(state, link).await.map(Added::PushToken),
        };
    if result.is_err() {
        let mut slot = state.pending_add();
        if slot.is_none() {
            *slot = Some(pending);
        }
    }
    result
}
