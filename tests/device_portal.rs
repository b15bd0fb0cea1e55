//! The phone side (the headless device) and the browser side against the real portal, all as
//! separate processes over loopback HTTP.

use zweifaktor_e2e::browser::Browser;
use zweifaktor_e2e::device::Device;
use zweifaktor_e2e::portal::Portal;

/// An enrolled device and a browser that has passed the password step.
fn enrolled_and_logged_in() -> (Portal, Device, Browser, String) {
    let portal = Portal::demo();
    let device = Device::new();
    let added = device.add(&portal.enrollment_uri);
    assert_eq!(
        added[0]["account"]["portal_url"],
        format!("{}/", portal.base)
    );
    let browser = Browser::new();
    let code_page = browser.login(&portal, &portal.email, &portal.password);
    // First sign-in: the device registered from the printed URI, so the code page (no seed
    // after the password once an account has a device), which carries the code form.
    assert!(
        code_page.contains("id=\"code-form\""),
        "no code form after the password"
    );
    (portal, device, browser, code_page)
}

#[test]
fn code_from_the_device_leads_to_the_dashboard() {
    let (portal, device, browser, code_page) = enrolled_and_logged_in();
    let lines = device.json_lines(&["poll"]);
    let challenge = &lines[0]["challenge"];
    assert_eq!(lines[0]["result"], "challenge", "{lines:?}");
    assert_eq!(challenge["ip"], "127.0.0.1");
    assert!(
        challenge["user_agent"]
            .as_str()
            .unwrap()
            .contains("zweifaktor-e2e")
    );
    let code = challenge["code"].as_str().unwrap();
    assert_eq!(code.len(), 6);
    browser.enter_code(&portal, &code_page, code);
    let dashboard = browser.page(&portal.at("/dashboard"));
    assert!(
        dashboard.contains("<h1>Startseite</h1>"),
        "dashboard not reached"
    );
    assert!(dashboard.contains("zweifaktor-device"), "device not listed");

    // Second sign-in: "Eingabe Sicherheitscode" and a new challenge with a new code.
    let again = Browser::new();
    let code_page = again.login(&portal, &portal.email, &portal.password);
    assert!(
        code_page.contains("Eingabe Sicherheitscode"),
        "code page missing"
    );
    let lines = device.json_lines(&["poll"]);
    let second = lines[0]["challenge"]["code"].as_str().unwrap();
    again.enter_code(&portal, &code_page, second);
    assert!(
        again
            .page(&portal.at("/dashboard"))
            .contains("<h1>Startseite</h1>")
    );
}

#[test]
fn deny_on_the_device_refuses_the_login_in_the_browser() {
    let portal = Portal::demo();
    let device = Device::new();
    device.add(&portal.enrollment_uri);
    let mut listener = device.listen(&["--max", "1", "--timeout", "60"]);
    let browser = Browser::new();
    let code_page = browser.login(&portal, &portal.email, &portal.password);
    let line = listener.next_line().expect("listener prints the challenge");
    assert_eq!(line["result"], "challenge", "{line}");
    let id = line["challenge"]["challenge_id"].as_str().unwrap();
    let code = line["challenge"]["code"].as_str().unwrap().to_owned();

    let denied = device.json_lines(&["deny", id]);
    assert_eq!(denied[0]["result"], "denied");
    assert_eq!(browser.login_state(&portal), "denied");
    let after = browser.enter_code(&portal, &code_page, &code);
    assert!(
        !after.contains("Startseite"),
        "denied login went on: {after}"
    );
    assert!(
        browser
            .page(&portal.at("/login"))
            .contains("Bitte melden Sie sich an")
    );
}

