//! Random identifiers and bearer secrets (session ids, enroll and device tokens, recovery codes).
//!
//! A bearer secret is shown to its holder once and stored only as its SHA-256 hash, so a copy
//! of the database does not let anyone act as a session or device.

use rand::Rng;
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Bytes of entropy in a bearer token: 256 bits, far beyond guessing (NIST SP 800-63B §5.1.1.2
/// asks for at least 64 bits for secrets that are not rate limited by the verifier).
pub const TOKEN_BYTES: usize = 32;

/// Bytes of entropy in a public row id: 128 bits make collisions irrelevant.
pub const ID_BYTES: usize = 16;

/// Number of recovery codes issued at enrollment.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Bytes of entropy per recovery code: 80 bits, written as 16 base32 characters; the code is
/// stored as a plain SHA-256 hash, which is safe only because the code itself is unguessable.
pub const RECOVERY_CODE_BYTES: usize = 10;

/// `n` random bytes from the operating system's generator (through `rand::rng()`).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A fresh random row id (not a secret).
pub fn new_id() -> String {
    data_encoding::HEXLOWER.encode(&random_bytes(ID_BYTES))
}

/// Hex SHA-256 of a secret, the only form in which bearer secrets are stored.
pub fn hash_secret(secret: &str) -> String {
    data_encoding::HEXLOWER.encode(&Sha256::digest(secret.as_bytes()))
}

/// A bearer secret: wiped on drop, redacted in `Debug`, never logged.
#[derive(Zeroize, ZeroizeOnDrop)]
pub struct SecretToken(String);

impl SecretToken {
    /// A new random token of [`TOKEN_BYTES`] bytes, base64url without padding.
    pub fn generate() -> Self {
        use base64::Engine as _;
        Self(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes(TOKEN_BYTES)))
    }

    /// A new recovery code: [`RECOVERY_CODE_BYTES`] bytes as base32, grouped in fours.
    pub fn recovery_code() -> Self {
        let raw = data_encoding::BASE32_NOPAD.encode(&random_bytes(RECOVERY_CODE_BYTES));
        let grouped: Vec<String> = raw
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect();
        Self(grouped.join("-"))
    }

    /// Wraps a token received from a client.
    pub fn from_client(value: String) -> Self {
        Self(value)
    }

    /// The token text, to hand to its holder.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The stored form of this token.
    pub fn hash(&self) -> String {
        hash_secret(&self.0)
    }
}

impl std::fmt::Debug for SecretToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretToken(redacted)")
    }
}

/// Normalises a recovery code typed by a person: upper case, dashes and spaces dropped, then
/// grouped like [`SecretToken::recovery_code`] so that the hash matches.
pub fn normalise_recovery_code(input: &str) -> SecretToken {
    let clean: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let grouped: Vec<String> = clean
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    SecretToken(grouped.join("-"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_distinct_and_long() {
        let a = SecretToken::generate();
        let b = SecretToken::generate();
        assert_ne!(a.expose(), b.expose());
        assert_eq!(a.expose().len(), 43);
    }

    #[test]
    fn hash_is_sha256_hex() {
        // FIPS 180-2 example: SHA-256("abc").
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_is_redacted() {
        let t = SecretToken::from_client("geheim".into());
        assert!(!format!("{t:?}").contains("geheim"));
    }

    #[test]
    fn recovery_code_round_trips_through_sloppy_typing() {
        let code = SecretToken::recovery_code();
        let typed = code.expose().to_lowercase().replace('-', " ");
        assert_eq!(normalise_recovery_code(&typed).hash(), code.hash());
        assert_ne!(normalise_recovery_code("AAAA-BBBB").hash(), code.hash());
    }
}
