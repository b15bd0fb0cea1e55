//! The OCRA computation itself (RFC 6287 §5): assemble the data input, HMAC it, truncate.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};
use zeroize::{Zeroize, Zeroizing};

use super::question::{self, QUESTION_BYTES};
use super::{OcraError, OcraInput, OcraPassword, OcraQuestion, OcraSuite};
use crate::Seed;
use crate::otp::{Code, HashAlgorithm};

/// Shortest key accepted. OCRA is built on HOTP, whose secret RFC 4226 §4 (R6) requires to be
/// at least 128 bits; RFC 6287 sets no other bound, and Zweifaktor reuses the 20-byte TOTP seed.
pub const MIN_KEY_BYTES: usize = 16;

/// The response of `suite` for `key` and `input` (RFC 6287 §5.1):
/// `HMAC(K, suite ‖ 00 ‖ C ‖ Q ‖ P ‖ S ‖ T)`, truncated as in HOTP (RFC 4226 §5.3) to the
/// suite's digits, or the whole HMAC as lowercase hex for truncation 0.
///
/// # Errors
/// [`OcraError::InvalidKeyLength`] for a key under [`MIN_KEY_BYTES`]; the question errors
/// for a challenge that is empty, too long or not in the suite's format; and a
/// `Missing…`/`Unexpected…` error when the inputs present differ from those the suite names.
pub fn ocra(suite: &OcraSuite, key: &Seed, input: &OcraInput<'_>) -> Result<Code, OcraError> {
    if key.len() < MIN_KEY_BYTES {
        return Err(OcraError::InvalidKeyLength { len: key.len() });
    }
    let message = data_input(suite, input)?;
    let key = key.as_bytes();
    match suite.hash() {
        HashAlgorithm::Sha1 => respond::<Hmac<Sha1>>(key, &message, suite.digits()),
        HashAlgorithm::Sha256 => respond::<Hmac<Sha256>>(key, &message, suite.digits()),
        HashAlgorithm::Sha512 => respond::<Hmac<Sha512>>(key, &message, suite.digits()),
    }
}

/// Whether `candidate` is the response for these inputs, compared in constant time.
///
/// # Errors
/// Those of [`ocra`]: they mean the inputs do not fit the suite, not that the code is wrong.
pub fn verify_ocra(
    suite: &OcraSuite,
    key: &Seed,
    input: &OcraInput<'_>,
    candidate: &str,
) -> Result<bool, OcraError> {
    Ok(ocra(suite, key, input)?.ct_matches(candidate).into())
}

/// The bytes that are MACed, in the order of RFC 6287 §5.1. They may hold a password hash and
/// session data, so they are wiped afterwards; the buffer is reserved at its full size up
/// front so that no reallocation leaves an unwiped copy behind.
fn data_input(suite: &OcraSuite, input: &OcraInput<'_>) -> Result<Zeroizing<Vec<u8>>, OcraError> {
    let text = suite.to_string();
    let mut message = Zeroizing::new(Vec::with_capacity(
        text.len()
            + 1
            + 8
            + QUESTION_BYTES
            + 64
            + usize::from(suite.session_len().unwrap_or(0))
            + 8,
    ));
    message.extend_from_slice(text.as_bytes());
    message.push(0);

    match (suite.has_counter(), input.counter) {
        (true, Some(counter)) => message.extend_from_slice(&counter.to_be_bytes()),
        (true, None) => return Err(OcraError::MissingCounter),
        (false, Some(_)) => return Err(OcraError::UnexpectedCounter),
        (false, None) => {}
    }

    let pair;
    let challenges: &[&str] = match &input.question {
        OcraQuestion::Single(challenge) => std::slice::from_ref(challenge),
        OcraQuestion::Pair(first, second) => {
            pair = [*first, *second];
            &pair
        }
    };
    message.extend_from_slice(&question::encode(
        suite.question_format(),
        suite.question_len(),
        challenges,
    )?);

    match (suite.password_hash(), &input.password) {
        (Some(hash), Some(OcraPassword::Plain(password))) => match hash {
            HashAlgorithm::Sha1 => append_digest::<Sha1>(&mut message, password),
            HashAlgorithm::Sha256 => append_digest::<Sha256>(&mut message, password),
            HashAlgorithm::Sha512 => append_digest::<Sha512>(&mut message, password),
        },
        (Some(hash), Some(OcraPassword::Hashed(digest))) => {
            if digest.len() != hash.output_len() {
                return Err(OcraError::PasswordHashLength {
                    expected: hash.output_len(),
                    actual: digest.len(),
                });
            }
            message.extend_from_slice(digest);
        }
        (Some(_), None) => return Err(OcraError::MissingPassword),
        (None, Some(_)) => return Err(OcraError::UnexpectedPassword),
        (None, None) => {}
    }

    match (suite.session_len(), input.session) {
        (Some(len), Some(session)) => {
            let len = usize::from(len);
            if session.len() > len {
                return Err(OcraError::SessionTooLong {
                    max: len,
                    actual: session.len(),
                });
            }
            let padded = message.len() + len - session.len();
            message.resize(padded, 0);
            message.extend_from_slice(session);
        }
        (Some(_), None) => return Err(OcraError::MissingSession),
        (None, Some(_)) => return Err(OcraError::UnexpectedSession),
        (None, None) => {}
    }

    match (suite.time_step(), input.timestamp) {
        (Some(step), Some(unix_time)) => {
            message.extend_from_slice(&(unix_time / step.seconds()).to_be_bytes());
        }
        (Some(_), None) => return Err(OcraError::MissingTimestamp),
        (None, Some(_)) => return Err(OcraError::UnexpectedTimestamp),
        (None, None) => {}
    }

    Ok(message)
}

