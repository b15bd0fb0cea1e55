//! The lock after time in the background, driven by the window's focus events.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::App;

/// Polls `done` for up to ten seconds (a spawned timer on a loaded machine).
fn eventually(mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(10) {
        if done() {
            return true;
        }
        sleep(Duration::from_millis(20));
    }
    false
}

#[test]
fn losing_the_focus_locks_after_the_chosen_time_and_tells_the_window() {
    let app = App::enrolled();
    app.ok(
        "set_settings",
        json!({"settings": {"autoLockSeconds": 0, "language": "de"}}),
    );
    let told = Arc::new(AtomicBool::new(false));
    let flag = told.clone();
    app.listen("locked", move || flag.store(true, Ordering::SeqCst));
    app.focus(false);
    assert!(eventually(
        || app.ok("vault_status", json!({}))["state"] == "locked"
    ));
    assert!(eventually(|| told.load(Ordering::SeqCst)));
    assert_eq!(app.err("list_codes", json!({}))["code"], "app_locked");
}

#[test]
fn the_app_stays_open_while_it_has_the_focus() {
    let app = App::enrolled();
    app.ok(
        "set_settings",
        json!({"settings": {"autoLockSeconds": 0, "language": "de"}}),
    );
    app.focus(true);
    sleep(Duration::from_millis(200));
    assert_eq!(app.ok("vault_status", json!({}))["state"], "unlocked");
}
