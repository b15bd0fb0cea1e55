//! The vault's biometric slot with the software fake of the platform cipher: switching it on,
//! unlocking by it, the platform's cancel, failure and invalidated key, the PIN change, the
//! 72-hour and restart rules on the injected clock, the lock-out, and a build without a cipher.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{Fixture, SEED, fixture, pin, pin_of};

use zweifaktor_core::vault::biometric::PIN_MAX_AGE_SECS;
use zweifaktor_core::vault::fake_cipher::FakeCipher;
use zweifaktor_core::vault::{CipherError, KdfProfile, PinRequiredReason, VaultError};
use zweifaktor_core::{Authenticator, CoreError};

fn uri(name: &str) -> String {
    format!("otpauth://totp/Example:{name}?secret={SEED}&issuer=Example")
}

/// A fixture vault holding one account, with the fingerprint switched on, and its fake cipher.
fn enabled() -> (Fixture, FakeCipher) {
    let (fx, mut auth) = fixture();
    auth.add_account(&uri("erika")).unwrap();
    let cipher = FakeCipher::new();
    auth.enable_biometric(&cipher).unwrap();
    assert!(auth.biometric_enabled());
    (fx, cipher)
}

fn by_finger(fx: &Fixture, cipher: &FakeCipher) -> Result<Authenticator, CoreError> {
    Authenticator::unlock_biometric(&fx.path, cipher, fx.clock.clone())
}

fn biometric_error(result: Result<Authenticator, CoreError>) -> VaultError {
    match result {
        Err(CoreError::Vault(err)) => err,
        Err(other) => panic!("{other:?}"),
        Ok(_) => panic!("the fingerprint opened the vault"),
    }
}

fn file_text(fx: &Fixture) -> String {
    std::fs::read_to_string(&fx.path).unwrap()
}

#[test]
fn the_fingerprint_opens_a_vault_after_it_was_switched_on() {
    let (fx, cipher) = enabled();
    assert_eq!(cipher.prompts(), 1, "sealing the key shows the prompt");
    let info = Authenticator::login_info(&fx.path).unwrap();
    assert!(info.biometric);
    let auth = by_finger(&fx, &cipher).unwrap();
    assert_eq!(auth.accounts()[0].label, "Example:erika");
    assert_eq!(cipher.prompts(), 2);
}

#[test]
fn a_vault_without_the_slot_offers_no_fingerprint() {
    let (fx, auth) = fixture();
    assert!(!auth.biometric_enabled());
    drop(auth);
    assert!(!Authenticator::login_info(&fx.path).unwrap().biometric);
    assert!(!file_text(&fx).contains("biometric"));
    let cipher = FakeCipher::new();
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::NoBiometricSlot
    ));
    assert_eq!(cipher.prompts(), 0);
}

#[test]
fn a_cancelled_prompt_is_no_pin_try_and_keeps_the_slot() {
    let (fx, cipher) = enabled();
    cipher.answer_next(CipherError::Cancelled);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Biometric(CipherError::Cancelled)
    ));
    let info = Authenticator::login_info(&fx.path).unwrap();
    assert_eq!(info.lockout.failed, 0);
    assert!(info.biometric);
    by_finger(&fx, &cipher).unwrap();
}

#[test]
fn a_failed_check_is_the_platforms_and_keeps_the_slot() {
    let (fx, cipher) = enabled();
    cipher.answer_next(CipherError::Failed);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Biometric(CipherError::Failed)
    ));
    cipher.answer_next(CipherError::NotAvailable);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Biometric(CipherError::NotAvailable)
    ));
    let info = Authenticator::login_info(&fx.path).unwrap();
    assert_eq!(info.lockout.failed, 0);
    assert!(info.biometric);
}

#[test]
fn an_invalidated_key_removes_the_slot_and_the_pin_still_opens() {
    let (fx, cipher) = enabled();
    // Saved twice so that the backup holds the slot too.
    let mut auth = fx.reopen();
    auth.add_account(&uri("max")).unwrap();
    drop(auth);
    assert!(
        std::fs::read_to_string(fx.path.with_extension("json.bak"))
            .unwrap()
            .contains("sealed_key")
    );
    cipher.enroll_new_finger();
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Biometric(CipherError::KeyInvalidated)
    ));
    assert!(!Authenticator::login_info(&fx.path).unwrap().biometric);
    assert!(!file_text(&fx).contains("sealed_key"));
    assert!(
        !std::fs::read_to_string(fx.path.with_extension("json.bak"))
            .unwrap()
            .contains("sealed_key"),
        "the backup must not bring the slot back"
    );
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::NoBiometricSlot
    ));
    let mut auth = fx.reopen();
    assert_eq!(auth.accounts().len(), 2);
    // Switching it on again seals under the platform's new key.
    auth.enable_biometric(&cipher).unwrap();
    drop(auth);
    by_finger(&fx, &cipher).unwrap();
}

