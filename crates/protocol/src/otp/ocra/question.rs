//! The question field Q of the OCRA input: challenges encoded into 128 bytes (RFC 6287 §5.1).
//!
//! The encoding follows the reference implementation of RFC 6287 Appendix A, which turns the
//! question into a hex string, pads it on the right with `0` to 256 hex digits and reads that
//! as 128 bytes:
//! - `N`: the decimal number in hex without leading zeros (`22222222` → `153158E`),
//! - `A`: the ASCII bytes,
//! - `H`: the hex digits as given.
//!
//! An odd number of hex digits therefore leaves the last digit in the high half of a byte.

use super::OcraError;
use super::suite::QuestionFormat;

/// Size of the question field, RFC 6287 §5.1: "Q ... 128 bytes".
pub const QUESTION_BYTES: usize = 128;

/// Checks each challenge against the suite's format and maximum length, then encodes them, in
/// order, as one question field.
///
/// A suite allows at most 64 characters per challenge and a question has at most two, which
/// always fits 128 bytes; the field's limit is still checked so that no input can overrun it.
pub(crate) fn encode(
    format: QuestionFormat,
    max_len: u8,
    challenges: &[&str],
) -> Result<[u8; QUESTION_BYTES], OcraError> {
    for challenge in challenges {
        if challenge.is_empty() {
            return Err(OcraError::EmptyQuestion);
        }
        let allowed: fn(&u8) -> bool = match format {
            QuestionFormat::Alphanumeric => u8::is_ascii_graphic,
            QuestionFormat::Numeric => u8::is_ascii_digit,
            QuestionFormat::Hex => u8::is_ascii_hexdigit,
        };
        if !challenge.as_bytes().iter().all(allowed) {
            return Err(OcraError::QuestionNotInFormat { format });
        }
        if challenge.len() > usize::from(max_len) {
            return Err(OcraError::QuestionTooLong {
                max: max_len,
                actual: challenge.len(),
            });
        }
    }

    let too_long = || OcraError::QuestionTooLong {
        max: max_len,
        actual: challenges.iter().map(|challenge| challenge.len()).sum(),
    };
    let bytes = || challenges.iter().flat_map(|challenge| challenge.bytes());
    let mut field = Nibbles::default();
    match format {
        QuestionFormat::Alphanumeric => {
            for byte in bytes() {
                field.push(byte >> 4).ok_or_else(too_long)?;
                field.push(byte & 0x0f).ok_or_else(too_long)?;
            }
        }
        QuestionFormat::Hex => {
            for byte in bytes() {
                field.push(hex_value(byte)).ok_or_else(too_long)?;
            }
        }
        QuestionFormat::Numeric => {
            let mut number = [0u8; QUESTION_BYTES];
            for byte in bytes() {
                multiply_add(&mut number, byte - b'0').ok_or_else(too_long)?;
            }
            // The reference writes the number in hex without leading zeros, left-aligned.
            let digits = (0..QUESTION_BYTES * 2).map(|index| nibble(&number, index));
            for digit in digits.skip_while(|&digit| digit == 0) {
                field.push(digit).ok_or_else(too_long)?;
            }
        }
    }
    Ok(field.bytes)
}

/// The question field, filled with hex digits from the left; the rest stays zero.
struct Nibbles {
    bytes: [u8; QUESTION_BYTES],
    len: usize,
}

impl Default for Nibbles {
    fn default() -> Self {
        Self {
            bytes: [0; QUESTION_BYTES],
            len: 0,
        }
    }
}

impl Nibbles {
    /// Appends one hex digit; `None` once the field is full.
    fn push(&mut self, digit: u8) -> Option<()> {
        let byte = self.bytes.get_mut(self.len / 2)?;
        *byte |= if self.len.is_multiple_of(2) {
            digit << 4
        } else {
            digit
        };
        self.len += 1;
        Some(())
    }
}

/// `number = number * 10 + digit` on a big-endian integer; `None` if it no longer fits.
fn multiply_add(number: &mut [u8; QUESTION_BYTES], digit: u8) -> Option<()> {
    let mut carry = u16::from(digit);
    for byte in number.iter_mut().rev() {
        let value = u16::from(*byte) * 10 + carry;
        *byte = value.to_be_bytes()[1];
        carry = value >> 8;
    }
    (carry == 0).then_some(())
}

/// The `index`-th hex digit of a big-endian byte string.
fn nibble(bytes: &[u8; QUESTION_BYTES], index: usize) -> u8 {
    let byte = bytes[index / 2];
    if index.is_multiple_of(2) {
        byte >> 4
    } else {
        byte & 0x0f
    }
}

