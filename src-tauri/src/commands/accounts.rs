//! Accounts and their codes: the list, adding one (link, picture, by hand, a link that opened
//! the app) with a preview, renaming, moving, removing, copying a code; privacyIDEA push
//! tokens listed beside them and removed.

use serde::Serialize;
use tauri::{AppHandle, Runtime, State};
use zeroize::Zeroizing;
use zweifaktor_core::ShownCode;
use zweifaktor_core::accounts::{AccountId, AccountPreview, AccountSummary, LinkPreview};
use zweifaktor_core::import::{self, Format};
use zweifaktor_core::push::privacyidea::{PiPreview, PushTokenSummary};
use zweifaktor_protocol::pipush::PiPushLink;

use crate::adding::{self, Added, ManualForm, PendingAdd};
use crate::error::CommandError;
use crate::importing::{self, ImportStep};
use crate::state::AppState;
use crate::{challenges, links, qr};

/// An account with the code to show: the only secret-derived value that reaches the window.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountCode {
    #[serde(flatten)]
    account: AccountSummary,
    code: Option<String>,
    seconds_left: Option<u64>,
}

impl AccountCode {
    fn new(account: AccountSummary, shown: Option<ShownCode>) -> Self {
        Self {
            account,
            code: shown.as_ref().map(|s| s.code.as_str().to_owned()),
            seconds_left: shown.and_then(|s| s.seconds_left),
        }
    }
}

/// Every account with its current TOTP code (counter-based accounts without one).
#[tauri::command]
pub fn list_codes(state: State<'_, AppState>) -> Result<Vec<AccountCode>, CommandError> {
    state.with_session(|auth| {
        Ok(auth
            .current_codes(None)?
            .into_iter()
            .map(|(account, shown)| AccountCode::new(account, shown))
            .collect())
    })
}

/// The next code of a counter-based (HOTP) account, or the current one of a TOTP account.
#[tauri::command]
pub fn next_code(state: State<'_, AppState>, id: AccountId) -> Result<AccountCode, CommandError> {
    state.with_session(|auth| {
        let shown = auth.code(&id, None)?;
        Ok(AccountCode::new(auth.account(&id)?, Some(shown)))
    })
}

/// Removes an account from the vault; a portal-bound one's stream ends with it (the other
/// push sources stay watched).
#[tauri::command]
pub fn remove_account<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: AccountId,
) -> Result<(), CommandError> {
    let removed = state.with_session(|auth| Ok(auth.delete(&id)?))?;
    if removed.portal_url.is_some() {
        challenges::start_listening(&app);
    }
    Ok(())
}

/// The privacyIDEA push tokens, listed beside the accounts: no code, no key.
#[tauri::command]
pub fn list_push_tokens(state: State<'_, AppState>) -> Result<Vec<PushTokenSummary>, CommandError> {
    state.with_session(|auth| Ok(auth.push_tokens()))
}

/// Removes a privacyIDEA push token from the vault (its server keeps it until an
/// administrator deletes it there) and watches the remaining push sources only; the token as
/// it was listed.
#[tauri::command]
pub fn remove_push_token<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    id: AccountId,
) -> Result<PushTokenSummary, CommandError> {
    let removed = state.with_session(|auth| Ok(auth.delete_push_token(&id)?))?;
    challenges::start_listening(&app);
    Ok(removed)
}

/// Copies a shown code to the clipboard; it is cleared again after
/// [`CLEAR_AFTER`](crate::clipboard::CLEAR_AFTER) if the clipboard still holds it. The code
/// comes from the window, which shows it already, so copying a HOTP code does not use up the
/// next one; a locked app copies nothing.
#[tauri::command]
pub fn copy_code(state: State<'_, AppState>, code: Zeroizing<String>) -> Result<(), CommandError> {
    state.with_session(|_| Ok(()))?;
    Ok(crate::clipboard::copy(state.clipboard(), code)?)
}

/// What a pasted, scanned or pictured link leads to.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum LinkOutcome {
    /// An `otpauth://` link: the account it would add (kept for [`confirm_add`]).
    Account {
        /// The core's preview: the account, duplicate, weak secret, the portal of a set-up link.
        preview: LinkPreview,
    },
    /// A privacyIDEA push link: the token it would enroll (kept for [`confirm_add`]).
    Push {
        /// The core's preview: label, issuer, serial, server, a TLS warning.
        preview: PiPreview,
    },
    /// A Google Authenticator transfer link: an import (kept for the import's confirmation).
    Import {
        /// The import's preview.
        step: ImportStep,
    },
}

