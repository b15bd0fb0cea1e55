//! Ente Auth's export encryption: libsodium's `crypto_pwhash` (Argon2id) and
//! `crypto_secretstream_xchacha20poly1305`.
//!
//! As Ente writes it (github.com/ente-io/ente, `mobile/apps/auth/lib/ui/settings/data/
//! export_widget.dart` and the `ente_crypto` plugin's `crypto.dart`): the key is
//! `crypto_pwhash(32 bytes, password, salt, opsLimit, memLimit, ARGON2ID13)`, which is
//! Argon2id v1.3 with `t = opsLimit`, `m = memLimit / 1024` KiB and one lane (libsodium's
//! `argon2id_hash_raw` call in `pwhash_argon2id.c`); the export text is one secretstream
//! message tagged FINAL under that key, with the stream header as `encryptionNonce`.
//!
//! The secretstream is libsodium's own construction (HChaCha20 subkey, ChaCha20-Poly1305 over
//! an encrypted tag byte), not plain XChaCha20-Poly1305; it comes from `orion`'s
//! [`streaming`](orion::hazardous::aead::streaming) module, written to be compatible with
//! libsodium and checked here against a file Ente wrote. `orion` was chosen over `dryoc`
//! because it is pure Rust with a small dependency tree (`subtle`, `zeroize`,
//! `fiat-crypto`) and builds with the workspace's minimum Rust version, which `dryoc` 2 does
//! not.
//!
//! The file names the Argon2 cost, so it is checked against [`MAX_MEM_LIMIT`] and
//! [`MAX_WORK`] before Argon2 runs. Ente adapts the cost to the phone but keeps its product
//! fixed: 256 MiB × 16 passes today, halving the memory and doubling the passes where memory
//! is short, and 1 GiB × 4 (libsodium's `SENSITIVE` limits) in older versions.

use argon2::{Algorithm, Argon2, Params, Version};
use orion::hazardous::aead::streaming::{
    ABYTES, Nonce, SecretKey, StreamTag, StreamXChaCha20Poly1305,
};
use zeroize::Zeroizing;

use super::super::json::malformed;
use super::super::{Format, ImportError, ImportPassword};

/// Highest `memLimit` accepted: 1 GiB, libsodium's `crypto_pwhash_MEMLIMIT_SENSITIVE`, the most
/// Ente has ever asked (`deriveSensitiveKey`).
pub(crate) const MAX_MEM_LIMIT: u64 = 1 << 30;

/// Highest `memLimit × opsLimit` accepted: 4 GiB-passes, Ente's fixed product
/// (`MEMLIMIT_SENSITIVE × OPSLIMIT_SENSITIVE` = 1 GiB × 4 = 256 MiB × 16). It bounds the time
/// one derivation takes whatever split of memory and passes the file names.
pub(crate) const MAX_WORK: u64 = 4 << 30;

/// libsodium's smallest `memLimit` for Argon2id (`crypto_pwhash_argon2id_MEMLIMIT_MIN`).
const MIN_MEM_LIMIT: u64 = 8192;

/// Salt length: libsodium's `crypto_pwhash_SALTBYTES`, 16.
pub(crate) const SALT_LEN: usize = 16;

/// Stream header length: `crypto_secretstream_xchacha20poly1305_HEADERBYTES`, 24.
pub(crate) const HEADER_LEN: usize = 24;

const FORMAT: Format = Format::Ente;

/// Argon2 cost as the file names it, checked against the ceilings.
pub(crate) struct Cost {
    mem_kib: u32,
    ops: u32,
}

