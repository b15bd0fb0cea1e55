//! Exports of the vault's accounts into files other authenticators read.
//!
//! [`Authenticator::export`](crate::Authenticator::export) checks the PIN again and calls
//! `export` here. The rule of what is exported lives here once: plain TOTP, HOTP and Steam
//! accounts are; accounts bound to a portal for push are not, because their device key
//! belongs to this phone (the portal's "Neues Gerät einrichten" or a recovery code moves
//! them). A format that cannot hold an account (Google's transfer codes know neither Steam
//! nor periods other than 30 s) leaves it out too. Every account left out is named in
//! [`Export::not_exported`] with a typed reason, so the front ends can word the advice in
//! their languages.
//!
//! Seeds leave the core only through these writers, and only as what the user asked for.
//!
//! # Layout
//! - `account`: the borrowed view of an account that every writer takes.
//! - `uris`: `otpauth://` links, one a line.
//! - `google`: Google Authenticator transfer links, one per QR code.
//! - [`aegis`]: the encrypted backup in Aegis's vault format, and its password rule.

mod account;
pub mod aegis;
mod google;
mod uris;

use serde::Serialize;
use zeroize::Zeroizing;

use crate::accounts::{Account, AccountId, Keyring};
use crate::error::CoreError;
pub(crate) use account::ExportAccount;
use aegis::BackupPassword;

pub use google::{MAX_ACCOUNTS_PER_CODE, MAX_LINK_BYTES};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExportFormat {
    /// `otpauth://` links, one a line (plain text: anyone who reads the file has the secrets).
    Uris,
    /// Google Authenticator transfer links (`otpauth-migration://`), one per QR code.
    GoogleMigration,
    /// The encrypted backup: an Aegis vault file under the user's password.
    Aegis,
}

/// What to export.
#[derive(Debug)]
pub enum ExportRequest {
    /// `otpauth://` links, one a line.
    Uris,
    /// Google Authenticator transfer links, to be shown as QR codes.
    GoogleMigration,
    /// The encrypted backup in Aegis's vault format, under a password that passed the
    /// strength rule ([`BackupPassword::new`]).
    Aegis {
        /// The backup password.
        password: BackupPassword,
    },
}

impl ExportRequest {
    /// The format this request writes.
    pub fn format(&self) -> ExportFormat {
        match self {
            Self::Uris => ExportFormat::Uris,
            Self::GoogleMigration => ExportFormat::GoogleMigration,
            Self::Aegis { .. } => ExportFormat::Aegis,
        }
    }
}

/// Why an account was left out of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum NotExportedReason {
    /// The account receives push challenges from a portal; its device key stays on this
    /// phone. The advice: set up the new device through the portal ("Neues Gerät
    /// einrichten") or sign in with a recovery code.
    PortalBound {
        /// The portal the account is enrolled with.
        portal_url: String,
    },
    /// The format has no Steam Guard type.
    SteamNotInFormat,
    /// The format knows only six or eight digits.
    DigitsNotInFormat {
        /// The account's digits.
        digits: u8,
    },
    /// The format knows only 30-second steps.
    PeriodNotInFormat {
        /// The account's period in seconds.
        period: u64,
    },
}

/// An account left out of an export, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotExported {
    /// The account's id.
    pub id: AccountId,
    /// `ISSUER:NAME`, or the name alone.
    pub label: String,
    /// Why it was left out.
    #[serde(flatten)]
    pub reason: NotExportedReason,
}

/// A finished export. It holds every exported secret, so its contents are wiped on drop and
/// `Debug` shows only counts.
pub struct Export {
    format: ExportFormat,
    file: Zeroizing<Vec<u8>>,
    links: Vec<Zeroizing<String>>,
    exported: Vec<AccountId>,
    not_exported: Vec<NotExported>,
}

impl Export {
    /// The format written.
    pub fn format(&self) -> ExportFormat {
        self.format
    }

    /// The file to save: the links one a line for [`ExportFormat::Uris`] and
    /// [`ExportFormat::GoogleMigration`], the encrypted vault file for [`ExportFormat::Aegis`].
    pub fn file(&self) -> &[u8] {
        &self.file
    }