/// The value of a hex digit the caller has already checked.
fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        b'A'..=b'F' => digit - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn hex_prefix(field: &[u8; QUESTION_BYTES], len: usize) -> String {
        hex::encode(&field[..len])
    }

    fn rest_is_zero(field: &[u8; QUESTION_BYTES], from: usize) -> bool {
        field[from..].iter().all(|&byte| byte == 0)
    }

    #[test]
    fn numeric_is_the_number_in_hex_left_aligned() -> TestResult {
        // 12345678 = 0xBC614E; 22222222 = 0x153158E has an odd number of hex digits.
        let field = encode(QuestionFormat::Numeric, 8, &["12345678"])?;
        assert_eq!(hex_prefix(&field, 3), "bc614e");
        assert!(rest_is_zero(&field, 3));
        let field = encode(QuestionFormat::Numeric, 8, &["22222222"])?;
        assert_eq!(hex_prefix(&field, 4), "153158e0");
        assert!(rest_is_zero(&field, 4));
        Ok(())
    }

    #[test]
    fn numeric_zero_and_leading_zeros() -> TestResult {
        let zero = encode(QuestionFormat::Numeric, 8, &["00000000"])?;
        assert!(rest_is_zero(&zero, 0));
        let field = encode(QuestionFormat::Numeric, 8, &["00000255"])?;
        assert_eq!(hex_prefix(&field, 1), "ff");
        assert!(rest_is_zero(&field, 1));
        Ok(())
    }

    #[test]
    fn numeric_handles_the_largest_question() -> TestResult {
        // Two challenges of 64 nines: 10^128 - 1 needs 426 bits, well inside the field.
        let nines = "9".repeat(64);
        let field = encode(QuestionFormat::Numeric, 64, &[&nines, &nines])?;
        assert_ne!(field[0], 0);
        assert!(rest_is_zero(&field, 54));
        Ok(())
    }

    #[test]
    fn alphanumeric_is_the_ascii_bytes() -> TestResult {
        let field = encode(QuestionFormat::Alphanumeric, 8, &["CLI22220", "SRV11110"])?;
        assert_eq!(&field[..16], b"CLI22220SRV11110");
        assert!(rest_is_zero(&field, 16));
        Ok(())
    }

    #[test]
    fn hex_is_the_digits_as_given_in_either_case() -> TestResult {
        let field = encode(QuestionFormat::Hex, 8, &["00aBcD1"])?;
        assert_eq!(hex_prefix(&field, 4), "00abcd10");
        assert!(rest_is_zero(&field, 4));
        let full = "f".repeat(64);
        let field = encode(QuestionFormat::Hex, 64, &[&full, &full])?;
        assert!(field[..64].iter().all(|&byte| byte == 0xff));
        assert!(rest_is_zero(&field, 64));
        Ok(())
    }

    #[test]
    fn characters_outside_the_format_are_rejected() {
        for (format, bad) in [
            (QuestionFormat::Numeric, "1234567a"),
            (QuestionFormat::Numeric, "-1234567"),
            (QuestionFormat::Numeric, "１２３４"),
            (QuestionFormat::Hex, "abcdefg0"),
            (QuestionFormat::Hex, "0x1234"),
            (QuestionFormat::Alphanumeric, "SIG 1000"),
            (QuestionFormat::Alphanumeric, "SIGé100"),
        ] {
            assert_eq!(
                encode(format, 64, &[bad]),
                Err(OcraError::QuestionNotInFormat { format }),
                "{bad}"
            );
        }
    }

    #[test]
    fn length_is_checked_per_challenge() {
        assert_eq!(
            encode(QuestionFormat::Numeric, 8, &["123456789"]),
            Err(OcraError::QuestionTooLong { max: 8, actual: 9 })
        );
        assert_eq!(
            encode(QuestionFormat::Numeric, 8, &["12345678", "123456789"]),
            Err(OcraError::QuestionTooLong { max: 8, actual: 9 })
        );
        assert_eq!(
            encode(QuestionFormat::Hex, 8, &[""]),
            Err(OcraError::EmptyQuestion)
        );
        assert!(encode(QuestionFormat::Numeric, 8, &["1"]).is_ok());
    }

    #[test]
    fn more_than_the_field_holds_is_an_error_not_a_panic() {
        let long = "f".repeat(64);
        assert!(matches!(
            encode(QuestionFormat::Hex, 64, &[&long, &long, &long, &long, "f"]),
            Err(OcraError::QuestionTooLong { .. })
        ));
        let long = "A".repeat(64);
        assert!(matches!(
            encode(QuestionFormat::Alphanumeric, 64, &[&long, &long, "A"]),
            Err(OcraError::QuestionTooLong { .. })
        ));
        let nines = "9".repeat(64);
        let many = [nines.as_str(); 5];
        assert!(matches!(
            encode(QuestionFormat::Numeric, 64, &many),
            Err(OcraError::QuestionTooLong { .. })
        ));
    }

    proptest! {
        /// No challenge text, however odd, panics or overruns the field.
        #[test]
        fn encoding_never_panics(
            first in "\\PC{0,80}",
            second in "[0-9a-fA-F]{0,80}",
            format in prop::sample::select(vec![
                QuestionFormat::Alphanumeric,
                QuestionFormat::Numeric,
                QuestionFormat::Hex,
            ]),
            max_len in 4u8..=64,
        ) {
            let _ = encode(format, max_len, &[&first, &second]);
        }

        /// Numbers below 2^64 encode as their minimal hex digits, left-aligned.
        #[test]
        fn numeric_matches_the_reference_for_u64(number in any::<u64>()) {
            let decimal = number.to_string();
            let field = encode(QuestionFormat::Numeric, 64, &[&decimal]);
            let mut digits = format!("{number:x}");
            if digits.len() % 2 == 1 {
                digits.push('0');
            }
            let len = digits.len() / 2;
            prop_assert!(field.is_ok());
            if let Ok(field) = field {
                prop_assert_eq!(hex_prefix(&field, len), digits);
                prop_assert!(rest_is_zero(&field, len));
            }
        }
    }
}
