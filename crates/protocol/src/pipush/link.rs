//! The enrollment link of a privacyIDEA push token, as `create_push_token_url` in
//! privacyIDEA's `lib/tokens/pushtoken.py` writes it (the label and every value through
//! Python's `urllib.parse.quote`, extra parameters appended in the order
//! `enrollment_credential`, `image`, `v`, `serial`, `sslverify`, `poll_only`, `pin`,
//! `app_force_unlock`).

use zeroize::Zeroizing;

use super::PiLinkError;
use crate::uri::MAX_URI_LEN;
use crate::uri::parse::{form_decode, parse_portal_url, percent_decode};

/// The two schemes privacyIDEA writes; `pia` when the `push_use_pia_scheme` policy is set.
const SCHEMES: [&str; 2] = ["otpauth://pipush/", "pia://pipush/"];

/// The only push protocol version there is (`extra_data["v"] = 1`, "this allows to upgrade
/// our crypto"); the privacyIDEA app refuses any other value too.
pub const SUPPORTED_VERSION: &str = "1";

/// The issuer privacyIDEA uses when no `tokenissuer` is configured.
const DEFAULT_ISSUER: &str = "privacyIDEA";

/// The registration window privacyIDEA uses when the `push_ttl` policy is not set, in
/// minutes.
const DEFAULT_TTL_MINUTES: u32 = 10;

/// Parameters of privacyIDEA 3.0–3.7 that carried the Firebase project in the link: a token
/// with them expects Firebase push, which Zweifaktor does not do.
const FIREBASE_PARAMETERS: [&str; 6] = [
    "projectid",
    "projectnumber",
    "appid",
    "appidios",
    "apikey",
    "apikeyios",
];

/// Every parameter name this parser knows; only these appear in errors.
const KNOWN_PARAMETERS: [&str; 11] = [
    "url",
    "ttl",
    "issuer",
    "enrollment_credential",
    "serial",
    "sslverify",
    "v",
    "poll_only",
    "image",
    "pin",
    "app_force_unlock",
];

/// The one-time credential that authorises the second enrollment step (20 random bytes as
/// hex). A secret: wiped on drop, never shown or logged.
pub struct EnrollmentCredential(Zeroizing<String>);

impl EnrollmentCredential {
    /// The credential for the registration request.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for EnrollmentCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EnrollmentCredential(…)")
    }
}

/// A parsed `pipush` link.
#[derive(Debug)]
pub struct PiPushLink {
    /// The token label (privacyIDEA's `tokenlabel`, by default the serial).
    pub label: String,
    /// The issuer (by default `privacyIDEA`).
    pub issuer: String,
    /// The registration and poll URL (`push_registration_url`, usually `…/ttype/push`).
    pub url: String,
    /// Minutes within which the second enrollment step must happen.
    pub ttl_minutes: u32,
    /// The token's serial (`PIPU…`).
    pub serial: String,
    /// The credential for the second step.
    pub enrollment_credential: EnrollmentCredential,
    /// Whether the server asks the phone to verify TLS (`sslverify=1`, the default).
    pub ssl_verify: bool,
}

/// The parameters as found, each at most once.
#[derive(Default)]
struct Params {
    url: Option<String>,
    ttl: Option<String>,
    issuer: Option<String>,
    enrollment_credential: Option<Zeroizing<String>>,
    serial: Option<String>,
    sslverify: Option<String>,
    v: Option<String>,
    poll_only: Option<String>,
}

impl PiPushLink {
    /// Parses a link; checks run in the order of the link's parts.
    pub fn parse(input: &str) -> Result<Self, PiLinkError> {
        if input.len() > MAX_URI_LEN {
            return Err(PiLinkError::TooLong {
                len: input.len(),
                max: MAX_URI_LEN,
            });
        }
        let rest = SCHEMES
            .iter()
            .find_map(|scheme| strip_prefix_ignore_case(input, scheme))
            .ok_or(PiLinkError::WrongScheme)?;
        let (raw_label, query) = rest.split_once('?').unwrap_or((rest, ""));
        let label = percent_decode(raw_label, "label").map_err(PiLinkError::Encoding)?;
        let params = read_params(query)?;

        let version = params
            .v
            .ok_or(PiLinkError::MissingParameter { name: "v" })?;
        if version != SUPPORTED_VERSION {
            return Err(PiLinkError::UnsupportedVersion {
                found: excerpt(&version),
            });
        }
        if let Some(poll_only) = params.poll_only {
            match poll_only.as_str() {
                "True" | "true" | "1" => {}
                "False" | "false" | "0" => return Err(PiLinkError::FirebaseNotSupported),
                other => return Err(invalid("poll_only", other)),
            }
        }
        let url = required(params.url, "url")?;
        let url = parse_portal_url(&url).map_err(|err| match err {
            crate::uri::UriError::InvalidPortalUrl { reason } => PiLinkError::InvalidUrl { reason },
            other => PiLinkError::Encoding(other),
        })?;
        let serial = required(params.serial, "serial")?;
        let enrollment_credential = params
            .enrollment_credential
            .filter(|c| !c.is_empty())
            .ok_or(PiLinkError::MissingParameter {
                name: "enrollment_credential",
            })?;
        let ttl_minutes = match params.ttl {
            None => DEFAULT_TTL_MINUTES,
            Some(text) => parse_ttl(&text)?,
        };
        let ssl_verify = match params.sslverify.as_deref() {
            None | Some("1") => true,
            Some("0") => false,
            Some(other) => return Err(invalid("sslverify", other)),
        };
        let issuer = match params.issuer {
            Some(issuer) if !issuer.is_empty() => issuer,
            _ => DEFAULT_ISSUER.to_owned(),
        };
        let label = if label.is_empty() {
            serial.clone()
        } else {
            label.as_str().to_owned()
        };
        Ok(Self {
            label,
            issuer,
            url,
            ttl_minutes,
            serial,
            enrollment_credential: EnrollmentCredential(enrollment_credential),
            ssl_verify,
        })
    }
}

