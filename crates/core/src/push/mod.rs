//! Push: binding an account to its server, receiving the server's signed challenges, and
//! answering them, behind one interface whatever the protocol.
//!
//! # The interface (see `PUSH-CONTRACT.md`)
//! - [`PushSource`]: one push-capable vault entry's server, made by [`sources`] under a brief
//!   hold of the vault; it fetches verified [`PushChallenge`]s and watches for new ones
//!   (Zweifaktor's stream in [`listen`], or the [`poll`] loop every [`POLL_INTERVAL`]).
//! - [`PushChallenge`]: what to show ([`ChallengeInfo`]) and what is asked ([`Ask`]); its
//!   protocol part ([`ChallengeOrigin`]) computes a code and signs a [`PushAnswer`] into a
//!   [`SignedAnswer`] that is sent without the vault.
//! - The flow in [`flow`]: [`fetch_all`], [`show`], [`answer`], [`answer_by_id`], [`latest`],
//!   used by the app and the headless device alike through [`Unlocked`].
//! - [`PushError`] with its stable [`PushError::code`], the one error vocabulary.
//!
//! # Zweifaktor protocol v1
//! The network half is async (tokio + reqwest); the vault half stays in the synchronous
//! [`Authenticator`](crate::Authenticator). Enrollment is split in three steps so that no lock
//! on the vault is held while waiting for the network: [`Authenticator::prepare_enrollment`]
//! (sync) → [`register`] (async) → [`Authenticator::finish_enrollment`] (sync). The first
//! set-up, before any vault exists, uses [`Enrollment::prepare`] → [`register`] →
//! [`Authenticator::enroll_registered`], which creates the vault.
//!
//! [`Authenticator::prepare_enrollment`]: crate::Authenticator::prepare_enrollment
//! [`Authenticator::finish_enrollment`]: crate::Authenticator::finish_enrollment
//! [`Authenticator::enroll_registered`]: crate::Authenticator::enroll_registered

mod binding;
mod challenge;
mod client;
mod enrollment;
mod error;
mod exchange;
pub mod flow;
#[cfg(test)]
mod flow_tests;
mod limit;
mod listener;
mod poller;
mod source;
#[cfg(test)]
mod test_portal;
#[cfg(test)]
mod test_source;
mod zweifaktor;

pub use binding::{PortalBinding, PortalSession, VerifiedChallenge};
pub use challenge::{
    Ask, Browser, ChallengeInfo, ChallengeOrigin, PushAnswer, PushChallenge, ServerCode, ShownCode,
    SignedAnswer,
};
pub use client::PortalClient;
pub use enrollment::{Enrollment, register};
pub use error::PushError;
pub use exchange::{open_challenges, send_answer};
pub use flow::{
    Failed, Fetched, Refused, Shown, Unlocked, answer, answer_by_id, fetch_all, fetch_sources,
    latest, show,
};
pub use listener::{Backoff, ListenerEvent, listen};
pub use poller::{POLL_INTERVAL, poll};
pub use source::{FetchResult, PushSource, Refusal, sources};
pub use zweifaktor::ZWEIFAKTOR;
