//! The client address behind reverse proxies, from `X-Forwarded-For`.
//!
//! Every proxy appends the address it received the request from, so the list reads
//! left-to-right from the (claimed) client to the last proxy, and only the entries that
//! trusted proxies appended are facts: anything further left was sent by the client and may
//! be made up. A client may also send `X-Forwarded-For` itself, as a line of its own that the
//! proxy keeps in front of the line it adds; reading only the first line took the client's
//! invention as its address and let it pick a fresh rate-limit key per request (issue 9,
//! finding 4). So all lines are read as one list (RFC 9110 §5.3: several lines of a field
//! are one comma-separated list, in order), and the list is walked from the right: the
//! direct peer, then each entry, skipping trusted proxies; the first address that is not a
//! trusted proxy is the client.
//!
//! Trust comes from two settings: `--trust-forwarded-for` trusts the direct peer as one
//! proxy whatever its address (the portal behind a single proxy on the same host), and
//! `--trusted-proxy CIDR` trusts every address in those ranges, at any position. Without
//! either, or when the direct peer is not trusted, the header is ignored. An entry that is
//! not an address stops the walk: the client is then the last address a trusted hop vouched
//! for, never a fresh key of the client's choosing.

use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The header read; `Forwarded` (RFC 7239) is not, since common proxies set this one.
pub const HEADER: &str = "x-forwarded-for";

/// Which hops may speak for the client.
#[derive(Debug, Clone, Copy)]
pub struct ProxyTrust<'a> {
    /// Trust the direct peer as one proxy, whatever its address.
    pub trust_peer: bool,
    /// Address ranges of trusted proxies.
    pub trusted: &'a [IpNet],
}

impl ProxyTrust<'_> {
    fn contains(&self, ip: IpAddr) -> bool {
        self.trusted.iter().any(|net| net.contains(&ip))
    }

    /// The client's address for a request from `peer` carrying `headers`.
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        let peer = peer.to_canonical();
        if !self.trust_peer && !self.contains(peer) {
            return peer;
        }
        let mut vouched = peer;
        for entry in entries_from_the_right(headers) {
            let Some(ip) = entry.and_then(parse_entry) else {
                return vouched;
            };
            if !self.contains(ip) {
                return ip;
            }
            vouched = ip;
        }
        vouched
    }
}

/// Every `X-Forwarded-For` entry over all lines, right-most first; `None` for a line that is
/// not visible ASCII.
fn entries_from_the_right(headers: &HeaderMap) -> impl Iterator<Item = Option<&str>> {
    let lines: Vec<Option<&str>> = headers
        .get_all(HEADER)
        .iter()
        .map(|line| line.to_str().ok())
        .collect();
    lines.into_iter().rev().flat_map(|line| match line {
        Some(text) => text.rsplit(',').map(Some).collect::<Vec<_>>(),
        None => vec![None],
    })
}

/// One entry as an address: `192.0.2.1`, `2001:db8::1`, with a port (`192.0.2.1:443`,
/// `[2001:db8::1]:443`) or in brackets; IPv4-mapped IPv6 addresses become IPv4.
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let entry = entry.trim();
    entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()
        .or_else(|| {
            entry
                .strip_prefix('[')
                .and_then(|e| e.strip_suffix(']'))
                .and_then(|e| e.parse::<IpAddr>().ok())
        })
        .map(|ip| ip.to_canonical())
}

