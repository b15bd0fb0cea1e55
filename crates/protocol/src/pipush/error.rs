//! Everything that can be wrong with a privacyIDEA push link, key, signature or answer.
//!
//! Details carried here are never secret: parameter names, lengths and short excerpts of
//! non-secret values. The enrollment credential never appears.

use thiserror::Error;

use crate::uri::UriError;

/// Why a `pipush` link was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PiLinkError {
    /// The link is longer than [`MAX_URI_LEN`](crate::uri::MAX_URI_LEN).
    #[error("link of {len} bytes exceeds the limit of {max}")]
    TooLong {
        /// The input's length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The link starts neither with `otpauth://pipush/` nor with `pia://pipush/`.
    #[error("not a privacyIDEA push link (otpauth://pipush/ or pia://pipush/)")]
    WrongScheme,
    /// A part of the link is not valid percent-encoded UTF-8.
    #[error("invalid encoding in the link")]
    Encoding(#[source] UriError),
    /// A parameter privacyIDEA always sends is missing or empty.
    #[error("parameter {name} is missing")]
    MissingParameter {
        /// The parameter's name.
        name: &'static str,
    },
    /// A parameter appears more than once, so which one counts would be a guess.
    #[error("parameter {name} appears more than once")]
    DuplicateParameter {
        /// The parameter's name if it is a known one, else `an unknown parameter`.
        name: &'static str,
    },
    /// A parameter has a value outside what privacyIDEA writes.
    #[error("parameter {name} has an invalid value `{found}`")]
    InvalidValue {
        /// The parameter's name.
        name: &'static str,
        /// The value as found (shortened).
        found: String,
    },
    /// The registration URL is not an absolute http(s) URL with a host.
    #[error("registration URL is invalid: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The link names a version of privacyIDEA's push protocol other than 1.
    #[error("push protocol version `{found}` is not supported (only version 1)")]
    UnsupportedVersion {
        /// The version as found (shortened).
        found: String,
    },
    /// The token is set up for Firebase push (old servers put the Firebase project into the
    /// link; newer ones say `poll_only=False`). Zweifaktor only polls.
    #[error("privacyIDEA push over Firebase is not supported; ask for a poll-only push token")]
    FirebaseNotSupported,
}

/// Why a key could not be made, read or used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PiKeyError {
    /// Key generation failed in the crypto library.
    #[error("RSA key generation failed")]
    Generate,
    /// The stored device key is not a PKCS#8 RSA private key.
    #[error("the device key is not a valid RSA private key")]
    InvalidDeviceKey,
    /// The server's key is not base64 DER of an RSA public key of 2048 to 8192 bits.
    #[error("the server's public key is not a valid RSA public key")]
    InvalidServerKey,
    /// Signing failed in the crypto library.
    #[error("signing failed")]
    Sign,
}

/// Why a server signature was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PiSignatureError {
    /// The signature is not base32.
    #[error("signature is not base32")]
    Encoding,
    /// The signature does not verify with the pinned server key over the signed string.
    #[error("signature does not verify with the pinned server key")]
    Mismatch,
    /// The signed capabilities are not JSON that can be put in canonical form (RFC 8785).
    #[error("signed capabilities are not canonical JSON")]
    Capabilities,
    /// The challenge is for another token than the one polled.
    #[error("challenge is for another token")]
    WrongSerial,
}

/// Why an answer of `/ttype/push` could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PiResponseError {
    /// The body is not the JSON privacyIDEA sends.
    #[error("answer of the privacyIDEA server is malformed")]
    Malformed,
    /// The server reported an error (`result.status` false).
    #[error("the privacyIDEA server refused the request (error {code})")]
    Refused {
        /// privacyIDEA's error code (`result.error.code`), 0 if none was given.
        code: i64,
    },
    /// The enrollment answer carries no usable server key.
    #[error("the enrollment answer carries no usable server key")]
    ServerKey(#[source] PiKeyError),
}
