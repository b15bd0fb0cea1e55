//! Google Authenticator's `MigrationPayload`, the Protocol Buffers message inside a transfer QR
//! code, written as `prost` structs.
//!
//! Google has not published the schema. These structs follow the reverse-engineered
//! `google_auth.proto` that Aegis ships (beemdevelopment/Aegis,
//! `app/src/main/proto/google_auth.proto`) and that dim13/otpauth's `migration/migration.proto`
//! agrees with: field numbers, wire types and enum values are the same in both. The counter is
//! read as `uint64`, as dim13/otpauth does: on the wire an `int64` and a `uint64` are the same
//! varint, and a HOTP counter is never negative.
//!
//! Enum fields are kept as raw `i32`s so that values from newer versions (or hostile files)
//! reach the importer, which lists such entries as unsupported instead of failing the batch.

use std::fmt;

use zeroize::Zeroize;

/// `MigrationPayload`: the accounts of one QR code and where the code sits in its batch.
#[derive(prost::Message)]
#[prost(skip_debug)]
pub(crate) struct MigrationPayload {
    /// The accounts in this code.
    #[prost(message, repeated, tag = "1")]
    pub otp_parameters: Vec<OtpParameters>,
    /// Format version; Google Authenticator writes 1.
    #[prost(int32, tag = "2")]
    pub version: i32,
    /// How many codes the batch has.
    #[prost(int32, tag = "3")]
    pub batch_size: i32,
    /// This code's place in the batch, from 0.
    #[prost(int32, tag = "4")]
    pub batch_index: i32,
    /// Random id shared by the codes of one batch.
    #[prost(int32, tag = "5")]
    pub batch_id: i32,
}

/// `MigrationPayload.OtpParameters`: one account. Its secret is wiped on drop, and `Debug`
/// leaves it out.
#[derive(prost::Message)]
#[prost(skip_debug)]
pub(crate) struct OtpParameters {
    /// The raw secret bytes (not base32).
    #[prost(bytes = "vec", tag = "1")]
    pub secret: Vec<u8>,
    /// The account name, often written `ISSUER:NAME`.
    #[prost(string, tag = "2")]
    pub name: String,
    /// The issuer, possibly empty.
    #[prost(string, tag = "3")]
    pub issuer: String,
    /// [`Algorithm`] as its number.
    #[prost(int32, tag = "4")]
    pub algorithm: i32,
    /// [`DigitCount`] as its number.
    #[prost(int32, tag = "5")]
    pub digits: i32,
    /// [`OtpType`] as its number.
    #[prost(int32, tag = "6")]
    pub r#type: i32,
    /// The HOTP counter.
    #[prost(uint64, tag = "7")]
    pub counter: u64,
}

impl Drop for OtpParameters {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for OtpParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OtpParameters")
            .field(
                "secret",
                &format_args!("{} bytes, redacted", self.secret.len()),
            )
            .field("name", &self.name)
            .field("issuer", &self.issuer)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("type", &self.r#type)
            .field("counter", &self.counter)
            .finish()
    }
}

impl fmt::Debug for MigrationPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MigrationPayload")
            .field("otp_parameters", &self.otp_parameters)
            .field("version", &self.version)
            .field("batch_size", &self.batch_size)
            .field("batch_index", &self.batch_index)
            .field("batch_id", &self.batch_id)
            .finish()
    }
}

/// `MigrationPayload.Algorithm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, prost::Enumeration)]
#[repr(i32)]
pub(crate) enum Algorithm {
    /// Not given: SHA-1, the default of every authenticator.
    Unspecified = 0,
    /// HMAC-SHA1.
    Sha1 = 1,
    /// HMAC-SHA256.
    Sha256 = 2,
    /// HMAC-SHA512.
    Sha512 = 3,
    /// HMAC-MD5, which Zweifaktor does not compute.
    Md5 = 4,
}

/// `MigrationPayload.DigitCount`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, prost::Enumeration)]
#[repr(i32)]
pub(crate) enum DigitCount {
    /// Not given: six digits.
    Unspecified = 0,
    /// Six digits.
    Six = 1,
    /// Eight digits.
    Eight = 2,
}

/// `MigrationPayload.OtpType`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, prost::Enumeration)]
#[repr(i32)]
pub(crate) enum OtpType {
    /// Not given; Google Authenticator always sets the type.
    Unspecified = 0,
    /// Counter-based.
    Hotp = 1,
    /// Time-based, always 30-second steps in this format.
    Totp = 2,
}
