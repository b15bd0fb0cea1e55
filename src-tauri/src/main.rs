//! Desktop entry point: everything lives in the library so that Android and iOS share it.

// Keeps a console window from opening next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    zweifaktor_app_lib::run();
}
