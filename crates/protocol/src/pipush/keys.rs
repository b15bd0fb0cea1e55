//! The RSA keys of a privacyIDEA push token: the phone's key pair, made at enrollment, and
//! the server's public key, pinned from the enrollment answer.
//!
//! RSA comes from aws-lc-rs (AWS-LC, a BoringSSL descendant), whose private-key operations
//! are constant-time. The RustCrypto `rsa` crate is not used for signing: advisory
//! RUSTSEC-2023-0071 ("Marvin attack") describes a timing side channel in its private-key
//! operations that can leak the key, with no fixed release.

use aws_lc_rs::encoding::AsDer as _;
use aws_lc_rs::rsa::{KeyPair, KeySize, PublicKey};
use aws_lc_rs::signature::{self, KeyPair as _, RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use data_encoding::BASE32;
use zeroize::Zeroizing;

use super::{PiKeyError, PiSignatureError};

/// Size of the phone's key: 4096 bits, as the privacyIDEA app makes it
/// (`generateRSAKeyPair` with bit length 4096) and as the server makes its own
/// (`generate_keypair(4096)`); BSI TR-02102-1 recommends at least 3000 bits beyond 2022.
pub const DEVICE_KEY_SIZE: KeySize = KeySize::Rsa4096;

/// The phone's private key as PKCS#8 DER (RFC 5208), the form it is stored in. A secret:
/// wiped on drop, never shown or logged.
pub struct DevicePrivateKey(Zeroizing<Vec<u8>>);

impl DevicePrivateKey {
    /// Wraps stored PKCS#8 bytes.
    pub fn from_pkcs8(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self(bytes)
    }

    /// The PKCS#8 bytes, for the encrypted vault only.
    pub fn expose_secret(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for DevicePrivateKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DevicePrivateKey(…)")
    }
}

/// The phone's RSA key pair, which signs polls and answers (RSASSA-PKCS1-v1_5, SHA-256).
pub struct DeviceKey(KeyPair);

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DeviceKey(…)")
    }
}

impl DeviceKey {
    /// A fresh [`DEVICE_KEY_SIZE`] key pair and its PKCS#8 form for storing. Takes about a
    /// second on a phone: call it off the UI thread.
    pub fn generate() -> Result<(Self, DevicePrivateKey), PiKeyError> {
        let pair = KeyPair::generate(DEVICE_KEY_SIZE).map_err(|_| PiKeyError::Generate)?;
        let pkcs8 = pair.as_der().map_err(|_| PiKeyError::Generate)?;
        let stored = DevicePrivateKey(Zeroizing::new(pkcs8.as_ref().to_vec()));
        Ok((Self(pair), stored))
    }

    /// The key pair from its stored PKCS#8 form.
    pub fn from_private(key: &DevicePrivateKey) -> Result<Self, PiKeyError> {
        KeyPair::from_pkcs8(key.expose_secret())
            .map(Self)
            .map_err(|_| PiKeyError::InvalidDeviceKey)
    }

    /// The public key as the enrollment `pubkey` parameter: base64 of the DER
    /// `SubjectPublicKeyInfo` (RFC 5280), the app's `serializeRSAPublicKeyPKCS8`. The server
    /// wraps it in `-----BEGIN PUBLIC KEY-----` (`_load_public_key`).
    pub fn public_key_for_server(&self) -> Result<String, PiKeyError> {
        let spki = self
            .0
            .public_key()
            .as_der()
            .map_err(|_| PiKeyError::Generate)?;
        Ok(STANDARD.encode(spki.as_ref()))
    }

    /// Signs `message` (its UTF-8 bytes) and returns the signature base32 with padding.
    pub fn sign(&self, message: &str) -> Result<String, PiKeyError> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let mut signature = vec![0; self.0.public_modulus_len()];
        self.0
            .sign(
                &signature::RSA_PKCS1_SHA256,
                &rng,
                message.as_bytes(),
                &mut signature,
            )
            .map_err(|_| PiKeyError::Sign)?;
        Ok(BASE32.encode(&signature))
    }
}

/// The server's RSA public key, pinned at enrollment: `RSAPublicKey` DER (RFC 8017 §A.1.1),
/// the form privacyIDEA sends (`public_bytes(PEM, PKCS1)` with the PEM lines stripped) and the
/// app reads (`deserializeRSAPublicKeyPKCS1`).
#[derive(Clone, PartialEq, Eq)]
pub struct ServerKey(Vec<u8>);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ServerKey({} bytes)", self.0.len())
    }
}

