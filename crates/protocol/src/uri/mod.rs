//! `otpauth://` enrollment URIs: parse and emit, with Zweifaktor's `zf_` parameters.
//!
//! The format is Google's Key Uri Format as read by Google Authenticator and Aegis:
//! `otpauth://TYPE/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`,
//! plus DESIGN.md's `zf_url`, `zf_enroll` and `zf_key`, which other apps ignore.
//!
//! `TYPE` is `totp`, `hotp` or `steam`. Steam Guard accounts come in two spellings: Aegis's
//! `otpauth://steam/…` (its `GoogleAuthInfo`, which also writes `digits=5`), and KeePassXC's
//! `otpauth://totp/…&encoder=steam` (its `Totp::parseSettings`, tested in `TestTotp.cpp`).
//!
//! # Parsing rules
//! - The length limit [`MAX_URI_LEN`] is checked before anything else.
//! - Scheme and type are case-insensitive. The label is `ISSUER:ACCOUNT` or `ACCOUNT`; the colon
//!   may be written `%3A`, and spaces after it are dropped, as the Key Uri Format allows. The
//!   first colon separates, so an issuer never contains `:` while an account name may.
//! - Parameter values are percent-decoded and `+` means a space (form encoding, as Android's
//!   `Uri.getQueryParameter` reads it); a bad `%XX` or non-UTF-8 result is an error, not
//!   guessed at. Every parameter may appear once. Unknown parameters are ignored, and so are
//!   `period` on an `hotp` URI and `counter` on a `totp` URI.
//! - The secret follows [`Seed::from_base32`]: case and `=` padding are free, spaces are refused.
//!   Any non-empty secret is accepted, as Google Authenticator and Aegis accept them: sites
//!   issue 80-bit secrets, below the 128 bits RFC 4226 §4 asks for. Only a Zweifaktor set-up
//!   link (with `zf_` parameters) must carry at least [`ZWEIFAKTOR_SEED_BYTES`], because the
//!   portal makes every seed that long; a shorter one is not the portal's.
//! - `encoder=steam` on a `totp` URI means Steam; any other encoder is refused, since its codes
//!   could not be shown. A Steam URI may repeat Steam's fixed parameters (`algorithm=SHA1`,
//!   `digits=5`, `period=30`) but not change them.
//!
//! # Round trip
//! [`OtpAuthUri::to_uri_string`] writes every parameter explicitly. Parsing its output gives an
//! equal value whenever the value itself obeys the parsing rules: issuer (if any) non-empty
//! without `:`, account name non-empty, not starting with a space, and containing `:` only
//! when there is an issuer; secret non-empty, and at least [`ZWEIFAKTOR_SEED_BYTES`] long
//! with `zf_` parameters; digits and period in range, or Steam's fixed ones for Steam. Steam is
//! written in Aegis's form, `otpauth://steam/…`, which Aegis reads back.
//!
//! # Layout
//! - [`error`]: [`UriError`], one variant per mistake.
//! - `parse`: reading a URI. `emit`: writing one.

mod emit;
pub mod error;
pub(crate) mod parse;

use std::str::FromStr;

use ed25519_dalek::VerifyingKey;
use zeroize::Zeroizing;

use crate::messages::EnrollToken;
use crate::otp::HashAlgorithm;
use crate::secret::Seed;

pub use error::UriError;

/// Longest URI accepted: 4 KiB. A real enrollment URI is a few hundred bytes, and a QR code
/// holds at most about 3 KiB; anything longer is refused before it is parsed.
pub const MAX_URI_LEN: usize = 4096;

/// Secret length of a Zweifaktor set-up link, in bytes: 160 bits, the HMAC-SHA1 output size
/// RFC 4226 §4 recommends. The portal makes every seed this long, so a set-up link (one with
/// `zf_` parameters) with a shorter secret did not come from a Zweifaktor portal and is
/// refused. Links without `zf_` parameters take any non-empty secret.
pub const ZWEIFAKTOR_SEED_BYTES: usize = 20;

