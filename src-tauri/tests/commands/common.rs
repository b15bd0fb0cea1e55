//! A real app on Tauri's mock runtime with its own data folder, and calls through the IPC path.

use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use zweifaktor_app_lib::AppState;
use zweifaktor_app_lib::clipboard::{Clipboard, ClipboardError};
use zweifaktor_core::clock::FixedClock;
use zweifaktor_core::vault::fake_cipher::FakeCipher;
use zweifaktor_core::vault::{KdfProfile, PlatformCipher};

/// RFC 6238 Appendix B seed for SHA-1 ("12345678901234567890"), base32.
pub const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

/// An enrollment link as the portal shows it, with 8 digits to match RFC 6238's vectors.
pub const URI: &str = "otpauth://totp/Portal:erika@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Portal&algorithm=SHA1&digits=8&period=30";

/// The user's PIN.
pub const PIN: &str = "274951";

/// A valid PIN that is not the user's.
pub const WRONG_PIN: &str = "580316";

/// The time the app's clock starts at: RFC 6238 Appendix B's first test time.
pub const START: u64 = 59;

/// A clipboard in memory, so that tests read back what the app copied.
#[derive(Default)]
pub struct MemoryClipboard(Mutex<String>);

impl Clipboard for MemoryClipboard {
    fn write_text(&self, text: &str) -> Result<(), ClipboardError> {
        *self.0.lock().unwrap() = text.to_owned();
        Ok(())
    }

    fn read_text(&self) -> Result<zeroize::Zeroizing<String>, ClipboardError> {
        Ok(zeroize::Zeroizing::new(self.0.lock().unwrap().clone()))
    }

    fn clear(&self) -> Result<(), ClipboardError> {
        self.0.lock().unwrap().clear();
        Ok(())
    }
}

/// The app under test, its window and its data folder.
pub struct App {
    window: WebviewWindow<MockRuntime>,
    app: tauri::App<MockRuntime>,
    dir: tempfile::TempDir,
    dialogs: tempfile::TempDir,
    clipboard: Arc<MemoryClipboard>,
    /// The app's clock, to move time on.
    pub clock: Arc<FixedClock>,
    /// The fake platform cipher, on an app that stands for an Android build.
    cipher: Option<Arc<FakeCipher>>,
}

impl App {
    /// A fresh app with an empty data folder.
    pub fn new() -> Self {
        Self::in_dir(
            tempfile::tempdir().unwrap(),
            Arc::new(FixedClock::new(START)),
            None,
        )
    }

    /// An app set up from [`URI`] with [`PIN`] and open, with `cipher` as its platform's
    /// biometric cipher (as on Android).
    pub fn enrolled_with_cipher(cipher: Arc<FakeCipher>) -> Self {
        let app = Self::in_dir(
            tempfile::tempdir().unwrap(),
            Arc::new(FixedClock::new(START)),
            Some(cipher),
        );
        app.ok("start_enrollment", serde_json::json!({ "uri": URI }));
        app.ok("finish_enrollment", serde_json::json!({ "pin": PIN }));
        app
    }

    /// The same data folder in a new app with `cipher` as its biometric cipher; `None` stands
    /// for a build on a platform without a bound key (iOS, macOS, desktop).
    pub fn restart_with_cipher(mut self, cipher: Option<Arc<FakeCipher>>) -> Self {
        self.cipher = cipher;
        self.restart()
    }

    /// A fresh app whose clock stands at `now` (a portal's time, so challenges are fresh).
    pub fn at(now: u64) -> Self {
        Self::in_dir(
            tempfile::tempdir().unwrap(),
            Arc::new(FixedClock::new(now)),
            None,
        )
    }

    /// The same data folder in a new app, as after closing and starting the app again.
    pub fn restart(self) -> Self {
        let Self {
            window,
            app,
            dir,
            clock,
            cipher,
            ..
        } = self;
        drop(window);
        drop(app);
        Self::in_dir(dir, clock, cipher)
    }

    /// An app that was set up from [`URI`] with [`PIN`] and is open.
    pub fn enrolled() -> Self {
        let app = Self::new();
        app.ok("start_enrollment", serde_json::json!({ "uri": URI }));
        app.ok("finish_enrollment", serde_json::json!({ "pin": PIN }));
        app
    }

