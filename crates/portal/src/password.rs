//! Password hashing with Argon2id (RFC 9106), run off the async threads.

use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

/// Memory cost of the standard profile in KiB: 19 MiB with 2 passes is the OWASP Password
/// Storage Cheat Sheet's first Argon2id setting, sized for a server hashing many logins.
pub const STANDARD_M_COST_KIB: u32 = 19 * 1024;
/// Passes of the standard profile (OWASP, see [`STANDARD_M_COST_KIB`]).
pub const STANDARD_T_COST: u32 = 2;
/// Memory cost of the load-test profile: deliberately tiny so a load tool measures the
/// portal rather than Argon2. Never use it for real accounts.
pub const LOAD_TEST_M_COST_KIB: u32 = 64;
/// Passes of the load-test profile.
pub const LOAD_TEST_T_COST: u32 = 1;

/// Which Argon2id cost the portal uses for new hashes. Existing hashes carry their own
/// parameters, so switching the profile never locks anyone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum PasswordProfile {
    /// OWASP-recommended cost, for every real deployment.
    #[default]
    Standard,
    /// Minimal cost for load tests and test suites only.
    LoadTest,
}

/// Errors of the password hasher.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    /// Argon2 refused the input.
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
    /// Argon2 refused the cost parameters.
    #[error("invalid Argon2 parameters: {0}")]
    Params(argon2::Error),
    /// The blocking task that ran Argon2 was cancelled.
    #[error("password hashing task failed")]
    Task(#[from] tokio::task::JoinError),
}

/// A password typed by a user, wiped on drop and never logged.
pub type Password = Zeroizing<String>;

fn hasher(profile: PasswordProfile) -> Result<Argon2<'static>, PasswordError> {
    let (m, t) = match profile {
        PasswordProfile::Standard => (STANDARD_M_COST_KIB, STANDARD_T_COST),
        PasswordProfile::LoadTest => (LOAD_TEST_M_COST_KIB, LOAD_TEST_T_COST),
    };
    let params = Params::new(m, t, 1, None).map_err(PasswordError::Params)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes `password` into a PHC string (`$argon2id$...`) with a random salt.
pub async fn hash(profile: PasswordProfile, password: Password) -> Result<String, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let argon = hasher(profile)?;
        argon
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(PasswordError::Hash)
    })
    .await?
}

/// Checks `password` against a stored PHC string; `false` for a wrong password or a damaged
/// hash (a damaged hash is logged, without the password).
pub async fn verify(password: Password, stored: String) -> Result<bool, PasswordError> {
    tokio::task::spawn_blocking(move || {
        let argon = Argon2::default();
        match argon.verify_password(password.as_bytes(), stored.as_str()) {
            Ok(()) => true,
            Err(argon2::password_hash::Error::PasswordInvalid) => false,
            Err(e) => {
                tracing::warn!(error = %e, "stored password hash could not be checked");
                false
            }
        }
    })
    .await
    .map_err(PasswordError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn right_password_verifies_wrong_one_does_not() {
        let stored = hash(
            PasswordProfile::LoadTest,
            Zeroizing::new("Sommer2026!".into()),
        )
        .await
        .unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(
            verify(Zeroizing::new("Sommer2026!".into()), stored.clone())
                .await
                .unwrap()
        );
        assert!(
            !verify(Zeroizing::new("Sommer2026?".into()), stored)
                .await
                .unwrap()
        );
    }

    #[tokio::test]
    async fn standard_profile_uses_owasp_cost() {
        let stored = hash(PasswordProfile::Standard, Zeroizing::new("x".into()))
            .await
            .unwrap();
        assert!(stored.contains("m=19456,t=2,p=1"), "{stored}");
    }

    #[tokio::test]
    async fn damaged_hash_is_a_failed_check() {
        assert!(
            !verify(Zeroizing::new("x".into()), "$argon2id$garbage".into())
                .await
                .unwrap()
        );
    }
}
