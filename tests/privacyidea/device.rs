//! The headless device binary as privacyIDEA's phone: `add -` with the link, `poll`,
//! `accept ID [--answer N]`, `deny ID`, as a user runs them.

use serde_json::Value;
use zweifaktor_e2e::device::Device;
use zweifaktor_e2e::privacyidea::{
    Mode, PiUser, PrivacyIdea, TAMPERED_QUESTION, Tamper, TamperProxy,
};

use crate::{QUESTION, TITLE, login_page_sees};

/// A device with a push token of a new user in the realm of `mode`, enrolled through `link`
/// (the server's, or one routed through a proxy).
fn enrolled(mode: Mode, route: impl Fn(&str) -> String) -> (&'static PrivacyIdea, PiUser, Device) {
    let server = PrivacyIdea::shared();
    let user = server.new_user(mode);
    let enrollment = server.enroll(&user);
    assert!(
        enrollment.link.starts_with("otpauth://pipush/"),
        "{}",
        enrollment.link
    );
    assert_eq!(server.rollout_state(&enrollment.serial), "clientwait");
    let device = Device::new();
    device.add(&route(&enrollment.link));
    // Step 2 reached the server: the token is ready for logins.
    assert_eq!(server.rollout_state(&enrollment.serial), "enrolled");
    (server, user, device)
}

/// The challenges `poll` lists.
fn poll(device: &Device) -> Vec<Value> {
    device
        .json_lines(&["poll"])
        .into_iter()
        .filter_map(|line| line.get("challenge").cloned())
        .collect()
}

/// The one challenge `poll` lists, with privacyIDEA's question and title.
fn the_challenge(device: &Device) -> Value {
    let challenges = poll(device);
    assert_eq!(challenges.len(), 1, "{challenges:?}");
    let challenge = challenges[0].clone();
    assert_eq!(challenge["question"], QUESTION, "{challenge}");
    assert_eq!(challenge["title"], TITLE, "{challenge}");
    challenge
}

fn id(challenge: &Value) -> String {
    challenge["challenge_id"].as_str().unwrap().to_owned()
}

/// The code in `accept`'s output (code_to_phone: privacyIDEA hands it over in its answer to
/// the accept).
fn code_in(lines: &[Value]) -> Option<String> {
    fn find(value: &Value) -> Option<String> {
        match value {
            Value::Object(map) => map
                .get("code")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .or_else(|| map.values().find_map(find)),
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    lines.iter().find_map(find)
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn accepted_push_login_succeeds() {
    let (server, user, device) = enrolled(Mode::Standard, str::to_owned);
    let login = server.trigger(&user);
    login_page_sees(server, &login, false, "pending");
    let challenge = the_challenge(&device);
    device.json_lines(&["accept", &id(&challenge)]);
    login_page_sees(server, &login, true, "accept");
    assert!(server.finish(&user, &login, ""), "the login did not pass");
    // Answered challenges are not offered again.
    assert!(poll(&device).is_empty());
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn declined_push_login_fails() {
    let (server, user, device) = enrolled(Mode::Standard, str::to_owned);
    let login = server.trigger(&user);
    let challenge = the_challenge(&device);
    device.json_lines(&["deny", &id(&challenge)]);
    login_page_sees(server, &login, false, "declined");
    assert!(!server.finish(&user, &login, ""), "a declined login passed");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn presence_with_the_number_the_login_page_shows_succeeds() {
    let (server, user, device) = enrolled(Mode::Presence, str::to_owned);
    let login = server.trigger(&user);
    let right = login.presence_answer.clone().expect("presence answer");
    let challenge = the_challenge(&device);
    let options: Vec<&str> = challenge["numbers"]
        .as_array()
        .unwrap_or_else(|| panic!("no numbers: {challenge}"))
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    assert!(
        options.contains(&right.as_str()),
        "{options:?} lack {right}"
    );
    device.json_lines(&["accept", &id(&challenge), "--answer", &right]);
    login_page_sees(server, &login, true, "accept");
    assert!(server.finish(&user, &login, ""), "the login did not pass");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn presence_with_a_wrong_number_does_not_log_in() {
    let (server, user, device) = enrolled(Mode::Presence, str::to_owned);
    let login = server.trigger(&user);
    let right = login.presence_answer.clone().expect("presence answer");
    let challenge = the_challenge(&device);
    let wrong = challenge["numbers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_owned())
        .find(|o| *o != right)
        .expect("a wrong option");
    // The server refuses the answer; the device says so.
    let out = device.run(&["--json", "accept", &id(&challenge), "--answer", &wrong]);
    assert!(!out.status.success(), "a wrong presence answer was taken");
    login_page_sees(server, &login, false, "pending");
    assert!(
        !server.finish(&user, &login, ""),
        "a wrong number logged in"
    );
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn code_to_phone_shows_the_code_that_logs_in() {
    let (server, user, device) = enrolled(Mode::CodeToPhone, str::to_owned);
    let login = server.trigger(&user);
    let challenge = the_challenge(&device);
    let lines = device.json_lines(&["accept", &id(&challenge)]);
    let code = code_in(&lines).unwrap_or_else(|| panic!("no code to show: {lines:?}"));
    assert_eq!(code.len(), 2, "{code}");
    assert!(code.chars().all(|c| c.is_ascii_digit()), "{code}");
    // The phone's confirmation alone is no login; the code typed in is.
    login_page_sees(server, &login, false, "pending");
    assert!(
        server.finish(&user, &login, &code),
        "the code did not log in"
    );
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn tampered_challenge_is_never_shown() {
    let server = PrivacyIdea::shared();
    let proxy = TamperProxy::start(&server.base, Tamper::Question);
    let (server, user, device) = enrolled(Mode::Standard, |link| proxy.route(link, server));
    let login = server.trigger(&user);
    let out = device.run(&["--json", "poll"]);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(!shown.contains(TAMPERED_QUESTION), "shown: {shown}");
    let lines: Vec<Value> = shown
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        lines.iter().all(|l| l["result"] != "challenge"),
        "a challenge was listed: {shown}"
    );
    // Refused for its signature, and said so.
    assert!(
        lines
            .iter()
            .any(|l| l["result"] == "rejected" && l["code"] == "bad_signature"),
        "no refusal: {shown}"
    );
    // The device did poll through the proxy, which changed what came back.
    assert!(
        proxy.recorded().iter().any(|r| r.method == "GET"),
        "no poll went through the proxy"
    );
    login_page_sees(server, &login, false, "pending");
}

#[test]
#[ignore = "needs privacyIDEA from PyPI in target/venv-privacyidea: run by scripts/test.sh"]
fn replayed_answer_is_refused_by_the_server() {
    let server = PrivacyIdea::shared();
    let proxy = TamperProxy::start(&server.base, Tamper::Nothing);
    let (server, user, device) = enrolled(Mode::Standard, |link| proxy.route(link, server));
    let login = server.trigger(&user);
    let challenge = the_challenge(&device);
    device.json_lines(&["accept", &id(&challenge)]);
    login_page_sees(server, &login, true, "accept");
    let answers = proxy.answers();
    assert_eq!(answers.len(), 1, "{answers:?}");
    // The same signed answer again, and then on a new login of the same token: both refused.
    assert!(!server.replay(&answers[0]), "the server took a replay");
    let second = server.trigger(&user);
    assert!(!server.replay(&answers[0]), "a replay answered a new login");
    login_page_sees(server, &second, false, "pending");
    assert!(
        server.finish(&user, &login, ""),
        "the first login did not pass"
    );
}
