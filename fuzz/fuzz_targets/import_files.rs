//! Fuzz target: an export file of another authenticator, as the import screen reads it.
//!
//! Any file must be recognized and read, or refused with a typed error, never panic, and the
//! work must stay bounded. No password is given, so no key derivation runs: an encrypted
//! file ends at "password required" after its header and its KDF parameters were checked.
//! Every account a file yields must pass the rules every new account passes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zweifaktor_core::import;

fuzz_target!(|data: &[u8]| {
    let detected = import::detect(data).ok();
    let Ok(batch) = import::read(data, None) else {
        return;
    };
    assert_eq!(
        Some(batch.format),
        detected,
        "read a format detect did not name"
    );
    for account in &batch.accounts {
        assert!(
            account.check().is_ok(),
            "an imported account breaks the rules of new accounts"
        );
    }
});
