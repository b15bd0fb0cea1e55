//! Aegis's password key derivation: scrypt with the slot's `n`, `r`, `p` and 256-bit salt.
//!
//! Aegis writes N = 2^15, r = 8, p = 1 (vault.md, "KDF": Android's own full-disk-encryption
//! parameters, 32 MiB of memory). A file is free to name other values, and a hostile one could
//! ask for gigabytes, so parameters read from a file are checked against the ceilings below
//! before scrypt runs. They leave ample room above what Aegis writes: 8 times its memory and
//! 32 times its work.

use scrypt::Params;

use super::super::cipher::AesKey;
use super::super::{Format, ImportError};

/// Highest `log2(N)` accepted: 2^20, the interactive-login ceiling scrypt's author gives
/// (Percival, "Stronger key derivation via sequential memory-hard functions", §7), 32 times
/// what Aegis writes.
pub(crate) const MAX_LOG_N: u8 = 20;

/// Highest block size `r` accepted: 16, twice the 8 that Aegis and RFC 7914 §2 use.
pub(crate) const MAX_R: u32 = 16;

/// Highest parallelism `p` accepted: 16; Aegis writes 1.
pub(crate) const MAX_P: u32 = 16;

/// Most memory one derivation may take, `128 · N · r` bytes (RFC 7914 §2): 256 MiB, eight
/// times Aegis's 32 MiB and still within what a phone lends one app.
pub(crate) const MAX_MEMORY_BYTES: u64 = 256 * 1024 * 1024;

/// Most work one derivation may take, `128 · N · r · p` bytes run through the mixing function:
/// 1 GiB, 32 times Aegis's; a few seconds on a phone.
pub(crate) const MAX_WORK_BYTES: u64 = 1024 * 1024 * 1024;

/// Length of the salt Aegis writes: 256 bits (vault.md, "Password" slot).
pub(crate) const SALT_LEN: usize = 32;

/// scrypt's cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScryptCost {
    /// `log2(N)`.
    pub(crate) log_n: u8,
    /// Block size.
    pub(crate) r: u32,
    /// Parallelism.
    pub(crate) p: u32,
}

impl ScryptCost {
    /// What Aegis writes and the backup uses: N = 2^15, r = 8, p = 1 (vault.md, "KDF").
    pub(crate) const AEGIS: Self = Self {
        log_n: 15,
        r: 8,
        p: 1,
    };

    /// `N` as the file writes it.
    pub(crate) fn n(self) -> u64 {
        1u64 << self.log_n
    }

    /// Reads the slot's `n`, `r`, `p` and checks them against the ceilings, before any work.
    ///
    /// # Errors
    /// [`ImportError::Malformed`] when `N` is not a power of two above 1 or `r`/`p` is 0;
    /// [`ImportError::KdfTooCostly`] when any ceiling is exceeded.
    pub(crate) fn from_file(n: u64, r: u64, p: u64) -> Result<Self, ImportError> {
        let format = Format::Aegis;
        if n < 2 || !n.is_power_of_two() {
            return Err(ImportError::Malformed {
                format,
                what: "scrypt N is not a power of two above 1".to_owned(),
            });
        }
        if r == 0 || p == 0 {
            return Err(ImportError::Malformed {
                format,
                what: "scrypt r and p must be at least 1".to_owned(),
            });
        }
        let too_costly = |what: String| ImportError::KdfTooCostly { format, what };
        let log_n = u8::try_from(n.trailing_zeros()).unwrap_or(u8::MAX);
        if log_n > MAX_LOG_N {
            return Err(too_costly(format!(
                "scrypt N = 2^{log_n}, at most 2^{MAX_LOG_N}"
            )));
        }
        let r = u32::try_from(r)
            .ok()
            .filter(|r| *r <= MAX_R)
            .ok_or_else(|| too_costly(format!("scrypt r = {r}, at most {MAX_R}")))?;
        let p = u32::try_from(p)
            .ok()
            .filter(|p| *p <= MAX_P)
            .ok_or_else(|| too_costly(format!("scrypt p = {p}, at most {MAX_P}")))?;
        let cost = Self { log_n, r, p };
        if cost.memory_bytes() > MAX_MEMORY_BYTES {
            return Err(too_costly(format!(
                "scrypt memory of {} MiB, at most {} MiB",
                cost.memory_bytes() >> 20,
                MAX_MEMORY_BYTES >> 20
            )));
        }
        if cost.work_bytes() > MAX_WORK_BYTES {
            return Err(too_costly(format!(
                "scrypt work of {} MiB, at most {} MiB",
                cost.work_bytes() >> 20,
                MAX_WORK_BYTES >> 20
            )));
        }
        Ok(cost)
    }

