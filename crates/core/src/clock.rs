//! The injectable clock.
