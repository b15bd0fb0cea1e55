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
