//! The PIN's key derivation: Argon2id parameters and the key-encryption key (KEK).
//!
//! The parameters are stored in the PIN slot of the header, so a later app version can raise
//! them on the next PIN change. They are bound to the wrapped master key as associated data
//! (see `crypto.rs`), so an attacker who lowers them in the file gets a KEK that does not
//! unwrap anything: the try fails exactly like a wrong PIN. That is why opening does not enforce
//! a security floor: it would add nothing, because whoever can edit the file can also copy it
//! and guess offline at whatever cost the real parameters impose.
//!
//! Opening does enforce a ceiling ([`MAX_M_KIB`], [`MAX_T`], [`MAX_P`]): exactly the most this
//! app ever writes, [`KdfProfile::PRODUCTION`]. Parameters raised in a tampered file could
//! otherwise make one unlock allocate gigabytes and compute for tens of seconds (2 GiB, t = 10,
//! p = 16 took 22 s and 2.1 GB under the earlier, RFC-sized ceiling) and only then fail like a
//! wrong PIN, counted by the lock-out. A file above the ceiling counts as damaged
//! ([`CorruptReason::KdfParamsOutOfRange`](super::CorruptReason::KdfParamsOutOfRange)): it is
//! refused before the lock-out is touched and before Argon2 runs, and the backup is tried.
//!
//! There is no headroom above the production profile on purpose: any headroom is cost an
//! attacker who can write the file may spend on every unlock. A later version that raises the
//! profile raises this ceiling in the same change; the app never reads a vault written by a
//! newer version than itself except after a downgrade, and then the backup or a reset helps.

use argon2::{Algorithm, Argon2, Params, Version};
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::error::VaultError;
use crate::pin::Pin;

/// Length of the Argon2 salt: 128 bits, as RFC 9106 §3.1 recommends for password hashing.
pub(crate) const SALT_LEN: usize = 16;

/// Length of the derived KEK: 256 bits, the XChaCha20-Poly1305 key size.
const KEK_LEN: usize = 32;

/// Highest memory cost accepted from a file: the production profile's 64 MiB, the most this
/// app ever writes (see the module documentation for why there is no headroom).
pub const MAX_M_KIB: u32 = KdfProfile::PRODUCTION.m_kib;

/// Highest pass count accepted from a file: the production profile's 3 passes.
pub const MAX_T: u32 = KdfProfile::PRODUCTION.t;

/// Highest lane count accepted from a file: the production profile's 4 lanes.
pub const MAX_P: u32 = KdfProfile::PRODUCTION.p;

/// Argon2id cost parameters for the PIN slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfProfile {
    /// Memory cost in KiB.
    pub m_kib: u32,
    /// Number of passes over the memory.
    pub t: u32,
    /// Degree of parallelism (lanes).
    pub p: u32,
}

impl KdfProfile {
    /// The profile for real vaults: RFC 9106 §4, second recommended option (Argon2id with
    /// 64 MiB of memory, 3 passes, 4 lanes), meant for memory-constrained devices such as
    /// phones; DESIGN.md asks for at least 64 MiB and 3 passes.
    pub const PRODUCTION: Self = Self {
        m_kib: 64 * 1024,
        t: 3,
        p: 4,
    };

    /// A profile cheap enough for tests to create and open hundreds of vaults.
    /// **Tests only**: it offers next to no protection against offline guessing.
    pub const TESTING: Self = Self {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    /// The argon2 parameters, or `None` when the profile is outside the accepted range (argon2's
    /// own minimums, or this module's ceiling). Creating a vault and opening one share this
    /// check, so the app can never write a profile it would refuse to open.
    fn params(self) -> Option<Params> {
        if self.m_kib > MAX_M_KIB || self.t > MAX_T || self.p > MAX_P {
            return None;
        }
        Params::new(self.m_kib, self.t, self.p, Some(KEK_LEN)).ok()
    }

    /// Checks the profile before it is used to create a slot.
    pub(crate) fn validate(self) -> Result<(), VaultError> {
        match self.params() {
            Some(_) => Ok(()),
            None => Err(VaultError::InvalidKdfProfile { profile: self }),
        }
    }

    /// True when the profile can be run (used to vet parameters read from a file).
    pub(crate) fn in_range(self) -> bool {
        self.params().is_some()
    }
}

/// The key-encryption key derived from the PIN. It only wraps and unwraps the master key.
#[derive(Zeroize, ZeroizeOnDrop)]
pub(crate) struct Kek([u8; KEK_LEN]);

impl Kek {
    /// Runs Argon2id (version 0x13) over the PIN. This is the deliberately slow step.
    pub(crate) fn derive(
        pin: &Pin,
        profile: KdfProfile,
        salt: &[u8; SALT_LEN],
    ) -> Result<Self, VaultError> {
        let params = profile
            .params()
            .ok_or(VaultError::InvalidKdfProfile { profile })?;
        let mut kek = Self([0; KEK_LEN]);
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password_into(pin.as_bytes(), salt, &mut kek.0)
            .map_err(VaultError::Kdf)?;
        Ok(kek)
    }

