//! The whole flow at debug level, then a search of the log for every secret it handled.

use zweifaktor_protocol::OtpAuthUri;

use crate::common::{Portal, browser, csrf, login, logs};
use crate::phone::{Phone, uri_from_page};

/// Whether `code` occurs in `text` as a number of its own: not inside a longer one, nor as
/// the digits of a decimal fraction (the log holds every test's query timings, such as
/// sqlx's `elapsed=1.234567ms`, which hit a given six-digit code now and then).
fn contains_number(text: &str, code: &str) -> bool {
    let part_of_number = |c: char| c.is_ascii_digit() || c == '.';
    text.match_indices(code).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + code.len()..].chars().next();
        !before.is_some_and(part_of_number) && !after.is_some_and(part_of_number)
    })
}

#[tokio::test]
async fn no_secret_reaches_the_log() {
    let portal = Portal::start().await;
    let password = "Geheim-Passwort-4711";
    portal.add_user("logs@example.org", password, false).await;
    let client = browser();
    let html = login(&portal, &client, "logs@example.org", password)
        .await
        .text()
        .await
        .unwrap();
    let uri = uri_from_page(&html);
    let phone = Phone::enroll(&uri).await;
    let challenge = phone.challenges().await.remove(0);
    let code = phone.code(&challenge);
    let wrong = if code == "123456" { "654321" } else { "123456" };
    client
        .post(portal.at("/login/code"))
        .form(&[("csrf", csrf(&html).as_str()), ("code", wrong)])
        .send()
        .await
        .unwrap();
    let page = client
        .post(portal.at("/login/code"))
        .form(&[("csrf", csrf(&html).as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let recovery = page
        .split("<li><code>")
        .nth(1)
        .unwrap()
        .split("</code>")
        .next()
        .unwrap()
        .to_string();
    let seed = OtpAuthUri::parse(&uri)
        .unwrap()
        .seed
        .to_base32()
        .to_string();

    let log = logs();
    assert!(log.contains("device registered"), "the capture works");
    assert!(log.contains("wrong security code"));
    for (what, secret) in [
        ("password", password),
        ("seed", seed.as_str()),
        ("enroll token", phone.enroll_token.as_str()),
        ("device token", phone.token.as_str()),
        ("recovery code", recovery.as_str()),
        ("enrollment URI", "otpauth://"),
        ("CSRF token", csrf(&html).as_str()),
    ] {
        assert!(!log.contains(secret), "{what} found in the log");
    }
    assert!(
        !contains_number(&log, &code),
        "security code found in the log"
    );
    assert!(
        !contains_number(&log, wrong),
        "typed wrong code found in the log"
    );
}
