//! A challenge from privacyIDEA's poll, and its verification with the pinned server key.
//!
//! The server builds each challenge in `_build_smartphone_data` (`lib/tokens/pushtoken.py`):
//! the fields `nonce`, `question`, `serial`, `title`, `sslverify` and `url`, signed over
//! `{nonce}|{url}|{serial}|{question}|{title}|{sslverify}`; with the `push_require_presence`
//! policy also `require_presence` (the options, comma-separated) and `version: "2"`, and the
//! signed string gains `|{require_presence}`. Newer servers add `capabilities` (JSON) with a
//! second signature over the canonical JSON (RFC 8785) of `{"capabilities": …, "nonce": …}`.
//!
//! A `code_to_phone` challenge looks like a standard one here: its display code arrives in
//! the server's answer to the accept (see [`AnswerOutcome`](super::AnswerOutcome)).

use serde::Deserialize;
use serde_json::Value;

use super::signed::DeclineReason;
use super::{PiSignatureError, ServerKey};

/// The capability that lets the phone say why it declined (`PushCapability.DECLINE_REASON`).
const DECLINE_REASON_CAPABILITY: &str = "decline_reason";

/// One challenge as the poll lists it, not yet verified: nothing of it may be shown before
/// [`verify`](Self::verify) passes.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PiChallenge {
    /// Base32 of 20 random bytes; identifies the challenge in the answer.
    pub nonce: String,
    /// The registration URL the server is configured with.
    pub url: String,
    /// The token's serial.
    pub serial: String,
    /// The text to show (`push_text_on_mobile`).
    pub question: String,
    /// The title (`push_title_on_mobile`, by default `privacyIDEA`).
    pub title: String,
    /// `"1"` or `"0"` (`push_ssl_verify`), signed as sent.
    pub sslverify: String,
    /// The server's signature, base32.
    pub signature: String,
    /// The presence options, comma-separated, when the user must pick one.
    #[serde(default)]
    pub require_presence: Option<String>,
    /// The server's advertised optional features as JSON text.
    #[serde(default)]
    pub capabilities: Option<String>,
    /// The server's signature over the canonical capabilities and the nonce, base32.
    #[serde(default)]
    pub capabilities_signature: Option<String>,
}

/// The options a presence challenge offers; the login page shows the right one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresenceOptions(pub Vec<String>);

/// A challenge whose signature was checked with the pinned key and whose serial is the
/// token's: only such a challenge is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedPiChallenge {
    /// Identifies the challenge in the answer.
    pub nonce: String,
    /// The token's serial.
    pub serial: String,
    /// The title to show.
    pub title: String,
    /// The question to show.
    pub question: String,
    /// The options to pick from, for a presence challenge.
    pub presence: Option<PresenceOptions>,
    /// The server's signed capabilities say it understands a decline reason.
    pub decline_reason: bool,
}

impl PiChallenge {
    /// The string the server signed, rebuilt from the fields as received.
    pub fn signed_message(&self) -> String {
        let mut message = format!(
            "{}|{}|{}|{}|{}|{}",
            self.nonce, self.url, self.serial, self.question, self.title, self.sslverify
        );
        if let Some(options) = &self.require_presence {
            message.push('|');
            message.push_str(options);
        }
        message
    }

    /// Verifies the challenge for the token `serial` with the pinned `key`: the main
    /// signature first, then the capabilities' signature if the server sent both, then the
    /// serial.
    ///
    /// Capabilities that are not the JSON privacyIDEA writes, or that come without a
    /// signature, are ignored (as the privacyIDEA app ignores them); capabilities with a
    /// signature that does not verify fail the whole challenge.
    pub fn verify(
        &self,
        key: &ServerKey,
        serial: &str,
    ) -> Result<VerifiedPiChallenge, PiSignatureError> {
        key.verify(self.signed_message().as_bytes(), &self.signature)?;
        let capabilities = match (&self.capabilities, &self.capabilities_signature) {
            (Some(text), Some(signature)) => match capabilities_message(text, &self.nonce) {
                Some((message, parsed)) => {
                    key.verify(message.as_bytes(), signature)?;
                    Some(parsed)
                }
                None => None,
            },
            _ => None,
        };
        if self.serial != serial {
            return Err(PiSignatureError::WrongSerial);
        }
        Ok(VerifiedPiChallenge {
            nonce: self.nonce.clone(),
            serial: self.serial.clone(),
            title: self.title.clone(),
            question: self.question.clone(),
            presence: self
                .require_presence
                .as_ref()
                .map(|options| PresenceOptions(options.split(',').map(str::to_owned).collect())),
            decline_reason: capabilities.is_some_and(|c| supports_unknown_trigger(&c)),
        })
    }
}

