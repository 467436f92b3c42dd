//! HTTP transport: one blocking ureq agent with verified TLS, proxy, CA bundle and timeouts.
//! It moves bytes; it knows nothing of AWS.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// An HTTP request as signed and sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Absolute URL, e.g. `https://route53.amazonaws.com/2013-04-01/hostedzone?maxitems=100`.
    pub url: String,
    /// Header names in any case; the signer and the transport treat them case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// An HTTP response, whatever its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// How the transport connects.
#[derive(Clone, Debug)]
pub struct TransportOptions {
    /// PEM file of CA certificates to trust instead of the built-in roots (`AWS_CA_BUNDLE`).
    pub ca_bundle: Option<PathBuf>,
    /// Proxy URL for HTTPS requests (`HTTPS_PROXY`).
    pub https_proxy: Option<String>,
    /// Proxy URL for plain HTTP requests (`HTTP_PROXY`).
    pub http_proxy: Option<String>,
    /// Hosts that bypass the proxy (`NO_PROXY`), comma-separated.
    pub no_proxy: Option<String>,
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
}

/// Why a request got no HTTP response.
#[derive(Debug)]
pub enum TransportError {
    Todo,
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for TransportError {}

/// A reusable connection pool.
pub struct Transport {
    _private: (),
}

impl Transport {
    pub fn new(options: &TransportOptions) -> Result<Transport, TransportError> {
        let _ = options;
        todo!("http::Transport::new")
    }

    pub fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let _ = request;
        todo!("http::Transport::send")
    }
}
