//! The vault's cryptography: the master key, its subkeys, and the three sealed things.
//!
//! - A random 256-bit **master key** never touches the disk in the clear.
//! - **Contents**: XChaCha20-Poly1305 under `HKDF-SHA256(master, info "zf-vault-contents")`
//!   with a fresh random 24-byte nonce per save; associated data = format, version, vault id.
//! - **PIN slot**: the master key sealed with XChaCha20-Poly1305 under the Argon2id KEK;
//!   associated data = format, version, vault id, KDF algorithm, cost parameters and salt, so a
//!   file whose parameters were lowered fails to unwrap (see [`super::kdf`]).
//! - **Header**: HMAC-SHA256 under `HKDF-SHA256(master, info "zf-vault-header")` over format,
//!   version and the header's exact bytes, checked in constant time after the unwrap. The
//!   header is not bound to the contents, so changing the PIN rewrites only the header.
//! - **Biometric slot**: the master key as the platform cipher sealed it, and HMAC-SHA256 under
//!   `HKDF-SHA256(master, info "zf-vault-biometric")` over format, version, vault id, the time
//!   of the last PIN unlock and the sealed bytes, checked in constant time once the platform
//!   returned a key: the key is only taken if the MAC it computes matches.
//!
//! Every key and plaintext lives in a zeroizing buffer. Randomness comes from `rand`'s thread
//! generator, a ChaCha12 CSPRNG seeded and periodically reseeded from the operating system.

use chacha20poly1305::aead::{AeadInOut, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use super::error::VaultError;
use super::format::{FORMAT, KdfSpec, MAC_LEN, NONCE_LEN, VAULT_ID_LEN, VERSION, WRAPPED_KEY_LEN};
use super::kdf::Kek;

/// Master key length: 256 bits, the XChaCha20-Poly1305 key size.
const KEY_LEN: usize = 32;

/// HKDF info for the contents key; distinct labels keep the subkeys independent (RFC 5869 §3.2).
const CONTENTS_INFO: &[u8] = b"zf-vault-contents";

/// HKDF info for the header MAC key.
const HEADER_INFO: &[u8] = b"zf-vault-header";

/// HKDF info for the biometric slot's MAC key.
const BIOMETRIC_INFO: &[u8] = b"zf-vault-biometric";

/// Poly1305 tag length.
pub(crate) const TAG_LEN: usize = 16;

/// The vault's random master key. Unwrapped only in memory, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct MasterKey([u8; KEY_LEN]);

/// A key derived from the master key for one purpose.
#[derive(Zeroize, ZeroizeOnDrop)]
struct SubKey<const N: usize>([u8; N]);

/// Length of the header MAC key: SHA-256's block size, the longest key HMAC uses directly
/// (RFC 2104 §3).
const MAC_KEY_LEN: usize = 64;

/// Fills `bytes` from the CSPRNG.
pub(crate) fn random<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    rand::fill(&mut bytes[..]);
    bytes
}

/// Associated data binding the contents to this vault.
fn contents_ad(vault_id: &[u8; VAULT_ID_LEN]) -> Vec<u8> {
    let mut ad = stable_prefix(b"contents");
    ad.extend_from_slice(vault_id);
    ad
}

/// Associated data binding a PIN slot to this vault and to its KDF parameters and salt.
fn slot_ad(vault_id: &[u8; VAULT_ID_LEN], kdf: &KdfSpec) -> Vec<u8> {
    let mut ad = stable_prefix(b"pin-slot");
    ad.extend_from_slice(vault_id);
    ad.extend_from_slice(b"argon2id\0");
    for value in [kdf.profile.m_kib, kdf.profile.t, kdf.profile.p] {
        ad.extend_from_slice(&value.to_be_bytes());
    }
    ad.extend_from_slice(&kdf.salt);
    ad
}

