//! A software stand-in for the platform's biometric cipher, for tests on machines without one
//! (the core's tests, and the shell's command tests through the `test-cipher` feature). Never
//! part of the app.
//!
//! It seals with XChaCha20-Poly1305 under a key of its own and answers each prompt as told:
//! success by default, or once cancelled, failed, not available. [`FakeCipher::enroll_new_finger`]
//! invalidates its key as a new enrollment does on Android: opening then reports
//! [`CipherError::KeyInvalidated`], and the next sealing uses a fresh key (as the plugin
//! replaces an invalidated key when it encrypts).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use zeroize::Zeroizing;

use super::biometric::{CipherError, PlatformCipher};
use super::crypto::random;
use super::format::NONCE_LEN;

/// What the fake's prompts answer.
struct Script {
    key: [u8; 32],
    invalidated: bool,
    next: Option<CipherError>,
    booted_at: Option<u64>,
}

/// A software [`PlatformCipher`] whose answers a test chooses.
pub struct FakeCipher {
    script: Mutex<Script>,
    prompts: AtomicU32,
}

impl Default for FakeCipher {
    fn default() -> Self {
        Self::new()
    }
}

impl FakeCipher {
    /// A fake with a fresh key that answers every prompt with success and reports no start time.
    pub fn new() -> Self {
        Self {
            script: Mutex::new(Script {
                key: random(),
                invalidated: false,
                next: None,
                booted_at: None,
            }),
            prompts: AtomicU32::new(0),
        }
    }

    fn script(&self) -> std::sync::MutexGuard<'_, Script> {
        self.script
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The next prompt answers with `outcome` instead of success (once).
    pub fn answer_next(&self, outcome: CipherError) {
        self.script().next = Some(outcome);
    }

    /// Invalidates the key, as enrolling a new fingerprint does.
    pub fn enroll_new_finger(&self) {
        self.script().invalidated = true;
    }

    /// Reports that the device started at `at` (unix seconds).
    pub fn restarted_at(&self, at: u64) {
        self.script().booted_at = Some(at);
    }

    /// How many prompts were shown so far.
    pub fn prompts(&self) -> u32 {
        self.prompts.load(Ordering::SeqCst)
    }

    /// Counts a prompt and returns its scripted failure, if any.
    fn prompt(&self, script: &mut Script) -> Result<(), CipherError> {
        self.prompts.fetch_add(1, Ordering::SeqCst);
        script.next.take().map_or(Ok(()), Err)
    }
}

impl PlatformCipher for FakeCipher {
    fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CipherError> {
        let mut script = self.script();
        self.prompt(&mut script)?;
        if script.invalidated {
            script.key = random();
            script.invalidated = false;
        }
        let nonce: [u8; NONCE_LEN] = random();
        let sealed = XChaCha20Poly1305::new((&script.key).into())
            .encrypt(&XNonce::from(nonce), plaintext)
            .map_err(|_| CipherError::Failed)?;
        Ok([nonce.as_slice(), &sealed].concat())
    }

    fn decrypt(&self, sealed: &[u8]) -> Result<Zeroizing<Vec<u8>>, CipherError> {
        let mut script = self.script();
        if script.invalidated {
            // Android refuses an invalidated key before showing the prompt.
            return Err(CipherError::KeyInvalidated);
        }
        self.prompt(&mut script)?;
        let (nonce, body) = sealed
            .split_at_checked(NONCE_LEN)
            .ok_or(CipherError::Failed)?;
        let nonce = <[u8; NONCE_LEN]>::try_from(nonce).map_err(|_| CipherError::Failed)?;
        XChaCha20Poly1305::new((&script.key).into())
            .decrypt(&XNonce::from(nonce), body)
            .map(Zeroizing::new)
            .map_err(|_| CipherError::KeyInvalidated)
    }

    fn booted_at(&self) -> Option<u64> {
        self.script().booted_at
    }
}
