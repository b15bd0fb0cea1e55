//! Push: binding an account to its portal, receiving the portal's signed challenges, and
//! answering them.
//!
//! The network half is async (tokio + reqwest); the vault half stays in the synchronous
//! [`Authenticator`](crate::Authenticator). Enrollment is split in three steps so that no lock
//! on the vault is held while waiting for the network: [`Authenticator::prepare_enrollment`]
//! (sync) → [`register`] (async) → [`Authenticator::finish_enrollment`] (sync).
//!
//! [`Authenticator::prepare_enrollment`]: crate::Authenticator::prepare_enrollment
//! [`Authenticator::finish_enrollment`]: crate::Authenticator::finish_enrollment

mod binding;
mod client;
mod enrollment;
mod error;
mod listener;

pub use binding::{PortalBinding, PortalSession, VerifiedChallenge};
pub use client::PortalClient;
pub use enrollment::{Enrollment, register};
pub use error::PushError;
pub use listener::{Backoff, ListenerEvent, listen};
