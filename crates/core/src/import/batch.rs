//! What an importer hands back: the accounts it read and the entries it could not use.

use serde::Serialize;

use crate::accounts::NewAccount;

/// The export formats Zweifaktor reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Aegis's vault export (`aegis.json`), plain or encrypted.
    Aegis,
    /// 2FAS's `.2fas` backup, plain or encrypted.
    TwoFas,
    /// Ente Auth's export, plain text or encrypted.
    Ente,
    /// Google Authenticator's transfer QR codes (`otpauth-migration://offline?data=…`).
    GoogleMigration,
    /// Bitwarden's JSON export (`login.totp`).
    Bitwarden,
    /// Proton Authenticator's JSON export.
    Proton,
    /// A text file of `otpauth://` links, one a line.
    UriList,
}

impl Format {
    /// The name users know the format by, for messages.
    pub const fn display_name(self) -> &'static str {
        match self {
            Self::Aegis => "Aegis",
            Self::TwoFas => "2FAS",
            Self::Ente => "Ente Auth",
            Self::GoogleMigration => "Google Authenticator",
            Self::Bitwarden => "Bitwarden",
            Self::Proton => "Proton Authenticator",
            Self::UriList => "otpauth list",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.display_name())
    }
}

/// An entry of the file that the app cannot show, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unsupported {
    /// The entry's label as the file names it (`ISSUER:NAME` or the name).
    pub label: String,
    /// The kind the file gives it, e.g. `motp` or `yandex`.
    pub kind: String,
    /// Why it cannot be imported, in English, for the preview.
    pub reason: String,
}

/// A QR code of a transfer split over several codes that the file did not hold (Google
/// Authenticator's batches), so the preview can ask for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MissingPart {
    /// The code's number, from 1, as the exporting app counts them on screen.
    pub number: u32,
    /// How many codes the transfer has.
    pub of: u32,
}

/// Everything read from one file.
#[derive(Debug)]
pub struct ImportBatch {
    /// The format the file was in.
    pub format: Format,
    /// The accounts the app can show, in the file's order.
    pub accounts: Vec<NewAccount>,
    /// The entries it cannot, in the file's order.
    pub unsupported: Vec<Unsupported>,
    /// Codes of a multi-code transfer that were not in the file; empty for formats that are
    /// one file.
    pub missing_parts: Vec<MissingPart>,
}

impl ImportBatch {
    /// An empty batch of `format`, for an importer to fill.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            accounts: Vec::new(),
            unsupported: Vec::new(),
            missing_parts: Vec::new(),
        }
    }
}
