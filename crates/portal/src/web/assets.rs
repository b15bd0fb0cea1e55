//! The stylesheet and the small status script, compiled into the binary.

use std::sync::Arc;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

const STYLE: &str = include_str!("../../static/style.css");
const CODE_JS: &str = include_str!("../../static/code.js");

/// Routes of the static files.
pub fn router() -> Router<Arc<AppState>> {
    Router::new()
        .route(
            "/static/style.css",
            get(|| async {
                ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], STYLE).into_response()
            }),
        )
        .route(
            "/static/code.js",
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                    CODE_JS,
                )
                    .into_response()
            }),
        )
}
