//! Links that open the app: a tapped `otpauth://`, `otpauth-migration://` or `pia://` link
//! (tauri-plugin-deep-link on Android, iOS and macOS; on Linux and Windows the link is the
//! program's argument) and, on the desktop, a second start of the program, which
//! tauri-plugin-single-instance hands to the running app before it exits.
//!
//! This module only wires the plugins to the core: [`receive`] puts each link into the core's
//! [`LinkInbox`](zweifaktor_core::links::LinkInbox) (which link is accepted, the newest one
//! kept) and tells the window; [`take_when_open`] hands it to the add flow once the vault is
//! open (`open_link`), so a link that arrived while the app was locked is shown after the PIN,
//! and nothing is saved before the user confirms its preview. The link itself never reaches
//! the window: the window holds no deep-link permission and does not listen to the plugin's
//! event.

use tauri::{AppHandle, Builder, Emitter, Manager, Runtime};
use tauri_plugin_deep_link::DeepLinkExt;
use zeroize::Zeroizing;

use crate::error::CommandError;
use crate::state::AppState;

/// The event that tells the window a link arrived; it carries nothing, the window asks for
/// what to show with `open_link`.
pub const LINK_EVENT: &str = "link";

/// The label of the app's one window (`tauri.conf.json`).
#[cfg(desktop)]
const MAIN_WINDOW: &str = "main";

/// Adds the link plugins; goes first on the builder, since a second start must hand its link
/// over and exit before the rest of the app starts.
pub fn plugins<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    #[cfg(desktop)]
    let builder = builder.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        // With the `deep-link` feature the plugin has already handed a link among the
        // arguments to the deep-link plugin, whose event reaches `receive`.
        bring_forward(app);
    }));
    builder.plugin(tauri_plugin_deep_link::init())
}

/// Connects the deep-link plugin to [`receive`]: the link the app was started with, and every
/// later one. Called once the app's state is managed.
pub fn wire<R: Runtime>(app: &tauri::App<R>) {
    let handle = app.handle().clone();
    app.deep_link().on_open_url(move |event| {
        for url in event.urls() {
            receive(&handle, url.as_str());
        }
    });
    match app.deep_link().get_current() {
        Ok(Some(urls)) => {
            for url in urls {
                receive(app.handle(), url.as_str());
            }
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(%err, "could not read the link the app was started with"),
    }
    register_schemes(app);
}

/// A link arrived: the core reads and keeps it, the window is told and brought forward. The
/// log names the scheme or the refusal, never the link.
pub fn receive<R: Runtime>(app: &AppHandle<R>, raw: &str) {
    let state = app.state::<AppState>();
    match state.links().receive(raw) {
        Ok(kind) => tracing::info!(scheme = kind.scheme(), "link received"),
        Err(err) => tracing::info!(%err, "link refused"),
    }
    bring_forward(app);
    if let Err(err) = app.emit(LINK_EVENT, ()) {
        tracing::warn!(%err, "could not tell the window about a link");
    }
}

/// The waiting link, once, if the vault is open; while it is locked the link stays for after
/// the PIN.
///
/// # Errors
/// [`CommandError::LOCKED_APP`] while locked; the refusal of a link the core did not accept.
pub fn take_when_open(state: &AppState) -> Result<Option<Zeroizing<String>>, CommandError> {
    match state.with_session(|_| Ok(state.links().take()))? {
        None => Ok(None),
        Some(Ok(link)) => Ok(Some(link.into_uri())),
        Some(Err(refusal)) => Err(refusal.into()),
    }
}

/// Shows the window, restored and focused, over whatever the user was doing.
#[cfg(desktop)]
fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    let shown = window
        .unminimize()
        .and_then(|()| window.show())
        .and_then(|()| window.set_focus());
    if let Err(err) = shown {
        tracing::debug!(%err, "could not bring the window forward");
    }
}

/// Phones bring the app forward themselves when it opens a link.
#[cfg(mobile)]
fn bring_forward<R: Runtime>(_app: &AppHandle<R>) {}

/// An AppImage has no install step that would tell the desktop it opens these schemes (a
/// `.deb` or `.rpm` does, through its `.desktop` file; the Windows installers write the
/// registry), so it registers them itself at each start, as tauri-plugin-deep-link advises.
#[cfg(target_os = "linux")]
fn register_schemes<R: Runtime>(app: &tauri::App<R>) {
    if app.env().appimage.is_some()
        && let Err(err) = app.deep_link().register_all()
    {
        tracing::warn!(%err, "could not register the app for its link schemes");
    }
}

/// Elsewhere the platform registers the schemes at install time (Windows installers, macOS,
/// Android and iOS from the app's manifest).
#[cfg(not(target_os = "linux"))]
fn register_schemes<R: Runtime>(_app: &tauri::App<R>) {}

#[cfg(test)]
mod tests {
    use zweifaktor_core::links::SCHEMES;

    /// The schemes the build registers (`tauri.conf.json`) are the ones the core opens, on
    /// the desktop and on phones.
    #[test]
    fn the_configured_schemes_are_the_cores() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).unwrap();
        let deep_link = &config["plugins"]["deep-link"];
        let core: Vec<&str> = SCHEMES.iter().map(|(scheme, _)| *scheme).collect();
        let desktop: Vec<&str> = deep_link["desktop"]["schemes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(desktop, core);
        let mobile = deep_link["mobile"].as_array().unwrap();
        assert_eq!(mobile.len(), 1);
        let phone: Vec<&str> = mobile[0]["scheme"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(phone, core);
        assert_eq!(mobile[0]["appLink"], false);
    }
}