/// Reads the query, refusing duplicates, bad encodings and Firebase parameters.
fn read_params(query: &str) -> Result<Params, PiLinkError> {
    let mut params = Params::default();
    let mut seen: Vec<String> = Vec::new();
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = form_decode(raw_name, "a parameter name").map_err(PiLinkError::Encoding)?;
        let shown = shown_name(&name);
        if seen.contains(&*name) {
            return Err(PiLinkError::DuplicateParameter { name: shown });
        }
        if FIREBASE_PARAMETERS.contains(&name.as_str()) {
            return Err(PiLinkError::FirebaseNotSupported);
        }
        let value = form_decode(raw_value, shown).map_err(PiLinkError::Encoding)?;
        let plain = || value.as_str().to_owned();
        match name.as_str() {
            "url" => params.url = Some(plain()),
            "ttl" => params.ttl = Some(plain()),
            "issuer" => params.issuer = Some(plain()),
            "serial" => params.serial = Some(plain()),
            "sslverify" => params.sslverify = Some(plain()),
            "v" => params.v = Some(plain()),
            "poll_only" => params.poll_only = Some(plain()),
            "enrollment_credential" => params.enrollment_credential = Some(value),
            _ => {}
        }
        seen.push(name.as_str().to_owned());
    }
    Ok(params)
}

/// A required, non-empty parameter.
fn required(value: Option<String>, name: &'static str) -> Result<String, PiLinkError> {
    value
        .filter(|v| !v.is_empty())
        .ok_or(PiLinkError::MissingParameter { name })
}

/// The registration window in minutes: a positive decimal number.
fn parse_ttl(text: &str) -> Result<u32, PiLinkError> {
    text.parse::<u32>()
        .ok()
        .filter(|minutes| *minutes > 0 && text.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| invalid("ttl", text))
}

/// [`PiLinkError::InvalidValue`] for a non-secret value.
fn invalid(name: &'static str, found: &str) -> PiLinkError {
    PiLinkError::InvalidValue {
        name,
        found: excerpt(found),
    }
}

/// The parameter's name if it is a known one, a placeholder otherwise.
fn shown_name(name: &str) -> &'static str {
    KNOWN_PARAMETERS
        .into_iter()
        .find(|known| *known == name)
        .unwrap_or("an unknown parameter")
}

/// Longest excerpt of a non-secret value kept in an error.
const EXCERPT_CHARS: usize = 32;

/// Shortens a non-secret value for an error.
fn excerpt(text: &str) -> String {
    text.chars().take(EXCERPT_CHARS).collect()
}

