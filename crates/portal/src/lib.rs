//! Zweifaktor's reference portal: the login pages of a web portal with push two-factor
//! authentication, the device API the Zweifaktor app talks to, and an operator CLI.
//!
//! A login runs in two steps. The password step creates a *login* (the challenge, with a
//! random nonce) and pushes it to the user's devices; the code step accepts the OCRA code for
//! that nonce (or the current TOTP code) and opens the dashboard.
//!
//! # Layout
//! - [`accounts`]: accounts, enrollment URIs, 2FA reset, recovery codes.
//! - [`config`]: settings of an instance.
//! - [`state`]: [`AppState`], shared by all handlers.
//! - [`storage`]: sqlx storage (SQLite or PostgreSQL) and migrations.
//! - [`keys`]: the signing key and the seed-encryption key, in files beside the database.
//! - [`password`]: Argon2id hashing.
//! - [`tokens`]: random ids, bearer tokens and their hashes, recovery codes.
//! - [`ratelimit`]: per-account and per-address token buckets.
//! - [`hub`]: in-process fan-out of new challenges.
//! - [`clock`]: injected time.
//! - [`codes`]: the security-code check (OCRA for the challenge, TOTP fallback).
//! - [`i18n`]: German and English texts.
//! - [`error`]: [`error::AppError`], the web layer's error.
//! - [`web`]: routers, pages and the device API; [`app`] builds the router, [`run`] serves it.

pub mod accounts;
pub mod clock;
pub mod codes;
pub mod config;
pub mod error;
pub mod hub;
pub mod i18n;
pub mod keys;
pub mod password;
pub mod ratelimit;
pub mod state;
pub mod storage;
pub mod tokens;
pub mod web;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

pub use state::{AppState, StartError};
pub use web::app;

/// Serves the portal on `listener` until `shutdown` completes, then lets open requests
/// finish (graceful shutdown) and closes the database.
pub async fn run(
    state: Arc<AppState>,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), StartError> {
    let router = app(Arc::clone(&state));
    tracing::info!(address = ?listener.local_addr().ok(), url = %state.config.public_url, "portal listening");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await?;
    state.db.close().await;
    tracing::info!("portal stopped");
    Ok(())
}
