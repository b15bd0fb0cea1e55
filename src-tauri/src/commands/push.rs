//! Push challenges on request: the newest one ("Akzeptieren") and the refusal ("Das war ich
//! nicht"). Challenges that arrive by themselves come as events (see [`crate::portal`]).

use tauri::State;

use crate::error::CommandError;
use crate::portal::{self, ChallengeView};
use crate::state::AppState;

/// Fetches the open challenges of every portal now and shows the newest one's code; the
/// portal is told the code was shown.
#[tauri::command]
pub async fn latest_challenge(state: State<'_, AppState>) -> Result<ChallengeView, CommandError> {
    portal::latest(&state).await
}

/// Refuses the open challenge `id`: the portal aborts that login and logs it as suspicious.
#[tauri::command]
pub async fn deny_challenge(state: State<'_, AppState>, id: String) -> Result<(), CommandError> {
    portal::deny(&state, &id).await
}
