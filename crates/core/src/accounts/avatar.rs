//! Account avatars: the issuer's initial on a colour chosen from the issuer, with no network
//! fetch of logos.
//!
//! The colour comes from a fixed palette, picked by a SHA-256 hash of the case-folded issuer
//! (the name when there is none), so one issuer has the same colour on every device and in
//! every version. Every palette colour carries white text at WCAG 2.1 level AA (contrast of at
//! least 4.5:1, success criterion 1.4.3); the tests recompute each ratio.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The avatar colours, each with its contrast ratio against white text (WCAG 2.1 relative
/// luminance, rounded to two decimals): deep red 5.62, pink 6.97, purple 9.39, indigo
/// 10.39, blue 5.75, light blue 4.80, teal 6.61, green 5.13, olive 6.10, deep orange 5.60,
/// brown 9.32, blue grey 7.24. All are at least 4.5:1, as WCAG 2.1 SC 1.4.3 asks of text.
pub const PALETTE: [&str; 12] = [
    "#C62828", "#AD1457", "#6A1B9A", "#283593", "#1565C0", "#0277BD", "#00695C", "#2E7D32",
    "#7B5E00", "#BF360C", "#5D4037", "#455A64",
];

/// Shown when neither issuer nor name has a letter or digit.
const FALLBACK_INITIAL: &str = "#";

/// What a list shows in place of a logo: one upper-case character on a colour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Avatar {
    /// The first letter or digit of the issuer (else of the name), upper case.
    pub initial: String,
    /// A `#RRGGBB` colour from [`PALETTE`]; white text on it is readable.
    pub colour: String,
}

impl Avatar {
    /// The avatar of an account with this issuer and name.
    pub fn for_account(issuer: Option<&str>, name: &str) -> Self {
        let source = issuer.filter(|i| !i.trim().is_empty()).unwrap_or(name);
        Self {
            initial: initial(source),
            colour: colour(source).to_owned(),
        }
    }
}

/// The first alphanumeric character, upper-cased (its first character where upper case has
/// several, as for `ß`).
fn initial(text: &str) -> String {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .and_then(|c| c.to_uppercase().next())
        .map_or_else(|| FALLBACK_INITIAL.to_owned(), String::from)
}

/// The palette entry for `text`, ignoring case and surrounding spaces.
fn colour(text: &str) -> &'static str {
    let digest = Sha256::digest(text.trim().to_lowercase().as_bytes());
    let index = usize::from(digest[0]) % PALETTE.len();
    PALETTE[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2.1 relative luminance of one sRGB channel (0..=255).
    fn channel(value: u8) -> f64 {
        let c = f64::from(value) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// Contrast of white text on `#RRGGBB` (WCAG 2.1 definition of contrast ratio).
    fn contrast_with_white(colour: &str) -> f64 {
        let rgb: Vec<u8> = (0..3)
            .map(|i| u8::from_str_radix(&colour[1 + 2 * i..3 + 2 * i], 16).unwrap())
            .collect();
        let luminance =
            0.2126 * channel(rgb[0]) + 0.7152 * channel(rgb[1]) + 0.0722 * channel(rgb[2]);
        1.05 / (luminance + 0.05)
    }

    #[test]
    fn every_palette_colour_carries_white_text_at_level_aa() {
        let documented = [
            5.62, 6.97, 9.39, 10.39, 5.75, 4.80, 6.61, 5.13, 6.10, 5.60, 9.32, 7.24,
        ];
        for (colour, ratio) in PALETTE.iter().zip(documented) {
            let measured = contrast_with_white(colour);
            assert!(measured >= 4.5, "{colour}: {measured}");
            assert!(
                (measured - ratio).abs() < 0.01,
                "{colour}: {measured} vs {ratio}"
            );
        }
    }

    #[test]
    fn the_issuer_gives_initial_and_colour_whatever_its_case() {
        let a = Avatar::for_account(Some("GitHub"), "erika");
        assert_eq!(a.initial, "G");
        assert_eq!(a, Avatar::for_account(Some("github "), "someone else"));
        assert!(PALETTE.contains(&a.colour.as_str()));
    }

    #[test]
    fn without_an_issuer_the_name_counts() {
        assert_eq!(Avatar::for_account(None, "ärzte@example.org").initial, "Ä");
        assert_eq!(Avatar::for_account(Some(" "), "bob").initial, "B");
        assert_eq!(Avatar::for_account(None, "@@").initial, FALLBACK_INITIAL);
        assert_eq!(Avatar::for_account(Some("(1&1)"), "x").initial, "1");
    }

    #[test]
    fn issuers_spread_over_the_palette() {
        let used: std::collections::HashSet<_> = (0..200)
            .map(|n| Avatar::for_account(Some(&format!("issuer {n}")), "x").colour)
            .collect();
        assert!(used.len() > PALETTE.len() / 2, "{used:?}");
    }
}
