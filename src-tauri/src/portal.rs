//! The app's side of registering with a portal: at set-up, and for a further portal's link.
//!
//! The rules live in the core (`zweifaktor_core::push`); this module only sequences them
//! around the app's state, and never holds the vault lock across a network wait. Challenges
//! are [`crate::challenges`]'s.

use zweifaktor_core::accounts::AccountSummary;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::push::{self, Enrollment, PushError};
use zweifaktor_core::{Authenticator, CoreError};
use zweifaktor_protocol::messages::Platform;

use crate::error::CommandError;
use crate::state::AppState;

/// The name this app registers under; the portal's dashboard shows it with the platform.
pub const DEVICE_LABEL: &str = "Zweifaktor App";

/// The platform reported at registration, chosen when the app is built.
pub fn platform() -> Platform {
    if cfg!(target_os = "android") {
        Platform::Android
    } else if cfg!(target_os = "ios") {
        Platform::Ios
    } else if cfg!(target_os = "macos") {
        Platform::Macos
    } else if cfg!(target_os = "windows") {
        Platform::Windows
    } else {
        Platform::Linux
    }
}

/// Creates the vault with `pin` from the kept set-up link. A link with the portal's `zf_`
/// parameters registers this device first; if that fails nothing is saved and the link stays
/// for another try. A link without them sets the app up offline.
pub async fn enroll(state: &AppState, pin: Pin) -> Result<AccountSummary, CommandError> {
    let enrollment = match prepare_or_enroll_offline(state, &pin)? {
        SetUp::Offline(summary) => return Ok(summary),
        SetUp::Register(enrollment) => *enrollment,
    };
    let registered = push::register(&enrollment).await.map_err(CoreError::from)?;
    let (auth, summary) = Authenticator::enroll_registered(
        &state.vault_path(),
        enrollment,
        registered,
        &pin,
        state.kdf(),
        state.clock(),
    )?;
    *state.pending() = None;
    *state.session() = Some(auth);
    Ok(summary)
}

/// Where the kept set-up link leads.
enum SetUp {
    /// The link names no portal: the app was set up offline right away.
    Offline(AccountSummary),
    /// The registration to send before the vault is created.
    Register(Box<Enrollment>),
}

/// Checks the kept link: a registration to send, or the offline set-up done at once.
fn prepare_or_enroll_offline(state: &AppState, pin: &Pin) -> Result<SetUp, CommandError> {
    let mut pending = state.pending();
    let uri = pending.as_ref().ok_or(CommandError::NO_ENROLLMENT)?.uri();
    match Enrollment::prepare(uri, DEVICE_LABEL, platform()) {
        Ok(enrollment) => {
            Authenticator::ensure_new(&state.vault_path())?;
            Ok(SetUp::Register(Box::new(enrollment)))
        }
        Err(CoreError::Push(PushError::NoPortal)) => {
            let (auth, summary) =
                Authenticator::enroll(&state.vault_path(), uri, pin, state.kdf(), state.clock())?;
            *pending = None;
            *state.session() = Some(auth);
            Ok(SetUp::Offline(summary))
        }
        Err(err) => Err(err.into()),
    }
}

/// Adds the account of an `otpauth://` link to the open vault. A Zweifaktor set-up link of a
/// portal (its `zf_` parameters) registers this device with that portal first, through the
/// same core steps as the first set-up ([`enroll`]): the same vault, the same PIN. If the
/// registration fails nothing is saved. Returns the account and whether it is portal-bound.
///
/// The vault lock is not held during the registration's network wait; if the app locks
/// meanwhile, the save fails with `app_locked` and the portal's link is spent.
pub async fn add_link(state: &AppState, uri: &str) -> Result<(AccountSummary, bool), CommandError> {
    let enrollment = state.with_session(|auth| {
        match auth.prepare_enrollment(uri, DEVICE_LABEL, platform()) {
            Ok(enrollment) => Ok(Some(enrollment)),
            Err(CoreError::Push(PushError::NoPortal)) => Ok(None),
            Err(err) => Err(err.into()),
        }
    })?;
    let Some(enrollment) = enrollment else {
        return state.with_session(|auth| Ok((auth.add_account(uri)?, false)));
    };
    let registered = push::register(&enrollment).await.map_err(CoreError::from)?;
    let summary = state.with_session(|auth| Ok(auth.finish_enrollment(enrollment, registered)?))?;
    tracing::info!(account = %summary.id, "registered with another portal");
    Ok((summary, true))
}
