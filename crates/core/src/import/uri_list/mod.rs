//! A text file of `otpauth://` links, one a line, as Zweifaktor's own plain export writes it
//! and as Aegis (`aegis-export-uri.txt`) and other apps export.
//!
//! The links follow Google's Key Uri Format (github.com/google/google-authenticator, wiki page
//! "Key-Uri-Format"). The lines are read by [`otpauth_lines`](super::otpauth_lines), which
//! Ente's plain export shares: blank lines and `#` comments are skipped; a link the app cannot
//! use is listed as unsupported under its line number, never with its content, which may hold
//! a secret; a line that is no link at all makes the file damaged, named by its number.

use super::otpauth_lines::{self, is_link, lines};
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer, text};

/// Reads otpauth lists.
pub(crate) struct UriList;

impl Importer for UriList {
    fn format(&self) -> Format {
        Format::UriList
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        text(bytes, Format::UriList)
            .is_ok_and(|text| lines(text).next().is_some_and(|(_, line)| is_link(line)))
    }

    fn read(
        &self,
        bytes: &[u8],
        _password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        otpauth_lines::read(Format::UriList, text(bytes, Format::UriList)?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    //! Lists built from the Key Uri Format (github.com/google/google-authenticator/wiki/
    //! Key-Uri-Format), one link a line.

    use super::*;
    use crate::accounts::AccountKind;

    const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn read(text: &[u8]) -> Result<ImportBatch, ImportError> {
        UriList.read(text, None)
    }

    #[test]
    fn links_of_every_kind_are_read_after_comments() {
        let text = format!(
            "\u{feff}# Zweifaktor export\n\
             otpauth://totp/A:b?secret={SEED}&issuer=A&period=60\n\
             otpauth://hotp/C:d?secret={SEED}&counter=5\n\
             otpauth://steam/Steam:e?secret={SEED}\n"
        );
        assert!(UriList.recognizes(text.as_bytes()));
        let kinds: Vec<_> = read(text.as_bytes())
            .unwrap()
            .accounts
            .iter()
            .map(|a| a.kind)
            .collect();
        assert_eq!(
            kinds,
            [
                AccountKind::Totp { period: 60 },
                AccountKind::Hotp { counter: 5 },
                AccountKind::Steam
            ]
        );
    }

    #[test]
    fn truncated_flipped_and_hostile_lines_are_listed_by_number_without_content() {
        let good = format!("otpauth://totp/A:b?secret={SEED}&issuer=A");
        let truncated = &good[..good.len() / 2];
        let flipped = good.replacen("secret=G", "secret=1", 1);
        let hostile = format!("otpauth://totp/A:b?secret={SEED}&x={}", "y".repeat(5000));
        let text = format!("{good}\n{truncated}\n{flipped}\n{hostile}\n");
        let batch = read(text.as_bytes()).unwrap();
        assert_eq!(batch.accounts.len(), 1);
        let listed: Vec<_> = batch.unsupported.iter().map(|u| u.label.as_str()).collect();
        assert_eq!(listed, ["line 2", "line 3", "line 4"]);
        for unsupported in &batch.unsupported {
            assert!(!unsupported.reason.contains("GEZD"), "{unsupported:?}");
        }
        assert!(batch.unsupported[2].reason.contains("exceeds the limit"));
    }

    #[test]
    fn a_line_that_is_no_link_or_bytes_that_are_no_text_make_the_file_damaged() {
        let text = format!("otpauth://totp/A:b?secret={SEED}\nnot a link\n");
        assert!(matches!(
            read(text.as_bytes()),
            Err(ImportError::Malformed { what, .. }) if what == "line 2 is not an otpauth:// link"
        ));
        assert!(matches!(
            read(b"otpauth://\xff"),
            Err(ImportError::Malformed { .. })
        ));
        assert!(!UriList.recognizes(b"# only a comment\n"));
        assert!(!UriList.recognizes(b"hello\notpauth://totp/A:b?secret=AAAA"));
    }
}
