//! A text file of `otpauth://` links, one a line, as Zweifaktor's own plain export writes it
//! and as Aegis (`aegis-export-uri.txt`) and other apps export.
//!
//! The links follow Google's Key Uri Format (github.com/google/google-authenticator, wiki page
//! "Key-Uri-Format"), read by [`OtpAuthUri`](zweifaktor_protocol::uri::OtpAuthUri). Blank lines
//! and lines starting with `#` are skipped. A line that is not a usable link is listed as
//! unsupported under its line number, never with its content, which may hold a secret.

use super::otpauth::read_link;
use super::{Format, ImportBatch, ImportError, ImportPassword, Importer, Unsupported, text};

/// The scheme every account line starts with (compared ignoring ASCII case).
const SCHEME: &str = "otpauth://";

/// Reads otpauth lists.
pub(crate) struct UriList;

impl Importer for UriList {
    fn format(&self) -> Format {
        Format::UriList
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        text(bytes, Format::UriList).is_ok_and(|text| {
            entries(text).next().is_some_and(|(_, line)| {
                line.get(..SCHEME.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(SCHEME))
            })
        })
    }

    fn read(
        &self,
        bytes: &[u8],
        _password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        let mut batch = ImportBatch::new(Format::UriList);
        for (number, line) in entries(text(bytes, Format::UriList)?) {
            match read_link(line) {
                Ok(account) => batch.accounts.push(account),
                Err(reason) => batch.unsupported.push(Unsupported {
                    label: format!("line {number}"),
                    kind: "otpauth".to_owned(),
                    reason,
                }),
            }
        }
        Ok(batch)
    }
}

/// The lines that hold an entry, trimmed, with their numbers from 1.
fn entries(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
}
