//! Crash safety: a process saving the vault in a loop is killed with SIGKILL at random moments,
//! and after every kill the vault must open from its main file with one complete version.
//!
//! The child is this same test binary, re-executed with [`CHILD_ENV`] set so that
//! [`child_process_entry`] runs the save loop instead of returning. SIGKILL stops the process
//! mid-write but keeps the kernel's page cache, so this checks atomic replacement, not
//! durability across a power cut (that rests on the fsync calls in `storage.rs`).
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{KdfProfile, Vault};

/// Set to the vault path in the child process.
const CHILD_ENV: &str = "ZF_CRASH_TEST_VAULT";
/// How many times the parent kills a child.
const KILLS: usize = 200;
/// Upper bound on saves per child, so a child that is never killed still ends.
const MAX_SAVES: u64 = 100_000;
/// Longest random delay before a kill, in microseconds.
const MAX_DELAY_MICROS: u64 = 20_000;
const NOW: u64 = 1_764_000_000;
const SIGKILL: i32 = 9;
/// Printed by the child after its first save; libtest may put other text before it on the
/// line.
const READY: &str = "zf-crash-child-ready";

/// The vault contents: a generation counter and a payload that depends on its parity, so that
/// a torn or mixed write cannot pass for a valid version.
#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    generation: u64,
    payload: String,
}

fn payload(generation: u64) -> String {
    // Different lengths for A and B, so a mix of the two could not keep the length either.
    if generation.is_multiple_of(2) {
        "A".repeat(2 * 1024)
    } else {
        "B".repeat(3 * 1024)
    }
}

fn pin() -> Pin {
    Pin::new(Zeroizing::new("482915".to_owned())).unwrap()
}

/// In the child: open the vault and save alternating contents until killed.
#[test]
fn child_process_entry() {
    let Ok(path) = std::env::var(CHILD_ENV) else {
        return;
    };
    let mut vault: Vault<Snapshot> = Vault::unlock(Path::new(&path), &pin(), NOW).unwrap();
    for save in 0..MAX_SAVES {
        let generation = vault.contents().generation + 1;
        *vault.contents_mut() = Snapshot {
            generation,
            payload: payload(generation),
        };
        vault.save().unwrap();
        if save == 0 {
            // Only after one save, so every round moves the vault on by at least one version.
            println!("{READY}");
        }
    }
}

#[test]
fn killed_saves_leave_old_or_new_vault() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    let first = Snapshot {
        generation: 0,
        payload: payload(0),
    };
    drop(
        Vault::create(
            &path,
            "anna@example.org",
            &pin(),
            KdfProfile::TESTING,
            first,
            NOW,
        )
        .unwrap(),
    );
    let exe = std::env::current_exe().unwrap();
    let mut last_generation = 0;

    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args([
                "child_process_entry",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &path)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        assert!(
            lines.any(|line| line.unwrap().contains(READY)),
            "round {round}: the child did not start saving"
        );
        std::thread::sleep(Duration::from_micros(rand::random_range(
            0..=MAX_DELAY_MICROS,
        )));
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            status.signal() == Some(SIGKILL) || status.success(),
            "round {round}: the child failed on its own: {status}"
        );

        let vault: Vault<Snapshot> = Vault::unlock(&path, &pin(), NOW).unwrap();
        assert!(
            vault.opened_from_backup().is_none(),
            "round {round}: the main file was damaged: {:?}",
            vault.opened_from_backup()
        );
        let snapshot = vault.contents();
        assert!(
            snapshot.payload == payload(snapshot.generation),
            "round {round}: mixed contents"
        );
        assert!(
            snapshot.generation > last_generation,
            "round {round}: generation {} is not past {last_generation}",
            snapshot.generation
        );
        last_generation = snapshot.generation;
    }
}
