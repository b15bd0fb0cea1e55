//! Property test: arbitrary contents survive create, save and unlock unchanged.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{KdfProfile, Vault};

const NOW: u64 = 1_764_000_000;

type Contents = Vec<(String, Vec<u8>)>;

fn pin() -> Pin {
    Pin::new(Zeroizing::new("482915".to_owned())).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn contents_round_trip(
        first in proptest::collection::vec((any::<String>(), proptest::collection::vec(any::<u8>(), 0..64)), 0..8),
        second in proptest::collection::vec((any::<String>(), proptest::collection::vec(any::<u8>(), 0..64)), 0..8),
        email in any::<String>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let mut vault = Vault::create(&path, &email, &pin(), KdfProfile::TESTING, first.clone(), NOW).unwrap();
        let reopened: Vault<Contents> = Vault::unlock(&path, &pin(), NOW).unwrap();
        prop_assert_eq!(reopened.contents(), &first);
        prop_assert_eq!(reopened.email(), email.as_str());

        *vault.contents_mut() = second.clone();
        vault.save().unwrap();
        let reopened: Vault<Contents> = Vault::unlock(&path, &pin(), NOW).unwrap();
        prop_assert_eq!(reopened.contents(), &second);
        prop_assert!(reopened.opened_from_backup().is_none());
    }
}
