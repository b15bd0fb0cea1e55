//! The portal's two long-lived keys, kept in files beside (never inside) the database.
//!
//! - the Ed25519 **signing key** that signs every challenge; its public half is pinned by the
//!   app at enrollment (`zf_key`), so it must survive restarts;
//! - the **seed key** that encrypts OTP seeds at rest with XChaCha20-Poly1305, so a copy of the
//!   database alone does not reveal any seed.
//!
//! Both are created on first start with mode 0600 (in a folder created 0700 if it is missing),
//! whatever the umask, and read on every later start; a key file an older version or an
//! operator left readable by others is restricted to its owner then, with a warning. A third
//! key, for the login form's CSRF tokens, is derived from the seed key, so instances that
//! share the key files accept each other's forms.

use std::io::{ErrorKind, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use ed25519_dalek::SigningKey;
use hmac::{Hmac, Mac as _};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};
use zweifaktor_private_fs as private;
use zweifaktor_protocol::Seed;

use crate::tokens::random_bytes;

/// File name of the portal's Ed25519 signing key (32 raw bytes).
pub const SIGNING_KEY_FILE: &str = "zweifaktor-portal.signing.key";

/// File name of the seed-encryption key (32 raw bytes).
pub const SEED_KEY_FILE: &str = "zweifaktor-portal.seed.key";

/// Length of both key files in bytes.
const KEY_LEN: usize = 32;

/// XChaCha20-Poly1305 nonce length: 192 bits, large enough to draw at random for every
/// encryption without tracking counters (draft-irtf-cfrg-xchacha §2).
const NONCE_LEN: usize = 24;

/// Errors while loading, creating or using the portal's keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key file could not be read or written.
    #[error("key file {path}: {source}")]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A key file exists but does not hold exactly 32 bytes.
    #[error("key file {0} is damaged (expected 32 bytes)")]
    Damaged(PathBuf),
    /// A stored seed could not be decrypted: wrong key, wrong user or altered row.
    #[error("a stored seed failed authentication")]
    SeedAuthentication,
    /// A stored seed is not valid base64 or too short.
    #[error("a stored seed is malformed")]
    SeedMalformed,
}

/// The key that encrypts seeds at rest.
#[derive(Zeroize, ZeroizeOnDrop)]
struct SeedKey([u8; KEY_LEN]);

/// Label of the login-form key derived from the seed key (HMAC-SHA256 of the label under the
/// seed key, a PRF used as a KDF as in RFC 5869's expand step): a key for one purpose only.
const FORM_KEY_LABEL: &[u8] = b"zweifaktor-portal login-form csrf v1";

/// Both portal keys, loaded once at start and shared read-only, and the form key derived
/// from them.
pub struct PortalKeys {
    signing: SigningKey,
    seed_key: SeedKey,
    form_key: SeedKey,
}

impl std::fmt::Debug for PortalKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PortalKeys")
            .field("public_key", &self.public_key_b64url())
            .finish_non_exhaustive()
    }
}

