//! PIN rules.
//!
//! The PIN unlocks the vault (see [`crate::vault`]): it is the password for an Argon2id key that
//! wraps the vault's master key. A PIN is exactly [`PIN_LENGTH`] ASCII digits, and trivial PINs
//! are refused because they are the first ones anyone tries:
//!
//! - all the same digit: `000000` … `999999`;
//! - straight runs, where every digit is one more than the one before (`123456`, `012345`) or
//!   one less (`654321`, `987654`), counting modulo 10, so the runs that wrap around the dial
//!   (`890123`, `901234`, `109876`) are refused too.
//!
//! That refuses 30 of the 1,000,000 PINs. Other patterns (`121212`, birthdays) are not refused:
//! any longer list would only teach users which ones are left, and the lock-out
//! ([`crate::vault::lockout`]) is what bounds guessing.

use std::fmt;

use zeroize::Zeroizing;

/// Number of digits in a PIN: six, as the portal's users know it from their banking apps and
/// as DESIGN.md fixes it; guessing is bounded by the vault's lock-out, not by the length.
pub const PIN_LENGTH: usize = 6;

/// Why a PIN was refused. The variants name the rule, never the PIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PinError {
    /// The PIN does not have exactly [`PIN_LENGTH`] digits.
    #[error("the PIN must have exactly {PIN_LENGTH} digits")]
    WrongLength,
    /// The PIN contains a character that is not an ASCII digit `0`–`9` (spaces included).
    #[error("the PIN may contain only the digits 0 to 9")]
    NotDigits,
    /// The PIN is all one digit or a straight run (see the module documentation).
    #[error("the PIN is too easy to guess")]
    Trivial,
}

/// A PIN that passed the rules above. It is wiped from memory when dropped, cannot be cloned,
/// and its `Debug` output never shows the digits.
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// Checks `pin` against the PIN rules. Takes the PIN already wrapped in [`Zeroizing`] so
    /// the UI's copy is wiped on every path, including when the PIN is refused.
    ///
    /// # Errors
    /// [`PinError::NotDigits`] if any character is not an ASCII digit, else
    /// [`PinError::WrongLength`] if there are not exactly [`PIN_LENGTH`] of them, else
    /// [`PinError::Trivial`].
    pub fn new(pin: Zeroizing<String>) -> Result<Self, PinError> {
        if !pin.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(PinError::NotDigits);
        }
        if pin.len() != PIN_LENGTH {
            return Err(PinError::WrongLength);
        }
        if is_trivial(pin.as_bytes()) {
            return Err(PinError::Trivial);
        }
        Ok(Self(pin))
    }

    /// The PIN's digits as bytes, for the key derivation only.
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Pin(<redacted>)")
    }
}

/// True when every step between neighbouring digits is the same 0, +1 or −1 (modulo 10).
fn is_trivial(digits: &[u8]) -> bool {
    let steps = |step: u8| {
        digits
            .windows(2)
            .all(|pair| (pair[0] - b'0' + step) % 10 == pair[1] - b'0')
    };
    // Adding 9 is subtracting 1 modulo 10.
    steps(0) || steps(1) || steps(9)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pin(text: &str) -> Result<Pin, PinError> {
        Pin::new(Zeroizing::new(text.to_owned()))
    }

    #[test]
    fn accepts_ordinary_pins() {
        for ok in ["482915", "000001", "121212", "135790", "123457", "024680"] {
            assert!(pin(ok).is_ok(), "{ok} should be accepted");
        }
    }

    #[test]
    fn refuses_wrong_length() {
        for bad in ["", "48291", "4829150"] {
            assert_eq!(pin(bad).err(), Some(PinError::WrongLength), "{bad}");
        }
    }

    #[test]
    fn refuses_non_digits() {
        for bad in [
            "48291a",
            " 482915",
            "482 915",
            "٤٨٢٩١٥",
            "48291５",
            "-48291",
        ] {
            assert_eq!(pin(bad).err(), Some(PinError::NotDigits), "{bad}");
        }
    }

    #[test]
    fn refuses_all_thirty_trivial_pins() {
        let mut refused = 0;
        for n in 0..1_000_000u32 {
            if pin(&format!("{n:06}")).err() == Some(PinError::Trivial) {
                refused += 1;
            }
        }
        assert_eq!(refused, 30);
        for bad in [
            "111111", "000000", "123456", "654321", "012345", "987654", "890123", "901234",
            "109876", "210987",
        ] {
            assert_eq!(pin(bad).err(), Some(PinError::Trivial), "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_digits() {
        let shown = format!("{:?}", pin("482915").ok());
        assert!(!shown.contains("482915"));
        assert!(shown.contains("redacted"));
    }
}
