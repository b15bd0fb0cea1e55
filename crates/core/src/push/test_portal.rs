//! Test kit for the push client: a fixed portal key, device session and challenge, and
//! portals on 127.0.0.1 that answer with hand-written HTTP, so tests control every byte.
#![allow(clippy::unwrap_used)]

use std::future::Future;

use ed25519_dalek::SigningKey;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use zweifaktor_protocol::messages::{
    Challenge, ChallengeId, DeviceId, DeviceToken, LoginContext, Nonce, ProtocolV1,
};

use super::{PortalBinding, PortalSession};
use crate::accounts::AccountId;

/// The tests' clock: challenges are issued at this time.
pub(crate) const NOW: u64 = 1_764_000_000;

/// A fixed Ed25519 key, one per `byte`.
pub(crate) fn key(byte: u8) -> SigningKey {
    SigningKey::from_bytes(&[byte; 32])
}

/// A session with the portal at `url` whose pinned key is `portal`'s, for
/// `erika@example.org`, with device token `device-token`.
pub(crate) fn session(url: &str, portal: &SigningKey) -> PortalSession {
    PortalBinding::new(
        url.into(),
        portal.verifying_key(),
        DeviceId::parse("5f0c8a9e-3b1d-4c2e-9f7a-1b2c3d4e5f60").unwrap(),
        DeviceToken::new("device-token".into()),
        key(9),
    )
    .session(
        AccountId::random(),
        "erika@example.org".into(),
        "Portal:erika@example.org".into(),
    )
}

/// Challenge number `id` for `erika@example.org`, issued at [`NOW`] for a login at
/// `login_time`.
pub(crate) fn challenge(id: u8, login_time: u64) -> Challenge {
    Challenge {
        v: ProtocolV1,
        id: ChallengeId::from_random_bytes([id; 16]),
        account: "erika@example.org".into(),
        nonce: Nonce([id; 32]),
        issued_at: NOW,
        expires_at: NOW + 300,
        context: LoginContext {
            time: login_time,
            ip: "127.0.0.1".into(),
            user_agent: "Firefox".into(),
            portal: "Zweifaktor Portal".into(),
        },
    }
}

/// A portal that answers one request with `status` and `body`, and hands back the
/// request it received (head and body as text).
pub(crate) async fn one_shot_portal(
    status: &str,
    body: String,
) -> (String, oneshot::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let (tx, rx) = oneshot::channel();
    let status = status.to_owned();
    tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = conn.read(&mut buf).await.unwrap();
            request.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&request).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text
                    .lines()
                    .find_map(|l| {
                        l.to_lowercase()
                            .strip_prefix("content-length: ")
                            .map(str::to_owned)
                    })
                    .map_or(0, |v| v.trim().parse::<usize>().unwrap());
                if request.len() >= end + 4 + length {
                    break;
                }
            }
            if n == 0 {
                break;
            }
        }
        let response = format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(response.as_bytes()).await.unwrap();
        let _ = tx.send(String::from_utf8_lossy(&request).to_string());
    });
    (url, rx)
}

/// Reads one request's head (up to the blank line) from `conn`; the push client sends
/// requests without a body to the stream and poll paths.
pub(crate) async fn read_head(conn: &mut TcpStream) {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = conn.read(&mut buf).await.unwrap();
        if n == 0 {
            return;
        }
        head.extend_from_slice(&buf[..n]);
    }
}

/// A portal that serves connection after connection, each by `respond(number, connection)`
/// (numbered from 0) once the request head has been read. Returns its base URL.
pub(crate) async fn raw_portal<F, Fut>(respond: F) -> String
where
    F: Fn(usize, TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    tokio::spawn(async move {
        for number in 0.. {
            let (mut conn, _) = listener.accept().await.unwrap();
            read_head(&mut conn).await;
            tokio::spawn(respond(number, conn));
        }
    });
    url
}

/// How long a test waits for a client that should have given up on an endless answer long
/// before: not a timing assertion, only a guard so that a client without a bound fails the
/// test instead of hanging it (parsing an endless event gets slower with every chunk).
pub(crate) const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(60);

/// Most bytes [`write_endless`] sends before it gives up on the client hanging up: far
/// above every bound of the client, so stopping earlier shows the client stopped reading.
pub(crate) const ENDLESS_STOP: usize = 64 * 1024 * 1024;

/// Writes `head`, then `filler` bytes without a line break until the client hangs up or
/// [`ENDLESS_STOP`] bytes are out, then closes; returns how many filler bytes were written.
pub(crate) async fn write_endless(mut conn: TcpStream, head: &str, filler: u8) -> usize {
    conn.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![filler; 16 * 1024];
    let mut written = 0;
    while written < ENDLESS_STOP {
        if conn.write_all(&chunk).await.is_err() {
            break;
        }
        written += chunk.len();
    }
    written
}