impl Cost {
    /// Checks `memLimit` (bytes) and `opsLimit` before any work.
    ///
    /// # Errors
    /// [`ImportError::KdfTooCostly`] above the ceilings; [`ImportError::Malformed`] below
    /// libsodium's minimums.
    pub(crate) fn from_file(mem_limit: u64, ops_limit: u64) -> Result<Self, ImportError> {
        let too_costly = |what: String| ImportError::KdfTooCostly {
            format: FORMAT,
            what,
        };
        if mem_limit > MAX_MEM_LIMIT {
            return Err(too_costly(format!(
                "Argon2 memory of {} MiB, at most {} MiB",
                mem_limit >> 20,
                MAX_MEM_LIMIT >> 20
            )));
        }
        if mem_limit.saturating_mul(ops_limit) > MAX_WORK {
            return Err(too_costly(format!(
                "Argon2 work of {} MiB × {ops_limit} passes, at most {} GiB-passes",
                mem_limit >> 20,
                MAX_WORK >> 30
            )));
        }
        if mem_limit < MIN_MEM_LIMIT || ops_limit == 0 {
            return Err(malformed(
                FORMAT,
                "kdfParams are below libsodium's minimum (memLimit 8192, opsLimit 1)",
            ));
        }
        Ok(Self {
            mem_kib: u32::try_from(mem_limit / 1024).unwrap_or(u32::MAX),
            ops: u32::try_from(ops_limit).unwrap_or(u32::MAX),
        })
    }

    /// `crypto_pwhash` with Argon2id v1.3, one lane, a 32-byte key.
    pub(crate) fn derive(
        &self,
        password: &ImportPassword,
        salt: &[u8; SALT_LEN],
    ) -> Result<SecretKey, ImportError> {
        let invalid = || malformed(FORMAT, "kdfParams are outside Argon2's range");
        let params = Params::new(self.mem_kib, self.ops, 1, Some(32)).map_err(|_| invalid())?;
        let mut key = Zeroizing::new([0u8; 32]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(password.as_bytes(), salt, &mut key[..])
            .map_err(|_| invalid())?;
        SecretKey::try_from(&key[..]).map_err(|_| invalid())
    }
}

/// Opens the one FINAL message of the stream.
///
/// # Errors
/// [`ImportError::WrongPassword`] when authentication fails: the stream has one tag over all,
/// so a wrong key and altered data cannot be told apart. [`ImportError::Malformed`] when the
/// message is shorter than a tag or is not the stream's last.
pub(crate) fn open(
    key: &SecretKey,
    header: &[u8; HEADER_LEN],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if ciphertext.len() < ABYTES {
        return Err(malformed(
            FORMAT,
            "encryptedData is shorter than one stream tag",
        ));
    }
    let nonce = Nonce::try_from(&header[..])
        .map_err(|_| malformed(FORMAT, "encryptionNonce is unusable"))?;
    let mut plain = Zeroizing::new(vec![0u8; ciphertext.len() - ABYTES]);
    let tag = StreamXChaCha20Poly1305::new(key, &nonce)
        .open_chunk(ciphertext, None, &mut plain)
        .map_err(|_| ImportError::WrongPassword { format: FORMAT })?;
    if tag != StreamTag::Finish {
        return Err(malformed(FORMAT, "encryptedData is not a complete stream"));
    }
    Ok(plain)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn what_ente_writes_is_accepted() {
        for (mem, ops) in [(256 << 20, 16), (128 << 20, 32), (1 << 30, 4), (10240, 1)] {
            assert!(Cost::from_file(mem, ops).is_ok(), "{mem} {ops}");
        }
    }

    #[test]
    fn costs_above_the_ceilings_are_refused_before_any_work() {
        for (mem, ops, what) in [
            (2 << 30, 1, "Argon2 memory of 2048 MiB, at most 1024 MiB"),
            (
                u64::MAX,
                1,
                "Argon2 memory of 17592186044415 MiB, at most 1024 MiB",
            ),
            (
                1 << 30,
                5,
                "Argon2 work of 1024 MiB × 5 passes, at most 4 GiB-passes",
            ),
            (
                1 << 20,
                u64::MAX,
                "Argon2 work of 1 MiB × 18446744073709551615 passes, at most 4 GiB-passes",
            ),
        ] {
            match Cost::from_file(mem, ops) {
                Err(ImportError::KdfTooCostly { what: got, .. }) => assert_eq!(got, what),
                Err(other) => panic!("{other:?}"),
                Ok(_) => panic!("{mem} {ops} accepted"),
            }
        }
        for (mem, ops) in [(8191, 1), (10240, 0)] {
            assert!(matches!(
                Cost::from_file(mem, ops),
                Err(ImportError::Malformed { .. })
            ));
        }
    }
}
