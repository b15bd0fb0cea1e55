//! Fuzz target: `otpauth://` enrollment URIs, as the app reads them from a QR code or a paste.
//!
//! Any text must parse or fail with a `UriError`, never panic. A URI that parses must survive
//! the round trip the module documents: written with `to_uri_string` and read again, it gives
//! an equal value, whenever the value lies in the documented round-trip domain.

#![no_main]

use libfuzzer_sys::fuzz_target;
use zweifaktor_protocol::uri::MAX_URI_LEN;
use zweifaktor_protocol::{OtpAuthUri, UriError};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(uri) = OtpAuthUri::parse(text) else {
        return;
    };
    let written = uri.to_uri_string();
    // The module's round-trip rules: an issuer without `:`, an account name that does not
    // start with a space and holds `:` only after an issuer; and every parameter written out
    // may make a URI at the length limit longer than the limit.
    let in_domain = uri
        .issuer
        .as_deref()
        .is_none_or(|issuer| !issuer.contains(':'))
        && !(uri.issuer.is_some() && uri.account_name.starts_with(' '))
        && (uri.issuer.is_some() || !uri.account_name.contains(':'));
    match OtpAuthUri::parse(&written) {
        Ok(again) if in_domain => assert_eq!(again, uri, "round trip changed the value"),
        Ok(_) => {}
        Err(UriError::TooLong { .. }) if written.len() > MAX_URI_LEN => {}
        Err(err) if in_domain => panic!("written URI does not parse again: {err}"),
        Err(_) => {}
    }
});