    fn in_dir(
        dir: tempfile::TempDir,
        clock: Arc<FixedClock>,
        cipher: Option<Arc<FakeCipher>>,
    ) -> Self {
        let dialogs = tempfile::tempdir().unwrap();
        let clipboard = Arc::new(MemoryClipboard::default());
        let mut state =
            AppState::with(dir.path().to_path_buf(), KdfProfile::TESTING, clock.clone())
                .with_clipboard(clipboard.clone())
                .with_dialog_dir(dialogs.path().to_path_buf());
        if let Some(cipher) = &cipher {
            state = state.with_cipher(Arc::clone(cipher) as Arc<dyn PlatformCipher>);
        }
        let app = zweifaktor_app_lib::with_commands(mock_builder())
            .plugin(tauri_plugin_deep_link::init())
            .manage(state)
            .build(mock_context(noop_assets()))
            .unwrap();
        zweifaktor_app_lib::links::wire(&app);
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self {
            window,
            app,
            dir,
            dialogs,
            clipboard,
            clock,
            cipher,
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// Makes the next open dialog "choose" a file holding `bytes`.
    pub fn choose_file(&self, bytes: &[u8]) {
        let path = self
            .dialogs
            .path()
            .join(zweifaktor_app_lib::files::SCRIPTED_OPEN_FILE);
        std::fs::write(path, bytes).unwrap();
    }

    /// The file a save dialog wrote under the suggested `name`.
    pub fn saved_file(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.dialogs.path().join(name)).unwrap()
    }

    /// Where a save dialog puts the file it suggests as `name`.
    pub fn saved_path(&self, name: &str) -> std::path::PathBuf {
        self.dialogs.path().join(name)
    }

    /// What the app last put into the clipboard.
    pub fn clipboard(&self) -> String {
        self.clipboard.read_text().unwrap().to_string()
    }

    /// Tells the app that its window lost (`false`) or gained (`true`) the focus, as the
    /// window system does when the user switches apps.
    pub fn focus(&self, focused: bool) {
        zweifaktor_app_lib::autolock::on_window_event(
            &self.window.as_ref().window(),
            &tauri::WindowEvent::Focused(focused),
        );
    }

    /// Opens `url` in the app the way the system does (a tap on a phone, a second start on
    /// the desktop): as tauri-plugin-deep-link's event, which the app's wiring listens to.
    pub fn open_from_outside(&self, url: &str) {
        use tauri::Emitter;
        self.app.emit("deep-link://new-url", [url]).unwrap();
    }

    /// Runs `handler` for every `event` the app emits.
    pub fn listen(&self, event: &str, handler: impl Fn() + Send + 'static) {
        use tauri::Listener;
        self.app.listen(event.to_owned(), move |_| handler());
    }

    /// Sends the JSON payload of every `event` the app emits to the returned channel.
    pub fn events(&self, event: &str) -> std::sync::mpsc::Receiver<Value> {
        use tauri::Listener;
        let (tx, rx) = std::sync::mpsc::channel();
        self.app.listen(event.to_owned(), move |e| {
            let _ = tx.send(serde_json::from_str(e.payload()).unwrap());
        });
        rx
    }

    /// Whether the app holds push listeners.
    pub fn listening(&self) -> bool {
        use tauri::Manager;
        self.app.state::<AppState>().is_listening()
    }

    /// Invokes `command` with JSON `args`; the result or the error as JSON.
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        self.invoke_body(command, InvokeBody::Json(args))
    }

    /// Invokes `command` with a raw byte body (as `invoke(cmd, uint8Array)` does).
    pub fn invoke_body(&self, command: &str, body: InvokeBody) -> Result<Value, Value> {
        get_ipc_response(
            &self.window,
            InvokeRequest {
                cmd: command.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: "tauri://localhost".parse().unwrap(),
                body,
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
        .map(|body| body.deserialize::<Value>().unwrap())
    }

    /// Invokes a command that must succeed.
    pub fn ok(&self, command: &str, args: Value) -> Value {
        self.invoke(command, args)
            .unwrap_or_else(|err| panic!("{command} failed: {err}"))
    }

    /// Invokes a command that must fail; its error.
    pub fn err(&self, command: &str, args: Value) -> Value {
        match self.invoke(command, args) {
            Ok(value) => panic!("{command} succeeded with {value}"),
            Err(err) => err,
        }
    }
}
