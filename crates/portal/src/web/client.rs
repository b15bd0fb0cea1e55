//! Who is asking: the client address (for rate limits and the sign-in list) and browser.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use super::forwarded::ProxyTrust;
use crate::state::AppState;

/// Longest User-Agent kept; longer ones are cut so the sign-in list stays readable.
const MAX_USER_AGENT: usize = 160;

/// Address and browser of the request.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's IP address (behind trusted proxies, from `X-Forwarded-For`: see
    /// [`super::forwarded`]), or `unknown` when the server was not started with connect info.
    pub ip: String,
    /// The `User-Agent` header, shortened.
    pub user_agent: String,
}

impl FromRequestParts<Arc<AppState>> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &Arc<AppState>,
    ) -> Result<Self, Self::Rejection> {
        let trust = ProxyTrust {
            trust_peer: state.config.trust_forwarded_for,
            trusted: &state.config.trusted_proxies,
        };
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or_else(
                || "unknown".to_string(),
                |peer| {
                    trust
                        .client_address(peer.0.ip(), &parts.headers)
                        .to_string()
                },
            );
        let user_agent: String = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .chars()
            .take(MAX_USER_AGENT)
            .collect();
        Ok(Self { ip, user_agent })
    }
}
