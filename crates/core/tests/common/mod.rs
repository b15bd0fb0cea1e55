//! The core integration tests' shared kit: a fresh vault in a temporary folder, its PIN, a
//! fixed clock and a well-known seed.

use std::path::PathBuf;
use std::sync::Arc;

use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::clock::FixedClock;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::KdfProfile;

/// RFC 6238's SHA-1 test secret ("12345678901234567890") in base32.
pub const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// The PIN every fixture vault is created with.
pub const PIN: &str = "274951";

/// A PIN from its digits.
pub fn pin_of(text: &str) -> Pin {
    Pin::new(Zeroizing::new(text.to_owned())).unwrap()
}

/// The fixture vault's PIN.
pub fn pin() -> Pin {
    pin_of(PIN)
}

/// Where the fixture vault lives; the folder is removed when this is dropped.
pub struct Fixture {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
    pub clock: Arc<FixedClock>,
}

impl Fixture {
    /// The vault opened again from its file, as after a restart.
    pub fn reopen(&self) -> Authenticator {
        Authenticator::unlock(&self.path, &pin(), self.clock.clone()).unwrap()
    }
}

/// A new, empty vault (cheap KDF profile) at Unix time 59, RFC 6238's first test time.
pub fn fixture() -> (Fixture, Authenticator) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    let clock = Arc::new(FixedClock::new(59));
    let auth = Authenticator::create(
        &path,
        "erika@example.org",
        &pin(),
        KdfProfile::TESTING,
        clock.clone(),
    )
    .unwrap();
    (
        Fixture {
            _dir: dir,
            path,
            clock,
        },
        auth,
    )
}
