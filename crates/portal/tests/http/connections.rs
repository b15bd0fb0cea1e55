//! Idle and slow connections against an in-process portal with a small connection cap and
//! a short header-read timeout.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use zweifaktor_portal::server::ConnectionLimits;

use crate::common::{Portal, browser, login};
use crate::phone::{next_challenge_or_end, registered_phone};

/// Connections the test portal serves at once.
const CAP: usize = 50;
/// Idle sockets the attacker opens: six times the cap, as many as the review used.
const IDLE_SOCKETS: usize = 300;
/// The test portal's header-read timeout: short, so the test sees it act.
const HEADER_TIMEOUT: Duration = Duration::from_secs(1);
/// Failure bound for anything the test waits for (never asserted as a duration).
const PATIENCE: Duration = Duration::from_secs(60);

async fn portal() -> Portal {
    Portal::start_custom(tempfile::tempdir().unwrap(), |config| {
        config.connections = ConnectionLimits {
            max_connections: CAP,
            header_read_timeout: HEADER_TIMEOUT,
        };
    })
    .await
}

/// Reads until the server closes the connection; what it sent before.
async fn until_closed(socket: &mut TcpStream) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(PATIENCE, socket.read(&mut buf))
            .await
            .expect("the server closes an idle connection")
        {
            Ok(0) | Err(_) => return received,
            Ok(n) => received.extend_from_slice(&buf[..n]),
        }
    }
}

/// Regression (issue 9, finding 3): 300 silent or half-sent connections (six times the cap)
/// neither keep a normal request from its answer nor stay open: the server closes each after
/// the header-read timeout.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_sockets_neither_starve_a_request_nor_stay_open() {
    let portal = portal().await;
    let address = portal.url.trim_start_matches("http://").to_string();
    let mut idle = Vec::with_capacity(IDLE_SOCKETS);
    for n in 0..IDLE_SOCKETS {
        let mut socket = TcpStream::connect(&address).await.unwrap();
        if n % 3 == 0 {
            // Slowloris: a request head that never ends.
            socket
                .write_all(b"GET / HTTP/1.1\r\nHost: portal\r\n")
                .await
                .unwrap();
        }
        idle.push(socket);
    }
    let started = Instant::now();
    let answer = tokio::time::timeout(PATIENCE, browser().get(portal.at("/")).send())
        .await
        .expect("a normal request is answered despite the idle sockets")
        .unwrap();
    assert_eq!(answer.status(), 200);
    eprintln!(
        "normal request answered {:?} after {IDLE_SOCKETS} idle sockets (cap {CAP}, timeout {HEADER_TIMEOUT:?})",
        started.elapsed()
    );
    for socket in &mut idle {
        until_closed(socket).await;
    }
    eprintln!(
        "all idle sockets closed by the server {:?} after the first",
        started.elapsed()
    );
}

/// Regression (issue 9, finding 3): a kept-alive connection that goes quiet after a request
/// is closed after the timeout.
#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed() {
    let portal = portal().await;
    let mut socket = TcpStream::connect(portal.url.trim_start_matches("http://"))
        .await
        .unwrap();
    socket
        .write_all(b"GET / HTTP/1.1\r\nHost: portal\r\n\r\n")
        .await
        .unwrap();
    let received = until_closed(&mut socket).await;
    assert!(
        received.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&received)
    );
}

/// A device's event stream is a response in progress, not an idle connection: it outlives
/// several header-read timeouts and still delivers the next challenge.
#[tokio::test]
async fn an_event_stream_outlives_the_header_timeout() {
    let portal = portal().await;
    let phone = registered_phone(&portal, "stream-idle@example.org", "pw").await;
    let mut stream = phone.stream().await;
    assert_eq!(stream.status(), 200);
    tokio::time::sleep(HEADER_TIMEOUT * 3).await;
    login(&portal, &browser(), "stream-idle@example.org", "pw").await;
    assert!(
        next_challenge_or_end(&mut stream, PATIENCE).await,
        "the stream is still open and delivers the challenge"
    );
}
