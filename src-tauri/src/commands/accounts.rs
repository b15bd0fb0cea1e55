//! Accounts and their codes.

use serde::Serialize;
use tauri::State;
use zeroize::Zeroizing;
use zweifaktor_core::ShownCode;
use zweifaktor_core::accounts::{AccountId, AccountSummary};

use crate::error::CommandError;
use crate::state::AppState;

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

/// Removes an account from the vault.
#[tauri::command]
pub fn remove_account(state: State<'_, AppState>, id: AccountId) -> Result<(), CommandError> {
    state.with_session(|auth| Ok(auth.delete(&id)?))
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
