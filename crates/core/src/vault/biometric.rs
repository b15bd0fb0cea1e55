//! Unlocking by fingerprint: the platform cipher the vault's biometric slot relies on, and the
//! rules for when the PIN must be entered instead.
//!
//! The slot holds the master key sealed by a [`PlatformCipher`], a key that the platform keeps
//! in hardware and uses only after a strong biometric check (on Android the Keystore key of
//! tauri-plugin-biometric's `biometric_cipher`). The PIN stays the root:
//!
//! - the slot is made only in a session opened by the PIN, and a PIN change keeps it, since the
//!   master key does not change;
//! - the PIN is asked again [`PIN_MAX_AGE_SECS`] after the last PIN unlock, when the clock was
//!   set back before it, and after a restart of the device where the platform reports one
//!   ([`PlatformCipher::booted_at`]);
//! - the lock-out is the PIN's alone: while a wait after wrong PINs runs the fingerprint is
//!   refused too, and a fingerprint neither counts as a try nor resets the count. Wrong
//!   fingers are counted by the platform, and a cancelled prompt costs nothing;
//! - when the platform reports its key invalidated (a new fingerprint enrolled, the screen lock
//!   removed), the slot is removed from the file at once and the PIN opens the vault as before.
//!
//! Where the platform has no bound key (iOS, macOS, desktop: a yes/no answer only) there is no
//! cipher and no slot is made; a slot made on Android is kept untouched by such a build.

use super::error::VaultError;

/// How long a fingerprint may stand in for the PIN after the last PIN unlock: 72 hours.
///
/// Android's compatibility definition requires the same of the phone's own lock screen: the
/// primary authentication (PIN, pattern, password) at least once every 72 hours (Android CDD
/// §9.11.1, "Secure Lock Screen and Authentication"). The app asks no less often than the
/// phone itself.
pub const PIN_MAX_AGE_SECS: u64 = 72 * 60 * 60;

/// Why the platform cipher did not seal or open the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CipherError {
    /// The user (or the system, e.g. for an incoming call) closed the prompt. Not a failed try.
    #[error("the biometric prompt was cancelled")]
    Cancelled,
    /// The platform did not accept the biometrics, or locked them after too many tries.
    #[error("the biometric check failed")]
    Failed,
    /// The platform's key can no longer be used: a fingerprint was enrolled or the screen lock
    /// removed since the slot was made. What it sealed is lost for good.
    #[error("the biometric key was invalidated")]
    KeyInvalidated,
    /// No strong biometrics are set up or available on this device right now.
    #[error("no strong biometrics are available")]
    NotAvailable,
}

/// A biometric-bound cipher offered by the platform.
///
/// Each call shows the platform's prompt and blocks until it is answered. Implementations
/// translate the platform's outcomes into [`CipherError`] and nothing else.
pub trait PlatformCipher: Send + Sync {
    /// Seals `plaintext` with the platform's key after a strong biometric check.
    fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CipherError>;

    /// Opens what [`encrypt`](Self::encrypt) sealed, after a strong biometric check. The
    /// result is wrapped so that the caller's copy is wiped.
    fn decrypt(&self, sealed: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, CipherError>;

    /// When the device last started (unix seconds), if the platform tells; a start after the
    /// last PIN unlock asks for the PIN again.
    fn booted_at(&self) -> Option<u64>;
}

/// Why the PIN is needed although a biometric slot exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinRequiredReason {
    /// [`PIN_MAX_AGE_SECS`] have passed since the last PIN unlock.
    #[error("the PIN was last entered more than 72 hours ago")]
    Expired,
    /// The clock stands before the last PIN unlock, so the age cannot be trusted.
    #[error("the clock was set back")]
    ClockSetBack,
    /// The device started after the last PIN unlock.
    #[error("the device was restarted")]
    Restarted,
    /// Fingerprint unlock is switched on only in a session opened by the PIN.
    #[error("the vault was not opened with the PIN")]
    NotOpenedByPin,
}

/// Whether the fingerprint may open the vault at `now`, given the last PIN unlock and the
/// platform's start time.
pub(crate) fn check_pin_age(
    pin_verified_at: u64,
    now: u64,
    booted_at: Option<u64>,
) -> Result<(), VaultError> {
    let required = |reason| Err(VaultError::PinRequired { reason });
    let Some(age) = now.checked_sub(pin_verified_at) else {
        return required(PinRequiredReason::ClockSetBack);
    };
    if age > PIN_MAX_AGE_SECS {
        return required(PinRequiredReason::Expired);
    }
    match booted_at {
        Some(boot) if boot > pin_verified_at => required(PinRequiredReason::Restarted),
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn reason(result: Result<(), VaultError>) -> Option<PinRequiredReason> {
        match result {
            Ok(()) => None,
            Err(VaultError::PinRequired { reason }) => Some(reason),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_pin_is_needed_after_72_hours() {
        let t = 1_000_000;
        assert_eq!(reason(check_pin_age(t, t, None)), None);
        assert_eq!(reason(check_pin_age(t, t + PIN_MAX_AGE_SECS, None)), None);
        assert_eq!(
            reason(check_pin_age(t, t + PIN_MAX_AGE_SECS + 1, None)),
            Some(PinRequiredReason::Expired)
        );
    }

    #[test]
    fn a_clock_set_back_or_a_restart_asks_for_the_pin() {
        let t = 1_000_000;
        assert_eq!(
            reason(check_pin_age(t, t - 1, None)),
            Some(PinRequiredReason::ClockSetBack)
        );
        assert_eq!(reason(check_pin_age(t, t + 10, Some(t - 600))), None);
        assert_eq!(reason(check_pin_age(t, t + 10, Some(t))), None);
        assert_eq!(
            reason(check_pin_age(t, t + 10, Some(t + 5))),
            Some(PinRequiredReason::Restarted)
        );
    }
}
