//! `otpauth://` URIs: parse and emit, with Zweifaktor's `zf_` parameters.
