//! Helpers shared by integration tests (and, through src/lib.rs, by the unit tests).

pub mod http_server;
