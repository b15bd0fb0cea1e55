//! What the app keeps between commands: where its files are, the user's preferences, the
//! opened vault, a set-up link waiting for its PIN, a link that opened the app, the clipboard
//! and the file dialogs.
//!
//! The app is locked exactly when no [`Authenticator`] is held: locking drops it, which wipes
//! the vault's keys and seeds from memory.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::clock::{Clock, SystemClock};
use zweifaktor_core::links::LinkInbox;
use zweifaktor_core::vault::{KdfProfile, PlatformCipher};

use tauri::{AppHandle, Runtime};

use crate::adding::PendingAdd;
use crate::challenges::Listeners;
use crate::clipboard::{Clipboard, NoClipboard};
use crate::error::CommandError;
use crate::files::Dialogs;
use crate::importing::PendingImport;
use crate::settings::Settings;

/// Environment variable naming the folder for the vault and preferences instead of the
/// platform's app data folder: for tests (one folder per test) and portable installs.
pub const DATA_DIR_VAR: &str = "ZF_APP_DATA_DIR";

/// Name of the vault file in the data folder.
pub const VAULT_FILE: &str = "vault.json";

/// A set-up link the user gave, kept in the shell until the PIN is chosen so that the seed
/// does not travel back to the window. Wiped when dropped; no `Debug`, no `Clone`.
pub struct PendingEnrollment(Zeroizing<String>);

impl PendingEnrollment {
    /// Keeps `uri` (already checked by the caller).
    pub fn new(uri: Zeroizing<String>) -> Self {
        Self(uri)
    }

    /// The link, for the core's enrollment.
    pub fn uri(&self) -> &str {
        &self.0
    }
}

/// The app's managed state.
pub struct AppState {
    data_dir: PathBuf,
    kdf: KdfProfile,
    clock: Arc<dyn Clock>,
    settings: Mutex<Settings>,
    session: Mutex<Option<Authenticator>>,
    pending: Mutex<Option<PendingEnrollment>>,
    pending_add: Mutex<Option<PendingAdd>>,
    pending_import: Mutex<Option<PendingImport>>,
    links: Mutex<LinkInbox>,
    listeners: Mutex<Option<Listeners>>,
    focus_changes: AtomicU64,
    clipboard: Arc<dyn Clipboard>,
    dialog_dir: Option<PathBuf>,
    cipher: Option<Arc<dyn PlatformCipher>>,
}

impl AppState {
    /// State for the data folder `data_dir`, with the production key derivation and the
    /// system clock.
    pub fn new(data_dir: PathBuf) -> Self {
        Self::with(data_dir, KdfProfile::PRODUCTION, Arc::new(SystemClock))
    }

    /// State with a chosen key derivation and clock: tests use the cheap profile and a fixed
    /// clock so that codes are known in advance.
    pub fn with(data_dir: PathBuf, kdf: KdfProfile, clock: Arc<dyn Clock>) -> Self {
        let settings = Settings::load(&data_dir);
        Self {
            data_dir,
            kdf,
            clock,
            settings: Mutex::new(settings),
            session: Mutex::new(None),
            pending: Mutex::new(None),
            pending_add: Mutex::new(None),
            pending_import: Mutex::new(None),
            links: Mutex::new(LinkInbox::new()),
            listeners: Mutex::new(None),
            focus_changes: AtomicU64::new(0),
            clipboard: Arc::new(NoClipboard),
            dialog_dir: None,
            cipher: None,
        }
    }

    /// The same state with the platform's biometric cipher (Android's, or a test's fake);
    /// without one the app offers no fingerprint unlock.
    pub fn with_cipher(self, cipher: Arc<dyn PlatformCipher>) -> Self {
        Self {
            cipher: Some(cipher),
            ..self
        }
    }

    /// The platform's biometric cipher, if this platform has a bound key.
    pub fn cipher(&self) -> Option<Arc<dyn PlatformCipher>> {
        self.cipher.clone()
    }

    /// The same state copying codes into `clipboard` (the system's in the app, a test's own
    /// in tests); without one, copying fails with `clipboard_unavailable`.
    pub fn with_clipboard(self, clipboard: Arc<dyn Clipboard>) -> Self {
        Self { clipboard, ..self }
    }

    /// The same state with the folder `dir` standing in for the file dialogs
    /// ([`Dialogs::Scripted`]): for the command tests and the app walk, which cannot drive a
    /// native dialog.
    pub fn with_dialog_dir(self, dir: PathBuf) -> Self {
        Self {
            dialog_dir: Some(dir),
            ..self
        }
    }

    /// The clipboard codes are copied into.
    pub fn clipboard(&self) -> Arc<dyn Clipboard> {
        Arc::clone(&self.clipboard)
    }

