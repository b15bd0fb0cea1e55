//! What an import would do, and what it did: the accounts to add, those already in the vault,
//! and the entries that cannot be imported.
//!
//! The sorting happens here once, for the preview and for the commit alike: an account that
//! fails [`NewAccount::check`] is unsupported with the check's reason; one the vault holds
//! already, or that comes a second time in the same file (a QR code scanned twice), is
//! already present ([`Keyring::is_duplicate`]'s rule); every other account is added.

use serde::Serialize;

use super::{Format, ImportBatch, MissingPart, Unsupported};
use crate::accounts::{AccountKind, AccountPreview, AccountSummary, Keyring, NewAccount};

/// What importing a batch would do; nothing is saved until
/// [`Authenticator::import`](crate::Authenticator::import).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportPreview {
    /// The file's format.
    pub format: Format,
    /// The accounts that would be added, in the file's order.
    pub to_add: Vec<AccountPreview>,
    /// The accounts the vault holds already (or that the file holds twice); skipped.
    pub already_present: Vec<AccountPreview>,
    /// The entries that cannot be imported, with why.
    pub unsupported: Vec<Unsupported>,
    /// QR codes of a multi-code transfer that were not in the file.
    pub missing_parts: Vec<MissingPart>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// The file's format.
    pub format: Format,
    /// The accounts added, as they are now stored.
    pub added: Vec<AccountSummary>,
    /// The accounts skipped because the vault held them already.
    pub already_present: Vec<AccountPreview>,
    /// The entries that could not be imported, with why.
    pub unsupported: Vec<Unsupported>,
    /// QR codes of a multi-code transfer that were not in the file.
    pub missing_parts: Vec<MissingPart>,
}

/// Where one account of a batch goes.
enum Place {
    Add,
    Present,
    Invalid(String),
}

/// The place of each account in `accounts`, in order.
fn places(keyring: &Keyring, accounts: &[NewAccount]) -> Vec<Place> {
    let mut places = Vec::with_capacity(accounts.len());
    for (index, account) in accounts.iter().enumerate() {
        let place = if let Err(err) = account.check() {
            Place::Invalid(err.to_string())
        } else if keyring.is_duplicate(account)
            || accounts[..index]
                .iter()
                .zip(&places)
                .any(|(earlier, place)| matches!(place, Place::Add) && earlier.same_as(account))
        {
            Place::Present
        } else {
            Place::Add
        };
        places.push(place);
    }
    places
}

/// The preview of `batch` against `keyring`.
pub(crate) fn preview(keyring: &Keyring, batch: &ImportBatch) -> ImportPreview {
    let mut preview = ImportPreview {
        format: batch.format,
        to_add: Vec::new(),
        already_present: Vec::new(),
        unsupported: batch.unsupported.clone(),
        missing_parts: batch.missing_parts.clone(),
    };
    for (account, place) in batch.accounts.iter().zip(places(keyring, &batch.accounts)) {
        match place {
            Place::Add => preview.to_add.push(AccountPreview::new(account, false)),
            Place::Present => preview
                .already_present
                .push(AccountPreview::new(account, true)),
            Place::Invalid(reason) => preview.unsupported.push(invalid(account, reason)),
        }
    }
    preview
}

/// Splits `batch` into the accounts to add and the report without its `added` list.
pub(crate) fn sort(keyring: &Keyring, batch: ImportBatch) -> (Vec<NewAccount>, ImportReport) {
    let places = places(keyring, &batch.accounts);
    let mut report = ImportReport {
        format: batch.format,
        added: Vec::new(),
        already_present: Vec::new(),
        unsupported: batch.unsupported,
        missing_parts: batch.missing_parts,
    };
    let mut new = Vec::new();
    for (account, place) in batch.accounts.into_iter().zip(places) {
        match place {
            Place::Add => new.push(account),
            Place::Present => report
                .already_present
                .push(AccountPreview::new(&account, true)),
            Place::Invalid(reason) => report.unsupported.push(invalid(&account, reason)),
        }
    }
    (new, report)
}

fn invalid(account: &NewAccount, reason: String) -> Unsupported {
    Unsupported {
        label: account.label(),
        kind: match account.kind {
            AccountKind::Totp { .. } => "totp",
            AccountKind::Hotp { .. } => "hotp",
            AccountKind::Steam => "steam",
        }
        .to_owned(),
        reason,
    }
}