/// `format ‖ 0 ‖ version (8 bytes, big-endian) ‖ purpose ‖ 0`.
fn stable_prefix(purpose: &[u8]) -> Vec<u8> {
    let mut ad = Vec::with_capacity(64);
    ad.extend_from_slice(FORMAT.as_bytes());
    ad.push(0);
    ad.extend_from_slice(&VERSION.to_be_bytes());
    ad.extend_from_slice(purpose);
    ad.push(0);
    ad
}

/// A cipher keyed with `key`.
fn cipher(key: &[u8; KEY_LEN]) -> XChaCha20Poly1305 {
    XChaCha20Poly1305::new(key.into())
}

impl MasterKey {
    /// A fresh random master key.
    pub(crate) fn generate() -> Self {
        Self(random())
    }

    /// A master key from the bytes a platform cipher gave back; `None` if they have the wrong
    /// length.
    pub(crate) fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != KEY_LEN {
            return None;
        }
        let mut key = Self([0; KEY_LEN]);
        key.0.copy_from_slice(bytes);
        Some(key)
    }

    /// The key's bytes, to hand to the platform cipher for sealing.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    fn subkey<const N: usize>(&self, info: &[u8]) -> SubKey<N> {
        let mut key = SubKey([0; N]);
        // Expanding at most 64 bytes from SHA-256 (limit 255 * 32) cannot fail.
        let _ = Hkdf::<Sha256>::new(None, &self.0).expand(info, &mut key.0);
        key
    }

    /// Seals the serialized contents; returns the nonce and the ciphertext with its tag.
    pub(crate) fn seal_contents(
        &self,
        vault_id: &[u8; VAULT_ID_LEN],
        mut plaintext: Zeroizing<Vec<u8>>,
    ) -> Result<([u8; NONCE_LEN], Vec<u8>), VaultError> {
        let nonce: [u8; NONCE_LEN] = random();
        let key: SubKey<KEY_LEN> = self.subkey(CONTENTS_INFO);
        cipher(&key.0)
            .encrypt_in_place(
                &XNonce::from(nonce),
                &contents_ad(vault_id),
                &mut *plaintext,
            )
            .map_err(|_| VaultError::TooLarge)?;
        // The buffer now holds ciphertext, which may leave the zeroizing wrapper.
        Ok((nonce, std::mem::take(&mut *plaintext)))
    }

    /// Opens the contents; `None` if authentication fails.
    pub(crate) fn open_contents(
        &self,
        vault_id: &[u8; VAULT_ID_LEN],
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let key: SubKey<KEY_LEN> = self.subkey(CONTENTS_INFO);
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        cipher(&key.0)
            .decrypt_in_place(&XNonce::from(*nonce), &contents_ad(vault_id), &mut *buffer)
            .ok()?;
        Some(buffer)
    }

    /// Wraps this key under `kek` for a PIN slot with the given parameters.
    pub(crate) fn wrap(
        &self,
        kek: &Kek,
        vault_id: &[u8; VAULT_ID_LEN],
        kdf: &KdfSpec,
    ) -> Result<([u8; NONCE_LEN], [u8; WRAPPED_KEY_LEN]), VaultError> {
        let nonce: [u8; NONCE_LEN] = random();
        let mut buffer = Zeroizing::new(Vec::with_capacity(WRAPPED_KEY_LEN));
        buffer.extend_from_slice(&self.0);
        cipher(kek.as_bytes())
            .encrypt_in_place(&XNonce::from(nonce), &slot_ad(vault_id, kdf), &mut *buffer)
            .map_err(|_| VaultError::TooLarge)?;
        let wrapped = <[u8; WRAPPED_KEY_LEN]>::try_from(buffer.as_slice())
            .map_err(|_| VaultError::TooLarge)?;
        Ok((nonce, wrapped))
    }

    /// Unwraps a master key from a PIN slot; `None` if the KEK (that is, the PIN) is wrong or
    /// the slot was altered.
    pub(crate) fn unwrap_slot(
        kek: &Kek,
        vault_id: &[u8; VAULT_ID_LEN],
        kdf: &KdfSpec,
        nonce: &[u8; NONCE_LEN],
        wrapped: &[u8; WRAPPED_KEY_LEN],
    ) -> Option<Self> {
        let mut buffer = Zeroizing::new(wrapped.to_vec());
        cipher(kek.as_bytes())
            .decrypt_in_place(&XNonce::from(*nonce), &slot_ad(vault_id, kdf), &mut *buffer)
            .ok()?;
        let mut key = Self([0; KEY_LEN]);
        key.0.copy_from_slice(buffer.get(..KEY_LEN)?);
        Some(key)
    }

    fn header_hmac(&self, raw_header: &str) -> Hmac<Sha256> {
        let key: SubKey<MAC_KEY_LEN> = self.subkey(HEADER_INFO);
        let mut mac = <Hmac<Sha256> as KeyInit>::new((&key.0).into());
        mac.update(&stable_prefix(b"header"));
        mac.update(raw_header.as_bytes());
        mac
    }

    /// The MAC over the header's exact bytes.
    pub(crate) fn header_mac(&self, raw_header: &str) -> [u8; MAC_LEN] {
        self.header_hmac(raw_header).finalize().into_bytes().into()
    }

    /// Checks the header MAC in constant time.
    pub(crate) fn verify_header(&self, raw_header: &str, tag: &[u8; MAC_LEN]) -> bool {
        self.header_hmac(raw_header).verify_slice(tag).is_ok()
    }

    fn biometric_hmac(
        &self,
        vault_id: &[u8; VAULT_ID_LEN],
        pin_verified_at: u64,
        sealed_key: &[u8],
    ) -> Hmac<Sha256> {
        let key: SubKey<MAC_KEY_LEN> = self.subkey(BIOMETRIC_INFO);
        let mut mac = <Hmac<Sha256> as KeyInit>::new((&key.0).into());
        mac.update(&stable_prefix(b"biometric-slot"));
        mac.update(vault_id);
        mac.update(&pin_verified_at.to_be_bytes());
        mac.update(sealed_key);
        mac
    }

    /// The MAC of a biometric slot.
    pub(crate) fn biometric_mac(
        &self,
        vault_id: &[u8; VAULT_ID_LEN],
        pin_verified_at: u64,
        sealed_key: &[u8],
    ) -> [u8; MAC_LEN] {
        self.biometric_hmac(vault_id, pin_verified_at, sealed_key)
            .finalize()
            .into_bytes()
            .into()
    }

    /// Checks a biometric slot's MAC in constant time.
    pub(crate) fn verify_biometric(
        &self,
        vault_id: &[u8; VAULT_ID_LEN],
        pin_verified_at: u64,
        sealed_key: &[u8],
        tag: &[u8; MAC_LEN],
    ) -> bool {
        self.biometric_hmac(vault_id, pin_verified_at, sealed_key)
            .verify_slice(tag)
            .is_ok()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::vault::kdf::{KdfProfile, SALT_LEN};

    const ID: [u8; VAULT_ID_LEN] = [1; VAULT_ID_LEN];

    fn spec(salt: u8) -> KdfSpec {
        KdfSpec {
            alg: super::super::format::KdfAlg::Argon2id,
            profile: KdfProfile::TESTING,
            salt: [salt; SALT_LEN],
        }
    }

    fn kek(pin: &str, kdf: &KdfSpec) -> Kek {
        let pin = crate::pin::Pin::new(Zeroizing::new(pin.to_owned())).unwrap();
        Kek::derive(&pin, kdf.profile, &kdf.salt).unwrap()
    }

    #[test]
    fn contents_round_trip_and_reject_damage() {
        let key = MasterKey::generate();
        let (nonce, sealed) = key
            .seal_contents(&ID, Zeroizing::new(b"secret".to_vec()))
            .unwrap();
        assert_eq!(sealed.len(), 6 + TAG_LEN);
        assert_eq!(
            key.open_contents(&ID, &nonce, &sealed).unwrap().as_slice(),
            b"secret"
        );

        let other_key = MasterKey::generate();
        assert!(
            other_key.open_contents(&ID, &nonce, &sealed).is_none(),
            "wrong key"
        );
        assert!(
            key.open_contents(&[2; VAULT_ID_LEN], &nonce, &sealed)
                .is_none(),
            "wrong AD"
        );
        let mut flipped = sealed.clone();
        flipped[0] ^= 1;
        assert!(
            key.open_contents(&ID, &nonce, &flipped).is_none(),
            "flipped byte"
        );
        assert!(
            key.open_contents(&ID, &nonce, &sealed[..sealed.len() - 1])
                .is_none(),
            "truncated"
        );
        let mut other_nonce = nonce;
        other_nonce[0] ^= 1;
        assert!(
            key.open_contents(&ID, &other_nonce, &sealed).is_none(),
            "wrong nonce"
        );
    }

    #[test]
    fn slot_unwraps_only_with_same_pin_id_and_params() {
        let key = MasterKey::generate();
        let kdf = spec(3);
        let (nonce, wrapped) = key.wrap(&kek("482915", &kdf), &ID, &kdf).unwrap();
        let back =
            MasterKey::unwrap_slot(&kek("482915", &kdf), &ID, &kdf, &nonce, &wrapped).unwrap();
        assert_eq!(back.0, key.0);

        assert!(
            MasterKey::unwrap_slot(&kek("482916", &kdf), &ID, &kdf, &nonce, &wrapped).is_none()
        );
        let right_kek = kek("482915", &kdf);
        assert!(
            MasterKey::unwrap_slot(&right_kek, &[9; VAULT_ID_LEN], &kdf, &nonce, &wrapped)
                .is_none()
        );
        // Lowered parameters in the file: even with the right KEK the AD no longer matches.
        let mut lowered = spec(3);
        lowered.profile.m_kib = 32;
        assert!(MasterKey::unwrap_slot(&right_kek, &ID, &lowered, &nonce, &wrapped).is_none());
        let mut flipped = wrapped;
        flipped[10] ^= 0x80;
        assert!(MasterKey::unwrap_slot(&right_kek, &ID, &kdf, &nonce, &flipped).is_none());
    }

    #[test]
    fn header_mac_detects_any_change() {
        let key = MasterKey::generate();
        let tag = key.header_mac(r#"{"email":"a@b"}"#);
        assert!(key.verify_header(r#"{"email":"a@b"}"#, &tag));
        assert!(!key.verify_header(r#"{"email":"a@c"}"#, &tag));
        assert!(
            !key.verify_header(r#"{"email": "a@b"}"#, &tag),
            "whitespace counts"
        );
        assert!(!MasterKey::generate().verify_header(r#"{"email":"a@b"}"#, &tag));
    }

    #[test]
    fn biometric_mac_covers_id_time_and_sealed_key() {
        let key = MasterKey::generate();
        let tag = key.biometric_mac(&ID, 100, b"sealed");
        assert!(key.verify_biometric(&ID, 100, b"sealed", &tag));
        assert!(!key.verify_biometric(&ID, 101, b"sealed", &tag), "time");
        assert!(
            !key.verify_biometric(&ID, 100, b"sealeD", &tag),
            "sealed key"
        );
        assert!(
            !key.verify_biometric(&[2; VAULT_ID_LEN], 100, b"sealed", &tag),
            "vault"
        );
        assert!(
            !MasterKey::generate().verify_biometric(&ID, 100, b"sealed", &tag),
            "key"
        );
        let back = MasterKey::from_bytes(key.as_bytes()).unwrap();
        assert_eq!(back.0, key.0);
        assert!(MasterKey::from_bytes(&[0; KEY_LEN - 1]).is_none());
        assert!(MasterKey::from_bytes(&[0; KEY_LEN + 1]).is_none());
    }

    #[test]
    fn subkeys_differ() {
        let key = MasterKey::generate();
        let contents: SubKey<KEY_LEN> = key.subkey(CONTENTS_INFO);
        let header: SubKey<KEY_LEN> = key.subkey(HEADER_INFO);
        assert_ne!(contents.0, header.0);
        assert_ne!(contents.0, key.0);
    }
}
