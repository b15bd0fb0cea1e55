//! The OCRA suite (RFC 6287 §6): which inputs a response covers and how it is computed.
//!
//! A suite such as `OCRA-1:HOTP-SHA512-8:C-QN08-PSHA1` is parsed into a typed [`OcraSuite`].
//! The suite text is itself part of the HMAC input (§5.1), so parsing accepts only the
//! canonical spelling (upper case, no extra leading zeros) and [`fmt::Display`] writes exactly
//! that spelling back.

use std::fmt;
use std::str::FromStr;

use super::OcraSuiteError;
use crate::otp::HashAlgorithm;

/// The algorithm part: RFC 6287 §6.1 defines only version 1.
pub const OCRA_VERSION: &str = "OCRA-1";

/// Truncation lengths RFC 6287 §6.2 allows besides 0 (no truncation).
pub const TRUNCATION_DIGITS: std::ops::RangeInclusive<u8> = 4..=10;

/// Challenge lengths a suite may declare (`xx` in `QFxx`), RFC 6287 §6.3.
pub const QUESTION_LENGTHS: std::ops::RangeInclusive<u8> = 4..=64;

/// Session lengths a suite may declare (`nnn` in `Snnn`). RFC 6287 §6.3 lets the parties agree
/// on any length and names 064, 128, 256 and 512 as typical; three digits allow up to 999, and
/// a zero length would be no session information at all.
pub const SESSION_LENGTHS: std::ops::RangeInclusive<u16> = 1..=999;

/// How a challenge is written, the `F` of `QFxx` (RFC 6287 §6.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuestionFormat {
    /// `A`: printable ASCII characters, hashed as their bytes.
    Alphanumeric,
    /// `N`: decimal digits, hashed as the number in binary.
    Numeric,
    /// `H`: hexadecimal digits, hashed as the bytes they spell.
    Hex,
}

impl QuestionFormat {
    const fn letter(self) -> char {
        match self {
            Self::Alphanumeric => 'A',
            Self::Numeric => 'N',
            Self::Hex => 'H',
        }
    }
}

/// The unit of a timestamp step (`S`, `M` or `H` in `TG`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeUnit {
    /// Seconds, 1 to 59 of them.
    Seconds,
    /// Minutes, 1 to 59 of them.
    Minutes,
    /// Hours, 1 to 48 of them.
    Hours,
}

impl TimeUnit {
    const fn letter(self) -> char {
        match self {
            Self::Seconds => 'S',
            Self::Minutes => 'M',
            Self::Hours => 'H',
        }
    }

    const fn seconds(self) -> u64 {
        match self {
            Self::Seconds => 1,
            Self::Minutes => 60,
            Self::Hours => 3600,
        }
    }

    /// Allowed counts per RFC 6287 §6.3, Table 3. The table allows `0H`, which would be a
    /// step of no time (every timestamp divided by zero), so hours start at 1 here.
    const fn counts(self) -> std::ops::RangeInclusive<u8> {
        match self {
            Self::Seconds | Self::Minutes => 1..=59,
            Self::Hours => 1..=48,
        }
    }
}

/// The time step of a suite's timestamp, such as `1M` in `T1M`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeStep {
    count: u8,
    unit: TimeUnit,
}

impl TimeStep {
    /// How many units one step lasts.
    pub const fn count(self) -> u8 {
        self.count
    }

    /// The unit of [`TimeStep::count`].
    pub const fn unit(self) -> TimeUnit {
        self.unit
    }

    /// Length of one step in seconds, by which Unix time is divided to get `T` (§5.1).
    pub const fn seconds(self) -> u64 {
        // Widening casts; `u64::from` is not usable in a `const fn`.
        self.count as u64 * self.unit.seconds()
    }
}

/// A parsed OCRA suite (RFC 6287 §6): crypto function and the data inputs it covers.
///
/// Built only by parsing (or [`OcraSuite::zweifaktor`]), so every value is one the RFC allows
/// and displays as its canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OcraSuite {
    hash: HashAlgorithm,
    digits: Option<u8>,
    counter: bool,
    question_format: QuestionFormat,
    question_len: u8,
    password: Option<HashAlgorithm>,
    session_len: Option<u16>,
    time_step: Option<TimeStep>,
}

