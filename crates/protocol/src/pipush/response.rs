//! The JSON answers of privacyIDEA's `/ttype/push` (`prepare_result` in
//! `privacyidea/lib/utils`): `{"result": {"status": true, "value": …}, "detail": {…}}` on
//! success, `{"result": {"status": false, "error": {"code": …, "message": …}}}` on failure.

use serde::Deserialize;
use serde_json::Value;

use super::{PiChallenge, PiKeyError, PiResponseError, ServerKey};

/// The envelope every answer shares.
#[derive(Deserialize)]
struct Envelope {
    result: ResultPart,
    #[serde(default)]
    detail: Option<Value>,
}

/// `result`: the status, the value on success, the error on failure.
#[derive(Deserialize)]
struct ResultPart {
    status: bool,
    #[serde(default)]
    value: Option<Value>,
    #[serde(default)]
    error: Option<ErrorPart>,
}

/// `result.error`.
#[derive(Deserialize)]
struct ErrorPart {
    #[serde(default)]
    code: Option<i64>,
}

/// Reads the envelope; a `status: false` answer becomes [`PiResponseError::Refused`].
fn envelope(body: &[u8]) -> Result<(Value, Option<Value>), PiResponseError> {
    let envelope: Envelope =
        serde_json::from_slice(body).map_err(|_| PiResponseError::Malformed)?;
    if !envelope.result.status {
        return Err(PiResponseError::Refused {
            code: envelope.result.error.and_then(|e| e.code).unwrap_or(0),
        });
    }
    Ok((
        envelope.result.value.unwrap_or(Value::Null),
        envelope.detail,
    ))
}

/// The server key from the answer to the enrollment `POST`: `detail.public_key`.
pub fn enrollment_server_key(body: &[u8]) -> Result<ServerKey, PiResponseError> {
    let (_, detail) = envelope(body)?;
    let text = detail
        .as_ref()
        .and_then(|d| d.get("public_key"))
        .and_then(Value::as_str)
        .ok_or(PiResponseError::ServerKey(PiKeyError::InvalidServerKey))?;
    ServerKey::from_base64(text).map_err(PiResponseError::ServerKey)
}

/// The challenges of a poll answer (`result.value`, a list), each still to be verified. An
/// entry that is not a challenge object is returned as an error in its place, so that the
/// others can still be verified and shown.
pub fn poll_challenges(
    body: &[u8],
) -> Result<Vec<Result<PiChallenge, PiResponseError>>, PiResponseError> {
    let (value, _) = envelope(body)?;
    let Value::Array(items) = value else {
        return Err(PiResponseError::Malformed);
    };
    Ok(items
        .into_iter()
        .map(|item| serde_json::from_value(item).map_err(|_| PiResponseError::Malformed))
        .collect())
}

/// What the server made of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerOutcome {
    /// The signature matched an open challenge and the answer was recorded (`result.value`).
    /// False for a replay, an answer to a closed challenge, or a wrong presence option.
    pub recorded: bool,
    /// For `code_to_phone`: the code the user types on the login page (`detail.display_code`).
    pub display_code: Option<String>,
    /// For `code_to_phone`: the text to show above the code (`detail.message`).
    pub message: Option<String>,
}

impl AnswerOutcome {
    /// Reads the answer to an accept, decline or presence `POST`.
    pub fn parse(body: &[u8]) -> Result<Self, PiResponseError> {
        let (value, detail) = envelope(body)?;
        let recorded = value.as_bool().ok_or(PiResponseError::Malformed)?;
        let text = |name: &str| {
            detail
                .as_ref()
                .and_then(|d| d.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let display_code = text("display_code");
        Ok(Self {
            recorded,
            message: display_code.as_ref().and_then(|_| text("message")),
            display_code,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipush::test_keys;

    #[test]
    fn the_server_key_is_read_from_the_enrollment_answer() {
        let body = format!(
            "{{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{{\"status\":true,\"value\":true}},\"detail\":{{\"public_key\":\"{}\",\"rollout_state\":\"enrolled\",\"serial\":\"PIPU0001A2B3\"}}}}",
            test_keys::SERVER_PUBLIC_PKCS1_B64
        );
        assert_eq!(
            enrollment_server_key(body.as_bytes()).unwrap(),
            test_keys::server_key()
        );
        let without = r#"{"result":{"status":true,"value":true},"detail":{}}"#;
        assert!(matches!(
            enrollment_server_key(without.as_bytes()),
            Err(PiResponseError::ServerKey(_))
        ));
    }

    #[test]
    fn an_error_answer_is_refused_with_its_code() {
        let body = r#"{"result":{"status":false,"error":{"code":905,"message":"Invalid enrollment credential."}}}"#;
        assert_eq!(
            enrollment_server_key(body.as_bytes()),
            Err(PiResponseError::Refused { code: 905 })
        );
        assert_eq!(
            AnswerOutcome::parse(body.as_bytes()),
            Err(PiResponseError::Refused { code: 905 })
        );
    }

    #[test]
    fn the_poll_answer_lists_challenges_and_marks_broken_entries() {
        let challenge = serde_json::to_value(test_keys::challenge_json(None)).unwrap();
        let body = serde_json::json!({
            "result": {"status": true, "value": [challenge, {"nonce": 5}]}
        })
        .to_string();
        let list = poll_challenges(body.as_bytes()).unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].as_ref().unwrap(), &test_keys::challenge(None));
        assert_eq!(list[1], Err(PiResponseError::Malformed));
        assert_eq!(
            poll_challenges(br#"{"result":{"status":true,"value":true}}"#),
            Err(PiResponseError::Malformed)
        );
        assert_eq!(poll_challenges(b"<html>"), Err(PiResponseError::Malformed));
    }

    #[test]
    fn the_answer_outcome_carries_a_display_code() {
        let plain = AnswerOutcome::parse(br#"{"result":{"status":true,"value":true}}"#).unwrap();
        assert_eq!(
            plain,
            AnswerOutcome {
                recorded: true,
                display_code: None,
                message: None
            }
        );
        let code = AnswerOutcome::parse(
            br#"{"result":{"status":true,"value":true},"detail":{"display_code":"42","message":"Enter the code to log in"}}"#,
        )
        .unwrap();
        assert_eq!(code.display_code.as_deref(), Some("42"));
        assert_eq!(code.message.as_deref(), Some("Enter the code to log in"));
        let replay = AnswerOutcome::parse(br#"{"result":{"status":true,"value":false}}"#).unwrap();
        assert!(!replay.recorded);
    }
}
