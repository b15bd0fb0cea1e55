//! The password of an encrypted export file.

use zeroize::Zeroizing;

/// An export file's password, wiped on drop; `Debug` is redacted.
pub struct ImportPassword(Zeroizing<String>);

impl ImportPassword {
    /// Wraps the password as the user typed it.
    pub fn new(password: String) -> Self {
        Self(Zeroizing::new(password))
    }

    /// The password's bytes, for the key derivation.
    pub fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for ImportPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ImportPassword(redacted)")
    }
}