/// Reads a link and keeps it: a transfer link (as the core detects it) for the import, any
/// other for [`confirm_add`] with the preview of the account it would add.
fn read(state: &AppState, uri: Zeroizing<String>) -> Result<LinkOutcome, CommandError> {
    if import::detect(uri.as_bytes()).ok() == Some(Format::GoogleMigration) {
        let bytes = Zeroizing::new(uri.as_bytes().to_vec());
        let step = importing::open(state, bytes, None)?;
        return Ok(LinkOutcome::Import { step });
    }
    if PiPushLink::is_link(&uri) {
        let preview = state.with_session(|auth| Ok(auth.preview_pi_link(&uri)?))?;
        adding::keep(state, PendingAdd::PushToken(uri));
        return Ok(LinkOutcome::Push { preview });
    }
    let preview = state.with_session(|auth| Ok(auth.preview_link(&uri)?))?;
    adding::keep(state, PendingAdd::Link(uri));
    Ok(LinkOutcome::Account { preview })
}

/// A pasted or scanned link.
#[tauri::command]
pub fn read_link(
    state: State<'_, AppState>,
    uri: Zeroizing<String>,
) -> Result<LinkOutcome, CommandError> {
    read(&state, Zeroizing::new(uri.trim().to_owned()))
}

/// A picture of a QR code, chosen in the file dialog titled `title`, read like
/// [`read_link`]; `None` if the user cancelled. The link never reaches the window.
#[tauri::command(async)]
pub fn read_link_from_picture<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    title: String,
) -> Result<Option<LinkOutcome>, CommandError> {
    state.with_session(|_| Ok(()))?;
    match qr::pick_and_decode(&state.dialogs(&app), &title)? {
        Some(uri) => read(&state, uri).map(Some),
        None => Ok(None),
    }
}

/// The link that opened the app (tapped, or handed over by a second start), read like
/// [`read_link`] once the app is unlocked; `None` if no link waits. While the app is locked
/// it fails with `app_locked` and the link waits for the PIN.
#[tauri::command]
pub fn open_link(state: State<'_, AppState>) -> Result<Option<LinkOutcome>, CommandError> {
    match links::take_when_open(&state)? {
        Some(uri) => read(&state, uri).map(Some),
        None => Ok(None),
    }
}

/// An account typed in by hand: checked by the core and kept for [`confirm_add`].
#[tauri::command]
pub fn preview_manual(
    state: State<'_, AppState>,
    entry: ManualForm,
) -> Result<AccountPreview, CommandError> {
    let entry = entry.into_entry()?;
    let preview = state.with_session(|auth| Ok(auth.preview_manual(&entry)?))?;
    adding::keep(&state, PendingAdd::Manual(entry));
    Ok(preview)
}

/// What [`confirm_add`] saved; both carry the `label` the window announces.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Saved {
    /// An account with codes.
    Account(AccountSummary),
    /// A privacyIDEA push token.
    PushToken(PushTokenSummary),
}

/// Saves the account of the last preview; a Zweifaktor set-up link registers with its portal
/// first and a privacyIDEA push link with its server, and the app then listens for their
/// logins too.
#[tauri::command]
pub async fn confirm_add<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Saved, CommandError> {
    Ok(match adding::confirm(&state).await? {
        Added::Account { summary, bound } => {
            if bound {
                challenges::start_listening(&app);
            }
            Saved::Account(summary)
        }
        Added::PushToken(token) => {
            challenges::start_listening(&app);
            Saved::PushToken(token)
        }
    })
}

/// Forgets the account of the last preview.
#[tauri::command]
pub fn discard_add(state: State<'_, AppState>) {
    *state.pending_add() = None;
}

/// Gives an account a new issuer (none when blank) and name.
#[tauri::command]
pub fn rename_account(
    state: State<'_, AppState>,
    id: AccountId,
    issuer: Option<String>,
    name: String,
) -> Result<AccountSummary, CommandError> {
    state.with_session(|auth| Ok(auth.rename(&id, issuer.as_deref(), &name)?))
}

/// Moves an account to position `to_index` (0 is the top); the accounts in their new order.
#[tauri::command]
pub fn move_account(
    state: State<'_, AppState>,
    id: AccountId,
    to_index: usize,
) -> Result<Vec<AccountSummary>, CommandError> {
    state.with_session(|auth| Ok(auth.move_account(&id, to_index)?))
}