impl ServerKey {
    /// Reads the key as privacyIDEA sends it: base64 (line breaks and PEM armour allowed) of
    /// an RSA public key (PKCS#1 or `SubjectPublicKeyInfo`) of 2048 to 8192 bits.
    pub fn from_base64(text: &str) -> Result<Self, PiKeyError> {
        let body: String = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with("-----"))
            .collect();
        let der = STANDARD
            .decode(body.as_bytes())
            .map_err(|_| PiKeyError::InvalidServerKey)?;
        let key = PublicKey::from_der(&der).map_err(|_| PiKeyError::InvalidServerKey)?;
        let der_len = key.as_ref().len();
        // The DER of a 2048-bit key is 270 bytes, of an 8192-bit key 1038.
        if !(MIN_SERVER_KEY_DER..=MAX_SERVER_KEY_DER).contains(&der_len) {
            return Err(PiKeyError::InvalidServerKey);
        }
        Ok(Self(key.as_ref().to_vec()))
    }

    /// The key as base64 of its PKCS#1 DER, the form stored in the vault.
    pub fn to_base64(&self) -> String {
        STANDARD.encode(&self.0)
    }

    /// Verifies a base32 signature over `message`.
    pub fn verify(&self, message: &[u8], signature_b32: &str) -> Result<(), PiSignatureError> {
        let signature = BASE32
            .decode(signature_b32.as_bytes())
            .map_err(|_| PiSignatureError::Encoding)?;
        UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, &self.0)
            .verify(message, &signature)
            .map_err(|_| PiSignatureError::Mismatch)
    }
}

/// Shortest PKCS#1 DER of an RSA key accepted as the server's: a 2048-bit key (270 bytes),
/// the smallest size `RSA_PKCS1_2048_8192_SHA256` verifies with.
const MIN_SERVER_KEY_DER: usize = 270;

/// Longest PKCS#1 DER accepted: an 8192-bit key with a large exponent.
const MAX_SERVER_KEY_DER: usize = 1100;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipush::test_keys;

    #[test]
    fn a_signature_of_the_device_key_verifies_with_its_public_key() {
        let device = test_keys::device();
        let signature = device.sign("PIPU0001|2026-12-02T03:37:44Z").unwrap();
        let public = ServerKey::from_base64(&device.public_key_for_server().unwrap()).unwrap();
        public
            .verify(b"PIPU0001|2026-12-02T03:37:44Z", &signature)
            .unwrap();
        assert_eq!(
            public.verify(b"PIPU0001|2026-12-02T03:37:45Z", &signature),
            Err(PiSignatureError::Mismatch)
        );
    }

    #[test]
    fn the_stored_key_round_trips() {
        let (key, stored) = DeviceKey::generate().unwrap();
        let again = DeviceKey::from_private(&stored).unwrap();
        assert_eq!(
            key.public_key_for_server().unwrap(),
            again.public_key_for_server().unwrap()
        );
        assert!(format!("{stored:?}{key:?}").len() < 40);
    }

    #[test]
    fn garbage_keys_are_refused() {
        assert_eq!(
            DeviceKey::from_private(&DevicePrivateKey::from_pkcs8(Zeroizing::new(vec![0; 64])))
                .unwrap_err(),
            PiKeyError::InvalidDeviceKey
        );
        for text in ["", "not base64!", "AAAA", test_keys::SMALL_KEY_PKCS1_B64] {
            assert_eq!(
                ServerKey::from_base64(text).unwrap_err(),
                PiKeyError::InvalidServerKey,
                "{text}"
            );
        }
    }

    #[test]
    fn the_server_key_is_read_with_line_breaks_and_pem_armour() {
        let wrapped: String = test_keys::SERVER_PUBLIC_PKCS1_B64
            .as_bytes()
            .chunks(64)
            .map(|line| format!("{}\n", std::str::from_utf8(line).unwrap()))
            .collect();
        let pem =
            format!("-----BEGIN RSA PUBLIC KEY-----\n{wrapped}-----END RSA PUBLIC KEY-----\n");
        assert_eq!(
            ServerKey::from_base64(&wrapped).unwrap(),
            ServerKey::from_base64(&pem).unwrap()
        );
    }

    #[test]
    fn a_bad_base32_signature_is_an_encoding_error() {
        let key = test_keys::server_key();
        assert_eq!(
            key.verify(b"x", "not base32 !"),
            Err(PiSignatureError::Encoding)
        );
    }
}