#[test]
fn enroll_token_works_once() {
    let portal = Portal::demo();
    Device::new().add(&portal.enrollment_uri);
    let second = Device::new();
    let out = second.try_add(&portal.enrollment_uri);
    assert_eq!(out.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "enroll_refused", "{error}");
    assert!(
        second.json_lines(&["list"])[0]["accounts"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn device_removed_by_the_operator_is_refused() {
    let (portal, device, _browser, _page) = enrolled_and_logged_in();
    portal.operator(&["user", "reset-2fa", &portal.email]);
    let out = device.run(&["--json", "poll"]);
    assert_eq!(out.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "portal_refused", "{error}");
}

#[test]
fn a_new_login_gets_a_new_code_and_the_old_code_no_longer_works() {
    let (portal, device, first_browser, _first_page) = enrolled_and_logged_in();
    let first = device.json_lines(&["poll"]);
    let old_code = first[0]["challenge"]["code"].as_str().unwrap().to_owned();
    let old_id = first[0]["challenge"]["challenge_id"].clone();

    // The login is started again (as after "Zeitüberschreitung"): the device's poll
    // ("Akzeptieren" in the app) now shows the new challenge's code.
    drop(first_browser);
    let browser = Browser::new();
    let code_page = browser.login(&portal, &portal.email, &portal.password);
    let lines = device.json_lines(&["poll"]);
    let newest = lines
        .iter()
        .map(|l| &l["challenge"])
        .find(|c| c["challenge_id"] != old_id)
        .expect("the new login's challenge");
    let new_code = newest["code"].as_str().unwrap();
    assert_ne!(
        new_code, old_code,
        "a new login has a new nonce, so a new code"
    );

    let refused = browser.enter_code(&portal, &code_page, &old_code);
    assert!(
        !refused.contains("<h1>Startseite</h1>"),
        "old code accepted"
    );
    browser.enter_code(&portal, &code_page, new_code);
    assert!(
        browser
            .page(&portal.at("/dashboard"))
            .contains("<h1>Startseite</h1>")
    );
}

#[test]
fn the_totp_code_of_an_offline_device_is_accepted() {
    let (portal, device, browser, code_page) = enrolled_and_logged_in();
    let totp = device.ok(&["code"]).trim().to_owned();
    browser.enter_code(&portal, &code_page, &totp);
    assert!(
        browser
            .page(&portal.at("/dashboard"))
            .contains("<h1>Startseite</h1>")
    );
}

/// Issue 10: a second portal's set-up link, added to a vault that holds the first portal's
/// account, registers with that portal too: one vault, one PIN, each portal's logins answered
/// with that portal's code. Both demo users share a label, which is no duplicate since their
/// secrets differ; the same link again is refused as a duplicate before its spent token is
/// sent anywhere.
#[test]
fn a_second_portal_registers_into_the_same_vault() {
    let first = Portal::demo();
    let second = Portal::demo();
    let device = Device::new();
    device.add(&first.enrollment_uri);
    let added = device.add(&second.enrollment_uri);
    assert_eq!(
        added[0]["account"]["portal_url"],
        format!("{}/", second.base)
    );
    let accounts = device.json_lines(&["list"]);
    let accounts = accounts[0]["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert_eq!(accounts[0]["label"], accounts[1]["label"]);

    for portal in [&second, &first] {
        let browser = Browser::new();
        let code_page = browser.login(portal, &portal.email, &portal.password);
        let lines = device.json_lines(&["poll"]);
        let challenges: Vec<_> = lines
            .iter()
            .filter(|l| l["result"] == "challenge")
            .map(|l| &l["challenge"])
            .collect();
        assert_eq!(challenges.len(), 1, "one open login: {lines:?}");
        assert_eq!(challenges[0]["portal"], portal.base);
        let code = challenges[0]["code"].as_str().unwrap();
        browser.enter_code(portal, &code_page, code);
        let dashboard = browser.page(&portal.at("/dashboard"));
        assert!(
            dashboard.contains("<h1>Startseite</h1>") && dashboard.contains("zweifaktor-device"),
            "{} has no dashboard with the device",
            portal.base
        );
    }

    let again = device.try_add(&second.enrollment_uri);
    assert_eq!(again.status.code(), Some(1));
    let error: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "duplicate_account", "{error}");
}

/// Issue 12: `accept ID` on a Zweifaktor challenge shows its code (the portal is told it was
/// seen), and that code leads to the dashboard; a number for it is refused as a usage error.
#[test]
fn accept_of_a_zweifaktor_challenge_prints_its_code() {
    let (portal, device, browser, code_page) = enrolled_and_logged_in();
    let listed = device.json_lines(&["poll"]);
    let id = listed[0]["challenge"]["challenge_id"].as_str().unwrap();
    assert_eq!(listed[0]["challenge"]["ask"], "security_code");
    assert_eq!(listed[0]["challenge"]["protocol"], "zweifaktor");

    let out = device.run(&["--json", "accept", id, "--answer", "42"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a number for a code is a usage error"
    );
    let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(error["error"]["kind"], "answer_not_offered", "{error}");

    let accepted = device.json_lines(&["accept", id]);
    assert_eq!(accepted[0]["result"], "accepted", "{accepted:?}");
    let code = accepted[0]["code"].as_str().unwrap();
    assert_eq!(code, listed[0]["challenge"]["code"].as_str().unwrap());
    browser.enter_code(&portal, &code_page, code);
    assert!(
        browser
            .page(&portal.at("/dashboard"))
            .contains("<h1>Startseite</h1>")
    );
}

/// Issue 12: an id no server has open is `unknown_challenge` for `accept` and `deny`, and
/// the waiting login is left alone.
#[test]
fn accept_and_deny_of_an_unknown_id_are_refused() {
    let (portal, device, browser, _page) = enrolled_and_logged_in();
    for command in ["accept", "deny"] {
        let out = device.run(&["--json", command, &"0".repeat(32)]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let error: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            error["error"]["kind"], "unknown_challenge",
            "{command}: {error}"
        );
    }
    assert_eq!(browser.login_state(&portal), "pending");
}

/// Issue 12: a push server that is down hides no other server's challenges: `poll` lists
/// the reachable portal's login, reports the other as failed, and succeeds.
#[test]
fn a_portal_that_is_down_hides_no_other_portals_challenges() {
    let up = Portal::demo();
    let down = Portal::demo();
    let device = Device::new();
    device.add(&up.enrollment_uri);
    device.add(&down.enrollment_uri);
    drop(down);
    let browser = Browser::new();
    browser.login(&up, &up.email, &up.password);
    let lines = device.json_lines(&["poll"]);
    let challenges: Vec<_> = lines
        .iter()
        .filter(|l| l["result"] == "challenge")
        .collect();
    assert_eq!(challenges.len(), 1, "{lines:?}");
    assert_eq!(challenges[0]["challenge"]["portal"], up.base);
    let failed: Vec<_> = lines.iter().filter(|l| l["result"] == "failed").collect();
    assert_eq!(failed.len(), 1, "{lines:?}");
    assert_eq!(failed[0]["code"], "portal_unreachable");
}