/// Appends `D(data)` and wipes the intermediate digest.
fn append_digest<D: Digest>(message: &mut Vec<u8>, data: &[u8]) {
    let mut digest = D::digest(data);
    message.extend_from_slice(&digest);
    digest.as_mut_slice().zeroize();
}

/// HMAC the message and turn the output into the response.
fn respond<M: Mac + KeyInit>(
    key: &[u8],
    message: &[u8],
    digits: Option<u8>,
) -> Result<Code, OcraError> {
    // HMAC takes keys of any length, so this error cannot occur in practice.
    let mut mac = <M as KeyInit>::new_from_slice(key)
        .map_err(|_| OcraError::InvalidKeyLength { len: key.len() })?;
    mac.update(message);
    let mut output = mac.finalize().into_bytes();
    let code = match digits {
        Some(digits) => Code::from_number(truncate(&output, digits), digits),
        None => Code::from_hex(&output),
    };
    output.as_mut_slice().zeroize();
    Ok(code)
}

/// Dynamic truncation of RFC 4226 §5.3, reduced to `digits` decimal digits.
///
/// The HMAC output has at least 20 bytes and the offset is at most 15, so the four bytes read
/// are always inside it.
fn truncate(hmac: &[u8], digits: u8) -> u64 {
    let offset = usize::from(hmac[hmac.len() - 1] & 0x0f);
    let binary = u32::from_be_bytes([
        hmac[offset],
        hmac[offset + 1],
        hmac[offset + 2],
        hmac[offset + 3],
    ]) & 0x7fff_ffff;
    u64::from(binary) % 10u64.pow(u32::from(digits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otp::OcraSuiteError;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn key() -> Seed {
        Seed::from_bytes(b"12345678901234567890".to_vec())
    }

    fn suite(text: &str) -> Result<OcraSuite, OcraSuiteError> {
        text.parse()
    }

    #[test]
    fn truncation_follows_rfc_4226_section_5_4() -> TestResult {
        // RFC 4226 §5.4: this HMAC-SHA-1 output truncates to 0x50ef7f19 = 1357872921.
        let hmac = hex::decode("1f8698690e02ca16618550ef7f19da8e945b555a")?;
        assert_eq!(truncate(&hmac, 6), 872_921);
        assert_eq!(truncate(&hmac, 10), 1_357_872_921);
        Ok(())
    }

    #[test]
    fn short_keys_are_rejected() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA1-6:QN08")?;
        let input = OcraInput::new("00000000");
        for len in [0, 1, 15] {
            let key = Seed::from_bytes(vec![1; len]);
            assert_eq!(
                ocra(&suite, &key, &input).err(),
                Some(OcraError::InvalidKeyLength { len })
            );
        }
        assert!(ocra(&suite, &Seed::from_bytes(vec![1; 16]), &input).is_ok());
        Ok(())
    }

    #[test]
    fn missing_inputs_are_rejected() -> TestResult {
        let full = suite("OCRA-1:HOTP-SHA1-6:C-QN08-PSHA1-S064-T1M")?;
        let complete = || OcraInput {
            counter: Some(1),
            password: Some(OcraPassword::Plain(b"1234")),
            session: Some(b"session"),
            timestamp: Some(1_206_446_790),
            ..OcraInput::new("12345678")
        };
        assert!(ocra(&full, &key(), &complete()).is_ok());

        let without_counter = OcraInput {
            counter: None,
            ..complete()
        };
        let without_password = OcraInput {
            password: None,
            ..complete()
        };
        let without_session = OcraInput {
            session: None,
            ..complete()
        };
        let without_timestamp = OcraInput {
            timestamp: None,
            ..complete()
        };
        for (input, error) in [
            (without_counter, OcraError::MissingCounter),
            (without_password, OcraError::MissingPassword),
            (without_session, OcraError::MissingSession),
            (without_timestamp, OcraError::MissingTimestamp),
        ] {
            assert_eq!(ocra(&full, &key(), &input).err(), Some(error));
        }
        Ok(())
    }

    #[test]
    fn extra_inputs_are_rejected() -> TestResult {
        let bare = suite("OCRA-1:HOTP-SHA1-6:QN08")?;
        let question = || OcraInput::new("12345678");
        for (input, error) in [
            (
                OcraInput {
                    counter: Some(0),
                    ..question()
                },
                OcraError::UnexpectedCounter,
            ),
            (
                OcraInput {
                    password: Some(OcraPassword::Plain(b"")),
                    ..question()
                },
                OcraError::UnexpectedPassword,
            ),
            (
                OcraInput {
                    session: Some(b""),
                    ..question()
                },
                OcraError::UnexpectedSession,
            ),
            (
                OcraInput {
                    timestamp: Some(0),
                    ..question()
                },
                OcraError::UnexpectedTimestamp,
            ),
        ] {
            assert_eq!(ocra(&bare, &key(), &input).err(), Some(error));
        }
        Ok(())
    }

    #[test]
    fn password_hashes_must_have_the_suite_length() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA256-8:QN08-PSHA256")?;
        for len in [0, 20, 31, 33, 64] {
            let digest = vec![0u8; len];
            let input = OcraInput {
                password: Some(OcraPassword::Hashed(&digest)),
                ..OcraInput::new("12345678")
            };
            assert_eq!(
                ocra(&suite, &key(), &input).err(),
                Some(OcraError::PasswordHashLength {
                    expected: 32,
                    actual: len
                })
            );
        }
        Ok(())
    }

    #[test]
    fn plain_and_hashed_passwords_agree() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA1-8:QN08-PSHA512")?;
        let hashed = Sha512::digest(b"1234");
        let plain = OcraInput {
            password: Some(OcraPassword::Plain(b"1234")),
            ..OcraInput::new("12345678")
        };
        let prehashed = OcraInput {
            password: Some(OcraPassword::Hashed(&hashed)),
            ..OcraInput::new("12345678")
        };
        assert_eq!(
            ocra(&suite, &key(), &plain)?.as_str(),
            ocra(&suite, &key(), &prehashed)?.as_str()
        );
        Ok(())
    }

    #[test]
    fn session_is_left_padded_to_its_length() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA1-8:QN08-S004")?;
        let code = |session: &[u8]| {
            let input = OcraInput {
                session: Some(session),
                ..OcraInput::new("12345678")
            };
            ocra(&suite, &key(), &input).map(|code| code.as_str().to_owned())
        };
        assert_eq!(code(b"\x00\x00ab")?, code(b"ab")?);
        assert_ne!(code(b"ab\x00\x00")?, code(b"ab")?);
        assert_eq!(
            code(b"abcde").err(),
            Some(OcraError::SessionTooLong { max: 4, actual: 5 })
        );
        Ok(())
    }

    #[test]
    fn timestamps_count_steps_not_seconds() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA1-8:QN08-T30S")?;
        let code = |unix_time| {
            let input = OcraInput {
                timestamp: Some(unix_time),
                ..OcraInput::new("12345678")
            };
            ocra(&suite, &key(), &input).map(|code| code.as_str().to_owned())
        };
        assert_eq!(code(60)?, code(89)?);
        assert_ne!(code(89)?, code(90)?);
        Ok(())
    }

    #[test]
    fn no_truncation_gives_the_whole_hmac_in_hex() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA512-0:QN08")?;
        let code = ocra(&suite, &key(), &OcraInput::new("12345678"))?;
        assert_eq!(code.as_str().len(), 128);
        assert!(
            code.as_str()
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        Ok(())
    }

    #[test]
    fn verify_compares_the_response() -> TestResult {
        let suite = suite("OCRA-1:HOTP-SHA1-6:QN08")?;
        let input = OcraInput::new("12345678");
        let code = ocra(&suite, &key(), &input)?;
        assert_eq!(verify_ocra(&suite, &key(), &input, code.as_str()), Ok(true));
        let mut wrong = code.as_str().to_owned().into_bytes();
        wrong[0] = if wrong[0] == b'9' { b'0' } else { wrong[0] + 1 };
        let wrong = String::from_utf8(wrong)?;
        assert_eq!(verify_ocra(&suite, &key(), &input, &wrong), Ok(false));
        assert_eq!(verify_ocra(&suite, &key(), &input, ""), Ok(false));
        let other_key = Seed::from_bytes(b"12345678901234567891".to_vec());
        assert_eq!(
            verify_ocra(&suite, &other_key, &input, code.as_str()),
            Ok(false)
        );
        assert_eq!(
            verify_ocra(&suite, &key(), &OcraInput::new("123456789"), code.as_str()),
            Err(OcraError::QuestionTooLong { max: 8, actual: 9 })
        );
        Ok(())
    }
}
