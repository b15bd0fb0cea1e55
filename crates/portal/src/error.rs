//! The web layer's error: every failure a handler can meet, mapped to a status code and a
//! short German/English message. Internal details are logged once here and never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::accounts::AccountError;
use crate::keys::KeyError;
use crate::password::{BUSY_RETRY_AFTER_SECS, PasswordError};
use crate::storage::StorageError;

/// Errors of the portal's request handlers.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A page template failed to render.
    #[error("template: {0}")]
    Template(#[from] askama::Error),
    /// Password hashing failed (a full hashing pool is [`AppError::Busy`] instead).
    #[error(transparent)]
    Password(PasswordError),
    /// A key operation failed (e.g. a stored seed did not decrypt).
    #[error(transparent)]
    Key(#[from] KeyError),
    /// An account operation failed.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A stored record is malformed (a damaged row, not a client mistake).
    #[error("stored record malformed: {0}")]
    Corrupt(&'static str),
    /// A challenge could not be signed.
    #[error("signing failed: {0}")]
    Envelope(#[from] zweifaktor_protocol::envelope::EnvelopeError),
    /// The enrollment URI is too long for a QR code (an overly long public URL or issuer).
    #[error("enrollment URI does not fit in a QR code")]
    QrCode,
    /// A form arrived without the session's CSRF token.
    #[error("CSRF token missing or wrong")]
    Csrf,
    /// No such page or object.
    #[error("not found")]
    NotFound,
    /// Too many attempts; the client may retry after this many seconds.
    #[error("rate limited for {0} s")]
    RateLimited(u64),
    /// The server is at its limit of expensive work (every password-hashing slot taken);
    /// the client may retry after this many seconds.
    #[error("server busy; retry after {0} s")]
    Busy(u64),
    /// A device request without a valid device token.
    #[error("device token missing, unknown or revoked")]
    Unauthorized,
    /// A request whose content is unusable (bad JSON, bad signature, bad key).
    #[error("invalid request: {0}")]
    InvalidRequest(&'static str),
    /// A replayed or outdated answer, or a challenge that is no longer open.
    #[error("conflict: {0}")]
    Conflict(&'static str),
}

impl AppError {
    /// The HTTP status for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Storage(_)
            | Self::Template(_)
            | Self::Password(_)
            | Self::Key(_)
            | Self::Account(_)
            | Self::Corrupt(_)
            | Self::Envelope(_)
            | Self::QrCode => StatusCode::INTERNAL_SERVER_ERROR,
            Self::Csrf => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::InvalidRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
        }
    }

    /// A stable machine-readable code (the device API's `error` field).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Storage(_)
            | Self::Template(_)
            | Self::Password(_)
            | Self::Key(_)
            | Self::Account(_)
            | Self::Corrupt(_)
            | Self::Envelope(_)
            | Self::QrCode => "internal",
            Self::Csrf => "csrf",
            Self::NotFound => "not_found",
            Self::RateLimited(_) => "rate_limited",
            Self::Busy(_) => "busy",
            Self::Unauthorized => "unauthorized",
            Self::InvalidRequest(_) => "invalid_request",
            Self::Conflict(_) => "conflict",
        }
    }

    /// The message for people, in German and English.
    pub fn user_message(&self) -> (&'static str, &'static str) {
        match self {
            Self::Storage(_)
            | Self::Template(_)
            | Self::Password(_)
            | Self::Key(_)
            | Self::Account(_)
            | Self::Corrupt(_)
            | Self::Envelope(_)
            | Self::QrCode => (
                "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
                "An internal error occurred. Please try again later.",
            ),
            Self::Csrf => (
                "Die Anfrage wurde abgelehnt, weil das Formular abgelaufen ist. Bitte laden Sie die Seite neu.",
                "The request was refused because the form has expired. Please reload the page.",
            ),
            Self::NotFound => ("Diese Seite gibt es nicht.", "This page does not exist."),
            Self::RateLimited(_) => (
                "Zu viele Versuche. Bitte warten Sie einen Moment und versuchen Sie es dann erneut.",
                "Too many attempts. Please wait a moment and try again.",
            ),
            Self::Busy(_) => (
                "Der Dienst ist gerade ausgelastet. Bitte versuchen Sie es in einem Moment erneut.",
                "The service is busy right now. Please try again in a moment.",
            ),
            Self::Unauthorized => ("Nicht angemeldet.", "Not authenticated."),
            Self::InvalidRequest(_) => ("Ungültige Anfrage.", "Invalid request."),
            Self::Conflict(_) => (
                "Die Anfrage ist veraltet oder wurde bereits verarbeitet.",
                "The request is outdated or was already processed.",
            ),
        }
    }

    fn log(&self) {
        match self.status() {
            StatusCode::INTERNAL_SERVER_ERROR => {
                tracing::error!(error = %error_chain(self), "request failed");
            }
            status => tracing::info!(%status, reason = %self, "request refused"),
        }
    }

    fn retry_after(&self, response: &mut Response) {
        if let Self::RateLimited(secs) | Self::Busy(secs) = self
            && let Ok(value) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
    }

    /// The JSON form used by the device API: `{"error": CODE, "message": ENGLISH}`.
    pub fn into_json_response(self) -> Response {
        self.log();
        let body = serde_json::json!({ "error": self.code(), "message": self.user_message().1 });
        let mut response = (self.status(), axum::Json(body)).into_response();
        self.retry_after(&mut response);
        response
    }
}

/// An error and its causes, outermost first, joined by `: ` (for logs and the command line:
/// every error here names its cause only as its source, never in its own text).
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(next) = cause {
        text.push_str(": ");
        text.push_str(&next.to_string());
        cause = next.source();
    }
    text
}

