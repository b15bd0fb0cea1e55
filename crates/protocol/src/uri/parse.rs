//! Reading an `otpauth://` URI into an [`OtpAuthUri`].

use percent_encoding::percent_decode_str;
use zeroize::Zeroizing;

use super::error::excerpt;
use super::{
    DEFAULT_DIGITS, DEFAULT_PERIOD_SECS, MAX_DIGITS, MAX_PERIOD_SECS, MAX_URI_LEN, MIN_DIGITS,
    OtpAuthUri, OtpKind, PortalEnrollment, UriError, ZWEIFAKTOR_SEED_BYTES,
};
use crate::envelope::decode_public_key;
use crate::messages::EnrollToken;
use crate::otp::{HashAlgorithm, STEAM_CODE_LEN, STEAM_PERIOD_SECS};
use crate::secret::Seed;

/// The scheme and authority separator every URI starts with.
const SCHEME: &str = "otpauth://";

/// The value of KeePassXC's `encoder=` parameter that marks a Steam account.
const STEAM_ENCODER: &str = "steam";

/// The three types after `otpauth://`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UriType {
    Totp,
    Hotp,
    Steam,
}

/// Names of the parameters this parser reads; only these names appear in errors, since an
/// unknown "name" could be a secret pasted in the wrong place.
const KNOWN_PARAMETERS: [&str; 10] = [
    "secret",
    "issuer",
    "algorithm",
    "digits",
    "period",
    "counter",
    "encoder",
    "zf_url",
    "zf_enroll",
    "zf_key",
];

/// The known parameters, each read at most once. Secret-bearing values are wiped on drop.
#[derive(Default)]
struct Params {
    secret: Option<Zeroizing<String>>,
    issuer: Option<String>,
    algorithm: Option<String>,
    digits: Option<String>,
    period: Option<String>,
    counter: Option<String>,
    encoder: Option<String>,
    zf_url: Option<String>,
    zf_enroll: Option<Zeroizing<String>>,
    zf_key: Option<String>,
}

/// Parses a whole URI; checks run in the order of the URI's parts.
pub(super) fn parse(input: &str) -> Result<OtpAuthUri, UriError> {
    if input.len() > MAX_URI_LEN {
        return Err(UriError::TooLong {
            len: input.len(),
            max: MAX_URI_LEN,
        });
    }
    let rest = strip_prefix_ignore_case(input, SCHEME).ok_or(UriError::WrongScheme)?;
    let type_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (type_text, rest) = rest.split_at(type_end);
    let uri_type = [
        ("totp", UriType::Totp),
        ("hotp", UriType::Hotp),
        ("steam", UriType::Steam),
    ]
    .into_iter()
    .find(|(name, _)| type_text.eq_ignore_ascii_case(name))
    .map(|(_, uri_type)| uri_type)
    .ok_or_else(|| UriError::UnknownType {
        found: excerpt(type_text),
    })?;
    let (raw_label, query) = match rest.split_once('?') {
        Some((path, query)) => (path, query),
        None => (rest, ""),
    };
    let raw_label = raw_label.strip_prefix('/').unwrap_or(raw_label);
    let (label_issuer, account_name) = parse_label(raw_label)?;
    let params = read_params(query)?;

    let seed = parse_secret(params.secret.as_ref().map(|s| s.as_str()))?;
    let issuer = merge_issuer(label_issuer, params.issuer)?;
    let algorithm = match &params.algorithm {
        None => HashAlgorithm::Sha1,
        Some(text) => text
            .parse::<HashAlgorithm>()
            .map_err(|_| UriError::UnknownAlgorithm {
                found: excerpt(text),
            })?,
    };
    let (kind, algorithm, digits) = match steam_or(uri_type, params.encoder.as_deref())? {
        UriType::Steam => {
            check_steam(
                params.digits.as_deref(),
                params.period.as_deref(),
                algorithm,
            )?;
            (OtpKind::Steam, HashAlgorithm::Sha1, STEAM_CODE_LEN)
        }
        UriType::Totp => {
            let period = parse_period(params.period.as_deref())?;
            let digits = parse_digits(params.digits.as_deref())?;
            (OtpKind::Totp { period }, algorithm, digits)
        }
        UriType::Hotp => {
            let digits = parse_digits(params.digits.as_deref())?;
            let text = params.counter.ok_or(UriError::MissingCounter)?;
            let counter = parse_number(&text).ok_or_else(|| UriError::CounterNotANumber {
                found: excerpt(&text),
            })?;
            (OtpKind::Hotp { counter }, algorithm, digits)
        }
    };
    let zweifaktor = parse_enrollment(params.zf_url, params.zf_enroll, params.zf_key)?;
    if zweifaktor.is_some() && seed.len() < ZWEIFAKTOR_SEED_BYTES {
        return Err(UriError::SecretTooShort {
            bits: seed.len() * 8,
            min_bits: ZWEIFAKTOR_SEED_BYTES * 8,
        });
    }
    Ok(OtpAuthUri {
        kind,
        issuer,
        account_name,
        seed,
        algorithm,
        digits,
        zweifaktor,
    })
}

