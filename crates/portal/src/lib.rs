//! Zweifaktor's reference portal: the login pages of a web portal with push two-factor
//! authentication, the device API the Zweifaktor app talks to, and an operator CLI.
//!
//! A login runs in two steps. The password step creates a *login* (the challenge, with a
//! random nonce) and pushes it to the user's devices; the code step accepts the OCRA code for
//! that nonce (or the current TOTP code) and opens the dashboard.
//!
//! # Layout
//! - [`login`]: the browser login's rules (stages, the password step, the shared
//!   second-factor rules, enrollment, password change), one transaction per step.
//! - [`accounts`]: accounts, enrollment URIs, 2FA reset, recovery codes.
//! - [`config`]: settings of an instance.
//! - [`state`]: [`AppState`], shared by all handlers.
//! - [`storage`]: SQLite (one writer thread, group commit) or PostgreSQL behind one interface of
//!   closures, and the migrations.
//! - [`keys`]: the signing key and the seed-encryption key, in files beside the database.
//! - [`password`]: Argon2id hashing.
//! - [`tokens`]: random ids, bearer tokens and their hashes, recovery codes.
//! - [`ratelimit`]: per-account and per-address token buckets.
//! - [`hub`]: fan-out of new challenges (in-process, or PostgreSQL NOTIFY between instances).
//! - [`clock`]: injected time.
//! - [`codes`]: the security-code check (OCRA for the challenge, TOTP fallback).
//! - [`i18n`]: German and English texts.
//! - [`error`]: [`error::AppError`], the web layer's error.
//! - [`wakeup`]: the wake-up webhook for push services.
//! - [`web`]: routers, pages and the device API; [`app`] builds the router, [`run`] serves it.
//! - [`server`]: the serve loop with its connection cap and header-read timeout.

pub mod accounts;
pub mod clock;
pub mod codes;
pub mod config;
pub mod error;
pub mod hub;
pub mod i18n;
pub mod keys;
pub mod login;
pub mod password;
pub mod ratelimit;
pub mod server;
pub mod state;
pub mod storage;
pub mod tokens;
pub mod wakeup;
pub mod web;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use zweifaktor_protocol::messages::ANSWER_MAX_SKEW_SECS;

pub use state::{AppState, StartError};
pub use web::app;

/// How often expired sessions, answer nonces and enroll tokens are deleted.
pub const MAINTENANCE_INTERVAL: Duration = Duration::from_secs(10 * 60);

/// Deletes records nobody can use any more: expired sessions, enroll tokens, answer nonces
/// older than twice the allowed answer skew, and rate-limit buckets that have refilled.
pub async fn maintenance(state: &AppState) -> Result<(), storage::StorageError> {
    let now = state.now();
    let purged = state.db.purge_sessions(now).await?;
    let skew = i64::try_from(ANSWER_MAX_SKEW_SECS).unwrap_or(i64::MAX);
    state
        .db
        .purge_device_records(now.saturating_sub(2 * skew))
        .await?;
    let buckets = state.limiter.purge(now);
    tracing::debug!(purged, buckets, "maintenance done");
    Ok(())
}

/// Serves the portal on `listener` within the configured connection limits until `shutdown`
/// completes, then lets open requests finish (graceful shutdown) and closes the database.
pub async fn run(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let router = app(Arc::clone(&state));
    let janitor = {
        let state = Arc::clone(&state);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(MAINTENANCE_INTERVAL);
            loop {
                tick.tick().await;
                if let Err(e) = maintenance(&state).await {
                    tracing::warn!(error = %e, "maintenance failed");
                }
            }
        })
    };
    tracing::info!(address = ?listener.local_addr().ok(), url = %state.config.public_url, "portal listening");
    let stopping = {
        let state = Arc::clone(&state);
        async move {
            shutdown.await;
            state.stopping.send_replace(true);
        }
    };
    server::serve(listener, router, state.config.connections, stopping).await;
    janitor.abort();
    state.db.close().await;
    tracing::info!("portal stopped");
    Ok(())
}
