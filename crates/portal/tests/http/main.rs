//! Integration tests: the real portal on 127.0.0.1 with a fresh SQLite file, driven over
//! HTTP by a cookie-keeping client (the browser side) and by protocol-crate messages (the
//! device side).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod a11y;
mod backoff;
mod binary;
mod browser;
mod burst;
mod common;
mod connections;
mod enrollment;
mod flow;
mod forwarded;
mod gateway;
mod logs;
mod pages;
mod phone;
mod restart;
mod second_factor;
mod sessions;
mod streams;
