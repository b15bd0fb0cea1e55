//! The HTTP/1.1 serve loop: a cap on open connections, a timeout for request heads (which in
//! hyper also closes idle kept-alive connections), the client address for every request,
//! and graceful shutdown.
//!
//! `axum::serve` had none of the first two: 300 idle sockets used up the file descriptors and
//! a normal request got no answer (issue 9, finding 3). Here a connection slot is taken
//! before `accept`, so when all are in use the loop stops accepting and new connections wait
//! in the kernel's backlog (no descriptor of ours) until a slot frees, instead of being
//! accepted and dropped. hyper's header-read timer runs whenever a connection waits for a
//! request head: on a new connection, and again after each response on a kept-alive one; a
//! connection silent for that long is closed. A response in progress, such as a device's
//! event stream, is not waiting for a head and is not affected.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use axum::http::Request;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// Longest wait for a complete request head, and so the longest a kept-alive connection may
/// sit idle between requests. A request head is a few hundred bytes, which any client sends
/// within a second; ten seconds leave room for a slow mobile link while a slow-header
/// ("Slowloris") client holds a slot for at most that long (OWASP Denial of Service Cheat
/// Sheet: set header and idle timeouts).
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// File descriptors kept free of connections for the database, key files, the listening
/// socket and outgoing webhook calls (SQLite opens a few per connection: file, WAL, shm).
pub const FD_RESERVE: u64 = 64;

/// Connection cap when the process's descriptor limit cannot be read: the common default
/// soft limit (`ulimit -n`) of Linux.
pub const FALLBACK_MAX_CONNECTIONS: usize = 1024;

/// Pause after an `accept` error that is not about one connection (such as running out of
/// descriptors), as hyper and axum do, so the loop does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_secs(1);

/// How many connections are served at once and how long one may wait for a request head.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// Connections open at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// See [`DEFAULT_HEADER_READ_TIMEOUT`].
    pub header_read_timeout: Duration,
}

impl Default for ConnectionLimits {
    fn default() -> Self {
        Self {
            max_connections: default_max_connections(),
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
        }
    }
}

/// The default connection cap: the process's soft descriptor limit minus [`FD_RESERVE`], so
/// connections can never take the descriptors the database needs. The load tool raises the
/// limit for its 10,000 device streams, and the cap follows.
pub fn default_max_connections() -> usize {
    rlimit::getrlimit(rlimit::Resource::NOFILE)
        .ok()
        .map_or(FALLBACK_MAX_CONNECTIONS, |(soft, _)| {
            usize::try_from(soft.saturating_sub(FD_RESERVE).max(1)).unwrap_or(usize::MAX)
        })
        .min(Semaphore::MAX_PERMITS)
}

/// Serves `router` on `listener` within `limits` until `shutdown` completes, then stops
/// accepting, lets every open connection finish its request, and returns.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_) => break,
            },
        };
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(&e).await;
                    continue;
                }
            },
        };
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// Logs an `accept` error; pauses unless it concerned only the one connection.
async fn accept_failed(e: &std::io::Error) {
    use std::io::ErrorKind;
    if matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    ) {
        return;
    }
    tracing::error!(error = %e, "accept failed");
    tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_cap_leaves_descriptors_for_the_database() {
        let cap = default_max_connections();
        assert!(cap >= 1);
        if let Ok((soft, _)) = rlimit::getrlimit(rlimit::Resource::NOFILE) {
            assert!(u64::try_from(cap).unwrap() + FD_RESERVE <= soft.max(FD_RESERVE + 1));
        }
    }
}
