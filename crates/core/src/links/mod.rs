//! Links the operating system hands to the app (a tapped `otpauth://` link, a second start of
//! the desktop app with a link as its argument): which ones the app opens, and the one that
//! waits until the vault is unlocked.
//!
//! The app opens three schemes ([`SCHEMES`]): `otpauth` (the Key URI Format of Google
//! Authenticator's wiki, which also carries Zweifaktor set-up links and privacyIDEA's push
//! tokens, `otpauth://pipush/…`), `otpauth-migration` (Google Authenticator's transfer links)
//! and `pia` (privacyIDEA's own scheme, `pia://container/…` in privacyIDEA's container
//! registration). Reading a link here only sorts it by scheme and bounds its size; what it
//! means, and whether it is valid, is decided by the add flow once the user sees its preview
//! ([`Authenticator::preview_link`](crate::Authenticator::preview_link), the importers).
//!
//! # Layout
//! - [`IncomingLink`], [`LinkKind`], [`LinkError`]: one link as it arrived, sorted by scheme.
//! - [`LinkInbox`]: the one arrival kept until the app can show it.

mod inbox;

use zeroize::Zeroizing;
use zweifaktor_protocol::uri::MAX_URI_LEN;

pub use inbox::LinkInbox;

/// Longest link read: the set-up link's own limit ([`MAX_URI_LEN`], 4 KiB, above the
/// capacity of a QR code). Longer input is refused before anything else is looked at, so a
/// hostile link costs one length check and is never kept.
pub const MAX_LINK_BYTES: usize = MAX_URI_LEN;

/// The URI schemes the app registers for on every platform (Android intent filters, the iOS
/// URL types, the desktop's scheme handlers in `src-tauri/tauri.conf.json`), each with the
/// kind of link it carries.
pub const SCHEMES: [(&str, LinkKind); 3] = [
    ("otpauth", LinkKind::OtpAuth),
    ("otpauth-migration", LinkKind::Transfer),
    ("pia", LinkKind::PrivacyIdea),
];

/// What a link is, by its scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// `otpauth://`: one account (TOTP, HOTP, Steam, a Zweifaktor or privacyIDEA push set-up).
    OtpAuth,
    /// `otpauth-migration://`: Google Authenticator's transfer of several accounts.
    Transfer,
    /// `pia://`: privacyIDEA's own scheme.
    PrivacyIdea,
}

impl LinkKind {
    /// The scheme, as a name for logs (which never hold the link itself).
    pub fn scheme(self) -> &'static str {
        SCHEMES
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("", |(scheme, _)| scheme)
    }
}

/// Why a link is not opened. Carries no part of the link, so it may be logged and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    /// Longer than [`MAX_LINK_BYTES`]; nothing else was looked at.
    #[error("the link is longer than {max} bytes")]
    TooLong {
        /// The limit.
        max: usize,
    },
    /// No URI scheme in front (RFC 3986 §3.1): not a link at all.
    #[error("this is not a link")]
    NotALink,
    /// A link of a scheme the app does not open (`https:`, `mailto:`, …).
    #[error("the app does not open links of this scheme")]
    NotOurs,
    /// One of the app's schemes, but not followed by `//` or holding control characters.
    #[error("the link is incomplete or damaged")]
    Malformed,
}

/// A link that arrived from outside the app, sorted by its scheme and kept as given. No
/// `Debug`, no `Clone`: an `otpauth://` link holds a seed, and is wiped when dropped.
pub struct IncomingLink {
    kind: LinkKind,
    uri: Zeroizing<String>,
}

impl IncomingLink {
    /// Reads `raw` (surrounding white space ignored).
    ///
    /// # Errors
    /// [`LinkError::TooLong`] first, then [`LinkError::NotALink`] without a scheme,
    /// [`LinkError::NotOurs`] for other schemes and [`LinkError::Malformed`] for one of
    /// [`SCHEMES`] without `//` after it or with control characters in it.
    pub fn read(raw: &str) -> Result<Self, LinkError> {
        if raw.len() > MAX_LINK_BYTES {
            return Err(LinkError::TooLong {
                max: MAX_LINK_BYTES,
            });
        }
        let text = raw.trim();
        let (scheme, rest) = text.split_once(':').ok_or(LinkError::NotALink)?;
        if !is_scheme(scheme) {
            return Err(LinkError::NotALink);
        }
        let kind = SCHEMES
            .iter()
            .find(|(name, _)| scheme.eq_ignore_ascii_case(name))
            .map(|(_, kind)| *kind)
            .ok_or(LinkError::NotOurs)?;
        if !rest.starts_with("//") || text.chars().any(char::is_control) {
            return Err(LinkError::Malformed);
        }
        Ok(Self {
            kind,
            uri: Zeroizing::new(text.to_owned()),
        })
    }

