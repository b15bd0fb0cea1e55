//! A device's answer to a challenge (protocol v1, `POST /api/v1/challenges/{id}/answer`), once
//! the device API has checked its signature, its ids and its timestamp: the replay guard and
//! the decision, in one storage write.
//!
//! "Das war ich nicht" (`deny`) ends the login at once, so the browser waiting on it learns
//! that the attempt was refused; `seen` only notes that the code was shown. An answer
//! nonce works once per device, whether or not the challenge is still open.

use zweifaktor_protocol::messages::Decision;

use crate::error::AppError;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::devices::Device;
use crate::storage::logins::LoginStatus;

/// How an answer was taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerOutcome {
    /// No challenge of this device's account has this id.
    NotFound,
    /// The device used this answer nonce before: a replay.
    Replayed,
    /// The challenge is no longer open (completed, denied, expired or failed).
    NotOpen,
    /// Denied: the login ended, its browser address is `ip` (for the log of suspicious
    /// attempts).
    Denied {
        /// Client address of the login's browser.
        ip: String,
    },
    /// Noted that the device showed the code.
    Seen,
}

/// Takes `decision` of `device` for challenge `login_id`, with the answer's nonce as hex.
pub async fn answer(
    state: &AppState,
    device: &Device,
    login_id: &str,
    nonce: String,
    decision: Decision,
) -> Result<AnswerOutcome, AppError> {
    let now = state.now();
    let (device_id, account) = (device.id.clone(), device.user_id.clone());
    let login_id = login_id.to_owned();
    Ok(state
        .db
        .write(move |tx| {
            let login = tx.login_by_id(&login_id)?.filter(|l| l.user_id == account);
            let Some(login) = login else {
                return Ok::<_, StorageError>(AnswerOutcome::NotFound);
            };
            if !tx.remember_answer_nonce(&device_id, &nonce, now)? {
                return Ok(AnswerOutcome::Replayed);
            }
            if login.status_at(now) != LoginStatus::Pending {
                return Ok(AnswerOutcome::NotOpen);
            }
            Ok(match decision {
                Decision::Deny if tx.finish_login(&login.id, LoginStatus::Denied)? => {
                    AnswerOutcome::Denied { ip: login.ip }
                }
                Decision::Deny => AnswerOutcome::NotOpen,
                Decision::Seen => {
                    tx.mark_seen(&login.id)?;
                    AnswerOutcome::Seen
                }
            })
        })
        .await?)
}
