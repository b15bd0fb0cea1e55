//! Locks the app after the configured time in the background (DESIGN.md: "locks itself after
//! a minute in the background"). Losing the focus starts a timer; regaining it, or any later
//! focus change, cancels it. The app also starts locked, since no vault is open at start.

use std::time::Duration;

use tauri::{Emitter, Manager, Runtime, Window, WindowEvent};

use crate::state::AppState;

/// Event sent to the window when the app locked itself; the UI shows the login screen.
pub const LOCKED_EVENT: &str = "locked";

/// Starts or cancels the background timer on focus changes of a window.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    let WindowEvent::Focused(focused) = event else {
        return;
    };
    let app = window.app_handle().clone();
    let Some(state) = app.try_state::<AppState>() else {
        return;
    };
    let change = state.focus_changed();
    if *focused {
        return;
    }
    let delay = Duration::from_secs(state.settings().auto_lock_seconds.into());
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(delay).await;
        let Some(state) = app.try_state::<AppState>() else {
            return;
        };
        if state.focus_unchanged_since(change) && state.lock() {
            tracing::info!(after_seconds = delay.as_secs(), "locked in the background");
            if let Err(err) = app.emit(LOCKED_EVENT, ()) {
                tracing::warn!(error = %err, "could not tell the window about the lock");
            }
        }
    });
}
