//! r53ctl: keep Amazon Route 53 hosted zones in line with a JSON config.
//!
//! Data flows one way: [`config`] + live zone ([`route53`]) → [`diff`] → [`plan`] →
//! [`batch`] → [`route53`]. The diff knows nothing of HTTP; the API layer nothing of the config.

pub mod batch;
pub mod bind;
pub mod cli;
pub mod commands;
pub mod config;
pub mod creds;
pub mod diff;
pub mod domains;
pub mod error;
pub mod http;
pub mod input;
pub mod interrupt;
pub mod log;
pub mod model;
pub mod name;
pub mod output;
pub mod plan;
pub mod rdata;
pub mod route53;
pub mod rtype;
pub mod sigv4;
pub mod suggest;
pub mod time;
pub mod xml_tree;

/// The test HTTP server and `free_port`: the very file the integration tests use, so that unit
/// and integration tests share one implementation.
#[cfg(test)]
#[path = "../tests/support/http_server.rs"]
pub(crate) mod test_server;
