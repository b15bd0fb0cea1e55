//! The vault file's parser as the `vault_file` fuzz target (`fuzz/`) drives it; compiled only
//! with the `fuzzing` feature, which the app never enables.
//!
//! It runs what [`Vault::peek`](super::Vault::peek) and [`Vault::unlock`](super::Vault::unlock)
//! do with a file's bytes before the PIN is used: the layout, the version, the header with its
//! key slots, the Argon2 parameters against the ceiling of [`kdf`](super::kdf), and the
//! lock-out. Argon2 itself never runs here, so no input can make one run cost seconds or
//! gigabytes, and no file is touched.

use super::error::CorruptReason;
use super::format::{self, ParseError};
use super::lockout::LockoutStatus;

/// What the bytes of a vault file parse to before any key derivation.
#[derive(Debug, PartialEq, Eq)]
pub enum Parsed {
    /// The file is a vault of this version.
    Vault(Inspected),
    /// The file is damaged; the app would try the backup.
    Corrupt(CorruptReason),
    /// The file is a vault of another version; the app would refuse it.
    UnsupportedVersion(u64),
}

/// The clear parts of a parsed vault file.
#[derive(Debug, PartialEq, Eq)]
pub struct Inspected {
    /// The e-mail address for the login screen.
    pub email: String,
    /// The lock-out status for the login screen.
    pub lockout: LockoutStatus,
    /// Whether a try at `now` is allowed (`Err(until)` while a wait runs).
    pub try_at_now: Result<(), u64>,
    /// `None` without a PIN slot, else whether its Argon2 parameters are within the ceiling
    /// (the only case in which unlocking would run Argon2).
    pub pin_slot_runnable: Option<bool>,
    /// The file as the next lock-out update would write it; `None` if it could not be written,
    /// which the fuzz target reports as a failure.
    pub rewritten: Option<Vec<u8>>,
}

/// Parses `bytes` as a vault file and inspects it at time `now` (unix seconds).
pub fn parse(bytes: &[u8], now: u64) -> Parsed {
    let (file, header) = match format::parse(bytes) {
        Ok(parsed) => parsed,
        Err(ParseError::Corrupt(reason)) => return Parsed::Corrupt(reason),
        Err(ParseError::UnsupportedVersion(found)) => return Parsed::UnsupportedVersion(found),
    };
    Parsed::Vault(Inspected {
        lockout: file.lockout.status(),
        try_at_now: file.lockout.check(now),
        pin_slot_runnable: header.pin_slot().map(|slot| slot.kdf.profile.in_range()),
        rewritten: format::to_bytes(&file).ok(),
        email: header.email,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const EXAMPLE: &str = include_str!("example.json");

    #[test]
    fn the_documented_example_is_inspected_and_written_back_unchanged() {
        let Parsed::Vault(first) = parse(EXAMPLE.as_bytes(), 1_700_000_000) else {
            panic!("the example does not parse");
        };
        assert_eq!(first.email, "anna@example.org");
        assert_eq!(first.pin_slot_runnable, Some(true));
        assert_eq!(first.try_at_now, Ok(()));
        let again = parse(first.rewritten.as_deref().unwrap(), 1_700_000_000);
        assert_eq!(again, Parsed::Vault(first));
    }

    #[test]
    fn damage_and_other_versions_are_reported() {
        assert_eq!(
            parse(&EXAMPLE.as_bytes()[..100], 0),
            Parsed::Corrupt(CorruptReason::Truncated)
        );
        assert_eq!(
            parse(br#"{"format":"zweifaktor-vault","version":2}"#, 0),
            Parsed::UnsupportedVersion(2)
        );
    }
}