/// The type the URI means once KeePassXC's `encoder=steam` is taken into account.
fn steam_or(uri_type: UriType, encoder: Option<&str>) -> Result<UriType, UriError> {
    match encoder {
        None => Ok(uri_type),
        Some(encoder) if encoder.eq_ignore_ascii_case(STEAM_ENCODER) => match uri_type {
            UriType::Totp | UriType::Steam => Ok(UriType::Steam),
            UriType::Hotp => Err(UriError::SteamNotTimeBased),
        },
        Some(encoder) => Err(UriError::UnknownEncoder {
            found: excerpt(encoder),
        }),
    }
}

/// A Steam URI may spell out Steam's fixed parameters, as Aegis and KeePassXC write them, but
/// not change them: other values would show codes Steam does not accept.
fn check_steam(
    digits: Option<&str>,
    period: Option<&str>,
    algorithm: HashAlgorithm,
) -> Result<(), UriError> {
    if algorithm != HashAlgorithm::Sha1 {
        return Err(UriError::SteamParameter { name: "algorithm" });
    }
    let fixed = |value: Option<&str>, expected: u64| {
        value.is_none_or(|text| parse_number(text) == Some(expected))
    };
    if !fixed(digits, u64::from(STEAM_CODE_LEN)) {
        return Err(UriError::SteamParameter { name: "digits" });
    }
    if !fixed(period, STEAM_PERIOD_SECS) {
        return Err(UriError::SteamParameter { name: "period" });
    }
    Ok(())
}

/// `input` without `prefix`, compared ignoring ASCII case.
fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &input[prefix.len()..])
}

/// Splits the decoded label into issuer prefix and account name.
fn parse_label(raw: &str) -> Result<(Option<String>, String), UriError> {
    let label = percent_decode(raw, "label")?;
    let (issuer, account) = match label.split_once(':') {
        Some((issuer, account)) => {
            if issuer.is_empty() {
                return Err(UriError::EmptyIssuer);
            }
            (Some(issuer.to_owned()), account.trim_start_matches(' '))
        }
        None => (None, label.as_str()),
    };
    if account.is_empty() {
        return Err(UriError::EmptyAccountName);
    }
    Ok((issuer, account.to_owned()))
}

/// Reads the query string, refusing duplicates and bad encodings.
fn read_params(query: &str) -> Result<Params, UriError> {
    let mut params = Params::default();
    let mut seen: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = form_decode(raw_name, "a parameter name")?;
        let shown = shown_name(&name);
        if seen.contains(&*name) {
            return Err(UriError::DuplicateParameter {
                name: shown.to_owned(),
            });
        }
        let value = form_decode(raw_value, shown)?;
        match name.as_str() {
            "secret" => params.secret = Some(value),
            "issuer" => params.issuer = Some(value.as_str().to_owned()),
            "algorithm" => params.algorithm = Some(value.as_str().to_owned()),
            "digits" => params.digits = Some(value.as_str().to_owned()),
            "period" => params.period = Some(value.as_str().to_owned()),
            "counter" => params.counter = Some(value.as_str().to_owned()),
            "encoder" => params.encoder = Some(value.as_str().to_owned()),
            "zf_url" => params.zf_url = Some(value.as_str().to_owned()),
            "zf_enroll" => params.zf_enroll = Some(value),
            "zf_key" => params.zf_key = Some(value.as_str().to_owned()),
            _ => {}
        }
        seen.push(name.as_str().to_owned());
    }
    Ok(params)
}

/// The parameter's name if it is a known one, a placeholder otherwise.
fn shown_name(name: &str) -> &'static str {
    KNOWN_PARAMETERS
        .into_iter()
        .find(|known| *known == name)
        .unwrap_or("an unknown parameter")
}

/// Decodes a query component: `+` is a space, then percent-decoding.
pub(crate) fn form_decode(raw: &str, part: &str) -> Result<Zeroizing<String>, UriError> {
    let spaced = Zeroizing::new(raw.replace('+', " "));
    percent_decode(&spaced, part)
}

