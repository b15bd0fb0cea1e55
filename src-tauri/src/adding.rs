//! Adding an account after set-up. The link or the hand-typed entry stays in the shell
//! between its preview and the save, so a seed read from a picture never travels to the
//! window and back. A Zweifaktor set-up link of another portal registers with that portal
//! when it is saved, through the same core steps as the first set-up ([`crate::portal`]).
//!
//! What is a duplicate, what is weak, what a link means: the core decides
//! (`Authenticator::preview_link`, `preview_manual`); this module only keeps and hands on.

use serde::Deserialize;
use zeroize::Zeroizing;
use zweifaktor_core::accounts::{AccountKind, AccountSummary, ManualEntry};
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
/// first. On failure the pending account stays, so the user can try again. Returns the new
/// account and whether it is bound to a portal (the listeners then need a restart).
pub async fn confirm(state: &AppState) -> Result<(AccountSummary, bool), CommandError> {
    let pending = state
        .pending_add()
        .take()
        .ok_or(CommandError::NOTHING_PENDING)?;
    let result = match &pending {
        PendingAdd::Manual(entry) => state
            .with_session(|auth| Ok(auth.add_manual(entry)?))
            .map(|summary| (summary, false)),
        PendingAdd::Link(uri) => portal::add_link(state, uri).await,
    };
    if result.is_err() {
        let mut slot = state.pending_add();
        if slot.is_none() {
            *slot = Some(pending);
        }
    }
    result
}
