//! Push challenges on request: the newest one ("Akzeptieren" on a security code), accepting
//! one (with the number picked, if it offers numbers) and the refusal ("Das war ich nicht").
//! Challenges that arrive by themselves come as events (see [`crate::challenges`]).

use tauri::State;

use crate::challenges::{self, ChallengeView};
use crate::error::CommandError;
use crate::state::AppState;

/// Fetches the open challenges of every push server now and shows the newest one; for a
/// security code the portal is told it was shown.
#[tauri::command]
pub async fn latest_challenge(state: State<'_, AppState>) -> Result<ChallengeView, CommandError> {
    challenges::latest(&state).await
}

/// Accepts the open challenge `id`, with `answer` the number picked among those offered. A
/// security code challenge comes back with its code (shown, the portal told); others answer
/// `null`.
#[tauri::command]
pub async fn accept_challenge(
    state: State<'_, AppState>,
    id: String,
    answer: Option<String>,
) -> Result<Option<ChallengeView>, CommandError> {
    challenges::accept(&state, &id, answer).await
}

/// Refuses the open challenge `id`: the server aborts that login (the portal logs it as
/// suspicious).
#[tauri::command]
pub async fn deny_challenge(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    challenges::deny(&state, &id).await
}
