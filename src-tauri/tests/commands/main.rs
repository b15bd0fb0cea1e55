//! Every command through the IPC path the window uses (Tauri's mock runtime): arguments are
//! parsed, results and errors serialized exactly as the UI receives them.

mod common;
mod settings;
