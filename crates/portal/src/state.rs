//! The shared state of one portal instance, handed to every handler as `State<Arc<AppState>>`.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Config;
use crate::hub::ChallengeHub;
use crate::keys::{KeyError, PortalKeys};
use crate::ratelimit::RateLimiter;
use crate::storage::{Db, StorageError};
use crate::wakeup::{WakeupError, WakeupGateway};

/// Errors while starting an instance.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The database could not be opened or migrated.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The key files could not be read or created.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// The wake-up gateway could not be set up.
    #[error(transparent)]
    Wakeup(#[from] WakeupError),
    /// The listening socket failed.
    #[error("server: {0}")]
    Io(#[from] std::io::Error),
}

/// Everything handlers share.
pub struct AppState {
    /// Settings.
    pub config: Config,
    /// Database.
    pub db: Db,
    /// Signing and seed keys; shared with the storage closures that seal or open a seed.
    pub keys: Arc<PortalKeys>,
    /// Time source (manual in tests).
    pub clock: Arc<dyn Clock>,
    /// Rate limits of this instance; shared with the storage closures that check them.
    pub limiter: Arc<RateLimiter>,
    /// Fan-out of new challenges to device streams.
    pub hub: ChallengeHub,
    /// Wake-up webhook, if configured.
    pub wakeup: Option<WakeupGateway>,
    /// Turns `true` when the server shuts down, so long-lived streams end and the graceful
    /// shutdown does not wait for clients that never hang up.
    pub stopping: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("config", &self.config)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Opens the database (creating and migrating it) and the key files.
    pub async fn open(config: Config, clock: Arc<dyn Clock>) -> Result<Arc<Self>, StartError> {
        let keys = Arc::new(PortalKeys::load_or_create(&config.key_dir)?);
        let db = Db::connect_with(&config.database_url, config.sqlite_sync).await?;
        let hub = if config.database_url.starts_with("postgres") {
            ChallengeHub::postgres(db.clone(), &config.database_url)
                .await
                .map_err(StorageError::from)?
        } else {
            ChallengeHub::local(&db)
        };
        let wakeup = config
            .wakeup_url
            .clone()
            .map(WakeupGateway::new)
            .transpose()?;
        Ok(Arc::new(Self {
            stopping: tokio::sync::watch::Sender::new(false),
            wakeup,
            config,
            db,
            keys,
            clock,
            limiter: Arc::default(),
            hub,
        }))
    }

    /// Current unix seconds from the injected clock.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }
}