/// Fewest digits accepted: RFC 4226 §5.3 requires at least 6.
pub const MIN_DIGITS: u8 = 6;

/// Most digits accepted: 8 is the largest length authenticators offer, and HOTP's 31-bit
/// truncation (RFC 4226 §5.3) gives little above that.
pub const MAX_DIGITS: u8 = 8;

/// Default number of digits when `digits=` is absent (Key Uri Format, RFC 4226 §5.3).
pub const DEFAULT_DIGITS: u8 = 6;

/// Default time step when `period=` is absent: 30 s, the value RFC 6238 §5.2 recommends.
pub const DEFAULT_PERIOD_SECS: u64 = 30;

/// Longest time step accepted: one hour. RFC 6238 §5.2 argues for short steps because a
/// code stays usable for its whole step; an hour-long code is already close to a static
/// password, and larger values are mistakes or an attempt at codes that never change.
pub const MAX_PERIOD_SECS: u64 = 3600;

/// Time-based, counter-based or Steam, with the parameter that drives the moving factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpKind {
    /// TOTP (RFC 6238) with its time step in seconds.
    Totp {
        /// Time step in seconds.
        period: u64,
    },
    /// HOTP (RFC 4226) with the counter to use next.
    Hotp {
        /// The next counter value.
        counter: u64,
    },
    /// Steam Guard: TOTP with SHA-1 and 30 s steps, shown as five characters
    /// ([`otp::steam`](crate::otp::steam())).
    Steam,
}

/// Zweifaktor's push enrollment: where to register and which portal key to trust.
#[derive(Debug, PartialEq, Eq)]
pub struct PortalEnrollment {
    /// The portal's base URL (http or https), normalized by the WHATWG URL rules, so a bare
    /// host gains a trailing `/`.
    pub portal_url: String,
    /// The one-time token for `POST /api/v1/devices`.
    pub enroll_token: EnrollToken,
    /// The portal's Ed25519 key; challenges signed by any other key are refused.
    pub portal_key: VerifyingKey,
}

/// One `otpauth://` URI: an account's seed and code parameters, and optionally Zweifaktor's
/// push enrollment.
///
/// `Debug` is written by hand and hides the seed; `Clone` is not derived, as for [`Seed`].
#[derive(PartialEq, Eq)]
pub struct OtpAuthUri {
    /// TOTP with period, HOTP with counter, or Steam.
    pub kind: OtpKind,
    /// Who issued the account, e.g. the portal's name.
    pub issuer: Option<String>,
    /// The account, usually the e-mail address.
    pub account_name: String,
    /// The shared secret.
    pub seed: Seed,
    /// The HMAC hash (SHA-1 for Steam).
    pub algorithm: HashAlgorithm,
    /// Code length, 6 to 8 (five characters for Steam).
    pub digits: u8,
    /// Zweifaktor's `zf_` parameters, when present.
    pub zweifaktor: Option<PortalEnrollment>,
}

impl OtpAuthUri {
    /// Parses an `otpauth://` URI; see the module documentation for the rules.
    pub fn parse(input: &str) -> Result<Self, UriError> {
        parse::parse(input)
    }

    /// Writes the URI with every parameter explicit, in DESIGN.md's order. The result holds
    /// the secret, so it is wiped when dropped.
    pub fn to_uri_string(&self) -> Zeroizing<String> {
        emit::emit(self)
    }
}

impl FromStr for OtpAuthUri {
    type Err = UriError;

    fn from_str(input: &str) -> Result<Self, UriError> {
        Self::parse(input)
    }
}

impl std::fmt::Debug for OtpAuthUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OtpAuthUri")
            .field("kind", &self.kind)
            .field("issuer", &self.issuer)
            .field("account_name", &self.account_name)
            .field("seed", &self.seed)
            .field("algorithm", &self.algorithm)
            .field("digits", &self.digits)
            .field("zweifaktor", &self.zweifaktor)
            .finish()
    }
}
