//! The data inputs of one OCRA computation (RFC 6287 §5.1), as the caller supplies them.

/// The challenge part of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OcraQuestion<'a> {
    /// One challenge: one-way challenge-response (RFC 6287 §7.1) and signatures (§7.3).
    Single(&'a str),
    /// Two challenges hashed one after the other, for mutual challenge-response (§7.2): the
    /// server answers over client then server challenge, the client over server then client
    /// challenge. Each one may be as long as the suite's `QFxx` allows.
    Pair(&'a str, &'a str),
}

/// The password or PIN part (`PSHAx` in the suite).
///
/// No `Debug`: the plain variant holds the password itself.
pub enum OcraPassword<'a> {
    /// The password itself; it is hashed with the suite's password hash.
    Plain(&'a [u8]),
    /// The password already hashed with the suite's password hash, as a server stores it.
    Hashed(&'a [u8]),
}

/// Everything an OCRA response covers besides the suite and key.
///
/// Exactly the inputs the suite names must be present: a missing one and an extra one are both
/// errors, so a misconfigured caller cannot silently compute a different code. Start from
/// [`OcraInput::new`] and set the rest with struct update syntax:
///
/// ```
/// # use zweifaktor_protocol::otp::{OcraInput, OcraPassword};
/// let input = OcraInput {
///     counter: Some(7),
///     password: Some(OcraPassword::Plain(b"1234")),
///     ..OcraInput::new("12345678")
/// };
/// # let _ = input;
/// ```
pub struct OcraInput<'a> {
    /// The counter `C`, for suites with `C`.
    pub counter: Option<u64>,
    /// The challenge(s) `Q`, written in the suite's format (`A`, `N` or `H`).
    pub question: OcraQuestion<'a>,
    /// The password `P`, for suites with `PSHAx`.
    pub password: Option<OcraPassword<'a>>,
    /// The session information `S`, for suites with `Snnn`: at most `nnn` bytes, padded on
    /// the left with zeros to exactly `nnn` as the RFC 6287 reference implementation does.
    pub session: Option<&'a [u8]>,
    /// The time in Unix seconds, for suites with `TG`; it is divided by the suite's step to
    /// give `T`, the number of steps since 1970-01-01 UTC (§5.1).
    pub timestamp: Option<u64>,
}

impl<'a> OcraInput<'a> {
    /// An input with a single challenge and nothing else.
    pub fn new(question: &'a str) -> Self {
        Self {
            counter: None,
            question: OcraQuestion::Single(question),
            password: None,
            session: None,
            timestamp: None,
        }
    }
}
