//! A real app on Tauri's mock runtime with its own data folder, and calls through the IPC path.

use serde_json::Value;
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{
    INVOKE_KEY, MockRuntime, get_ipc_response, mock_builder, mock_context, noop_assets,
};
use tauri::webview::InvokeRequest;
use tauri::{WebviewWindow, WebviewWindowBuilder};
use zweifaktor_app_lib::AppState;

/// The app under test, its window and its data folder.
pub struct App {
    window: WebviewWindow<MockRuntime>,
    app: tauri::App<MockRuntime>,
    dir: tempfile::TempDir,
}

impl App {
    /// A fresh app with an empty data folder.
    pub fn new() -> Self {
        Self::in_dir(tempfile::tempdir().unwrap())
    }

    /// The same data folder in a new app, as after closing and starting the app again.
    pub fn restart(self) -> Self {
        let Self { window, app, dir } = self;
        drop(window);
        drop(app);
        Self::in_dir(dir)
    }

    fn in_dir(dir: tempfile::TempDir) -> Self {
        let app = zweifaktor_app_lib::with_commands(mock_builder())
            .manage(AppState::new(dir.path().to_path_buf()))
            .build(mock_context(noop_assets()))
            .unwrap();
        let window = WebviewWindowBuilder::new(&app, "main", Default::default())
            .build()
            .unwrap();
        Self { window, app, dir }
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
