//! `poll`, `listen`, `accept` and `deny` without any push server (issue 12): the errors
//! every script sees before a network is involved, with the core's shared codes. The same
//! commands against real portals are in the workspace's `tests/device_portal.rs`.

use crate::common::{Device, PIN, assert_success, stdout};

/// A vault with one plain TOTP account (RFC 6238 Appendix B seed) and no push account.
fn offline() -> Device {
    let device = Device::new();
    device.add("otpauth://totp/Bank:erika?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bank");
    device
}

fn error_kind(device: &Device, args: &[&str]) -> (Option<i32>, String) {
    let mut full = vec!["--json"];
    full.extend_from_slice(args);
    let out = device.run_with_pin(PIN, &full);
    let value: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    (
        out.status.code(),
        value["error"]["kind"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

#[test]
fn without_a_push_account_every_push_command_says_no_portal() {
    let device = offline();
    for args in [
        &["poll"][..],
        &["listen", "--timeout", "1"],
        &["accept", "c0ffee"],
        &["accept", "c0ffee", "--answer", "42"],
        &["deny", "c0ffee"],
    ] {
        assert_eq!(
            error_kind(&device, args),
            (Some(1), "no_portal".to_owned()),
            "{args:?}"
        );
    }
}

/// Naming an account that has no push server is `not_enrolled`, the same code the app uses.
#[test]
fn an_account_without_a_push_server_is_not_enrolled() {
    let device = offline();
    for args in [
        &["poll", "Bank:erika"][..],
        &["accept", "c0ffee", "Bank:erika"],
    ] {
        assert_eq!(
            error_kind(&device, args),
            (Some(1), "not_enrolled".to_owned()),
            "{args:?}"
        );
    }
}

#[test]
fn accept_is_documented_with_its_number() {
    let device = Device::new();
    let out = device.run_with_pin(PIN, &["accept", "--help"]);
    assert_success(&out);
    let help = stdout(&out);
    assert!(help.contains("--answer <N>"), "{help}");
    assert!(help.contains("security code"), "{help}");
    let out = device.run_with_pin(PIN, &["accept"]);
    assert_eq!(out.status.code(), Some(2), "the id is required");
}