/// `input` without `prefix`, compared without regard to ASCII case.
fn strip_prefix_ignore_case<'a>(input: &'a str, prefix: &str) -> Option<&'a str> {
    let head = input.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &input[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A link as privacyIDEA 3.13 writes it for a poll-only token (`create_push_token_url`
    /// with `quote()`, whose safe characters include `/`).
    const LINK: &str = "otpauth://pipush/PIPU0001A2B3?url=https%3A//pi.example.org/ttype/push&ttl=10&issuer=privacyIDEA&enrollment_credential=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b&v=1&serial=PIPU0001A2B3&sslverify=1&poll_only=True";

    fn with(from: &str, to: &str) -> String {
        assert!(LINK.contains(from), "{from}");
        LINK.replacen(from, to, 1)
    }

    #[test]
    fn a_poll_only_link_parses() {
        let link = PiPushLink::parse(LINK).unwrap();
        assert_eq!(link.label, "PIPU0001A2B3");
        assert_eq!(link.issuer, "privacyIDEA");
        assert_eq!(link.url, "https://pi.example.org/ttype/push");
        assert_eq!(link.ttl_minutes, 10);
        assert_eq!(link.serial, "PIPU0001A2B3");
        assert_eq!(
            link.enrollment_credential.expose_secret(),
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"
        );
        assert!(link.ssl_verify);
    }

    #[test]
    fn the_pia_scheme_and_any_letter_case_parse() {
        let pia = with("otpauth://", "pia://");
        assert_eq!(PiPushLink::parse(&pia).unwrap().serial, "PIPU0001A2B3");
        let upper = with("otpauth://pipush/", "OTPAUTH://PIPUSH/");
        assert!(PiPushLink::parse(&upper).is_ok());
    }

    #[test]
    fn a_label_and_issuer_are_percent_decoded() {
        let link = with("pipush/PIPU0001A2B3", "pipush/erika%40example.org")
            .replace("issuer=privacyIDEA", "issuer=Stadtwerke%20M%C3%BCnster");
        let link = PiPushLink::parse(&link).unwrap();
        assert_eq!(link.label, "erika@example.org");
        assert_eq!(link.issuer, "Stadtwerke Münster");
    }

    #[test]
    fn sslverify_zero_is_read() {
        let link = PiPushLink::parse(&with("sslverify=1", "sslverify=0")).unwrap();
        assert!(!link.ssl_verify);
    }

    #[test]
    fn every_missing_required_parameter_is_named() {
        for name in ["url", "serial", "enrollment_credential", "v"] {
            let (base, query) = LINK.split_once('?').unwrap();
            let rest: Vec<&str> = query
                .split('&')
                .filter(|pair| !pair.starts_with(&format!("{name}=")))
                .collect();
            let link = format!("{base}?{}", rest.join("&"));
            assert_eq!(
                PiPushLink::parse(&link).unwrap_err(),
                PiLinkError::MissingParameter { name },
                "{link}"
            );
        }
    }

    #[test]
    fn an_empty_credential_counts_as_missing() {
        let link = with(
            "enrollment_credential=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b",
            "enrollment_credential=",
        );
        assert_eq!(
            PiPushLink::parse(&link).unwrap_err(),
            PiLinkError::MissingParameter {
                name: "enrollment_credential"
            }
        );
    }

    #[test]
    fn a_duplicate_parameter_is_refused() {
        let link = format!("{LINK}&serial=PIPU0009");
        assert_eq!(
            PiPushLink::parse(&link).unwrap_err(),
            PiLinkError::DuplicateParameter { name: "serial" }
        );
    }

    #[test]
    fn another_version_is_refused() {
        assert_eq!(
            PiPushLink::parse(&with("v=1", "v=2")).unwrap_err(),
            PiLinkError::UnsupportedVersion { found: "2".into() }
        );
    }

    #[test]
    fn firebase_tokens_are_not_supported() {
        let firebase = with("poll_only=True", "poll_only=False");
        assert_eq!(
            PiPushLink::parse(&firebase).unwrap_err(),
            PiLinkError::FirebaseNotSupported
        );
        let old = format!("{LINK}&projectid=test-1234&apikey=AIza");
        assert_eq!(
            PiPushLink::parse(&old).unwrap_err(),
            PiLinkError::FirebaseNotSupported
        );
    }

    #[test]
    fn bad_urls_are_refused() {
        for (url, reason) in [
            ("ftp%3A//pi.example.org/", "scheme must be http or https"),
            ("/ttype/push", "not an absolute URL"),
            (
                "https%3A//admin%3Asecret%40pi.example.org/",
                "contains credentials",
            ),
        ] {
            let link = with("https%3A//pi.example.org/ttype/push", url);
            assert_eq!(
                PiPushLink::parse(&link).unwrap_err(),
                PiLinkError::InvalidUrl { reason },
                "{url}"
            );
        }
    }

    #[test]
    fn bad_values_are_refused() {
        for (from, to, name) in [
            ("sslverify=1", "sslverify=yes", "sslverify"),
            ("ttl=10", "ttl=0", "ttl"),
            ("ttl=10", "ttl=-5", "ttl"),
            ("poll_only=True", "poll_only=maybe", "poll_only"),
        ] {
            assert!(
                matches!(
                    PiPushLink::parse(&with(from, to)).unwrap_err(),
                    PiLinkError::InvalidValue { name: n, .. } if n == name
                ),
                "{to}"
            );
        }
    }

    #[test]
    fn other_schemes_and_bad_escapes_are_refused() {
        assert_eq!(
            PiPushLink::parse("otpauth://totp/x?secret=JBSWY3DP").unwrap_err(),
            PiLinkError::WrongScheme
        );
        assert!(matches!(
            PiPushLink::parse(&with("pipush/PIPU0001A2B3", "pipush/%zz")).unwrap_err(),
            PiLinkError::Encoding(_)
        ));
        let long = format!("{LINK}&image={}", "a".repeat(MAX_URI_LEN));
        assert!(matches!(
            PiPushLink::parse(&long).unwrap_err(),
            PiLinkError::TooLong { .. }
        ));
    }

    #[test]
    fn debug_output_hides_the_credential() {
        let text = format!("{:?}", PiPushLink::parse(LINK).unwrap());
        assert!(!text.contains("9f86d081"), "{text}");
    }
}