#[test]
fn an_altered_slot_is_removed_instead_of_trusted() {
    let (fx, cipher) = enabled();
    // Someone moves the last PIN unlock forward to stretch the 72 hours.
    let text = file_text(&fx);
    assert!(text.contains("\"pin_verified_at\": 59,"));
    let altered = text.replace("\"pin_verified_at\": 59,", "\"pin_verified_at\": 60,");
    std::fs::write(&fx.path, altered).unwrap();
    fx.clock.set(100);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Biometric(CipherError::KeyInvalidated)
    ));
    assert!(!Authenticator::login_info(&fx.path).unwrap().biometric);
    assert!(fx.reopen().vault().opened_from_backup().is_none());
}

#[test]
fn a_pin_change_keeps_the_slot() {
    let (fx, cipher) = enabled();
    let mut auth = fx.reopen();
    auth.change_pin_checked(&pin(), &pin_of("135792"), KdfProfile::TESTING)
        .unwrap();
    assert!(auth.biometric_enabled());
    drop(auth);
    let auth = by_finger(&fx, &cipher).unwrap();
    assert_eq!(auth.accounts().len(), 1);
    assert!(Authenticator::unlock(&fx.path, &pin(), fx.clock.clone()).is_err());
    assert!(Authenticator::unlock(&fx.path, &pin_of("135792"), fx.clock.clone()).is_ok());
}

#[test]
fn the_pin_is_asked_again_72_hours_after_it_was_last_entered() {
    let (fx, cipher) = enabled();
    fx.clock.advance(PIN_MAX_AGE_SECS);
    by_finger(&fx, &cipher).unwrap();
    fx.clock.advance(1);
    let prompts = cipher.prompts();
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::PinRequired {
            reason: PinRequiredReason::Expired
        }
    ));
    assert_eq!(cipher.prompts(), prompts, "no prompt when the PIN is due");
    assert!(Authenticator::login_info(&fx.path).unwrap().biometric);
    // The PIN starts the 72 hours again.
    drop(fx.reopen());
    fx.clock.advance(PIN_MAX_AGE_SECS);
    by_finger(&fx, &cipher).unwrap();
}

#[test]
fn a_clock_set_back_asks_for_the_pin() {
    let (fx, cipher) = enabled();
    fx.clock.set(58);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::PinRequired {
            reason: PinRequiredReason::ClockSetBack
        }
    ));
}

#[test]
fn a_restart_the_platform_reports_asks_for_the_pin() {
    let (fx, cipher) = enabled();
    fx.clock.advance(3_600);
    cipher.restarted_at(59 + 1_800);
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::PinRequired {
            reason: PinRequiredReason::Restarted
        }
    ));
    drop(fx.reopen());
    fx.clock.advance(60);
    by_finger(&fx, &cipher).unwrap();
}

#[test]
fn the_pin_lockout_holds_for_the_fingerprint_too() {
    let (fx, cipher) = enabled();
    for _ in 0..5 {
        assert!(Authenticator::unlock(&fx.path, &pin_of("580316"), fx.clock.clone()).is_err());
    }
    assert!(matches!(
        biometric_error(by_finger(&fx, &cipher)),
        VaultError::Locked { until: 89 }
    ));
    fx.clock.set(89);
    by_finger(&fx, &cipher).unwrap();
    assert_eq!(
        Authenticator::login_info(&fx.path).unwrap().lockout.failed,
        5,
        "a fingerprint neither counts nor resets wrong PINs"
    );
}

#[test]
fn only_a_pin_session_switches_the_fingerprint_on() {
    let (fx, cipher) = enabled();
    let mut auth = by_finger(&fx, &cipher).unwrap();
    assert!(matches!(
        auth.enable_biometric(&cipher),
        Err(CoreError::Vault(VaultError::PinRequired {
            reason: PinRequiredReason::NotOpenedByPin
        }))
    ));
    auth.disable_biometric().unwrap();
    assert!(!auth.biometric_enabled());
    drop(auth);
    assert!(!Authenticator::login_info(&fx.path).unwrap().biometric);
    assert!(!file_text(&fx).contains("biometric"));
}

#[test]
fn a_cancelled_sealing_writes_nothing() {
    let (fx, mut auth) = fixture();
    let before = file_text(&fx);
    let cipher = FakeCipher::new();
    cipher.answer_next(CipherError::Cancelled);
    assert!(matches!(
        auth.enable_biometric(&cipher),
        Err(CoreError::Vault(VaultError::Biometric(
            CipherError::Cancelled
        )))
    ));
    assert!(!auth.biometric_enabled());
    assert_eq!(file_text(&fx), before);
}

/// A build without a platform cipher (iOS, macOS, desktop) opens such a vault by PIN and keeps
/// the slot through saves and a PIN change, so the phone's fingerprint still works afterwards.
#[test]
fn a_build_without_a_cipher_keeps_the_slot() {
    let (fx, cipher) = enabled();
    let mut auth = Authenticator::unlock(&fx.path, &pin(), Arc::clone(&fx.clock) as _).unwrap();
    assert!(auth.biometric_enabled());
    auth.add_account(&uri("max")).unwrap();
    auth.change_pin_checked(&pin(), &pin_of("135792"), KdfProfile::TESTING)
        .unwrap();
    auth.add_account(&uri("juna")).unwrap();
    drop(auth);
    assert!(Authenticator::login_info(&fx.path).unwrap().biometric);
    let auth = by_finger(&fx, &cipher).unwrap();
    assert_eq!(auth.accounts().len(), 3);
}