    /// The key bytes, for the cipher.
    pub(crate) fn as_bytes(&self) -> &[u8; KEK_LEN] {
        &self.0
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use zeroize::Zeroizing;

    use super::*;

    fn pin(text: &str) -> Pin {
        Pin::new(Zeroizing::new(text.to_owned())).unwrap()
    }

    #[test]
    fn profiles_are_in_range() {
        assert!(KdfProfile::PRODUCTION.in_range());
        assert!(KdfProfile::TESTING.in_range());
    }

    /// Regression (issue 9, finding 12): the ceiling is what the app writes, not what RFC 9106
    /// allows; the parameters that made one unlock cost 22 s and 2.1 GB are refused.
    #[test]
    fn ceiling_is_the_production_profile() {
        assert_eq!(
            (MAX_M_KIB, MAX_T, MAX_P),
            (64 * 1024, 3, 4),
            "the ceiling is the production profile"
        );
        for profile in [KdfProfile::PRODUCTION, KdfProfile::TESTING] {
            assert!(profile.m_kib <= MAX_M_KIB && profile.t <= MAX_T && profile.p <= MAX_P);
        }
        for above in [
            KdfProfile {
                m_kib: KdfProfile::PRODUCTION.m_kib + 1,
                ..KdfProfile::PRODUCTION
            },
            KdfProfile {
                t: KdfProfile::PRODUCTION.t + 1,
                ..KdfProfile::PRODUCTION
            },
            KdfProfile {
                p: KdfProfile::PRODUCTION.p + 1,
                ..KdfProfile::PRODUCTION
            },
            KdfProfile {
                m_kib: 2 * 1024 * 1024,
                t: 10,
                p: 16,
            },
        ] {
            assert!(!above.in_range(), "{above:?}");
        }
    }

    #[test]
    fn out_of_range_profiles_are_refused() {
        for bad in [
            KdfProfile {
                m_kib: MAX_M_KIB + 1,
                t: 1,
                p: 1,
            },
            KdfProfile {
                m_kib: 64,
                t: MAX_T + 1,
                p: 1,
            },
            KdfProfile {
                m_kib: 1024,
                t: 1,
                p: MAX_P + 1,
            },
            KdfProfile {
                m_kib: 64,
                t: 0,
                p: 1,
            },
            KdfProfile {
                m_kib: 64,
                t: 1,
                p: 0,
            },
            KdfProfile {
                m_kib: 7,
                t: 1,
                p: 1,
            },
        ] {
            assert!(!bad.in_range(), "{bad:?}");
            assert!(matches!(
                bad.validate(),
                Err(VaultError::InvalidKdfProfile { .. })
            ));
        }
    }

    #[test]
    fn kek_depends_on_pin_salt_and_params() {
        let salt = [7; SALT_LEN];
        let base = Kek::derive(&pin("482915"), KdfProfile::TESTING, &salt).unwrap();
        let again = Kek::derive(&pin("482915"), KdfProfile::TESTING, &salt).unwrap();
        assert_eq!(base.as_bytes(), again.as_bytes());
        let other_pin = Kek::derive(&pin("482916"), KdfProfile::TESTING, &salt).unwrap();
        let other_salt = Kek::derive(&pin("482915"), KdfProfile::TESTING, &[8; SALT_LEN]).unwrap();
        let cheaper = KdfProfile {
            m_kib: 32,
            ..KdfProfile::TESTING
        };
        let other_params = Kek::derive(&pin("482915"), cheaper, &salt).unwrap();
        for other in [other_pin, other_salt, other_params] {
            assert_ne!(base.as_bytes(), other.as_bytes());
        }
    }
}