impl OcraSuite {
    /// The suite Zweifaktor uses for login codes, [`super::ZWEIFAKTOR_SUITE`], without parsing.
    pub const fn zweifaktor() -> Self {
        Self {
            hash: HashAlgorithm::Sha256,
            digits: Some(6),
            counter: false,
            question_format: QuestionFormat::Hex,
            question_len: 64,
            password: None,
            session_len: None,
            time_step: None,
        }
    }

    /// The HMAC hash of the crypto function.
    pub const fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// Digits of the response, or `None` for truncation 0 (the whole HMAC, as hex).
    pub const fn digits(&self) -> Option<u8> {
        self.digits
    }

    /// Whether a counter (`C`) is hashed.
    pub const fn has_counter(&self) -> bool {
        self.counter
    }

    /// How the challenge is written.
    pub const fn question_format(&self) -> QuestionFormat {
        self.question_format
    }

    /// Longest challenge in characters (`xx`); a mutual question has two such challenges.
    pub const fn question_len(&self) -> u8 {
        self.question_len
    }

    /// The hash applied to the password (`PSHAx`), if one is hashed.
    pub const fn password_hash(&self) -> Option<HashAlgorithm> {
        self.password
    }

    /// Length in bytes of the session information (`Snnn`), if any is hashed.
    pub const fn session_len(&self) -> Option<u16> {
        self.session_len
    }

    /// The timestamp step (`TG`), if a timestamp is hashed.
    pub const fn time_step(&self) -> Option<TimeStep> {
        self.time_step
    }
}

impl fmt::Display for OcraSuite {
    /// The canonical suite text, byte for byte what enters the HMAC.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{OCRA_VERSION}:HOTP-{}-{}:",
            self.hash,
            self.digits.unwrap_or(0)
        )?;
        if self.counter {
            f.write_str("C-")?;
        }
        write!(
            f,
            "Q{}{:02}",
            self.question_format.letter(),
            self.question_len
        )?;
        if let Some(hash) = self.password {
            write!(f, "-P{hash}")?;
        }
        if let Some(len) = self.session_len {
            write!(f, "-S{len:03}")?;
        }
        if let Some(step) = self.time_step {
            write!(f, "-T{}{}", step.count, step.unit.letter())?;
        }
        Ok(())
    }
}

impl FromStr for OcraSuite {
    type Err = OcraSuiteError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut parts = text.split(':');
        let (Some(version), Some(crypto), Some(data), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(OcraSuiteError::WrongShape);
        };
        if version != OCRA_VERSION {
            return Err(OcraSuiteError::UnsupportedVersion);
        }
        let (hash, digits) = parse_crypto_function(crypto)?;

        let mut inputs = data.split('-').peekable();
        let counter = inputs.next_if_eq(&"C").is_some();
        let (question_format, question_len) = match inputs.next() {
            Some(part) if part.starts_with('Q') => parse_question(part)?,
            _ => return Err(OcraSuiteError::MissingQuestion),
        };
        let password = inputs
            .next_if(|part| part.starts_with('P'))
            .map(parse_password)
            .transpose()?;
        let session_len = inputs
            .next_if(|part| part.starts_with('S'))
            .map(parse_session)
            .transpose()?;
        let time_step = inputs
            .next_if(|part| part.starts_with('T'))
            .map(parse_time_step)
            .transpose()?;
        if inputs.next().is_some() {
            return Err(OcraSuiteError::UnexpectedDataInput);
        }

        Ok(Self {
            hash,
            digits,
            counter,
            question_format,
            question_len,
            password,
            session_len,
            time_step,
        })
    }
}

/// `HOTP-SHA256-8` → (SHA-256, Some(8)); `HOTP-SHA1-0` → (SHA-1, None).
fn parse_crypto_function(text: &str) -> Result<(HashAlgorithm, Option<u8>), OcraSuiteError> {
    let mut parts = text.split('-');
    let (Some("HOTP"), Some(hash), Some(digits), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(OcraSuiteError::MalformedCryptoFunction);
    };
    let hash = parse_hash(hash).ok_or(OcraSuiteError::UnknownHash)?;
    match canonical_number(digits) {
        Some(0) => Ok((hash, None)),
        Some(n) => u8::try_from(n)
            .ok()
            .filter(|n| TRUNCATION_DIGITS.contains(n))
            .map(|n| (hash, Some(n)))
            .ok_or(OcraSuiteError::InvalidTruncation),
        None => Err(OcraSuiteError::InvalidTruncation),
    }
}

