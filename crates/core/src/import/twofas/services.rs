//! The services of a 2FAS backup (plain, or decrypted from `servicesEncrypted`).
//!
//! Each service has `name` (the issuer 2FAS shows), `secret` (base32) and `otp` with
//! `account`, `issuer`, `digits`, `period`, `algorithm`, `counter` and `tokenType` (`TOTP`,
//! `HOTP`, `STEAM`), as `BackupService.kt` in github.com/twofas/2fas-android declares them.
//! Schema 1 files carry no `otp` parameters; the defaults below are 2FAS's own (and those of
//! Aegis's 2FAS importer): SHA1, 6 digits, 30 s, counter 0, TOTP.

use super::super::entry::{Entry, EntryKind, other_kind};
use super::super::json::Obj;
use super::super::{Format, ImportBatch, ImportError};

/// Digits when `otp.digits` is absent: 2FAS's default, 6.
const DEFAULT_DIGITS: u64 = 6;

/// Period when `otp.period` is absent: 2FAS's default, 30 s.
const DEFAULT_PERIOD: u64 = 30;

/// Hash when `otp.algorithm` is absent: 2FAS's default, SHA1.
const DEFAULT_ALGORITHM: &str = "SHA1";

/// Reads every service into a batch.
///
/// # Errors
/// [`ImportError::Malformed`] naming the first missing or mistyped field.
pub(crate) fn read(services: &[Obj<'_>]) -> Result<ImportBatch, ImportError> {
    let mut batch = ImportBatch::new(Format::TwoFas);
    for service in services {
        let otp = service.opt_obj("otp")?;
        let field = |key: &str| -> Result<Option<&str>, ImportError> {
            otp.as_ref().map_or(Ok(None), |otp| otp.opt_str(key))
        };
        let number = |key: &str| -> Result<Option<u64>, ImportError> {
            otp.as_ref().map_or(Ok(None), |otp| otp.opt_u64(key))
        };
        let issuer = service
            .opt_str("name")?
            .filter(|name| !name.is_empty())
            .or(field("issuer")?)
            .unwrap_or("");
        let name = field("account")?.unwrap_or("");
        let kind = match field("tokenType")?.unwrap_or("TOTP") {
            "TOTP" => EntryKind::Totp {
                period: number("period")?.unwrap_or(DEFAULT_PERIOD),
            },
            "HOTP" => EntryKind::Hotp {
                counter: number("counter")?.unwrap_or(0),
            },
            "STEAM" => EntryKind::Steam,
            other => {
                batch.unsupported.push(other_kind(issuer, name, other));
                continue;
            }
        };
        let entry = Entry {
            issuer,
            name,
            secret: service.str("secret")?,
            algorithm: field("algorithm")?.unwrap_or(DEFAULT_ALGORITHM),
            digits: number("digits")?.unwrap_or(DEFAULT_DIGITS),
            kind,
        };
        match entry.into_account() {
            Ok(account) => batch.accounts.push(account),
            Err(unsupported) => batch.unsupported.push(unsupported),
        }
    }
    Ok(batch)
}
