//! The simulated browsers' HTTP/1.1 client: keep-alive connections to the portal shared by
//! all logins, and per login only what a browser keeps of its own (cookies, user agent,
//! client address).
//!
//! The tool shares the machine's cores with the portal, so its own CPU per request bounds
//! what a run can show. reqwest gave every login a client of its own (a cookie store that
//! parses and re-serialises cookies, a URL parse per request, a connection pool, a redirect
//! policy): about 150 µs of the tool's CPU per code check on the load-test machine. Here a
//! request is one `hyper` call on a connection taken from a shared stack (most recently used
//! first, so the warm ones serve), a cookie header joined from a few strings, and the answer
//! read whole.

use std::net::SocketAddr;
use std::sync::{Mutex, PoisonError};

use http_body_util::{BodyExt as _, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::{self, SendRequest};
use hyper::header::{self, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::rt::TokioIo;

/// Errors of one request.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    /// No connection to the portal (it is down, or restarting).
    #[error("cannot connect to the portal")]
    Connect(#[source] std::io::Error),
    /// The connection failed while sending or receiving.
    #[error("HTTP exchange failed")]
    Exchange(#[from] hyper::Error),
    /// A header value the tool built is not valid in HTTP.
    #[error("invalid header value")]
    Header(#[from] header::InvalidHeaderValue),
    /// A form field could not be encoded.
    #[error("cannot encode the form")]
    Form(#[from] serde_urlencoded::ser::Error),
    /// The request could not be built.
    #[error("invalid request")]
    Request(#[from] hyper::http::Error),
}

/// One answer, read whole.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: StatusCode,
    /// The `Location` header, if any.
    pub location: Option<String>,
    /// The body.
    pub body: Bytes,
}

impl Answer {
    /// The body as text (empty if it is not UTF-8).
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or_default()
    }
}

/// What one simulated browser keeps: its cookies and the headers that identify it.
#[derive(Debug)]
pub struct Browser {
    agent: HeaderValue,
    forwarded: HeaderValue,
    cookies: Vec<(String, String)>,
}

impl Browser {
    /// A browser without cookies that sends `agent` as its user agent, behind a proxy that
    /// reports `address` as the client (`X-Forwarded-For`).
    pub fn new(agent: &str, address: &str) -> Result<Self, HttpError> {
        Ok(Self {
            agent: HeaderValue::from_str(agent)?,
            forwarded: HeaderValue::from_str(address)?,
            cookies: Vec::new(),
        })
    }

    /// The `Cookie` header for the cookies kept now.
    fn cookie_header(&self) -> Option<String> {
        if self.cookies.is_empty() {
            return None;
        }
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        Some(pairs.join("; "))
    }

    /// Keeps (or with `Max-Age=0` forgets) the cookie of one `Set-Cookie` header.
    fn set_cookie(&mut self, line: &str) {
        let mut parts = line.split(';');
        let Some((name, value)) = parts.next().and_then(|pair| pair.trim().split_once('=')) else {
            return;
        };
        let expired = parts.any(|attribute| attribute.trim().eq_ignore_ascii_case("max-age=0"));
        self.cookies.retain(|(kept, _)| kept != name);
        if !expired {
            self.cookies.push((name.to_string(), value.to_string()));
        }
    }
}

/// Keep-alive connections to one portal, shared by every browser.
#[derive(Debug)]
pub struct Http {
    addr: SocketAddr,
    host: HeaderValue,
    idle: Mutex<Vec<SendRequest<Full<Bytes>>>>,
}

impl Http {
    /// A client for the portal at `addr`.
    pub fn new(addr: SocketAddr) -> Result<Self, HttpError> {
        Ok(Self {
            addr,
            host: HeaderValue::from_str(&addr.to_string())?,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// `GET path` as `browser`.
    pub async fn get(&self, browser: &mut Browser, path: &str) -> Result<Answer, HttpError> {
        self.send(browser, Method::GET, path, None).await
    }

    /// `POST path` of a form with `fields` as `browser`.
    pub async fn post_form(
        &self,
        browser: &mut Browser,
        path: &str,
        fields: &[(&str, &str)],
    ) -> Result<Answer, HttpError> {
        let body = serde_urlencoded::to_string(fields)?;
        self.send(browser, Method::POST, path, Some(body)).await
    }

    async fn send(
        &self,
        browser: &mut Browser,
        method: Method,
        path: &str,
        form: Option<String>,
    ) -> Result<Answer, HttpError> {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, &self.host)
            .header(header::USER_AGENT, &browser.agent)
            .header("x-forwarded-for", &browser.forwarded);
        if let Some(cookies) = browser.cookie_header() {
            request = request.header(header::COOKIE, cookies);
        }
        let body = match form {
            Some(form) => {
                request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Full::new(Bytes::from(form))
            }
            None => Full::new(Bytes::new()),
        };
        let mut request = request.body(body)?;
        // A kept connection the portal has closed meanwhile (idle timeout) hands the request
        // back unsent; it then goes out on the next connection, or a new one.
        let (mut sender, response) = loop {
            let mut sender = self.connection().await?;
            match sender.try_send_request(request).await {
                Ok(response) => break (sender, response),
                Err(mut failed) => match failed.take_message() {
                    Some(unsent) => request = unsent,
                    None => return Err(failed.into_error().into()),
                },
            }
        };
        let status = response.status();
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        for line in response.headers().get_all(header::SET_COOKIE) {
            if let Ok(line) = line.to_str() {
                browser.set_cookie(line);
            }
        }
        let body = response.into_body().collect().await?.to_bytes();
        if sender.ready().await.is_ok() {
            self.idle().push(sender);
        }
        Ok(Answer {
            status,
            location,
            body,
        })
    }

    /// The most recently used open connection, or a new one.
    async fn connection(&self) -> Result<SendRequest<Full<Bytes>>, HttpError> {
        loop {
            let Some(sender) = self.idle().pop() else {
                break;
            };
            if !sender.is_closed() {
                return Ok(sender);
            }
        }
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(HttpError::Connect)?;
        stream.set_nodelay(true).map_err(HttpError::Connect)?;
        let (sender, connection) = http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(connection);
        Ok(sender)
    }

    fn idle(&self) -> std::sync::MutexGuard<'_, Vec<SendRequest<Full<Bytes>>>> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_kept_replaced_and_forgotten() {
        let mut browser = Browser::new("agent", "10.0.0.1").unwrap();
        assert_eq!(browser.cookie_header(), None);
        browser.set_cookie("a=1; Path=/; HttpOnly");
        browser.set_cookie("b=2");
        browser.set_cookie("a=3; Path=/");
        assert_eq!(browser.cookie_header().as_deref(), Some("b=2; a=3"));
        browser.set_cookie("b=; Path=/; Max-Age=0");
        assert_eq!(browser.cookie_header().as_deref(), Some("a=3"));
        browser.set_cookie("garbage");
        assert_eq!(browser.cookie_header().as_deref(), Some("a=3"));
    }
}
