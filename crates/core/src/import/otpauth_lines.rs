//! A text of `otpauth://` links, one a line: what Ente Auth exports (plain, and inside its
//! encrypted export), and the plain list other apps write.
//!
//! Each line is read by the one `otpauth://` parser ([`OtpAuthUri::parse`]) and checked by
//! the rules of every new account ([`NewAccount::check`]), so a link imports exactly as it
//! would when pasted; parameters the parser does not know (Ente's
//! `codeDisplay`) are ignored. A line that is a link the app cannot use (an unknown type such
//! as `motp`, or a parameter out of range) is listed as unsupported with the parser's reason;
//! a line that is no `otpauth://` link at all means the file is not such a list. Blank lines
//! and lines starting with `#` (comments) are skipped. A Zweifaktor set-up link (with `zf_`
//! parameters) is listed as unsupported: imported, it would lose its portal registration.

use zweifaktor_protocol::OtpAuthUri;

use super::json::malformed;
use super::read::strip_prefix_ignore_case;
use super::{Format, ImportBatch, ImportError, Unsupported};
use crate::accounts::NewAccount;

/// The scheme every line starts with.
const SCHEME: &str = "otpauth://";

/// Whether `line` starts with `otpauth://` (any letter case).
pub(crate) fn is_link(line: &str) -> bool {
    strip_prefix_ignore_case(line, SCHEME).is_some()
}

/// The lines of `text` that are neither blank nor comments, trimmed, with their 1-based
/// numbers.
pub(crate) fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .map(str::trim)
        .enumerate()
        .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
        .map(|(i, line)| (i + 1, line))
}

/// The reason given for a Zweifaktor set-up link found in a file: importing it would add the
/// account without registering with its portal, and its one-time token would be lost.
pub(crate) const SET_UP_LINK: &str =
    "a Zweifaktor set-up link: add it as a new account so that it registers with its portal";

/// The account of one `otpauth://` link inside a file, or why it cannot be imported (the
/// parser's reason, [`NewAccount::check`]'s, or [`SET_UP_LINK`]).
pub(crate) fn read_link(link: &str) -> Result<NewAccount, String> {
    let uri = OtpAuthUri::parse(link.trim()).map_err(|err| err.to_string())?;
    if uri.zweifaktor.is_some() {
        return Err(SET_UP_LINK.to_owned());
    }
    let account = NewAccount::from_uri(&uri);
    account.check().map_err(|err| err.to_string())?;
    Ok(account)
}

/// Reads every link of `text` into a batch of `format`.
///
/// # Errors
/// [`ImportError::Malformed`] naming the first line that is not an `otpauth://` link, or when
/// there is no line at all.
pub(crate) fn read(format: Format, text: &str) -> Result<ImportBatch, ImportError> {
    let mut batch = ImportBatch::new(format);
    for (number, line) in lines(text) {
        if !is_link(line) {
            return Err(malformed(
                format,
                format!("line {number} is not an otpauth:// link"),
            ));
        }
        match read_link(line) {
            Ok(account) => batch.accounts.push(account),
            Err(reason) => batch.unsupported.push(Unsupported {
                label: format!("line {number}"),
                kind: link_type(line),
                reason,
            }),
        }
    }
    if batch.accounts.is_empty() && batch.unsupported.is_empty() {
        return Err(malformed(format, "the file holds no otpauth:// link"));
    }
    Ok(batch)
}

/// The type part of a link (`totp`, `motp`, …), lower case and at most 16 characters.
fn link_type(line: &str) -> String {
    let rest = &line[SCHEME.len()..];
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    rest[..end]
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::accounts::AccountKind;

    #[test]
    fn links_become_accounts_and_extra_parameters_are_ignored() {
        let text = "\r\n otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno&codeDisplay=%7B%7D\r\n\n\
                    OTPAUTH://hotp/Issuu:James?secret=YOOMIXWS5GN6RTBPUFFWKTW5M4&counter=1\n";
        let batch = read(Format::UriList, text).unwrap();
        let labels: Vec<_> = batch.accounts.iter().map(NewAccount::label).collect();
        assert_eq!(labels, ["Deno:Mason", "Issuu:James"]);
        assert_eq!(batch.accounts[1].kind, AccountKind::Hotp { counter: 1 });
    }

    #[test]
    fn unusable_links_are_listed_and_other_lines_are_malformed() {
        let batch = read(
            Format::Ente,
            "otpauth://motp/Corp:Alice?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ\n\
             otpauth://totp/X:Y?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&digits=12\n",
        )
        .unwrap();
        assert!(batch.accounts.is_empty());
        let listed: Vec<_> = batch
            .unsupported
            .iter()
            .map(|u| (u.label.as_str(), u.kind.as_str(), u.reason.as_str()))
            .collect();
        assert_eq!(
            listed,
            [
                (
                    "line 1",
                    "motp",
                    "unknown OTP type `motp`, expected totp, hotp or steam"
                ),
                (
                    "line 2",
                    "totp",
                    "12 digits are not supported, expected 6 to 8"
                ),
            ]
        );
        for (text, what) in [
            (
                "otpauth://totp/X?secret=AAAA\nhello\n",
                "line 2 is not an otpauth:// link",
            ),
            ("\n \n", "the file holds no otpauth:// link"),
        ] {
            match read(Format::Ente, text) {
                Err(ImportError::Malformed { what: got, .. }) => assert_eq!(got, what),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn comments_are_skipped_and_set_up_links_are_listed_not_imported() {
        let text = "# exported by Zweifaktor\n\n\
                    otpauth://totp/Deno:Mason?secret=4SJHB4GSD43FZBAI7C2HLRJGPQ&issuer=Deno\n\
                    otpauth://totp/Portal:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\
                    &zf_url=https%3A%2F%2Fportal.example%2F&zf_enroll=TOKEN\
                    &zf_key=11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\n";
        let batch = read(Format::UriList, text).unwrap();
        let labels: Vec<_> = batch.accounts.iter().map(NewAccount::label).collect();
        assert_eq!(labels, ["Deno:Mason"]);
        assert_eq!(batch.unsupported.len(), 1);
        assert_eq!(batch.unsupported[0].label, "line 4");
        assert_eq!(batch.unsupported[0].reason, SET_UP_LINK);
    }
}
