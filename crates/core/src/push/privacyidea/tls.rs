//! When a privacyIDEA push token may talk to its server without verifying TLS: the rule for
//! the link's `sslverify=0`, in one place.
//!
//! privacyIDEA lets an administrator turn verification off (`push_ssl_verify=0`), typically
//! for a test server with a self-signed certificate. Accepting that for any server would let
//! anyone on the network pose as it during enrollment and pin their own key, so Zweifaktor
//! accepts it only where there is no network in between (a loopback address) or no TLS at all
//! (plain `http`, which the preview warns about anyway).

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::push::PushError;

/// How the server's TLS certificate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// The certificate is verified against the system's roots (the default).
    Verify,
    /// Not verified: only for loopback hosts or plain http (see [`tls_mode`]).
    Unverified,
}

/// What the add-account preview warns about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsWarning {
    /// The server is reached over plain `http`: nothing is encrypted.
    PlainHttp,
    /// The server's certificate is not checked (`sslverify=0` on this machine).
    NotVerified,
}

/// The TLS mode for `url` when the link says `ssl_verify`; refuses `sslverify=0` for an
/// `https` server that is not on a loopback address.
pub fn tls_mode(url: &url::Url, ssl_verify: bool) -> Result<TlsMode, PushError> {
    if ssl_verify {
        return Ok(TlsMode::Verify);
    }
    if url.scheme() == "http" || is_loopback(url) {
        return Ok(TlsMode::Unverified);
    }
    Err(PushError::InsecureTls {
        host: url.host_str().unwrap_or_default().to_owned(),
    })
}

/// The warning to show for `url` in `mode`, if any.
pub fn tls_warning(url: &url::Url, mode: TlsMode) -> Option<TlsWarning> {
    if url.scheme() == "http" {
        Some(TlsWarning::PlainHttp)
    } else if mode == TlsMode::Unverified {
        Some(TlsWarning::NotVerified)
    } else {
        None
    }
}

/// Whether `url`'s host is this machine: `localhost` or a loopback address.
fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> url::Url {
        url::Url::parse(text).unwrap()
    }

    #[test]
    fn verification_stays_on_when_the_link_asks_for_it() {
        let https = url("https://pi.example.org/ttype/push");
        assert_eq!(tls_mode(&https, true).unwrap(), TlsMode::Verify);
        assert_eq!(tls_warning(&https, TlsMode::Verify), None);
    }

    #[test]
    fn sslverify_zero_is_accepted_on_loopback_and_plain_http_with_a_warning() {
        for (text, warning) in [
            ("https://127.0.0.1:5000/ttype/push", TlsWarning::NotVerified),
            ("https://[::1]/ttype/push", TlsWarning::NotVerified),
            ("https://localhost/ttype/push", TlsWarning::NotVerified),
            ("http://pi.example.org/ttype/push", TlsWarning::PlainHttp),
        ] {
            let u = url(text);
            let mode = tls_mode(&u, false).unwrap();
            assert_eq!(mode, TlsMode::Unverified, "{text}");
            assert_eq!(tls_warning(&u, mode), Some(warning), "{text}");
        }
    }

    #[test]
    fn sslverify_zero_is_refused_for_a_server_on_the_network() {
        for text in [
            "https://pi.example.org/ttype/push",
            "https://10.0.0.5/ttype/push",
            "https://localhost.example.org/",
        ] {
            assert!(
                matches!(
                    tls_mode(&url(text), false),
                    Err(PushError::InsecureTls { .. })
                ),
                "{text}"
            );
        }
    }
}