/// `QN08` → (numeric, 8). The length has exactly two digits, as in every example of §6.3.
fn parse_question(part: &str) -> Result<(QuestionFormat, u8), OcraSuiteError> {
    let format = match part.as_bytes().get(1) {
        Some(b'A') => QuestionFormat::Alphanumeric,
        Some(b'N') => QuestionFormat::Numeric,
        Some(b'H') => QuestionFormat::Hex,
        _ => return Err(OcraSuiteError::InvalidQuestionFormat),
    };
    part.get(2..)
        .filter(|len| len.len() == 2 && len.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|len| len.parse::<u8>().ok())
        .filter(|len| QUESTION_LENGTHS.contains(len))
        .map(|len| (format, len))
        .ok_or(OcraSuiteError::InvalidQuestionLength)
}

/// `PSHA1` → SHA-1.
fn parse_password(part: &str) -> Result<HashAlgorithm, OcraSuiteError> {
    part.strip_prefix('P')
        .and_then(parse_hash)
        .ok_or(OcraSuiteError::InvalidPasswordHash)
}

/// `S064` → 64. Always three digits, so the text round-trips.
fn parse_session(part: &str) -> Result<u16, OcraSuiteError> {
    part.strip_prefix('S')
        .filter(|len| len.len() == 3 && len.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|len| len.parse::<u16>().ok())
        .filter(|len| SESSION_LENGTHS.contains(len))
        .ok_or(OcraSuiteError::InvalidSessionLength)
}

/// `T1M` → one minute, `T30S` → thirty seconds.
fn parse_time_step(part: &str) -> Result<TimeStep, OcraSuiteError> {
    let body = part
        .strip_prefix('T')
        .ok_or(OcraSuiteError::InvalidTimeStep)?;
    let (count, unit) = match body.as_bytes().last() {
        Some(b'S') => (&body[..body.len() - 1], TimeUnit::Seconds),
        Some(b'M') => (&body[..body.len() - 1], TimeUnit::Minutes),
        Some(b'H') => (&body[..body.len() - 1], TimeUnit::Hours),
        _ => return Err(OcraSuiteError::InvalidTimeStep),
    };
    canonical_number(count)
        .and_then(|count| u8::try_from(count).ok())
        .filter(|count| unit.counts().contains(count))
        .map(|count| TimeStep { count, unit })
        .ok_or(OcraSuiteError::InvalidTimeStep)
}

/// A hash name as OCRA suites spell it: upper case only, since the text is hashed.
fn parse_hash(name: &str) -> Option<HashAlgorithm> {
    [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha512,
    ]
    .into_iter()
    .find(|hash| hash.as_str() == name)
}