    /// For [`ExportFormat::GoogleMigration`], the link of each QR code in order, for the UI to
    /// render; empty for the other formats.
    pub fn qr_links(&self) -> &[Zeroizing<String>] {
        &self.links
    }

    /// The ids of the accounts that are in the export, in the vault's order.
    pub fn exported(&self) -> &[AccountId] {
        &self.exported
    }

    /// The accounts left out, with why.
    pub fn not_exported(&self) -> &[NotExported] {
        &self.not_exported
    }
}

impl std::fmt::Debug for Export {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Export")
            .field("format", &self.format)
            .field("bytes", &self.file.len())
            .field("qr_links", &self.links.len())
            .field("exported", &self.exported.len())
            .field("not_exported", &self.not_exported)
            .finish()
    }
}

/// Exports the accounts of `keyring` as `request` asks. The caller has checked the PIN.
///
/// # Errors
/// [`CoreError::Backup`] if the encrypted backup cannot be written, which real vaults never
/// meet.
pub(crate) fn export(keyring: &Keyring, request: ExportRequest) -> Result<Export, CoreError> {
    let format = request.format();
    let mut not_exported = Vec::new();
    let mut chosen: Vec<&Account> = Vec::new();
    for account in keyring.accounts() {
        match account.portal() {
            Some(portal) => not_exported.push(left_out(
                account,
                NotExportedReason::PortalBound {
                    portal_url: portal.portal_url().to_owned(),
                },
            )),
            None => chosen.push(account),
        }
    }
    let mut exported: Vec<AccountId> = Vec::with_capacity(chosen.len());
    let (file, links) = match request {
        ExportRequest::Uris => {
            let views = views(&chosen)?;
            exported.extend(chosen.iter().map(|account| account.id().clone()));
            (uris::file(&views), Vec::new())
        }
        ExportRequest::GoogleMigration => {
            let mut entries = Vec::with_capacity(chosen.len());
            for (account, view) in chosen.iter().zip(views(&chosen)?) {
                match google::entry(&view) {
                    Ok(entry) => {
                        entries.push(entry);
                        exported.push(account.id().clone());
                    }
                    Err(reason) => not_exported.push(left_out(account, reason)),
                }
            }
            let links = google::links(entries, batch_id());
            (lines(&links), links)
        }
        ExportRequest::Aegis { password } => {
            let file = aegis::write(chosen.iter().copied(), &password)
                .map_err(|err| CoreError::Backup(Box::new(err)))?;
            exported.extend(chosen.iter().map(|account| account.id().clone()));
            (Zeroizing::new(file), Vec::new())
        }
    };
    tracing::info!(
        ?format,
        exported = exported.len(),
        left_out = not_exported.len(),
        "accounts exported"
    );
    Ok(Export {
        format,
        file,
        links,
        exported,
        not_exported,
    })
}

/// The writers' view of each account.
fn views<'a>(accounts: &[&'a Account]) -> Result<Vec<ExportAccount<'a>>, CoreError> {
    accounts
        .iter()
        .map(|account| ExportAccount::from_account(account))
        .collect()
}

fn left_out(account: &Account, reason: NotExportedReason) -> NotExported {
    NotExported {
        id: account.id().clone(),
        label: account.label(),
        reason,
    }
}

/// The lines joined into a file, each ending in a line break.
fn lines<S: AsRef<str>>(lines: &[S]) -> Zeroizing<Vec<u8>> {
    let len = lines.iter().map(|line| line.as_ref().len() + 1).sum();
    let mut file = Zeroizing::new(Vec::with_capacity(len));
    for line in lines {
        file.extend_from_slice(line.as_ref().as_bytes());
        file.push(b'\n');
    }
    file
}

/// A random, non-negative batch id, as Google Authenticator gives each export (non-negative
/// so that it takes at most five bytes on the wire).
fn batch_id() -> i32 {
    i32::try_from(rand::random::<u32>() >> 1).unwrap_or(0)
}
