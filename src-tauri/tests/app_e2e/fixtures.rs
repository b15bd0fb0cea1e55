//! Files the walks import, built with the core's own writers: an encrypted backup in Aegis's
//! vault format (scrypt, AES-256-GCM), the format Aegis itself writes and reads.

use std::sync::Arc;

use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::clock::SystemClock;
use zweifaktor_core::export::ExportRequest;
use zweifaktor_core::export::aegis::BackupPassword;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::KdfProfile;

use crate::steps::PIN;

/// The password of the Aegis file: a passphrase that passes the core's strength rule.
pub const AEGIS_PASSWORD: &str = "Sonnenblume Fahrradkette Nordsee";

/// An encrypted Aegis file holding a TOTP account (SHA-1, 6 digits, 30 s) for each
/// `(issuer, base-32 secret)`, named `erika`.
pub fn aegis_file(accounts: &[(&str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let pin = Pin::new(Zeroizing::new(PIN.to_owned())).unwrap();
    let mut vault = Authenticator::create(
        &dir.path().join("vault.json"),
        "erika@example.org",
        &pin,
        KdfProfile::TESTING,
        Arc::new(SystemClock),
    )
    .unwrap();
    for (issuer, secret) in accounts {
        vault
            .add_account(&format!(
                "otpauth://totp/{issuer}:erika?secret={secret}&issuer={issuer}"
            ))
            .unwrap();
    }
    let password = BackupPassword::new(Zeroizing::new(AEGIS_PASSWORD.to_owned()), &[]).unwrap();
    vault
        .export(&pin, ExportRequest::Aegis { password })
        .unwrap()
        .file()
        .to_vec()
}
