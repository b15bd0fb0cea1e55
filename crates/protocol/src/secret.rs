//! The shared OTP secret ("seed"): the one value that, once leaked, lets anyone make codes.
//!
//! It lives in a newtype with a private field, is wiped when dropped, and has a redacted
//! `Debug`, so it cannot reach a log line by accident.

use zeroize::{Zeroize, ZeroizeOnDrop};

/// Raw bytes of an OTP seed, wiped from memory on drop.
#[derive(Zeroize, ZeroizeOnDrop, PartialEq, Eq)]
pub struct Seed(Vec<u8>);

impl Seed {
    /// Wraps raw seed bytes; the vector is moved, not copied.
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The raw bytes, for the HMAC key.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True for a seed without bytes.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An explicit copy; `Clone` is not derived so that copies stay visible in review.
    pub fn duplicate(&self) -> Self {
        Self(self.0.clone())
    }
}

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({} bytes, redacted)", self.0.len())
    }
}
