//! Errors of OCRA: a malformed suite string, and inputs that do not fit the suite.

use thiserror::Error;

use super::suite::QuestionFormat;

/// Which part of an OCRA suite string (RFC 6287 §6) is malformed.
///
/// The suite text is not kept: the caller has it and can show it next to the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OcraSuiteError {
    /// Not three parts `Algorithm:CryptoFunction:DataInput` separated by colons (§6).
    #[error("an OCRA suite has three parts separated by ':'")]
    WrongShape,
    /// The algorithm part is not `OCRA-1`, the only version RFC 6287 defines (§6.1).
    #[error("only OCRA version 1 (\"OCRA-1\") is defined")]
    UnsupportedVersion,
    /// The crypto function is not `HOTP-<hash>-<digits>` (§6.2).
    #[error("the crypto function must look like HOTP-SHA1-6")]
    MalformedCryptoFunction,
    /// The crypto function names a hash other than SHA1, SHA256 or SHA512 (§6.2).
    #[error("the crypto function's hash must be SHA1, SHA256 or SHA512")]
    UnknownHash,
    /// The truncation is not 0 (none) or 4 to 10 digits, written without leading zeros (§6.2).
    #[error("the truncation must be 0 or 4 to 10 digits")]
    InvalidTruncation,
    /// The data input has no `QFxx` question part where one is required (§6.3).
    #[error("the data input needs a question such as QN08")]
    MissingQuestion,
    /// The question format is not `A`, `N` or `H` (§6.3).
    #[error("the question format must be A, N or H")]
    InvalidQuestionFormat,
    /// The question length is not two digits from 04 to 64 (§6.3).
    #[error("the question length must be two digits from 04 to 64")]
    InvalidQuestionLength,
    /// The password part is not `PSHA1`, `PSHA256` or `PSHA512` (§6.3).
    #[error("the password part must be PSHA1, PSHA256 or PSHA512")]
    InvalidPasswordHash,
    /// The session part is not `S` and three digits from 001 to 999 (§6.3).
    #[error("the session part must be S and three digits, such as S064")]
    InvalidSessionLength,
    /// The timestamp part is not `T` with 1-59 `S`, 1-59 `M` or 1-48 `H` (§6.3, Table 3).
    #[error("the timestamp part must be T with 1-59S, 1-59M or 1-48H")]
    InvalidTimeStep,
    /// A data input part that is unknown, repeated or out of the order `C-Q-P-S-T` (§6.3).
    #[error("the data input has an unknown, repeated or misplaced part")]
    UnexpectedDataInput,
}

/// Why an OCRA response could not be computed for the given inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum OcraError {
    /// The key is shorter than [`super::MIN_KEY_BYTES`]: RFC 4226 §4 (R6) requires 128 bits of
    /// a HOTP secret. (HMAC itself takes keys of any length.)
    #[error("the key has {len} bytes; at least {min} are required", min = super::MIN_KEY_BYTES)]
    InvalidKeyLength {
        /// Length of the key in bytes.
        len: usize,
    },
    /// The suite has a counter (`C`) but the input has none.
    #[error("the suite needs a counter")]
    MissingCounter,
    /// The input has a counter the suite does not use.
    #[error("the suite has no counter, but one was given")]
    UnexpectedCounter,
    /// A challenge is empty.
    #[error("a challenge must not be empty")]
    EmptyQuestion,
    /// A challenge is longer than the suite's `QFxx` allows.
    #[error("a challenge has {actual} characters; the suite allows {max}")]
    QuestionTooLong {
        /// The suite's maximum (`xx`).
        max: u8,
        /// The challenge's length in characters.
        actual: usize,
    },
    /// A challenge has a character its format does not allow.
    #[error("a challenge has characters that format {format:?} does not allow")]
    QuestionNotInFormat {
        /// The suite's question format.
        format: QuestionFormat,
    },
    /// The suite hashes a password (`PSHAx`) but the input has none.
    #[error("the suite needs a password")]
    MissingPassword,
    /// The input has a password the suite does not use.
    #[error("the suite has no password, but one was given")]
    UnexpectedPassword,
    /// A pre-hashed password whose length is not that of the suite's password hash.
    #[error("the password hash has {actual} bytes; the suite's hash has {expected}")]
    PasswordHashLength {
        /// Output length of the suite's password hash.
        expected: usize,
        /// Length of the given hash.
        actual: usize,
    },
    /// The suite has session information (`Snnn`) but the input has none.
    #[error("the suite needs session information")]
    MissingSession,
    /// The input has session information the suite does not use.
    #[error("the suite has no session information, but some was given")]
    UnexpectedSession,
    /// Session information longer than the suite's `nnn` bytes.
    #[error("the session information has {actual} bytes; the suite allows {max}")]
    SessionTooLong {
        /// The suite's session length (`nnn`).
        max: usize,
        /// The given length in bytes.
        actual: usize,
    },
    /// The suite has a timestamp (`TG`) but the input has none.
    #[error("the suite needs a timestamp")]
    MissingTimestamp,
    /// The input has a timestamp the suite does not use.
    #[error("the suite has no timestamp, but one was given")]
    UnexpectedTimestamp,
}
