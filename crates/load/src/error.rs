//! The load tool's error type: what can stop a run before it has figures to report. Each
//! variant names its cause only as its source; the binary prints the whole chain.

/// Why a load run could not be carried out.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file, socket or child process operation failed.
    #[error("I/O error")]
    Io(#[from] std::io::Error),
    /// The HTTP client could not be built or a set-up request failed.
    #[error("HTTP error")]
    Http(#[from] reqwest::Error),
    /// The in-process portal or the set-up connection to its database failed.
    #[error("portal start failed")]
    Start(#[from] zweifaktor_portal::StartError),
    /// Creating an account through the portal's account functions failed.
    #[error("account set-up failed")]
    Account(#[from] zweifaktor_portal::accounts::AccountError),
    /// The portal's database refused a set-up query.
    #[error("storage error")]
    Storage(#[from] zweifaktor_portal::storage::StorageError),
    /// An enrollment URI issued by the portal did not parse.
    #[error("enrollment URI invalid")]
    Uri(#[from] zweifaktor_protocol::UriError),
    /// The browsers' HTTP client could not be set up.
    #[error("browser client")]
    Browser(#[from] crate::http::HttpError),
    /// An enrollment URI had no `zf_` parameters, so no device could register with it.
    #[error("enrollment URI without zf_ parameters")]
    NotZweifaktor,
    /// Device registration was answered with an error status.
    #[error("device registration refused with HTTP {0}")]
    Registration(u16),
    /// The portal did not answer within the start-up wait.
    #[error("portal not ready after {0} s")]
    NotReady(u64),
    /// Not every device stream was open within the connect wait.
    #[error("only {connected} of {wanted} device streams connected")]
    StreamsIncomplete {
        /// Streams open when the wait ended.
        connected: usize,
        /// Streams the run asked for.
        wanted: usize,
    },
    /// The options ask for something the tool refuses to do (such as a non-loopback portal).
    #[error("invalid options: {0}")]
    Options(&'static str),
    /// The file-descriptor limit could not be raised far enough for the run.
    #[error("file-descriptor limit {have} below the {need} this run needs (raise `ulimit -Hn`)")]
    FileLimit {
        /// The soft limit after raising it as far as the hard limit allows.
        have: u64,
        /// Descriptors the run needs.
        need: u64,
    },
}
