//! `otpauth://` links inside export files (Bitwarden's `login.totp`, Proton Authenticator's
//! entries, plain lists), read into [`NewAccount`]s by the same rules as a scanned link.

use zweifaktor_protocol::uri::OtpAuthUri;

use crate::accounts::NewAccount;

/// Why a link inside a file cannot be imported, for [`Unsupported::reason`].
///
/// [`Unsupported::reason`]: super::Unsupported::reason
pub(crate) fn read_link(link: &str) -> Result<NewAccount, String> {
    let uri = OtpAuthUri::parse(link.trim()).map_err(|err| err.to_string())?;
    if uri.zweifaktor.is_some() {
        return Err(SET_UP_LINK.to_owned());
    }
    Ok(NewAccount::from_uri(&uri))
}

/// The reason given for a Zweifaktor set-up link found in a file: importing it would add the
/// account without registering with its portal, and its one-time token would be lost.
pub(crate) const SET_UP_LINK: &str =
    "a Zweifaktor set-up link: add it as a new account so that it registers with its portal";