    /// The file dialogs: the platform's, or the scripted folder if one was set.
    pub fn dialogs<'a, R: Runtime>(&'a self, app: &'a AppHandle<R>) -> Dialogs<'a, R> {
        match &self.dialog_dir {
            Some(dir) => Dialogs::Scripted(dir),
            None => Dialogs::Native(app),
        }
    }

    /// The folder holding the vault and the preferences.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The vault file.
    pub fn vault_path(&self) -> PathBuf {
        self.data_dir.join(VAULT_FILE)
    }

    /// Key derivation for new PINs.
    pub fn kdf(&self) -> KdfProfile {
        self.kdf
    }

    /// The clock codes and lock-out follow.
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }

    /// The current preferences, to read or change.
    pub fn settings(&self) -> MutexGuard<'_, Settings> {
        relock(&self.settings)
    }

    /// The opened vault, or `None` while the app is locked.
    pub fn session(&self) -> MutexGuard<'_, Option<Authenticator>> {
        relock(&self.session)
    }

    /// Runs `action` on the opened vault; [`CommandError::LOCKED_APP`] while locked.
    pub fn with_session<T>(
        &self,
        action: impl FnOnce(&mut Authenticator) -> Result<T, CommandError>,
    ) -> Result<T, CommandError> {
        match self.session().as_mut() {
            Some(auth) => action(auth),
            None => Err(CommandError::LOCKED_APP),
        }
    }

    /// Locks the app and stops the push listeners; `true` if it was open. An account
    /// waiting for its save and an import waiting for its confirmation are forgotten too:
    /// they hold seeds. A link that opened the app and was not shown yet stays for after the
    /// PIN ([`crate::links`]).
    pub fn lock(&self) -> bool {
        let mut session = self.session();
        *relock(&self.listeners) = None;
        *relock(&self.pending_add) = None;
        *relock(&self.pending_import) = None;
        session.take().is_some()
    }

    /// Keeps the running push listeners, stopping any earlier ones. Called while the session
    /// lock is held (see [`crate::challenges::start_listening`]), so a lock in between cannot
    /// leave listeners running.
    pub fn set_listeners(&self, listeners: Listeners) {
        *relock(&self.listeners) = Some(listeners);
    }

    /// Stops the running push listeners (the last push source was removed).
    pub fn stop_listeners(&self) {
        *relock(&self.listeners) = None;
    }

    /// Whether push listeners are running (the app is open and has a portal-bound account).
    pub fn is_listening(&self) -> bool {
        relock(&self.listeners).is_some()
    }

    /// The set-up link waiting for its PIN.
    pub fn pending(&self) -> MutexGuard<'_, Option<PendingEnrollment>> {
        relock(&self.pending)
    }

    /// The account waiting between its preview and its save ([`crate::adding`]).
    pub fn pending_add(&self) -> MutexGuard<'_, Option<PendingAdd>> {
        relock(&self.pending_add)
    }

    /// The link that opened the app and waits to be shown ([`crate::links`]).
    pub fn links(&self) -> MutexGuard<'_, LinkInbox> {
        relock(&self.links)
    }

    /// The import waiting for its password or its confirmation ([`crate::importing`]).
    pub fn pending_import(&self) -> MutexGuard<'_, Option<PendingImport>> {
        relock(&self.pending_import)
    }

    /// Counts a change of the window's focus and returns the new count: a lock timer started
    /// in the background only fires if no change came after it.
    pub fn focus_changed(&self) -> u64 {
        self.focus_changes.fetch_add(1, Ordering::SeqCst) + 1
    }

    /// Whether `count` (from [`AppState::focus_changed`]) is still the latest focus change.
    pub fn focus_unchanged_since(&self, count: u64) -> bool {
        self.focus_changes.load(Ordering::SeqCst) == count
    }
}

/// Takes a lock even if a panic poisoned it: every value behind these locks is replaced whole,
/// never left half-written, so refusing every later command would gain nothing.
fn relock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_focus_change_outdates_every_earlier_timer() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().to_path_buf());
        let lost = state.focus_changed();
        assert!(state.focus_unchanged_since(lost));
        let regained = state.focus_changed();
        assert!(!state.focus_unchanged_since(lost));
        assert!(state.focus_unchanged_since(regained));
    }

    #[test]
    fn the_app_starts_locked_and_lock_reports_whether_it_was_open() {
        let dir = tempfile::tempdir().unwrap();
        let state = AppState::new(dir.path().to_path_buf());
        assert!(state.session().is_none());
        assert!(!state.lock());
        assert_eq!(
            state.with_session(|_| Ok(())).unwrap_err().code(),
            "app_locked"
        );
    }
}
