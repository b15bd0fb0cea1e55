//! Zweifaktor against a real privacyIDEA server (3.14 from PyPI, SQLite, poll-only
//! push; `scripts/privacyidea.sh`): a push token enrolled through privacyIDEA's API, its
//! `otpauth://pipush/…` link added to the device, logins opened with `/validate/check` and
//! followed with `/validate/polltransaction` as a login page does.
//!
//! - [`device`]: the headless device binary as the phone. It polls, checks the server's
//!   signature and answers: accept, decline, presence (right and wrong option), code_to_phone;
//!   a tampering proxy shows that a changed challenge is never shown, and a recorded answer
//!   that the server refuses when it comes again.
//! - [`protocol`]: the same cases with `zweifaktor_protocol::pipush` alone as the phone (its
//!   link parser, keys, signed strings and answer readers, over plain HTTP): the wire format
//!   checked against the server without the core and the vault.
//!
//! Ignored in a plain `cargo test` (the first run installs privacyIDEA from PyPI);
//! `scripts/test.sh` runs it with a time limit, or by hand:
//! `cargo build --bins && cargo test -p zweifaktor-e2e --test privacyidea -- --ignored`.
//!
//! The wire format is privacyIDEA's push token, `privacyidea/lib/tokens/pushtoken.py` of
//! release 3.14 (see its class `PushTokenClass` and `api_endpoint`), with the facts measured
//! against this server in docs/PRIVACYIDEA.md.

// Helpers outside `#[test]` functions fail the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use zweifaktor_e2e::privacyidea::{Login, PrivacyIdea};

mod device;
mod protocol;

/// privacyIDEA's default question and title on the phone (`DEFAULT_MOBILE_TEXT`, and the
/// title when no `push_title_on_mobile` policy is set).
const QUESTION: &str = "Do you want to confirm the login?";
const TITLE: &str = "privacyIDEA";

/// Asserts what the login page sees for `login`.
fn login_page_sees(server: &PrivacyIdea, login: &Login, answered: bool, status: &str) {
    let outcome = server.poll_transaction(login);
    assert_eq!(outcome.answered, answered, "{outcome:?}");
    assert_eq!(outcome.status, status, "{outcome:?}");
}