/// The capabilities' signed string: the canonical JSON (RFC 8785) of
/// `{"capabilities": CAPABILITIES, "nonce": NONCE}`, and the parsed capabilities. `None` when
/// the text is not a JSON object of the value types privacyIDEA uses (booleans, strings,
/// lists, objects).
fn capabilities_message(text: &str, nonce: &str) -> Option<(String, Value)> {
    let parsed: Value = serde_json::from_str(text).ok()?;
    if !parsed.is_object() {
        return None;
    }
    let mut message = String::from("{\"capabilities\":");
    canonical(&parsed, &mut message)?;
    message.push_str(",\"nonce\":");
    message.push_str(&serde_json::to_string(nonce).ok()?);
    message.push('}');
    Some((message, parsed))
}

/// Writes `value` as RFC 8785 canonical JSON: object members sorted by key (UTF-16 code
/// units, §3.2.3), no whitespace, strings escaped as ECMAScript does (which `serde_json`'s
/// escaping matches). Numbers and `null` are refused, since capabilities never carry them and
/// their canonical form would need ECMAScript's number formatting.
fn canonical(value: &Value, out: &mut String) -> Option<()> {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::String(s) => out.push_str(&serde_json::to_string(s).ok()?),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(members) => {
            let mut sorted: Vec<(&String, &Value)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (key, item)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).ok()?);
                out.push(':');
                canonical(item, out)?;
            }
            out.push('}');
        }
        Value::Null | Value::Number(_) => return None,
    }
    Some(())
}

