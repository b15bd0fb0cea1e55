//! Who is asking: the client address (for rate limits and the sign-in list) and browser.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;

use crate::state::AppState;

/// Longest User-Agent kept; longer ones are cut so the sign-in list stays readable.
const MAX_USER_AGENT: usize = 160;

/// Address and browser of the request.
#[derive(Debug, Clone)]
pub struct Client {
    /// Peer IP address, or `unknown` when the server was not started with connect info.
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
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| {
                parts
                    .headers
                    .get("x-forwarded-for")
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.rsplit(',').next())
                    .map(|ip| ip.trim().to_string())
                    .filter(|ip| ip.parse::<std::net::IpAddr>().is_ok())
            })
            .flatten();
        let ip = forwarded.unwrap_or_else(|| {
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map_or_else(|| "unknown".to_string(), |c| c.0.ip().to_string())
        });
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
