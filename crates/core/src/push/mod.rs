//! Push: binding an account to its portal, receiving the portal's signed challenges, and
//! answering them.
//!
//! The network half is async (tokio + reqwest); the vault half stays in the synchronous
//! [`Authenticator`](crate::Authenticator). Enrollment is split in three steps so that no lock
//! on the vault is held while waiting for the network: [`Authenticator::prepare_enrollment`]
//! (sync) → [`register`] (async) → [`Authenticator::finish_enrollment`] (sync). The first
//! set-up, before any vault exists, uses [`Enrollment::prepare`] → [`register`] →
//! [`Authenticator::enroll_registered`], which creates the vault.
//!
//! Answering works the same way: [`open_challenges`] (async) → [`Authenticator::sign_answer`]
//! (sync, brief lock) → [`send_answer`] (async).
//!
//! [`Authenticator::prepare_enrollment`]: crate::Authenticator::prepare_enrollment
//! [`Authenticator::finish_enrollment`]: crate::Authenticator::finish_enrollment
//! [`Authenticator::enroll_registered`]: crate::Authenticator::enroll_registered
//! [`Authenticator::sign_answer`]: crate::Authenticator::sign_answer

mod binding;
mod client;
mod enrollment;
mod error;
mod exchange;
mod limit;
mod listener;
#[cfg(test)]
mod test_portal;

pub use binding::{PortalBinding, PortalSession, VerifiedChallenge};
pub use client::PortalClient;
pub use enrollment::{Enrollment, register};
pub use error::PushError;
pub use exchange::{newest, open_challenges, send_answer};
pub use listener::{Backoff, ListenerEvent, listen};
