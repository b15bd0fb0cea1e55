//! Fuzz target: the vault file, as the app reads it from disk before the PIN is entered.
//!
//! A hostile or damaged file must parse or be reported as damaged, never panic. The target
//! stops before the PIN: it never runs Argon2, so no input can make one run cost seconds or
//! gigabytes (the parameters' ceiling is checked, see `kdf.rs`). A file that parses must be
//! written back (as a lock-out update would) to bytes that parse to the same thing, and
//! writing those again must give the same bytes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zweifaktor_core::vault::fuzzing::{Parsed, parse};

/// A clock in the range of real vaults.
const NOW: u64 = 1_700_000_000;

fuzz_target!(|data: &[u8]| {
    let Parsed::Vault(first) = parse(data, NOW) else {
        return;
    };
    let Some(rewritten) = &first.rewritten else {
        panic!("a parsed vault file cannot be written back");
    };
    let Parsed::Vault(second) = parse(rewritten, NOW) else {
        panic!("a vault file written back does not parse");
    };
    assert_eq!(second, first, "writing the file back changed it");
});
