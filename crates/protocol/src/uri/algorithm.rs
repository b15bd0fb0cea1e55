//! The `algorithm=` names of the Key Uri Format.

use crate::otp::HashAlgorithm;

/// The name written in a URI.
pub(super) fn name(algorithm: HashAlgorithm) -> &'static str {
    match algorithm {
        HashAlgorithm::Sha1 => "SHA1",
        HashAlgorithm::Sha256 => "SHA256",
        HashAlgorithm::Sha512 => "SHA512",
    }
}

/// Reads a name, ignoring case as authenticators do.
pub(super) fn from_name(text: &str) -> Option<HashAlgorithm> {
    [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha512,
    ]
    .into_iter()
    .find(|algorithm| name(*algorithm).eq_ignore_ascii_case(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_in_any_case() {
        for algorithm in [
            HashAlgorithm::Sha1,
            HashAlgorithm::Sha256,
            HashAlgorithm::Sha512,
        ] {
            assert_eq!(from_name(name(algorithm)), Some(algorithm));
            assert_eq!(from_name(&name(algorithm).to_lowercase()), Some(algorithm));
        }
        assert_eq!(from_name("MD5"), None);
        assert_eq!(from_name("SHA-1"), None);
    }
}
