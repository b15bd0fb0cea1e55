//! Runs the whole vault flow with trace-level logging and searches the log for every secret
//! (STYLE.md: log ids and event names, never PINs, seeds or contents).
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{KdfProfile, Vault};

const NOW: u64 = 1_764_000_000;
const OLD_PIN: &str = "482915";
const NEW_PIN: &str = "739104";
const SEED: &str = "JBSWY3DPEHPK3PXP";
const EMAIL: &str = "anna@example.org";

/// A log sink the test can read back.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn pin(text: &str) -> Pin {
    Pin::new(Zeroizing::new(text.to_owned())).unwrap()
}

#[test]
fn no_secret_reaches_the_log() {
    let captured = Captured::default();
    let sink = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");

    tracing::subscriber::with_default(subscriber, || {
        let contents = vec![SEED.to_owned()];
        let mut vault = Vault::create(
            &path,
            EMAIL,
            &pin(OLD_PIN),
            KdfProfile::TESTING,
            contents,
            NOW,
        )
        .unwrap();
        vault.save().unwrap();
        vault
            .change_pin(&pin(NEW_PIN), KdfProfile::TESTING)
            .unwrap();
        let _ = Vault::<Vec<String>>::unlock(&path, &pin(OLD_PIN), NOW);
        std::fs::write(&path, b"{").unwrap();
        let mut vault = Vault::<Vec<String>>::unlock(&path, &pin(NEW_PIN), NOW).unwrap();
        assert!(vault.opened_from_backup().is_some());
        vault.save().unwrap();
        let _ = Vault::<Vec<String>>::peek(&path).unwrap();
        assert_eq!(vault.contents(), &[SEED]);
    });

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    for event in [
        "vault created",
        "wrong PIN",
        "trying the backup",
        "set aside",
        "vault saved",
    ] {
        assert!(
            log.contains(event),
            "expected event {event:?} in the log:\n{log}"
        );
    }
    for secret in [OLD_PIN, NEW_PIN, SEED, EMAIL] {
        assert!(
            !log.contains(secret),
            "{secret:?} leaked into the log:\n{log}"
        );
    }
}