impl PortalKeys {
    /// Reads both keys from `dir`, creating any that is missing (mode 0600), and `dir` too
    /// (mode 0700) if it is missing; an existing `dir` keeps its mode, since it is often the
    /// database's or the current folder.
    pub fn load_or_create(dir: &Path) -> Result<Self, KeyError> {
        private::create_dir_all(dir).map_err(|source| KeyError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let signing = load_or_create_file(&dir.join(SIGNING_KEY_FILE))?;
        let seed = load_or_create_file(&dir.join(SEED_KEY_FILE))?;
        let form_key = SeedKey(mac(&seed[..], FORM_KEY_LABEL));
        Ok(Self {
            signing: SigningKey::from_bytes(&signing),
            seed_key: SeedKey(*seed),
            form_key,
        })
    }

    /// HMAC-SHA256 of `message` under the login-form key: binds a login form's CSRF token to
    /// its cookie without storing anything.
    pub fn form_mac(&self, message: &[u8]) -> [u8; 32] {
        mac(&self.form_key.0, message)
    }

    /// Whether `tag` is [`PortalKeys::form_mac`] of `message`, compared in constant time.
    pub fn verify_form_mac(&self, message: &[u8], tag: &[u8]) -> bool {
        let Ok(mut check) = <Hmac<Sha256>>::new_from_slice(&self.form_key.0) else {
            return false;
        };
        check.update(message);
        check.verify_slice(tag).is_ok()
    }

    /// The challenge-signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The public half of the signing key as base64url, the form of the `zf_key` parameter.
    pub fn public_key_b64url(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(self.signing.verifying_key().as_bytes())
    }

    /// Encrypts a seed for storage; `user_id` is bound in as associated data, so a seed row
    /// copied onto another user fails to decrypt.
    pub fn encrypt_seed(&self, user_id: &str, seed: &Seed) -> Result<String, KeyError> {
        let cipher = XChaCha20Poly1305::new(&Key::from(self.seed_key.0));
        let nonce_bytes = random_bytes(NONCE_LEN);
        let nonce =
            XNonce::try_from(nonce_bytes.as_slice()).map_err(|_| KeyError::SeedMalformed)?;
        let sealed = cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: seed.as_bytes(),
                    aad: user_id.as_bytes(),
                },
            )
            .map_err(|_| KeyError::SeedAuthentication)?;
        let mut out = nonce_bytes;
        out.extend_from_slice(&sealed);
        Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out))
    }

    /// Decrypts a stored seed of `user_id`.
    pub fn decrypt_seed(&self, user_id: &str, stored: &str) -> Result<Seed, KeyError> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(stored)
            .map_err(|_| KeyError::SeedMalformed)?;
        if raw.len() <= NONCE_LEN {
            return Err(KeyError::SeedMalformed);
        }
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let nonce = XNonce::try_from(nonce).map_err(|_| KeyError::SeedMalformed)?;
        let cipher = XChaCha20Poly1305::new(&Key::from(self.seed_key.0));
        let plain = cipher
            .decrypt(
                &nonce,
                Payload {
                    msg: sealed,
                    aad: user_id.as_bytes(),
                },
            )
            .map_err(|_| KeyError::SeedAuthentication)?;
        Ok(Seed::from_bytes(plain))
    }
}

