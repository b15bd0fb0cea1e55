//! PIN rules.