/// Whether verified capabilities let the phone send [`DeclineReason::UnknownTrigger`]: the
/// entry is present and not `false`, and if it lists allowed `values`, the reason is one of
/// them (the app's `Capabilities.negotiate`).
fn supports_unknown_trigger(capabilities: &Value) -> bool {
    match capabilities.get(DECLINE_REASON_CAPABILITY) {
        None | Some(Value::Bool(false)) | Some(Value::Null) => false,
        Some(Value::Object(entry)) => match entry.get("values") {
            Some(Value::Array(values)) => values
                .iter()
                .any(|v| v.as_str() == Some(DeclineReason::UnknownTrigger.as_str())),
            _ => true,
        },
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipush::test_keys;

    #[test]
    fn the_signed_string_is_the_servers() {
        let standard = test_keys::challenge(None);
        assert_eq!(
            standard.signed_message(),
            "GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH|https://pi.example.org/ttype/push|PIPU0001A2B3|Do you want to confirm the login?|privacyIDEA|1"
        );
        let presence = test_keys::challenge(Some("B,Q,X"));
        assert!(presence.signed_message().ends_with("|privacyIDEA|1|B,Q,X"));
    }

    #[test]
    fn a_challenge_signed_by_the_server_verifies() {
        for options in [None, Some("B,Q,X")] {
            let verified = test_keys::signed_challenge(options)
                .verify(&test_keys::server_key(), "PIPU0001A2B3")
                .unwrap();
            assert_eq!(verified.question, "Do you want to confirm the login?");
            assert_eq!(
                verified.presence,
                options.map(|o| PresenceOptions(o.split(',').map(str::to_owned).collect()))
            );
            assert!(!verified.decline_reason);
        }
    }

    /// The fixed signatures were made with Python's `cryptography` over the same strings (see
    /// `tests/data/pipush/README.md`), so they check the signed string independently.
    #[test]
    fn the_fixed_server_signatures_verify() {
        let key = test_keys::server_key();
        for (options, signature) in test_keys::SERVER_SIGNATURES {
            let mut challenge = test_keys::challenge(*options);
            challenge.signature = (*signature).to_owned();
            challenge.verify(&key, "PIPU0001A2B3").unwrap();
        }
    }

    #[test]
    fn every_tampered_field_fails() {
        let key = test_keys::server_key();
        let tamperings: [fn(&mut PiChallenge); 7] = [
            |c| c.nonce.replace_range(0..1, "A"),
            |c| c.url.push('x'),
            |c| c.serial.push('4'),
            |c| c.question.push('!'),
            |c| c.title = "privacyIDEB".into(),
            |c| c.sslverify = "0".into(),
            |c| c.require_presence = Some("B,Q".into()),
        ];
        for (i, tamper) in tamperings.into_iter().enumerate() {
            let mut challenge = test_keys::signed_challenge(Some("B,Q,X"));
            tamper(&mut challenge);
            let serial = challenge.serial.clone();
            assert_eq!(
                challenge.verify(&key, &serial),
                Err(PiSignatureError::Mismatch),
                "tampering {i}"
            );
        }
        let mut dropped = test_keys::signed_challenge(Some("B,Q,X"));
        dropped.require_presence = None;
        assert_eq!(
            dropped.verify(&key, "PIPU0001A2B3"),
            Err(PiSignatureError::Mismatch)
        );
    }

    #[test]
    fn a_challenge_signed_by_another_key_fails() {
        let challenge = test_keys::signed_challenge(None);
        assert_eq!(
            challenge.verify(&test_keys::device_public(), "PIPU0001A2B3"),
            Err(PiSignatureError::Mismatch)
        );
    }

    #[test]
    fn a_challenge_for_another_serial_fails() {
        let challenge = test_keys::signed_challenge(None);
        assert_eq!(
            challenge.verify(&test_keys::server_key(), "PIPU0009"),
            Err(PiSignatureError::WrongSerial)
        );
    }

    #[test]
    fn the_capabilities_string_is_canonical_json() {
        let (message, _) = capabilities_message(
            "{\"decline_reason\": true}",
            "GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH",
        )
        .unwrap();
        assert_eq!(
            message,
            "{\"capabilities\":{\"decline_reason\":true},\"nonce\":\"GZUKJHN4U5JYVGCLWQ5BPCRXDNJQ3TNH\"}"
        );
        let (nested, _) = capabilities_message(
            "{ \"z\": [\"b\", \"a\"], \"a\": {\"values\": [\"x\"]} }",
            "N",
        )
        .unwrap();
        assert_eq!(
            nested,
            "{\"capabilities\":{\"a\":{\"values\":[\"x\"]},\"z\":[\"b\",\"a\"]},\"nonce\":\"N\"}"
        );
        assert!(capabilities_message("{\"n\": 1}", "N").is_none());
        assert!(capabilities_message("[true]", "N").is_none());
        assert!(capabilities_message("not json", "N").is_none());
    }

    #[test]
    fn signed_capabilities_allow_a_decline_reason() {
        let key = test_keys::server_key();
        let challenge = test_keys::with_capabilities(test_keys::signed_challenge(None));
        assert!(
            challenge
                .verify(&key, "PIPU0001A2B3")
                .unwrap()
                .decline_reason
        );

        let mut forged = challenge.clone();
        forged.capabilities = Some("{\"decline_reason\": false}".into());
        assert_eq!(
            forged.verify(&key, "PIPU0001A2B3"),
            Err(PiSignatureError::Mismatch)
        );

        let mut unsigned = challenge;
        unsigned.capabilities_signature = None;
        assert!(
            !unsigned
                .verify(&key, "PIPU0001A2B3")
                .unwrap()
                .decline_reason
        );
    }

    #[test]
    fn allowed_values_limit_the_decline_reason() {
        let with = |json: &str| supports_unknown_trigger(&serde_json::from_str(json).unwrap());
        assert!(with("{\"decline_reason\": true}"));
        assert!(with(
            "{\"decline_reason\": {\"values\": [\"unknown_trigger\"]}}"
        ));
        assert!(!with("{\"decline_reason\": {\"values\": [\"cancelled\"]}}"));
        assert!(!with("{\"decline_reason\": false}"));
        assert!(!with("{}"));
    }
}
