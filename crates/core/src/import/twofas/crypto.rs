//! 2FAS's backup encryption: PBKDF2-HMAC-SHA256 over the password, AES-256-GCM.
//!
//! As the 2FAS Android app writes it (github.com/twofas/2fas-android,
//! `core/cipher/src/main/java/com/twofasapp/cipher/backup/`): `servicesEncrypted` and
//! `reference` are each `base64(ciphertext ‖ tag) ":" base64(salt) ":" base64(iv)`, both under
//! one key `PBKDF2-HMAC-SHA256(password, salt, 10 000 rounds, 256 bits)` with one 256-byte
//! salt and their own 96-bit IVs. `reference` seals a fixed text (`BackupContent.Reference`) and
//! exists to check the password: when it opens, the password is right, so services that then
//! fail to open are damage.
//!
//! The file names no cost: the rounds are 2FAS's fixed 10,000, so a file cannot ask for more
//! work. The only free size is the salt's, hashed once; it is bounded by [`MAX_SALT_LEN`].

use sha2::Sha256;

use super::super::cipher::{AesKey, NONCE_LEN};
use super::super::decode::{base64, base64_array};
use super::super::json::malformed;
use super::super::{Format, ImportError, ImportPassword};
use zeroize::Zeroizing;

/// PBKDF2 rounds: 2FAS's fixed `ITERATIONS = 10_000` (`BackupKeyGeneratorPbkdf.kt`).
pub(crate) const PBKDF2_ROUNDS: u32 = 10_000;

/// Longest salt read: 1 KiB, four times the 256 bytes 2FAS writes (`BackupSaltGeneratorRandom`).
pub(crate) const MAX_SALT_LEN: usize = 1024;

const FORMAT: Format = Format::TwoFas;

/// One sealed field: ciphertext with its tag appended, salt and IV.
pub(crate) struct Sealed {
    sealed: Vec<u8>,
    salt: Vec<u8>,
    iv: [u8; NONCE_LEN],
}

impl Sealed {
    /// Splits and decodes `ciphertext:salt:iv`.
    ///
    /// # Errors
    /// [`ImportError::Malformed`] naming `what` when a part is missing, not base64, or of the
    /// wrong length.
    pub(crate) fn parse(what: &str, text: &str) -> Result<Self, ImportError> {
        let mut parts = text.split(':');
        let (Some(data), Some(salt), Some(iv), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed(
                FORMAT,
                format!("{what} is not three parts ciphertext:salt:iv"),
            ));
        };
        let salt = base64(FORMAT, &format!("{what} salt"), salt)?;
        if salt.is_empty() || salt.len() > MAX_SALT_LEN {
            return Err(malformed(
                FORMAT,
                format!("{what} salt has {} bytes (1 to {MAX_SALT_LEN})", salt.len()),
            ));
        }
        Ok(Self {
            sealed: base64(FORMAT, &format!("{what} ciphertext"), data)?,
            salt,
            iv: base64_array(FORMAT, &format!("{what} iv"), iv)?,
        })
    }

    /// Whether two fields were sealed with the same salt, so under the same key.
    pub(crate) fn same_salt(&self, other: &Self) -> bool {
        self.salt == other.salt
    }

    /// The key for this field's salt.
    pub(crate) fn key(&self, password: &ImportPassword) -> AesKey {
        let mut key = AesKey::zeroed();
        pbkdf2::pbkdf2_hmac::<Sha256>(
            password.as_bytes(),
            &self.salt,
            PBKDF2_ROUNDS,
            key.bytes_mut(),
        );
        key
    }

    /// The plaintext; `None` when the key is wrong or the field altered.
    pub(crate) fn open(&self, key: &AesKey) -> Option<Zeroizing<Vec<u8>>> {
        key.open_appended(&self.iv, &self.sealed)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 7914 §11: PBKDF2-HMAC-SHA256 with P = "passwd", S = "salt", c = 1, first 32 bytes.
    /// The same function with 2FAS's rounds is checked on 2FAS's own files (`tests.rs`).
    #[test]
    fn pbkdf2_is_rfc7914s() {
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"passwd", b"salt", 1, &mut out);
        assert_eq!(
            hex::encode(out),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc"
        );
    }

    #[test]
    fn parts_are_checked() {
        for (text, what) in [
            ("AAAA:AAAA", "x is not three parts ciphertext:salt:iv"),
            (
                "AAAA:AAAA:AAAA:AAAA",
                "x is not three parts ciphertext:salt:iv",
            ),
            ("AAAA:!!!!:AAAAAAAAAAAAAAAA", "x salt is not valid base64"),
            ("AAAA:AAAA:AAAA", "x iv has 3 bytes instead of 12"),
            ("AAAA::AAAAAAAAAAAAAAAA", "x salt has 0 bytes (1 to 1024)"),
        ] {
            match Sealed::parse("x", text) {
                Err(ImportError::Malformed { what: got, .. }) => assert_eq!(got, what),
                Err(other) => panic!("{other:?}"),
                Ok(_) => panic!("{text} parsed"),
            }
        }
    }
}
