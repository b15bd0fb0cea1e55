//! Copying a shown code: into the system clipboard (tauri-plugin-clipboard-manager), and out
//! of it again after [`CLEAR_AFTER`] if the clipboard still holds that code, so a code does not
//! linger where every other program can read it. Platforms that let the app neither read nor
//! clear the clipboard keep it; that is logged, never shown as a failure.
//!
//! The window gets no clipboard permission: it asks the shell to copy, and the shell alone
//! reads the clipboard back, only to compare it with what it copied.

use std::sync::Arc;
use std::time::Duration;

use tauri::{AppHandle, Runtime};
use tauri_plugin_clipboard_manager::ClipboardExt;
use zeroize::Zeroizing;

/// How long a copied code stays in the clipboard: two TOTP periods of 30 s, long enough to
/// paste it, short enough that it is gone before it could be used again much later.
pub const CLEAR_AFTER: Duration = Duration::from_secs(60);

/// Longest text the copy command takes: codes are at most 10 characters (RFC 4226 allows
/// up to 10 digits), so anything longer is not a code.
pub const MAX_CODE_CHARS: usize = 10;

/// Why the clipboard could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ClipboardError {
    /// This build has no clipboard (none configured, as in tests that do not need one).
    #[error("no clipboard is available")]
    Unavailable,
    /// The system clipboard refused.
    #[error("the system clipboard refused")]
    System(#[from] tauri_plugin_clipboard_manager::Error),
    /// The text is not a code the app shows.
    #[error("only codes are copied")]
    NotACode,
}

/// A clipboard: the system's, or one a test provides.
pub trait Clipboard: Send + Sync {
    /// Puts `text` into the clipboard.
    fn write_text(&self, text: &str) -> Result<(), ClipboardError>;
    /// The clipboard's text now.
    fn read_text(&self) -> Result<Zeroizing<String>, ClipboardError>;
    /// Empties the clipboard.
    fn clear(&self) -> Result<(), ClipboardError>;
}

/// The system clipboard through tauri-plugin-clipboard-manager.
pub struct SystemClipboard<R: Runtime>(AppHandle<R>);

impl<R: Runtime> SystemClipboard<R> {
    /// The clipboard of the app `app` (the plugin must be registered, see [`crate::with_commands`]).
    pub fn new(app: AppHandle<R>) -> Self {
        Self(app)
    }
}

impl<R: Runtime> Clipboard for SystemClipboard<R> {
    fn write_text(&self, text: &str) -> Result<(), ClipboardError> {
        Ok(self.0.clipboard().write_text(text)?)
    }

    fn read_text(&self) -> Result<Zeroizing<String>, ClipboardError> {
        Ok(Zeroizing::new(self.0.clipboard().read_text()?))
    }

    fn clear(&self) -> Result<(), ClipboardError> {
        Ok(self.0.clipboard().clear()?)
    }
}

/// No clipboard at all: every use fails with [`ClipboardError::Unavailable`].
pub struct NoClipboard;

impl Clipboard for NoClipboard {
    fn write_text(&self, _: &str) -> Result<(), ClipboardError> {
        Err(ClipboardError::Unavailable)
    }

    fn read_text(&self) -> Result<Zeroizing<String>, ClipboardError> {
        Err(ClipboardError::Unavailable)
    }

    fn clear(&self) -> Result<(), ClipboardError> {
        Err(ClipboardError::Unavailable)
    }
}

/// Copies `code` and starts the timer that clears it again after [`CLEAR_AFTER`].
pub fn copy(clipboard: Arc<dyn Clipboard>, code: Zeroizing<String>) -> Result<(), ClipboardError> {
    if code.is_empty()
        || code.chars().count() > MAX_CODE_CHARS
        || !code.chars().all(|c| c.is_ascii_alphanumeric())
    {
        return Err(ClipboardError::NotACode);
    }
    clipboard.write_text(&code)?;
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(CLEAR_AFTER).await;
        if clear_if_unchanged(clipboard.as_ref(), &code) {
            tracing::debug!("copied code cleared from the clipboard");
        }
    });
    Ok(())
}

/// Empties the clipboard if it still holds `code`; `true` if it did. Anything else the user
/// copied since is left alone.
pub fn clear_if_unchanged(clipboard: &dyn Clipboard, code: &str) -> bool {
    match clipboard.read_text() {
        Ok(now) if now.as_str() == code => match clipboard.clear() {
            Ok(()) => true,
            Err(err) => {
                tracing::info!(%err, "the clipboard could not be cleared");
                false
            }
        },
        Ok(_) => false,
        Err(err) => {
            tracing::info!(%err, "the clipboard could not be read back");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[derive(Default)]
    struct Memory(Mutex<String>);

    impl Clipboard for Memory {
        fn write_text(&self, text: &str) -> Result<(), ClipboardError> {
            *self.0.lock().unwrap() = text.to_owned();
            Ok(())
        }
        fn read_text(&self) -> Result<Zeroizing<String>, ClipboardError> {
            Ok(Zeroizing::new(self.0.lock().unwrap().clone()))
        }
        fn clear(&self) -> Result<(), ClipboardError> {
            self.0.lock().unwrap().clear();
            Ok(())
        }
    }

    #[test]
    fn the_code_is_cleared_only_while_the_clipboard_still_holds_it() {
        let memory = Memory::default();
        memory.write_text("123456").unwrap();
        assert!(clear_if_unchanged(&memory, "123456"));
        assert_eq!(memory.read_text().unwrap().as_str(), "");
        memory
            .write_text("something the user copied since")
            .unwrap();
        assert!(!clear_if_unchanged(&memory, "123456"));
        assert_eq!(
            memory.read_text().unwrap().as_str(),
            "something the user copied since"
        );
    }

    #[test]
    fn a_clipboard_that_cannot_be_read_is_left_alone() {
        assert!(!clear_if_unchanged(&NoClipboard, "123456"));
    }

    #[test]
    fn only_codes_are_copied() {
        let memory: Arc<dyn Clipboard> = Arc::new(Memory::default());
        for text in ["", "12345678901", "otpauth://totp/x", "123 456"] {
            assert!(
                matches!(
                    copy(memory.clone(), Zeroizing::new(text.into())),
                    Err(ClipboardError::NotACode)
                ),
                "{text:?}"
            );
        }
        assert!(matches!(
            copy(Arc::new(NoClipboard), Zeroizing::new("123456".into())),
            Err(ClipboardError::Unavailable)
        ));
    }
}