/// Percent-decodes strictly: every `%` must start a two-digit hex escape, and the result must
/// be UTF-8. The decoded text may hold a secret, so it is wiped on drop.
pub(crate) fn percent_decode(raw: &str, part: &str) -> Result<Zeroizing<String>, UriError> {
    let bytes = raw.as_bytes();
    let bad_escape = bytes.iter().enumerate().any(|(i, b)| {
        *b == b'%'
            && !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if bad_escape {
        return Err(UriError::InvalidPercentEscape {
            part: excerpt(part),
        });
    }
    // Sized up front so that growing never leaves a stray copy of a secret behind.
    let mut decoded = Zeroizing::new(Vec::with_capacity(raw.len()));
    decoded.extend(percent_decode_str(raw));
    let text = std::str::from_utf8(&decoded).map_err(|_| UriError::InvalidUtf8 {
        part: excerpt(part),
    })?;
    Ok(Zeroizing::new(text.to_owned()))
}

/// Decodes the base32 secret, which must not be empty (nor padding alone).
fn parse_secret(text: Option<&str>) -> Result<Seed, UriError> {
    let text = text
        .filter(|t| !t.is_empty())
        .ok_or(UriError::MissingSecret)?;
    let seed = Seed::from_base32(text).map_err(UriError::InvalidSecret)?;
    if seed.is_empty() {
        return Err(UriError::MissingSecret);
    }
    Ok(seed)
}

/// Combines the label's issuer prefix with the `issuer=` parameter; they must agree.
fn merge_issuer(
    label: Option<String>,
    parameter: Option<String>,
) -> Result<Option<String>, UriError> {
    match (label, parameter) {
        (_, Some(parameter)) if parameter.is_empty() => Err(UriError::EmptyIssuer),
        (Some(label), Some(parameter)) if label != parameter => {
            Err(UriError::IssuerMismatch { label, parameter })
        }
        (label, parameter) => Ok(parameter.or(label)),
    }
}

/// Reads `digits=`, defaulting to [`DEFAULT_DIGITS`].
fn parse_digits(text: Option<&str>) -> Result<u8, UriError> {
    let Some(text) = text else {
        return Ok(DEFAULT_DIGITS);
    };
    let digits = parse_number(text).ok_or_else(|| UriError::DigitsNotANumber {
        found: excerpt(text),
    })?;
    u8::try_from(digits)
        .ok()
        .filter(|d| (MIN_DIGITS..=MAX_DIGITS).contains(d))
        .ok_or(UriError::DigitsOutOfRange { digits })
}

/// Reads `period=`, defaulting to [`DEFAULT_PERIOD_SECS`].
fn parse_period(text: Option<&str>) -> Result<u64, UriError> {
    let Some(text) = text else {
        return Ok(DEFAULT_PERIOD_SECS);
    };
    let period = parse_number(text).ok_or_else(|| UriError::PeriodNotANumber {
        found: excerpt(text),
    })?;
    if !(1..=MAX_PERIOD_SECS).contains(&period) {
        return Err(UriError::PeriodOutOfRange { period });
    }
    Ok(period)
}

/// A plain decimal number: ASCII digits only, no sign, fits 64 bits.
fn parse_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Validates the three `zf_` parameters, which come together or not at all.
fn parse_enrollment(
    url: Option<String>,
    token: Option<Zeroizing<String>>,
    key: Option<String>,
) -> Result<Option<PortalEnrollment>, UriError> {
    let (url, token, key) = match (url, token, key) {
        (None, None, None) => return Ok(None),
        (Some(url), Some(token), Some(key)) => (url, token, key),
        (None, _, _) => return Err(UriError::PartialPortalEnrollment { missing: "zf_url" }),
        (_, None, _) => {
            return Err(UriError::PartialPortalEnrollment {
                missing: "zf_enroll",
            });
        }
        (_, _, None) => return Err(UriError::PartialPortalEnrollment { missing: "zf_key" }),
    };
    let portal_url = parse_portal_url(&url)?;
    if token.is_empty() {
        return Err(UriError::EmptyEnrollToken);
    }
    let portal_key = decode_public_key(&key).map_err(UriError::InvalidPortalKey)?;
    Ok(Some(PortalEnrollment {
        portal_url,
        enroll_token: EnrollToken::new(token.as_str().to_owned()),
        portal_key,
    }))
}

/// Accepts an absolute http(s) base URL with a host, no credentials, query or fragment.
pub(crate) fn parse_portal_url(text: &str) -> Result<String, UriError> {
    let invalid = |reason| UriError::InvalidPortalUrl { reason };
    let url = url::Url::parse(text).map_err(|_| invalid("not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("scheme must be http or https"));
    }
    if url.host().is_none() {
        return Err(invalid("no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("contains credentials"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("has a query or fragment"));
    }
    Ok(url.into())
}
