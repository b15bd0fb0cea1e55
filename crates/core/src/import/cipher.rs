//! AES-256-GCM as Aegis and 2FAS use it: a 256-bit key, a 96-bit nonce, a 128-bit tag.
//!
//! Aegis stores the tag apart from the ciphertext (`key_params.tag`, `header.params.tag`);
//! 2FAS, like Java's `Cipher.doFinal`, appends it. Both go through [`AesKey`], whose bytes are
//! wiped on drop; opened plaintext comes back in a zeroizing buffer.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce, Tag};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Key length: 256 bits (AES-256).
pub(crate) const KEY_LEN: usize = 32;

/// Nonce length: 96 bits, the length GCM is defined for without hashing (NIST SP 800-38D §5.2.1.1).
pub(crate) const NONCE_LEN: usize = 12;

/// Tag length: 128 bits, the full GCM tag (NIST SP 800-38D §5.2.1.2).
pub(crate) const TAG_LEN: usize = 16;

/// What [`AesKey::seal_detached`] gives: nonce, ciphertext and detached tag.
pub(crate) struct Sealed {
    /// The fresh random nonce.
    pub(crate) nonce: [u8; NONCE_LEN],
    /// The ciphertext, as long as the plaintext.
    pub(crate) ciphertext: Vec<u8>,
    /// The tag.
    pub(crate) tag: [u8; TAG_LEN],
}

/// An AES-256 key (a derived key or a vault's master key), wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct AesKey([u8; KEY_LEN]);

impl AesKey {
    /// Wraps known key bytes, for test vectors.
    #[cfg(test)]
    pub(crate) fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// A fresh random key.
    pub(crate) fn generate() -> Self {
        let mut key = Self([0; KEY_LEN]);
        rand::fill(&mut key.0[..]);
        key
    }

    /// A zeroed key for a key derivation to write into.
    pub(crate) fn zeroed() -> Self {
        Self([0; KEY_LEN])
    }

    /// The key bytes, for a key derivation to fill or for wrapping this key.
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8; KEY_LEN] {
        &mut self.0
    }

    /// The key bytes.
    pub(crate) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.0
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&self.0.into())
    }

    /// Opens `ciphertext` with its detached `tag`; `None` when authentication fails.
    pub(crate) fn open_detached(
        &self,
        nonce: &[u8; NONCE_LEN],
        ciphertext: &[u8],
        tag: &[u8; TAG_LEN],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let mut buffer = Zeroizing::new(ciphertext.to_vec());
        self.cipher()
            .decrypt_inout_detached(
                &Nonce::from(*nonce),
                &[],
                buffer.as_mut_slice().into(),
                &Tag::from(*tag),
            )
            .ok()?;
        Some(buffer)
    }

    /// Opens `ciphertext ‖ tag`; `None` when it is shorter than a tag or authentication fails.
    pub(crate) fn open_appended(
        &self,
        nonce: &[u8; NONCE_LEN],
        sealed: &[u8],
    ) -> Option<Zeroizing<Vec<u8>>> {
        let split = sealed.len().checked_sub(TAG_LEN)?;
        let (ciphertext, tag) = sealed.split_at(split);
        self.open_detached(nonce, ciphertext, &<[u8; TAG_LEN]>::try_from(tag).ok()?)
    }

    /// Seals `plaintext` under a fresh random nonce, the tag detached.
    pub(crate) fn seal_detached(&self, plaintext: &[u8]) -> Result<Sealed, aes_gcm::Error> {
        let mut nonce = [0; NONCE_LEN];
        rand::fill(&mut nonce[..]);
        let mut buffer = plaintext.to_vec();
        let tag = self.cipher().encrypt_inout_detached(
            &Nonce::from(nonce),
            &[],
            buffer.as_mut_slice().into(),
        )?;
        Ok(Sealed {
            nonce,
            ciphertext: buffer,
            tag: tag.into(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// NIST GCM test vector, "gcmEncryptExtIV256.rsp" (CAVP, AES-GCM test vectors), Count 0 of
    /// `[Keylen = 256] [IVlen = 96] [PTlen = 128] [AADlen = 0] [Taglen = 128]`.
    #[test]
    fn nist_cavp_vector_opens() {
        let key: [u8; 32] =
            hex::decode("31bdadd96698c204aa9ce1448ea94ae1fb4a9a0b3c9d773b51bb1822666b8f22")
                .unwrap()
                .try_into()
                .unwrap();
        let nonce: [u8; 12] = hex::decode("0d18e06c7c725ac9e362e1ce")
            .unwrap()
            .try_into()
            .unwrap();
        let ciphertext = hex::decode("fa4362189661d163fcd6a56d8bf0405a").unwrap();
        let tag: [u8; 16] = hex::decode("d636ac1bbedd5cc3ee727dc2ab4a9489")
            .unwrap()
            .try_into()
            .unwrap();
        let plain = AesKey::from_bytes(key)
            .open_detached(&nonce, &ciphertext, &tag)
            .unwrap();
        assert_eq!(hex::encode(&*plain), "2db5168e932556f8089a0622981d017d");
    }

    #[test]
    fn seal_then_open_and_every_flip_fails() {
        let key = AesKey::generate();
        let Sealed {
            nonce,
            ciphertext,
            tag,
        } = key.seal_detached(b"contents").unwrap();
        assert_eq!(
            &*key.open_detached(&nonce, &ciphertext, &tag).unwrap(),
            b"contents"
        );
        let mut appended = ciphertext.clone();
        appended.extend_from_slice(&tag);
        assert_eq!(&*key.open_appended(&nonce, &appended).unwrap(), b"contents");
        for i in 0..appended.len() {
            let mut flipped = appended.clone();
            flipped[i] ^= 1;
            assert!(key.open_appended(&nonce, &flipped).is_none(), "byte {i}");
        }
        assert!(
            key.open_appended(&nonce, &appended[..TAG_LEN - 1])
                .is_none()
        );
        assert!(
            AesKey::generate()
                .open_detached(&nonce, &ciphertext, &tag)
                .is_none()
        );
    }
}