    /// `128 · N · r`, the memory one derivation takes (RFC 7914 §2); exact below the ceilings.
    fn memory_bytes(self) -> u64 {
        128 * self.n() * u64::from(self.r)
    }

    /// `128 · N · r · p`, the work one derivation does.
    fn work_bytes(self) -> u64 {
        self.memory_bytes() * u64::from(self.p)
    }

    /// Derives the 256-bit key that wraps the master key; `None` when scrypt refuses the
    /// parameters, which it cannot below the ceilings.
    pub(crate) fn derive(self, password: &[u8], salt: &[u8]) -> Option<AesKey> {
        let params = Params::new(self.log_n, self.r, self.p).ok()?;
        let mut key = AesKey::zeroed();
        scrypt::scrypt(password, salt, &params, key.bytes_mut()).ok()?;
        Some(key)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// RFC 7914 §12, the second test vector: scrypt("password", "NaCl", N = 1024, r = 8,
    /// p = 16), first 32 of its 64 bytes.
    #[test]
    fn rfc7914_vector() {
        let cost = ScryptCost::from_file(1024, 8, 16).unwrap();
        let key = cost.derive(b"password", b"NaCl").unwrap();
        assert_eq!(
            hex::encode(key.as_bytes()),
            "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
        );
    }

    #[test]
    fn what_aegis_writes_is_accepted() {
        assert_eq!(
            ScryptCost::from_file(32768, 8, 1).unwrap(),
            ScryptCost::AEGIS
        );
        assert_eq!(ScryptCost::from_file(1 << 20, 2, 1).unwrap().log_n, 20);
        // Exactly at the memory and the work ceiling.
        assert!(ScryptCost::from_file(1 << 17, 16, 1).is_ok());
        assert!(ScryptCost::from_file(1 << 16, 16, 8).is_ok());
    }

    #[test]
    fn costs_above_the_ceilings_are_refused_before_any_work() {
        for (n, r, p, what) in [
            (1u64 << 21, 1, 1, "scrypt N = 2^21, at most 2^20"),
            (1 << 40, 8, 1, "scrypt N = 2^40, at most 2^20"),
            (1024, 17, 1, "scrypt r = 17, at most 16"),
            (1024, 8, 17, "scrypt p = 17, at most 16"),
            (1024, 1 << 40, 1, "scrypt r = 1099511627776, at most 16"),
            (1 << 20, 8, 1, "scrypt memory of 1024 MiB, at most 256 MiB"),
            (1 << 18, 16, 1, "scrypt memory of 512 MiB, at most 256 MiB"),
            (1 << 16, 16, 9, "scrypt work of 1152 MiB, at most 1024 MiB"),
        ] {
            match ScryptCost::from_file(n, r, p) {
                Err(ImportError::KdfTooCostly { what: got, .. }) if got == what => {}
                other => panic!("N={n} r={r} p={p}: {other:?}"),
            }
        }
    }

    #[test]
    fn nonsense_parameters_are_malformed() {
        for (n, r, p) in [
            (0, 8, 1),
            (1, 8, 1),
            (3000, 8, 1),
            (1024, 0, 1),
            (1024, 8, 0),
        ] {
            assert!(
                matches!(
                    ScryptCost::from_file(n, r, p),
                    Err(ImportError::Malformed { .. })
                ),
                "N={n} r={r} p={p}"
            );
        }
    }
}
