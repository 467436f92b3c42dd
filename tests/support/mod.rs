//! Helpers shared by integration tests.

#![allow(dead_code)] // Each test crate uses its own share of these helpers.

pub mod http_server;
