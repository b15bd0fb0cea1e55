//! The authenticator's operations on a real vault file: accounts, lookup, codes, PIN change.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use common::{SEED, fixture, pin, pin_of};

use zweifaktor_core::accounts::{AccountKind, AccountQuery};
use zweifaktor_core::vault::{KdfProfile, VaultError};
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::otp::ocra::OcraSuite;

fn totp_uri(issuer: &str, name: &str) -> String {
    format!("otpauth://totp/{issuer}:{name}?secret={SEED}&issuer={issuer}&digits=8")
}

#[test]
fn totp_code_follows_the_injected_clock() {
    let (fx, mut auth) = fixture();
    let id = auth.add_account(&totp_uri("Example", "erika")).unwrap().id;
    // RFC 6238 Appendix B, SHA1: T=59 → 94287082, T=1111111109 → 07081804.
    let shown = auth.code(&id, None).unwrap();
    assert_eq!(shown.code.as_str(), "94287082");
    assert_eq!(shown.seconds_left, Some(1));
    fx.clock.set(1_111_111_109);
    assert_eq!(auth.code(&id, None).unwrap().code.as_str(), "07081804");
    assert_eq!(auth.code(&id, Some(59)).unwrap().code.as_str(), "94287082");
}

#[test]
fn accounts_survive_a_reopen_and_never_show_their_seed() {
    let (fx, mut auth) = fixture();
    auth.add_account(&totp_uri("Example", "erika")).unwrap();
    drop(auth);
    let auth = fx.reopen();
    let accounts = auth.accounts();
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].label, "Example:erika");
    assert_eq!(accounts[0].kind, AccountKind::Totp { period: 30 });
    assert!(!format!("{accounts:?}").contains(SEED));
    let file = std::fs::read_to_string(&fx.path).unwrap();
    assert!(!file.contains(SEED), "seed readable in the vault file");
}

#[test]
fn the_same_secret_under_the_same_label_cannot_be_added_twice() {
    let (_fx, mut auth) = fixture();
    auth.add_account(&totp_uri("Example", "erika")).unwrap();
    let err = auth.add_account(&totp_uri("EXAMPLE", "ERIKA")).unwrap_err();
    assert!(matches!(err, CoreError::DuplicateAccount { .. }), "{err:?}");
    assert_eq!(auth.accounts().len(), 1);
}

#[test]
fn malformed_uri_is_a_typed_error_and_changes_nothing() {
    let (fx, mut auth) = fixture();
    let before = std::fs::read(&fx.path).unwrap();
    let err = auth
        .add_account("otpauth://totp/x?secret=NOT-BASE32")
        .unwrap_err();
    assert!(matches!(err, CoreError::Uri(_)), "{err:?}");
    assert_eq!(std::fs::read(&fx.path).unwrap(), before);
}

#[test]
fn accounts_are_found_by_label_name_or_as_the_only_one() {
    let (_fx, mut auth) = fixture();
    assert!(matches!(
        auth.find(&AccountQuery::Only),
        Err(CoreError::NoAccounts)
    ));
    let first = auth.add_account(&totp_uri("Portal", "Jürgen")).unwrap().id;
    assert_eq!(auth.find(&AccountQuery::Only).unwrap(), first);
    assert_eq!(
        auth.find(&AccountQuery::Named("portal:JÜRGEN".into()))
            .unwrap(),
        first
    );
    let second = auth.add_account(&totp_uri("Bank", "Jürgen")).unwrap().id;
    assert_eq!(
        auth.find(&AccountQuery::Named(second.to_string())).unwrap(),
        second
    );
    assert!(matches!(
        auth.find(&AccountQuery::Named("jürgen".into())),
        Err(CoreError::AmbiguousAccount { candidates, .. }) if candidates.len() == 2
    ));
    assert!(matches!(
        auth.find(&AccountQuery::Only),
        Err(CoreError::AmbiguousAccount { .. })
    ));
    assert!(matches!(
        auth.find(&AccountQuery::Named("nobody".into())),
        Err(CoreError::UnknownAccount { .. })
    ));
}