impl From<PasswordError> for AppError {
    /// A full hashing pool is the client's cue to come back shortly (503), not a server fault.
    fn from(e: PasswordError) -> Self {
        match e {
            PasswordError::Busy => Self::Busy(BUSY_RETRY_AFTER_SECS),
            other => Self::Password(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let (de, en) = self.user_message();
        let status = self.status();
        let body = format!(
            "<!doctype html><html lang=\"de\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>Fehler {code} / Error</title><link rel=\"stylesheet\" href=\"/static/style.css\">\
             </head><body><main><h1>Fehler {code}</h1><p role=\"alert\">{de}</p>\
             <p lang=\"en\">{en}</p><p><a href=\"/\">Zur Startseite / Home</a></p></main></body></html>",
            code = status.as_u16()
        );
        let mut response = (status, Html(body)).into_response();
        self.retry_after(&mut response);
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt as _;

    #[tokio::test]
    async fn rate_limit_has_retry_after_and_both_languages() {
        let response = AppError::RateLimited(7).into_response();
        assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(response.headers()[header::RETRY_AFTER], "7");
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("Zu viele Versuche") && text.contains("Too many attempts"));
    }

    /// Regression (issue 9, finding 2): a full hashing pool is a 503 with `Retry-After`, in
    /// both languages on pages and as the device API's JSON error.
    #[tokio::test]
    async fn a_full_hash_pool_is_a_503_with_retry_after() {
        let page = AppError::from(PasswordError::Busy).into_response();
        assert_eq!(page.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            page.headers()[header::RETRY_AFTER],
            BUSY_RETRY_AFTER_SECS.to_string().as_str()
        );
        let body = page.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            text.contains("ausgelastet") && text.contains("busy right now"),
            "{text}"
        );
        let json = AppError::from(PasswordError::Busy).into_json_response();
        assert_eq!(json.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert!(json.headers().contains_key(header::RETRY_AFTER));
        let body = json.into_body().collect().await.unwrap().to_bytes();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(value["error"], "busy");
        assert!(matches!(
            AppError::from(PasswordError::AlreadyInstalled),
            AppError::Password(_)
        ));
    }

    #[test]
    fn the_chain_names_every_cause() {
        let err = AppError::Storage(StorageError::Batch(std::sync::Arc::new(
            StorageError::WriterStopped,
        )));
        assert_eq!(
            error_chain(&err),
            "the write's transaction failed: the database writer has stopped"
        );
    }

    #[tokio::test]
    async fn internal_details_are_not_sent() {
        let err = AppError::Storage(StorageError::UnsupportedUrl);
        let response = err.into_json_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("unsupported"), "{text}");
        assert!(text.contains("\"internal\""));
    }
}
