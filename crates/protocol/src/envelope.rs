//! Signed envelopes (Ed25519) that carry every protocol message.