/// Parses a `--trusted-proxy` value: a CIDR range, or a single address.
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, ipnet::AddrParseError> {
    text.parse::<IpNet>()
        .or_else(|e| text.parse::<IpAddr>().map(IpNet::from).map_err(|_| e))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(lines: &[&[u8]]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for line in lines {
            map.append(HEADER, HeaderValue::from_bytes(line).unwrap());
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter()
            .map(|n| parse_trusted_proxy(n).unwrap())
            .collect()
    }

    const PEER_ONLY: ProxyTrust<'static> = ProxyTrust {
        trust_peer: true,
        trusted: &[],
    };

    #[test]
    fn without_trust_the_header_is_ignored() {
        let trust = ProxyTrust {
            trust_peer: false,
            trusted: &[],
        };
        let h = headers(&[b"203.0.113.9"]);
        assert_eq!(trust.client_address(ip("10.0.0.1"), &h), ip("10.0.0.1"));
        let trusted = nets(&["10.0.0.0/8"]);
        let other = ProxyTrust {
            trust_peer: false,
            trusted: &trusted,
        };
        assert_eq!(
            other.client_address(ip("192.0.2.7"), &h),
            ip("192.0.2.7"),
            "a peer outside the trusted ranges speaks for nobody"
        );
    }

    /// Regression (issue 9, finding 4): the client's own line comes first; the proxy's line,
    /// the last one, names the real client.
    #[test]
    fn the_proxys_line_wins_over_the_clients_line() {
        let h = headers(&[b"198.51.100.1", b"203.0.113.9"]);
        assert_eq!(
            PEER_ONLY.client_address(ip("127.0.0.1"), &h),
            ip("203.0.113.9")
        );
        let spoofed_each_time = headers(&[b"198.51.100.2, 198.51.100.3", b"203.0.113.9"]);
        assert_eq!(
            PEER_ONLY.client_address(ip("127.0.0.1"), &spoofed_each_time),
            ip("203.0.113.9"),
            "a changing left part gives no new key"
        );
    }

    #[test]
    fn spoofed_left_entries_are_skipped_only_through_trusted_proxies() {
        let trusted = nets(&["10.0.0.0/8", "fd00::/8"]);
        let trust = ProxyTrust {
            trust_peer: false,
            trusted: &trusted,
        };
        // client-sent "1.1.1.1", then the real client 203.0.113.9 seen by the edge proxy
        // 10.0.0.5, which the inner proxy (the peer, 10.0.0.6) appended.
        let h = headers(&[b"1.1.1.1, 203.0.113.9, 10.0.0.5"]);
        assert_eq!(trust.client_address(ip("10.0.0.6"), &h), ip("203.0.113.9"));
        let all_lines = headers(&[b"1.1.1.1", b"203.0.113.9", b"10.0.0.5"]);
        assert_eq!(
            trust.client_address(ip("10.0.0.6"), &all_lines),
            ip("203.0.113.9")
        );
        // Only trusted proxies: the left-most one is the best address there is.
        let inner = headers(&[b"10.0.0.4, 10.0.0.5"]);
        assert_eq!(trust.client_address(ip("10.0.0.6"), &inner), ip("10.0.0.4"));
    }

    #[test]
    fn garbage_entries_never_become_the_address() {
        let garbage: [&[u8]; 6] = [
            b"unknown",
            b"",
            b"203.0.113.9.1",
            b"_hidden",
            b"1.2.3.4, ",
            b"\xff\xfe",
        ];
        for line in garbage {
            let h = headers(&[line]);
            assert_eq!(
                PEER_ONLY.client_address(ip("127.0.0.1"), &h),
                ip("127.0.0.1"),
                "{line:?}"
            );
        }
        let trusted = nets(&["10.0.0.0/8"]);
        let trust = ProxyTrust {
            trust_peer: false,
            trusted: &trusted,
        };
        let h = headers(&[b"203.0.113.9, nonsense, 10.0.0.5"]);
        assert_eq!(
            trust.client_address(ip("10.0.0.6"), &h),
            ip("10.0.0.5"),
            "the last vouched-for address, not the entry behind the garbage"
        );
    }

    #[test]
    fn ipv6_ports_and_mapped_addresses() {
        let trusted = nets(&["2001:db8:ffff::/48"]);
        let trust = ProxyTrust {
            trust_peer: true,
            trusted: &trusted,
        };
        let h = headers(&[b"2001:db8::1, [2001:db8::2]:443, 2001:db8:ffff::1"]);
        assert_eq!(trust.client_address(ip("::1"), &h), ip("2001:db8::2"));
        let ported = headers(&[b"192.0.2.4:5000"]);
        assert_eq!(
            PEER_ONLY.client_address(ip("::1"), &ported),
            ip("192.0.2.4")
        );
        let mapped = headers(&[b"::ffff:192.0.2.5"]);
        assert_eq!(
            PEER_ONLY.client_address(ip("::ffff:127.0.0.1"), &mapped),
            ip("192.0.2.5")
        );
        let bracketed = headers(&[b"[2001:db8::3]"]);
        assert_eq!(
            PEER_ONLY.client_address(ip("::1"), &bracketed),
            ip("2001:db8::3")
        );
        let mapped_peer = nets(&["127.0.0.0/8"]);
        let by_range = ProxyTrust {
            trust_peer: false,
            trusted: &mapped_peer,
        };
        assert_eq!(
            by_range.client_address(ip("::ffff:127.0.0.1"), &headers(&[b"192.0.2.6"])),
            ip("192.0.2.6"),
            "an IPv4 peer on a dual-stack socket matches IPv4 ranges"
        );
    }

    #[test]
    fn trusted_proxy_values_are_ranges_or_addresses() {
        assert_eq!(
            parse_trusted_proxy("10.0.0.0/8").unwrap().to_string(),
            "10.0.0.0/8"
        );
        assert_eq!(
            parse_trusted_proxy("192.0.2.1").unwrap().to_string(),
            "192.0.2.1/32"
        );
        assert_eq!(
            parse_trusted_proxy("2001:db8::/32").unwrap().to_string(),
            "2001:db8::/32"
        );
        assert!(parse_trusted_proxy("10.0.0.0/33").is_err());
        assert!(parse_trusted_proxy("proxy.example").is_err());
    }
}
