//! The strings the phone signs, byte for byte as privacyIDEA rebuilds them before verifying
//! (`_api_endpoint_get` and `_handle_auth_response` in `lib/tokens/pushtoken.py`).

/// Why the user refused a challenge, sent as `decline_reason` and signed with the decline.
///
/// privacyIDEA's `PushDeclineReason`; the reason is only sent to a server whose signed
/// capabilities list `decline_reason` (older servers rebuild the string without it and would
/// reject the answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclineReason {
    /// "Das war ich nicht": the user did not start this login (`unknown_trigger`).
    UnknownTrigger,
    /// The user started the login but cancels it (`cancelled`).
    Cancelled,
}

impl DeclineReason {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnknownTrigger => "unknown_trigger",
            Self::Cancelled => "cancelled",
        }
    }
}

/// What the phone answers to a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PiAnswer {
    /// Confirm the login (also the first step of `code_to_phone`, whose display code comes
    /// back in the server's answer).
    Accept,
    /// Refuse it, with a reason only if the server advertised that it understands one.
    Decline(Option<DeclineReason>),
    /// Confirm with the option the user picked from the challenge's `require_presence` list.
    Presence(String),
}

/// The poll request's signed string: `{serial}|{timestamp}` (`_api_endpoint_get`).
pub fn poll_message(serial: &str, timestamp: &str) -> String {
    format!("{serial}|{timestamp}")
}

/// The poll request's `timestamp`: ISO 8601 in UTC (`2026-12-02T03:37:44Z`), which the server
/// parses with `dateutil.isoparse` and accepts within one minute of its clock
/// (`POLL_TIME_WINDOW`).
pub fn poll_timestamp(unix_time: u64) -> Option<String> {
    let seconds = i64::try_from(unix_time).ok()?;
    let time = time::OffsetDateTime::from_unix_timestamp(seconds).ok()?;
    time.format(&time::format_description::well_known::Rfc3339)
        .ok()
}

/// The answer's signed string: `{nonce}|{serial}`, then `|decline` and the reason if any for
/// a decline, or `|{presence_answer}` for a presence answer (`_handle_auth_response`).
pub fn answer_message(nonce: &str, serial: &str, answer: &PiAnswer) -> String {
    match answer {
        PiAnswer::Accept => format!("{nonce}|{serial}"),
        PiAnswer::Decline(None) => format!("{nonce}|{serial}|decline"),
        PiAnswer::Decline(Some(reason)) => {
            format!("{nonce}|{serial}|decline|{}", reason.as_str())
        }
        PiAnswer::Presence(option) => format!("{nonce}|{serial}|{option}"),
    }
}

/// The form fields of an answer besides `signature`, in the order the app sends them.
pub fn answer_fields(nonce: &str, serial: &str, answer: &PiAnswer) -> Vec<(&'static str, String)> {
    let mut fields = vec![("serial", serial.to_owned()), ("nonce", nonce.to_owned())];
    match answer {
        PiAnswer::Accept => {}
        PiAnswer::Decline(reason) => {
            fields.push(("decline", "1".to_owned()));
            if let Some(reason) = reason {
                fields.push(("decline_reason", reason.as_str().to_owned()));
            }
        }
        PiAnswer::Presence(option) => fields.push(("presence_answer", option.clone())),
    }
    fields
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipush::test_keys;

    /// The nonce privacyIDEA makes: base32 of 20 random bytes (`b32encode_and_unicode(geturandom())`).
    const NONCE: &str = "GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH";
    const SERIAL: &str = "PIPU0001A2B3";

    #[test]
    fn the_poll_string_is_serial_bar_timestamp() {
        let timestamp = poll_timestamp(1_796_182_664).unwrap();
        assert_eq!(timestamp, "2026-12-02T03:37:44Z");
        assert_eq!(
            poll_message(SERIAL, &timestamp),
            "PIPU0001A2B3|2026-12-02T03:37:44Z"
        );
    }

    #[test]
    fn the_answer_strings_are_those_privacyidea_rebuilds() {
        for (answer, expected) in [
            (PiAnswer::Accept, format!("{NONCE}|{SERIAL}")),
            (PiAnswer::Decline(None), format!("{NONCE}|{SERIAL}|decline")),
            (
                PiAnswer::Decline(Some(DeclineReason::UnknownTrigger)),
                format!("{NONCE}|{SERIAL}|decline|unknown_trigger"),
            ),
            (
                PiAnswer::Decline(Some(DeclineReason::Cancelled)),
                format!("{NONCE}|{SERIAL}|decline|cancelled"),
            ),
            (
                PiAnswer::Presence("07".into()),
                format!("{NONCE}|{SERIAL}|07"),
            ),
        ] {
            assert_eq!(answer_message(NONCE, SERIAL, &answer), expected);
        }
    }

    #[test]
    fn the_answer_fields_carry_what_the_server_reads() {
        let decline = answer_fields(
            NONCE,
            SERIAL,
            &PiAnswer::Decline(Some(DeclineReason::UnknownTrigger)),
        );
        assert_eq!(
            decline,
            vec![
                ("serial", SERIAL.to_owned()),
                ("nonce", NONCE.to_owned()),
                ("decline", "1".to_owned()),
                ("decline_reason", "unknown_trigger".to_owned()),
            ]
        );
        let presence = answer_fields(NONCE, SERIAL, &PiAnswer::Presence("B".into()));
        assert_eq!(presence[2], ("presence_answer", "B".to_owned()));
        assert_eq!(answer_fields(NONCE, SERIAL, &PiAnswer::Accept).len(), 2);
    }

    /// RSASSA-PKCS1-v1_5 is deterministic, so with the committed test key each signed string
    /// has exactly one signature. The expected values were made independently with Python's
    /// `cryptography` (`key.sign(msg, PKCS1v15(), SHA256())`, then `base64.b32encode`), as
    /// privacyIDEA itself verifies them; see `tests/data/pipush/README.md`.
    #[test]
    fn signatures_with_the_fixed_device_key_are_the_expected_ones() {
        let device = test_keys::device();
        for (message, expected) in test_keys::DEVICE_SIGNATURES {
            assert_eq!(device.sign(message).unwrap(), *expected, "{message}");
        }
    }

    #[test]
    fn a_signature_over_one_string_fails_for_every_other() {
        let device = test_keys::device();
        let public = test_keys::device_public();
        let accept = answer_message(NONCE, SERIAL, &PiAnswer::Accept);
        let signature = device.sign(&accept).unwrap();
        for other in [
            PiAnswer::Decline(None),
            PiAnswer::Decline(Some(DeclineReason::Cancelled)),
            PiAnswer::Presence("A".into()),
        ] {
            let message = answer_message(NONCE, SERIAL, &other);
            assert!(public.verify(message.as_bytes(), &signature).is_err());
        }
        let other_serial = answer_message(NONCE, "PIPU0001A2B4", &PiAnswer::Accept);
        assert!(public.verify(other_serial.as_bytes(), &signature).is_err());
        public.verify(accept.as_bytes(), &signature).unwrap();
    }
}