#[test]
fn rename_and_delete_are_saved() {
    let (fx, mut auth) = fixture();
    let id = auth.add_account(&totp_uri("Example", "erika")).unwrap().id;
    assert!(matches!(
        auth.rename(&id, Some("Example"), "  "),
        Err(CoreError::EmptyName)
    ));
    assert_eq!(
        auth.rename(&id, Some("Example"), "Erika M.").unwrap().label,
        "Example:Erika M."
    );
    drop(auth);
    let mut auth = fx.reopen();
    assert_eq!(auth.account(&id).unwrap().name, "Erika M.");
    auth.delete(&id).unwrap();
    assert!(matches!(
        auth.delete(&id),
        Err(CoreError::UnknownAccount { .. })
    ));
    drop(auth);
    let auth = fx.reopen();
    assert!(auth.accounts().is_empty());
}

/// Issue 10: HOTP's "next code" advances the stored counter, and the advance survives each
/// unlock, so no code is ever shown twice.
#[test]
fn hotp_counter_moves_on_and_is_persisted_before_the_code_is_shown() {
    let (fx, mut auth) = fixture();
    let id = auth
        .add_account(&format!("otpauth://hotp/Bank:bob?secret={SEED}&counter=5"))
        .unwrap()
        .id;
    // RFC 4226 Appendix D: counter 5 → 254676, 6 → 287922.
    let shown = auth.code(&id, None).unwrap();
    assert_eq!(shown.code.as_str(), "254676");
    assert_eq!(shown.seconds_left, None);
    drop(auth);
    let mut auth = fx.reopen();
    assert_eq!(
        auth.account(&id).unwrap().kind,
        AccountKind::Hotp { counter: 6 }
    );
    assert_eq!(auth.code(&id, None).unwrap().code.as_str(), "287922");
    drop(auth);
    // RFC 4226 Appendix D: counter 7 → 162583.
    let mut auth = fx.reopen();
    assert_eq!(
        auth.account(&id).unwrap().kind,
        AccountKind::Hotp { counter: 7 }
    );
    assert_eq!(auth.code(&id, None).unwrap().code.as_str(), "162583");
    assert!(auth.current_codes(None).unwrap()[0].1.is_none());
    drop(auth);
    let auth = fx.reopen();
    assert_eq!(
        auth.account(&id).unwrap().kind,
        AccountKind::Hotp { counter: 8 }
    );
}

#[test]
fn ocra_code_uses_the_account_seed_and_the_clock_for_timed_suites() {
    let (fx, mut auth) = fixture();
    let id = auth.add_account(&totp_uri("Example", "erika")).unwrap().id;
    // RFC 6287 Appendix C.1, OCRA-1:HOTP-SHA1-6:QN08 with the 20-byte key.
    let suite: OcraSuite = "OCRA-1:HOTP-SHA1-6:QN08".parse().unwrap();
    assert_eq!(
        auth.ocra_code(&id, &suite, "22222222").unwrap().as_str(),
        "653583"
    );
    let timed: OcraSuite = "OCRA-1:HOTP-SHA1-6:QN08-T1M".parse().unwrap();
    let at_59 = auth.ocra_code(&id, &timed, "12345678").unwrap();
    fx.clock.set(59 + 60);
    let a_minute_later = auth.ocra_code(&id, &timed, "12345678").unwrap();
    assert_ne!(at_59.as_str(), a_minute_later.as_str());
    let with_pin: OcraSuite = "OCRA-1:HOTP-SHA1-6:QN08-PSHA1".parse().unwrap();
    assert!(matches!(
        auth.ocra_code(&id, &with_pin, "1"),
        Err(CoreError::Ocra(_))
    ));
}

#[test]
fn change_pin_switches_the_pin_and_keeps_the_accounts() {
    let (fx, mut auth) = fixture();
    auth.add_account(&totp_uri("Example", "erika")).unwrap();
    auth.change_pin(&pin_of("580316"), KdfProfile::TESTING)
        .unwrap();
    drop(auth);
    let err = Authenticator::unlock(&fx.path, &pin(), fx.clock.clone()).unwrap_err();
    assert!(
        matches!(err, CoreError::Vault(VaultError::WrongPin { .. })),
        "{err:?}"
    );
    let auth = Authenticator::unlock(&fx.path, &pin_of("580316"), fx.clock.clone()).unwrap();
    assert_eq!(auth.accounts().len(), 1);
    let info = Authenticator::login_info(&fx.path).unwrap();
    assert_eq!(info.email, "erika@example.org");
}