    /// What the link is.
    pub fn kind(&self) -> LinkKind {
        self.kind
    }

    /// The link, for the add flow.
    pub fn into_uri(self) -> Zeroizing<String> {
        self.uri
    }
}

/// Whether `text` is a URI scheme: a letter, then letters, digits, `+`, `-` or `.`
/// (RFC 3986 §3.1).
fn is_scheme(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|first| first.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B's SHA-1 seed in base 32, in a link of the Key URI Format.
    const TOTP_LINK: &str =
        "otpauth://totp/ACME:erika@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=ACME";

    fn refusal(raw: &str) -> LinkError {
        IncomingLink::read(raw).err().expect("refused")
    }

    #[test]
    fn each_of_the_apps_schemes_is_read_with_its_kind() {
        let cases = [
            (TOTP_LINK, LinkKind::OtpAuth),
            (
                "otpauth://pipush/PIPU0001?url=https://pi.example.org/ttype/push&serial=PIPU0001&v=1",
                LinkKind::OtpAuth,
            ),
            (
                "otpauth-migration://offline?data=CgA%3D",
                LinkKind::Transfer,
            ),
            (
                "pia://container/SMPH0001?issuer=privacyIDEA&serial=SMPH0001",
                LinkKind::PrivacyIdea,
            ),
        ];
        for (raw, kind) in cases {
            let Ok(link) = IncomingLink::read(raw) else {
                panic!("{raw} refused");
            };
            assert_eq!(link.kind(), kind, "{raw}");
            assert_eq!(link.into_uri().as_str(), raw);
        }
    }

    /// RFC 3986 §3.1: schemes are case-insensitive; the link is kept as given.
    #[test]
    fn schemes_are_matched_without_regard_to_case_and_white_space_is_dropped() {
        let link = IncomingLink::read("  OTPAuth://totp/x?secret=AA\n")
            .ok()
            .unwrap();
        assert_eq!(link.kind(), LinkKind::OtpAuth);
        assert_eq!(link.into_uri().as_str(), "OTPAuth://totp/x?secret=AA");
    }

    #[test]
    fn other_schemes_are_not_ours() {
        for raw in [
            "https://example.org/otpauth://totp/x",
            "mailto:erika@example.org",
            "otpauth-x://totp/x",
            "otpauthmigration://offline",
        ] {
            assert_eq!(refusal(raw), LinkError::NotOurs, "{raw}");
        }
    }

    #[test]
    fn text_without_a_scheme_is_not_a_link() {
        for raw in [
            "",
            "--help",
            "GEZDGNBVGY3TQOJQ",
            "://totp/x",
            "1otpauth://x",
            "o p:x",
        ] {
            assert_eq!(refusal(raw), LinkError::NotALink, "{raw:?}");
        }
    }

    #[test]
    fn our_scheme_without_slashes_or_with_control_characters_is_malformed() {
        for raw in [
            "otpauth:totp/x?secret=AA",
            "otpauth:",
            "pia:/container",
            "otpauth://totp/x?secret=AA\u{0}&issuer=x",
            "otpauth://totp/x\r\nsecret=AA",
        ] {
            assert_eq!(refusal(raw), LinkError::Malformed, "{raw:?}");
        }
    }

    /// Regression guard for the cost bound: the length is checked before anything else, at
    /// exactly the set-up link's limit.
    #[test]
    fn a_link_beyond_the_limit_is_refused_before_it_is_looked_at() {
        let fits = format!(
            "otpauth://totp/x?secret={}",
            "A".repeat(MAX_LINK_BYTES - 24)
        );
        assert_eq!(fits.len(), MAX_LINK_BYTES);
        assert!(IncomingLink::read(&fits).is_ok());
        let too_long = format!("{fits}A");
        assert_eq!(
            refusal(&too_long),
            LinkError::TooLong {
                max: MAX_LINK_BYTES
            }
        );
        assert_eq!(
            refusal(&"\u{1}".repeat(MAX_LINK_BYTES + 1)),
            LinkError::TooLong {
                max: MAX_LINK_BYTES
            }
        );
    }

    #[test]
    fn every_kind_names_its_scheme() {
        for (scheme, kind) in SCHEMES {
            assert_eq!(kind.scheme(), scheme);
        }
    }
}