/// HMAC-SHA256 of `message` under `key`.
fn mac(key: &[u8], message: &[u8]) -> [u8; KEY_LEN] {
    let mut out = [0u8; KEY_LEN];
    if let Ok(mut m) = <Hmac<Sha256>>::new_from_slice(key) {
        m.update(message);
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

/// Reads a 32-byte key file, or creates it with fresh random bytes and mode 0600.
fn load_or_create_file(path: &Path) -> Result<Zeroizing<[u8; KEY_LEN]>, KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    match std::fs::File::open(path) {
        Ok(mut file) => {
            private::restrict(path);
            let mut bytes = Zeroizing::new(Vec::new());
            file.read_to_end(&mut bytes).map_err(io)?;
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            if bytes.len() != KEY_LEN {
                return Err(KeyError::Damaged(path.to_path_buf()));
            }
            key.copy_from_slice(&bytes);
            Ok(key)
        }
        Err(e) if e.kind() == ErrorKind::NotFound => {
            let mut key = Zeroizing::new([0u8; KEY_LEN]);
            key.copy_from_slice(&random_bytes(KEY_LEN));
            let mut file = private::create_new(path).map_err(io)?;
            file.write_all(key.as_slice()).map_err(io)?;
            file.sync_all().map_err(io)?;
            tracing::info!(file = %path.display(), "created portal key file");
            Ok(key)
        }
        Err(e) => Err(io(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_once_and_reloaded() {
        let dir = tempfile::tempdir().unwrap();
        let a = PortalKeys::load_or_create(dir.path()).unwrap();
        let b = PortalKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(a.public_key_b64url(), b.public_key_b64url());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            for name in [SIGNING_KEY_FILE, SEED_KEY_FILE] {
                let mode = std::fs::metadata(dir.path().join(name))
                    .unwrap()
                    .permissions()
                    .mode();
                assert_eq!(mode & 0o777, 0o600, "{name}");
            }
        }
    }

    /// Regression (issue 9, finding 11): a missing key folder was created 0755, and a key file
    /// left 0644 stayed readable by every local user.
    #[cfg(unix)]
    #[test]
    fn key_folder_is_private_and_loose_key_files_are_tightened() {
        use std::os::unix::fs::PermissionsExt as _;
        use zweifaktor_private_fs::testing::mode;
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("new/keys");
        let first = PortalKeys::load_or_create(&keys).unwrap();
        assert_eq!(mode(&dir.path().join("new")), 0o700);
        assert_eq!(mode(&keys), 0o700);
        let file = keys.join(SEED_KEY_FILE);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let again = PortalKeys::load_or_create(&keys).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert_eq!(first.public_key_b64url(), again.public_key_b64url());
    }

    /// Regression (issue 9, finding 11): the modes hold under umask 000.
    #[cfg(unix)]
    #[test]
    fn key_files_stay_private_under_umask_000() {
        use zweifaktor_private_fs::testing::{in_child_with_umask_000, mode};
        if !in_child_with_umask_000("keys::tests::key_files_stay_private_under_umask_000") {
            return;
        }
        let dir = tempfile::tempdir().unwrap();
        let keys = dir.path().join("keys");
        PortalKeys::load_or_create(&keys).unwrap();
        assert_eq!(mode(&keys), 0o700);
        for name in [SIGNING_KEY_FILE, SEED_KEY_FILE] {
            assert_eq!(mode(&keys.join(name)), 0o600, "{name}");
        }
    }

    #[test]
    fn seed_round_trips_and_is_bound_to_user() {
        let dir = tempfile::tempdir().unwrap();
        let keys = PortalKeys::load_or_create(dir.path()).unwrap();
        let seed = Seed::from_bytes(b"12345678901234567890".to_vec());
        let stored = keys.encrypt_seed("alice", &seed).unwrap();
        assert!(!stored.contains("MTIzNDU2"));
        assert_eq!(keys.decrypt_seed("alice", &stored).unwrap(), seed);
        assert!(matches!(
            keys.decrypt_seed("bob", &stored),
            Err(KeyError::SeedAuthentication)
        ));
    }

    #[test]
    fn flipped_byte_and_truncation_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let keys = PortalKeys::load_or_create(dir.path()).unwrap();
        let seed = Seed::from_bytes(vec![7; 20]);
        let stored = keys.encrypt_seed("u", &seed).unwrap();
        let mut raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&stored)
            .unwrap();
        let last = raw.len() - 1;
        raw[last] ^= 1;
        let flipped = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&raw);
        assert!(matches!(
            keys.decrypt_seed("u", &flipped),
            Err(KeyError::SeedAuthentication)
        ));
        assert!(matches!(
            keys.decrypt_seed("u", "AAAA"),
            Err(KeyError::SeedMalformed)
        ));
    }

    #[test]
    fn other_key_cannot_decrypt() {
        let a = PortalKeys::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        let b = PortalKeys::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        let stored = a.encrypt_seed("u", &Seed::from_bytes(vec![1; 20])).unwrap();
        assert!(b.decrypt_seed("u", &stored).is_err());
    }

    #[test]
    fn form_macs_verify_under_the_same_keys_only() {
        let dir = tempfile::tempdir().unwrap();
        let keys = PortalKeys::load_or_create(dir.path()).unwrap();
        let again = PortalKeys::load_or_create(dir.path()).unwrap();
        let tag = keys.form_mac(b"cookie|1700000000");
        assert!(again.verify_form_mac(b"cookie|1700000000", &tag));
        assert!(!keys.verify_form_mac(b"cookie|1700000001", &tag));
        assert!(!keys.verify_form_mac(b"cookie|1700000000", &tag[..31]));
        let other = PortalKeys::load_or_create(tempfile::tempdir().unwrap().path()).unwrap();
        assert!(!other.verify_form_mac(b"cookie|1700000000", &tag));
    }

    #[test]
    fn damaged_key_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(SIGNING_KEY_FILE), b"short").unwrap();
        assert!(matches!(
            PortalKeys::load_or_create(dir.path()),
            Err(KeyError::Damaged(_))
        ));
    }
}