/// A decimal number of one to three digits without leading zeros (`"0"` itself is fine).
fn canonical_number(text: &str) -> Option<u16> {
    let well_formed = (1..=3).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    well_formed.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Lets tests use `?` instead of `unwrap`.
    type TestResult = Result<(), Box<dyn std::error::Error>>;

    fn parse(text: &str) -> Result<OcraSuite, OcraSuiteError> {
        text.parse()
    }

    #[test]
    fn every_rfc_suite_parses_and_round_trips() -> TestResult {
        // The suites of RFC 6287 §6.4 and Appendix C, plus one with every part.
        for text in [
            "OCRA-1:HOTP-SHA1-6:QN08",
            "OCRA-1:HOTP-SHA512-8:C-QN08-PSHA1",
            "OCRA-1:HOTP-SHA256-6:QA10-T1M",
            "OCRA-1:HOTP-SHA1-4:QH08-S512",
            "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1",
            "OCRA-1:HOTP-SHA256-8:QN08-PSHA1",
            "OCRA-1:HOTP-SHA512-8:C-QN08",
            "OCRA-1:HOTP-SHA512-8:QN08-T1M",
            "OCRA-1:HOTP-SHA256-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08",
            "OCRA-1:HOTP-SHA512-8:QA08-PSHA1",
            "OCRA-1:HOTP-SHA512-8:QA10-T1M",
            "OCRA-1:HOTP-SHA256-6:QH64",
            "OCRA-1:HOTP-SHA1-0:C-QH64-PSHA512-S064-T48H",
            "OCRA-1:HOTP-SHA1-10:QA04-S999-T59S",
        ] {
            let suite = parse(text)?;
            assert_eq!(suite.to_string(), text);
        }
        Ok(())
    }

    #[test]
    fn parts_are_typed() -> TestResult {
        let suite = parse("OCRA-1:HOTP-SHA512-8:C-QN08-PSHA1-S128-T5M")?;
        assert_eq!(suite.hash(), HashAlgorithm::Sha512);
        assert_eq!(suite.digits(), Some(8));
        assert!(suite.has_counter());
        assert_eq!(suite.question_format(), QuestionFormat::Numeric);
        assert_eq!(suite.question_len(), 8);
        assert_eq!(suite.password_hash(), Some(HashAlgorithm::Sha1));
        assert_eq!(suite.session_len(), Some(128));
        let step = suite.time_step().ok_or("no time step")?;
        assert_eq!((step.count(), step.unit()), (5, TimeUnit::Minutes));
        assert_eq!(step.seconds(), 300);

        let full = parse("OCRA-1:HOTP-SHA1-0:QA04")?;
        assert_eq!(full.digits(), None);
        assert!(!full.has_counter());
        assert_eq!(full.password_hash(), None);
        assert_eq!(full.session_len(), None);
        assert_eq!(full.time_step(), None);
        Ok(())
    }

    #[test]
    fn time_steps_convert_to_seconds() -> TestResult {
        for (text, seconds) in [("T1S", 1), ("T59S", 59), ("T1M", 60), ("T48H", 172_800)] {
            let suite = parse(&format!("OCRA-1:HOTP-SHA1-6:QN08-{text}"))?;
            let step = suite.time_step().ok_or("no time step")?;
            assert_eq!(step.seconds(), seconds, "{text}");
        }
        Ok(())
    }

    #[test]
    fn zweifaktor_suite_matches_its_text() {
        assert_eq!(
            parse(super::super::ZWEIFAKTOR_SUITE),
            Ok(OcraSuite::zweifaktor())
        );
        assert_eq!(
            OcraSuite::zweifaktor().to_string(),
            super::super::ZWEIFAKTOR_SUITE
        );
    }

    #[test]
    fn each_malformed_part_has_its_error() {
        use OcraSuiteError::*;
        for (text, error) in [
            ("", WrongShape),
            ("OCRA-1:HOTP-SHA1-6", WrongShape),
            ("OCRA-1:HOTP-SHA1-6:QN08:", WrongShape),
            ("OCRA-2:HOTP-SHA1-6:QN08", UnsupportedVersion),
            ("ocra-1:HOTP-SHA1-6:QN08", UnsupportedVersion),
            ("OCRA-1:TOTP-SHA1-6:QN08", MalformedCryptoFunction),
            ("OCRA-1:HOTPSHA16:QN08", MalformedCryptoFunction),
            ("OCRA-1:HOTP-SHA1-6-7:QN08", MalformedCryptoFunction),
            ("OCRA-1:HOTP-SHA3-6:QN08", UnknownHash),
            ("OCRA-1:HOTP-sha1-6:QN08", UnknownHash),
            ("OCRA-1:HOTP-SHA1-3:QN08", InvalidTruncation),
            ("OCRA-1:HOTP-SHA1-11:QN08", InvalidTruncation),
            ("OCRA-1:HOTP-SHA1-06:QN08", InvalidTruncation),
            ("OCRA-1:HOTP-SHA1-:QN08", InvalidTruncation),
            ("OCRA-1:HOTP-SHA1-x:QN08", InvalidTruncation),
            ("OCRA-1:HOTP-SHA1-6:", MissingQuestion),
            ("OCRA-1:HOTP-SHA1-6:C", MissingQuestion),
            ("OCRA-1:HOTP-SHA1-6:PSHA1", MissingQuestion),
            ("OCRA-1:HOTP-SHA1-6:X-QN08", MissingQuestion),
            ("OCRA-1:HOTP-SHA1-6:QX08", InvalidQuestionFormat),
            ("OCRA-1:HOTP-SHA1-6:Q", InvalidQuestionFormat),
            ("OCRA-1:HOTP-SHA1-6:Qn08", InvalidQuestionFormat),
            ("OCRA-1:HOTP-SHA1-6:QN03", InvalidQuestionLength),
            ("OCRA-1:HOTP-SHA1-6:QN65", InvalidQuestionLength),
            ("OCRA-1:HOTP-SHA1-6:QN8", InvalidQuestionLength),
            ("OCRA-1:HOTP-SHA1-6:QN008", InvalidQuestionLength),
            ("OCRA-1:HOTP-SHA1-6:QNXX", InvalidQuestionLength),
            ("OCRA-1:HOTP-SHA1-6:QN08-PSHA3", InvalidPasswordHash),
            ("OCRA-1:HOTP-SHA1-6:QN08-P", InvalidPasswordHash),
            ("OCRA-1:HOTP-SHA1-6:QN08-S000", InvalidSessionLength),
            ("OCRA-1:HOTP-SHA1-6:QN08-S64", InvalidSessionLength),
            ("OCRA-1:HOTP-SHA1-6:QN08-S1000", InvalidSessionLength),
            ("OCRA-1:HOTP-SHA1-6:QN08-SXXX", InvalidSessionLength),
            ("OCRA-1:HOTP-SHA1-6:QN08-T", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-TM", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T0S", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T60S", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T60M", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T0H", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T49H", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T01M", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1D", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-TxxM", InvalidTimeStep),
            ("OCRA-1:HOTP-SHA1-6:QN08-X", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-S064-PSHA1", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-PSHA1-PSHA1", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-C", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-QN08", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-", UnexpectedDataInput),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1M ", InvalidTimeStep),
        ] {
            assert_eq!(parse(text), Err(error), "{text:?}");
        }
    }

    #[test]
    fn non_ascii_text_is_an_error_not_a_panic() {
        assert!(parse("OCRA-1:HOTP-SHA1-6:QNé").is_err());
        assert!(parse("OCRA-1:HOTP-SHA1-6:QN08-Té").is_err());
        assert!(parse("OCRA-1:HOTP-SHA1-6:QN08-Sé1").is_err());
        assert!(parse("OCRA-1:HOTP-SHA1-é:QN08").is_err());
    }

    fn hash_name() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec!["SHA1", "SHA256", "SHA512"])
    }

    /// Builds suite text from independently chosen valid parts.
    fn valid_suite_text() -> impl Strategy<Value = String> {
        (
            hash_name(),
            prop::sample::select(vec![0u8, 4, 5, 6, 7, 8, 9, 10]),
            any::<bool>(),
            prop::sample::select(vec!['A', 'N', 'H']),
            4u8..=64,
            prop::option::of(hash_name()),
            prop::option::of(1u16..=999),
            prop::option::of(prop_oneof![
                (1u8..=59).prop_map(|n| format!("{n}S")),
                (1u8..=59).prop_map(|n| format!("{n}M")),
                (1u8..=48).prop_map(|n| format!("{n}H")),
            ]),
        )
            .prop_map(
                |(hash, digits, counter, format, len, password, session, time)| {
                    let mut text = format!("OCRA-1:HOTP-{hash}-{digits}:");
                    if counter {
                        text.push_str("C-");
                    }
                    text.push_str(&format!("Q{format}{len:02}"));
                    if let Some(password) = password {
                        text.push_str(&format!("-P{password}"));
                    }
                    if let Some(session) = session {
                        text.push_str(&format!("-S{session:03}"));
                    }
                    if let Some(time) = time {
                        text.push_str(&format!("-T{time}"));
                    }
                    text
                },
            )
    }

    proptest! {
        #[test]
        fn valid_suites_parse_and_print_back_unchanged(text in valid_suite_text()) {
            let suite = parse(&text);
            prop_assert!(suite.is_ok(), "{text}: {suite:?}");
            if let Ok(suite) = suite {
                prop_assert_eq!(suite.to_string(), text);
            }
        }

        /// Anything that parses prints back byte for byte, since the text is hashed.
        #[test]
        fn any_text_parses_only_in_canonical_form(
            text in prop_oneof![
                "[A-Z0-9:-]{0,48}",
                "OCRA-1:HOTP-SHA(1|256|512)-[0-9]{1,2}:[CQANHPSTMHA0-9-]{0,24}",
                "\\PC{0,48}",
            ]
        ) {
            if let Ok(suite) = parse(&text) {
                prop_assert_eq!(suite.to_string(), text);
            }
        }
    }
}
