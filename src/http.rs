//! HTTP transport: one blocking ureq agent with verified TLS, proxy, CA bundle and timeouts.
//! It moves bytes; it knows nothing of AWS.
//!
//! Every HTTP status comes back as a [`Response`]; only the failure to get one is a
//! [`TransportError`], which says whether the request may have reached the server so that
//! callers can decide whether a write may be sent again.
//!
//! May import: nothing of the crate.

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use ureq::config::Config;
use ureq::http::Uri;
use ureq::tls::{parse_pem, PemItem, RootCerts, TlsConfig};
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::{DefaultConnector, NextTimeout};
use ureq::{Agent, Proxy};

/// Largest response body read; Route 53 answers are far smaller (300 record sets ≈ 1 MiB at most).
pub const DEFAULT_MAX_BODY: u64 = 16 * 1024 * 1024;

/// An HTTP request as signed and sent. `Debug` hides the headers that carry secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// Absolute URL, e.g. `https://route53.amazonaws.com/2013-04-01/hostedzone?maxitems=100`.
    pub url: String,
    /// Header names in any case; the signer and the transport treat them case-insensitively.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

/// Headers whose values are secrets or derived from them.
const SECRET_HEADERS: [&str; 3] = [
    "authorization",
    "x-amz-security-token",
    "x-aws-ec2-metadata-token",
];

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(name, value)| {
                let secret = SECRET_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s));
                (
                    name.as_str(),
                    if secret { "<redacted>" } else { value.as_str() },
                )
            })
            .collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body_len", &self.body.len())
            .finish()
    }
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
    /// Limit for resolving, connecting and the TLS handshake.
    pub connect_timeout: Duration,
    /// Limit for sending the request and for each wait for the answer.
    pub read_timeout: Duration,
}

impl Default for TransportOptions {
    /// Built-in roots, no proxy, 10 s to connect and 60 s to wait for data.
    fn default() -> Self {
        TransportOptions {
            ca_bundle: None,
            https_proxy: None,
            http_proxy: None,
            no_proxy: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
        }
    }
}

/// Which timeout expired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Resolving the name, connecting, or the TLS handshake: nothing was sent.
    Connect,
    /// Sending the request or waiting for the answer: the request may have arrived.
    Read,
}

/// Why a request got no HTTP response.
#[derive(Debug)]
pub enum TransportError {
    /// The `AWS_CA_BUNDLE` file could not be read or holds no certificate.
    CaBundle { path: PathBuf, detail: String },
    /// A proxy URL could not be parsed.
    InvalidProxy { proxy: String },
    /// The request itself is malformed (bad URL, method or header).
    InvalidRequest { url: String, detail: String },
    /// The host name did not resolve.
    Dns { host: String },
    /// Nothing accepts connections at `target` (`host:port`).
    Unreachable { target: String, detail: String },
    /// The TLS handshake with `target` failed.
    Tls {
        target: String,
        detail: String,
        /// The server's certificate chain does not lead to a trusted root.
        untrusted_certificate: bool,
    },
    /// The proxy could not be reached or refused the tunnel.
    Proxy { proxy: String, detail: String },
    /// A timeout expired.
    Timeout {
        target: String,
        phase: TimeoutPhase,
        limit: Duration,
    },
    /// The connection broke after it was established.
    ConnectionReset { target: String, detail: String },
    /// The response ended before its announced length.
    TruncatedBody { target: String, detail: String },
    /// The response body is larger than the transport accepts.
    BodyTooLarge { target: String, limit: u64 },
    /// Anything else ureq reported.
    Other { target: String, detail: String },
}

impl TransportError {
    /// Whether the request may have reached the server (and so a write may have been applied).
    /// `false` only when the failure certainly came before any byte of the request was sent.
    /// Whether the endpoint could not be reached at all: its name did not resolve, nothing
    /// accepted the connection, or the proxy failed.
    pub fn is_unreachable(&self) -> bool {
        matches!(
            self,
            TransportError::Dns { .. }
                | TransportError::Unreachable { .. }
                | TransportError::Proxy { .. }
        )
    }

    pub fn may_have_been_sent(&self) -> bool {
        match self {
            TransportError::CaBundle { .. }
            | TransportError::InvalidProxy { .. }
            | TransportError::InvalidRequest { .. }
            | TransportError::Dns { .. }
            | TransportError::Unreachable { .. }
            | TransportError::Tls { .. }
            | TransportError::Proxy { .. } => false,
            TransportError::Timeout { phase, .. } => *phase == TimeoutPhase::Read,
            TransportError::ConnectionReset { .. }
            | TransportError::TruncatedBody { .. }
            | TransportError::BodyTooLarge { .. }
            | TransportError::Other { .. } => true,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransportError::CaBundle { path, detail } => write!(
                f,
                "cannot use CA bundle {} ({detail}); AWS_CA_BUNDLE, or CaBundle in creds.json, \
                 must name a PEM file of CA certificates",
                path.display()
            ),
            TransportError::InvalidProxy { proxy } => write!(
                f,
                "invalid proxy URL {proxy}; expected e.g. http://proxy.example:3128 (check \
                 HTTPS_PROXY / HTTP_PROXY)"
            ),
            TransportError::InvalidRequest { url, detail } => {
                write!(f, "cannot build a request for {url}: {detail}")
            }
            TransportError::Dns { host } => write!(
                f,
                "cannot resolve host name {host}; check the endpoint URL and your DNS / network"
            ),
            TransportError::Unreachable { target, detail } => write!(
                f,
                "cannot connect to {target} ({detail}); check the endpoint, your network and \
                 proxy settings (HTTPS_PROXY, NO_PROXY)"
            ),
            TransportError::Tls {
                target,
                detail,
                untrusted_certificate: true,
            } => write!(
                f,
                "TLS handshake with {target} failed: certificate not trusted ({detail}); if a \
                 proxy or firewall re-signs TLS, or the endpoint uses a private CA, point \
                 AWS_CA_BUNDLE (or CaBundle in creds.json) at its CA certificate"
            ),
            TransportError::Tls { target, detail, .. } => write!(
                f,
                "TLS handshake with {target} failed ({detail}); check that the endpoint speaks \
                 HTTPS (a plain-HTTP server needs an http:// URL), and if a proxy or firewall \
                 intercepts TLS, point AWS_CA_BUNDLE (or CaBundle in creds.json) at its CA \
                 certificate"
            ),
            TransportError::Proxy { proxy, detail } => write!(
                f,
                "proxy {proxy} failed ({detail}); check HTTPS_PROXY / HTTP_PROXY, or list the \
                 host in NO_PROXY"
            ),
            TransportError::Timeout {
                target,
                phase,
                limit,
            } => {
                let what = match phase {
                    TimeoutPhase::Connect => "connect timeout",
                    TimeoutPhase::Read => "read timeout (no answer)",
                };
                write!(
                    f,
                    "{what} of {}s expired talking to {target}; check the network or proxy",
                    limit.as_secs_f64()
                )
            }
            TransportError::ConnectionReset { target, detail } => write!(
                f,
                "connection to {target} was reset ({detail}); the request may have been received"
            ),
            TransportError::TruncatedBody { target, detail } => write!(
                f,
                "the response from {target} ended early ({detail}); the request was received"
            ),
            TransportError::BodyTooLarge { target, limit } => write!(
                f,
                "the response from {target} is larger than {limit} bytes; refusing to read it"
            ),
            TransportError::Other { target, detail } => {
                write!(f, "request to {target} failed: {detail}")
            }
        }
    }
}

impl std::error::Error for TransportError {}

/// A proxy and how to name it in messages (without its credentials).
#[derive(Clone)]
struct ProxyChoice {
    proxy: Proxy,
    display: String,
}

/// ureq's resolver, except that a host written as an IP address (a local Route 53-compatible
/// server, a proxy) is used as it is: to honour the resolve timeout, ureq would start a thread to
/// ask getaddrinfo, which loads the NSS modules, for the address it was given.
#[derive(Debug, Default)]
struct LiteralFirst(DefaultResolver);

impl Resolver for LiteralFirst {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let Some(address) = literal_address(uri) else {
            return self.0.resolve(uri, config, timeout);
        };
        let mut addresses = self.empty();
        addresses.push(address);
        Ok(addresses)
    }
}

/// The address of `uri` when its host is an IP address (`[…]` for IPv6). The transport sets no
/// IP family, so an address of either family is used as written.
fn literal_address(uri: &Uri) -> Option<SocketAddr> {
    DefaultResolver::host_and_port(uri.scheme()?, uri.authority()?)?
        .parse()
        .ok()
}

/// A reusable connection pool.
pub struct Transport {
    agent: Agent,
    https_proxy: Option<ProxyChoice>,
    http_proxy: Option<ProxyChoice>,
    no_proxy: NoProxy,
    options: TransportOptions,
    max_body: u64,
}

impl Transport {
    /// Builds the agent: verified TLS with the built-in roots or `ca_bundle`, the proxies and
    /// the timeouts of `options`. Fails when the CA bundle or a proxy URL is unusable.
    pub fn new(options: &TransportOptions) -> Result<Transport, TransportError> {
        let root_certs = match &options.ca_bundle {
            Some(path) => load_ca_bundle(path)?,
            None => RootCerts::WebPki,
        };
        let tls = TlsConfig::builder().root_certs(root_certs).build();
        let connect = Some(options.connect_timeout);
        let read = Some(options.read_timeout);
        let config = Agent::config_builder()
            .tls_config(tls)
            // Proxies are chosen per request from `options`, never from the environment here.
            .proxy(None)
            .http_status_as_error(false)
            .max_redirects(0)
            .max_redirects_will_error(false)
            .user_agent(concat!("r53ctl/", env!("CARGO_PKG_VERSION")))
            .timeout_resolve(connect)
            .timeout_connect(connect)
            .timeout_send_request(read)
            .timeout_send_body(read)
            .timeout_recv_response(read)
            .timeout_recv_body(read)
            .build();
        Ok(Transport {
            agent: Agent::with_parts(config, DefaultConnector::new(), LiteralFirst::default()),
            https_proxy: parse_proxy(options.https_proxy.as_deref())?,
            http_proxy: parse_proxy(options.http_proxy.as_deref())?,
            no_proxy: NoProxy::parse(options.no_proxy.as_deref().unwrap_or("")),
            options: options.clone(),
            max_body: DEFAULT_MAX_BODY,
        })
    }

    /// Sends `request` and reads the whole response, whatever its status.
    pub fn send(&self, request: &Request) -> Result<Response, TransportError> {
        let target = Target::of(&request.url);
        let proxy = self.proxy_for(&target);
        let http_request = build_request(request)?;
        let http_request = match proxy {
            Some(choice) => self
                .agent
                .configure_request(http_request)
                .proxy(Some(choice.proxy.clone()))
                .build(),
            None => http_request,
        };
        let failure = |err| self.classify(err, &target, proxy);
        let mut response = self.agent.run(http_request).map_err(failure)?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_string(), value)
            })
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(self.max_body)
            .read_to_vec()
            .map_err(|err| self.classify_body(err, &target, proxy))?;
        Ok(Response {
            status,
            headers,
            body,
        })
    }

    /// The proxy a request to `target` goes through, if any.
    fn proxy_for(&self, target: &Target) -> Option<&ProxyChoice> {
        let proxy = if target.https {
            self.https_proxy.as_ref()
        } else {
            self.http_proxy.as_ref()
        };
        proxy.filter(|_| !self.no_proxy.matches(&target.host))
    }

    /// Names a ureq failure to get a response.
    fn classify(
        &self,
        err: ureq::Error,
        target: &Target,
        proxy: Option<&ProxyChoice>,
    ) -> TransportError {
        let name = target.host_port.clone();
        let proxy_failure = |detail: String| {
            proxy.map(|choice| TransportError::Proxy {
                proxy: choice.display.clone(),
                detail,
            })
        };
        match err {
            ureq::Error::HostNotFound => proxy_failure("cannot resolve the proxy host".into())
                .unwrap_or(TransportError::Dns {
                    host: target.host.clone(),
                }),
            ureq::Error::ConnectProxyFailed(detail) => {
                proxy_failure(detail.clone()).unwrap_or(TransportError::Other {
                    target: name,
                    detail,
                })
            }
            ureq::Error::Timeout(timeout) => self.timeout(timeout, target),
            ureq::Error::Tls(detail) => tls_error(name, detail.to_string()),
            ureq::Error::Rustls(inner) => tls_error(name, inner.to_string()),
            ureq::Error::Io(io_err) => self.classify_io(io_err, target, proxy),
            ureq::Error::ConnectionFailed => {
                proxy_failure("connection failed".into()).unwrap_or(TransportError::Unreachable {
                    target: name,
                    detail: "connection failed".into(),
                })
            }
            ureq::Error::BadUri(detail) => TransportError::InvalidRequest {
                url: target.url.clone(),
                detail,
            },
            ureq::Error::Http(inner) => TransportError::InvalidRequest {
                url: target.url.clone(),
                detail: inner.to_string(),
            },
            ureq::Error::BodyExceedsLimit(limit) => TransportError::BodyTooLarge {
                target: name,
                limit,
            },
            other => TransportError::Other {
                target: name,
                detail: other.to_string(),
            },
        }
    }

    /// Names a failure while reading the body of a response whose head arrived.
    fn classify_body(
        &self,
        err: ureq::Error,
        target: &Target,
        proxy: Option<&ProxyChoice>,
    ) -> TransportError {
        match err {
            ureq::Error::Protocol(inner) => TransportError::TruncatedBody {
                target: target.host_port.clone(),
                detail: inner.to_string(),
            },
            ureq::Error::Io(io_err) if io_err.kind() == io::ErrorKind::UnexpectedEof => {
                TransportError::TruncatedBody {
                    target: target.host_port.clone(),
                    detail: io_err.to_string(),
                }
            }
            other => self.classify(other, target, proxy),
        }
    }

    fn classify_io(
        &self,
        err: io::Error,
        target: &Target,
        proxy: Option<&ProxyChoice>,
    ) -> TransportError {
        use io::ErrorKind as K;
        let name = target.host_port.clone();
        let detail = err.to_string();
        match err.kind() {
            K::ConnectionRefused
            | K::NetworkUnreachable
            | K::HostUnreachable
            | K::AddrNotAvailable
            | K::NetworkDown => match proxy {
                Some(choice) => TransportError::Proxy {
                    proxy: choice.display.clone(),
                    detail,
                },
                None => TransportError::Unreachable {
                    target: name,
                    detail,
                },
            },
            K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
                TransportError::ConnectionReset {
                    target: name,
                    detail,
                }
            }
            K::TimedOut | K::WouldBlock => TransportError::Timeout {
                target: name,
                phase: TimeoutPhase::Read,
                limit: self.options.read_timeout,
            },
            // rustls reports handshake failures as InvalidData I/O errors.
            K::InvalidData if target.https => tls_error(name, detail),
            _ if is_resolver_failure(&detail) => match proxy {
                Some(choice) => TransportError::Proxy {
                    proxy: choice.display.clone(),
                    detail: format!("cannot resolve the proxy host: {detail}"),
                },
                None => TransportError::Dns {
                    host: target.host.clone(),
                },
            },
            _ => TransportError::Other {
                target: name,
                detail,
            },
        }
    }

    fn timeout(&self, timeout: ureq::Timeout, target: &Target) -> TransportError {
        let phase = match timeout {
            ureq::Timeout::Resolve | ureq::Timeout::Connect => TimeoutPhase::Connect,
            _ => TimeoutPhase::Read,
        };
        let limit = match phase {
            TimeoutPhase::Connect => self.options.connect_timeout,
            TimeoutPhase::Read => self.options.read_timeout,
        };
        TransportError::Timeout {
            target: target.host_port.clone(),
            phase,
            limit,
        }
    }
}

/// Whether an I/O error is the system resolver's failure to look a name up. std reports it
/// with an unstable error kind, so only its message tells (`getaddrinfo` on unix).
fn is_resolver_failure(detail: &str) -> bool {
    detail.starts_with("failed to lookup address information")
}

fn tls_error(target: String, detail: String) -> TransportError {
    let untrusted_certificate = detail.to_ascii_lowercase().contains("certificate");
    TransportError::Tls {
        target,
        detail,
        untrusted_certificate,
    }
}

/// Converts our request into an `http::Request` for ureq.
fn build_request(request: &Request) -> Result<ureq::http::Request<Vec<u8>>, TransportError> {
    let mut builder = ureq::http::Request::builder()
        .method(request.method.as_str())
        .uri(request.url.as_str());
    for (name, value) in &request.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    builder
        .body(request.body.clone())
        .map_err(|err| TransportError::InvalidRequest {
            url: request.url.clone(),
            detail: err.to_string(),
        })
}

/// Reads every certificate of a PEM file.
fn load_ca_bundle(path: &Path) -> Result<RootCerts, TransportError> {
    let failure = |detail: String| TransportError::CaBundle {
        path: path.to_path_buf(),
        detail,
    };
    let pem = std::fs::read(path).map_err(|err| failure(err.to_string()))?;
    let mut certs = Vec::new();
    for item in parse_pem(&pem) {
        if let PemItem::Certificate(cert) = item.map_err(|err| failure(err.to_string()))? {
            certs.push(cert);
        }
    }
    if certs.is_empty() {
        return Err(failure("no PEM certificate found in it".into()));
    }
    Ok(RootCerts::new_with_certs(&certs))
}

fn parse_proxy(url: Option<&str>) -> Result<Option<ProxyChoice>, TransportError> {
    let Some(url) = url.map(str::trim).filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let display = without_credentials(url);
    let proxy = Proxy::new(url).map_err(|_| TransportError::InvalidProxy {
        proxy: display.clone(),
    })?;
    Ok(Some(ProxyChoice { proxy, display }))
}

/// The proxy URL with any `user:password@` removed, for messages.
fn without_credentials(url: &str) -> String {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_end);
    let host = match authority.rsplit_once('@') {
        Some((_, host)) => host,
        None => authority,
    };
    match scheme {
        Some(scheme) => format!("{scheme}://{host}{path}"),
        None => format!("{host}{path}"),
    }
}

/// The parts of a request URL the transport reasons about.
struct Target {
    url: String,
    https: bool,
    /// Lower-case host, without brackets for IPv6.
    host: String,
    /// `host:port` as shown in messages.
    host_port: String,
}

impl Target {
    fn of(url: &str) -> Target {
        let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
        let https = scheme.eq_ignore_ascii_case("https");
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let (host, port) = split_host_port(authority);
        let port = port.unwrap_or(if https { "443" } else { "80" });
        Target {
            url: url.to_string(),
            https,
            host: host.to_ascii_lowercase(),
            host_port: format!("{host}:{port}"),
        }
    }
}

fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(rest) = authority.strip_prefix('[') {
        // IPv6 literal: [::1]:8080
        return match rest.split_once(']') {
            Some((host, tail)) => (host, tail.strip_prefix(':')),
            None => (rest, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

/// `NO_PROXY`: `*`, host names (matching the host and its subdomains) and `.suffix` entries.
#[derive(Debug, Default)]
struct NoProxy {
    all: bool,
    /// Lower-case names without a leading dot.
    domains: Vec<String>,
}

impl NoProxy {
    fn parse(list: &str) -> NoProxy {
        let mut no_proxy = NoProxy::default();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            if entry == "*" {
                no_proxy.all = true;
            } else {
                let domain = entry.trim_start_matches('*').trim_start_matches('.');
                no_proxy.domains.push(domain.to_ascii_lowercase());
            }
        }
        no_proxy
    }

    /// Whether requests to `host` bypass the proxy.
    fn matches(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.all
            || self.domains.iter().any(|domain| {
                host == *domain
                    || host
                        .strip_suffix(domain.as_str())
                        .is_some_and(|prefix| prefix.ends_with('.'))
            })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn request_debug_hides_secret_headers() {
        let request = super::Request {
            method: "GET".into(),
            url: "https://route53.amazonaws.com/".into(),
            headers: vec![
                (
                    "Authorization".into(),
                    "AWS4-HMAC-SHA256 Signature=abc".into(),
                ),
                ("x-amz-security-token".into(), "TOKEN123".into()),
                ("x-amz-date".into(), "20260101T000000Z".into()),
            ],
            body: Vec::new(),
        };
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("abc") && !shown.contains("TOKEN123"),
            "{shown}"
        );
        assert!(shown.contains("20260101T000000Z"));
    }

    use super::*;
    use crate::test_server::{free_port, Reply, TestServer};

    fn get(url: &str) -> Request {
        Request {
            method: "GET".into(),
            url: url.into(),
            headers: vec![("x-test".into(), "1".into())],
            body: Vec::new(),
        }
    }

    #[test]
    fn hosts_written_as_addresses_are_not_looked_up() {
        let address = |url: &str| literal_address(&url.parse().unwrap());
        assert_eq!(
            address("http://127.0.0.1:5000/x"),
            Some("127.0.0.1:5000".parse().unwrap())
        );
        assert_eq!(
            address("https://[::1]/"),
            Some("[::1]:443".parse().unwrap())
        );
        assert_eq!(
            address("http://[::1]:8080/"),
            Some("[::1]:8080".parse().unwrap())
        );
        assert_eq!(
            address("http://10.0.0.1/"),
            Some("10.0.0.1:80".parse().unwrap())
        );
        assert_eq!(address("https://route53.amazonaws.com/"), None);
        assert_eq!(address("https://127.0.0.1.example/"), None);
        assert_eq!(address("http://[127.0.0.1]/"), None);
    }

    #[test]
    fn error_status_is_returned_as_data() {
        let server =
            TestServer::start(|_| Reply::text(503, "busy").with_header("X-Amzn-RequestId", "r-1"));
        let transport = Transport::new(&TransportOptions::default()).unwrap();
        let response = transport.send(&get(&format!("{}/x", server.url))).unwrap();
        assert_eq!(response.status, 503);
        assert_eq!(response.body, b"busy");
        assert_eq!(response.header("x-amzn-requestid"), Some("r-1"));
    }

    #[test]
    fn truncated_body_is_reported_and_may_have_been_sent() {
        let server = TestServer::raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort");
        let transport = Transport::new(&TransportOptions::default()).unwrap();
        let err = transport
            .send(&get(&format!("{}/", server.url)))
            .unwrap_err();
        assert!(
            matches!(err, TransportError::TruncatedBody { .. }),
            "{err:?}"
        );
        assert!(err.may_have_been_sent());
    }

    #[test]
    fn body_over_the_cap_is_refused() {
        let server = TestServer::start(|_| Reply::text(200, "0123456789"));
        let mut transport = Transport::new(&TransportOptions::default()).unwrap();
        transport.max_body = 5;
        let err = transport
            .send(&get(&format!("{}/", server.url)))
            .unwrap_err();
        assert!(
            matches!(err, TransportError::BodyTooLarge { limit: 5, .. }),
            "{err:?}"
        );
    }

    #[test]
    fn refused_connection_names_host_and_port_and_was_not_sent() {
        let port = free_port();
        let transport = Transport::new(&TransportOptions::default()).unwrap();
        let err = transport
            .send(&get(&format!("http://127.0.0.1:{port}/")))
            .unwrap_err();
        assert!(matches!(err, TransportError::Unreachable { .. }), "{err:?}");
        assert!(!err.may_have_been_sent());
        let text = err.to_string();
        assert!(text.contains(&format!("127.0.0.1:{port}")), "{text}");
        assert!(text.contains("check the endpoint"), "{text}");
    }

    #[test]
    fn unresolvable_host_is_a_dns_error_that_was_not_sent() {
        // .invalid never resolves (RFC 6761), with or without a network.
        let transport = Transport::new(&TransportOptions::default()).unwrap();
        let err = transport
            .send(&get("http://r53ctl-test.invalid/"))
            .unwrap_err();
        assert!(matches!(err, TransportError::Dns { .. }), "{err:?}");
        assert!(!err.may_have_been_sent());
        assert!(err.to_string().contains("r53ctl-test.invalid"), "{err}");
    }

    #[test]
    fn unreachable_proxy_is_named_without_its_password() {
        let port = free_port();
        let options = TransportOptions {
            https_proxy: Some(format!("http://user:s3cret@127.0.0.1:{port}")),
            ..TransportOptions::default()
        };
        let transport = Transport::new(&options).unwrap();
        let err = transport
            .send(&get("https://route53.amazonaws.com/"))
            .unwrap_err();
        assert!(matches!(err, TransportError::Proxy { .. }), "{err:?}");
        assert!(!err.may_have_been_sent());
        let text = err.to_string();
        assert!(text.contains(&format!("http://127.0.0.1:{port}")), "{text}");
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn no_proxy_bypasses_the_proxy() {
        let server = TestServer::start(|_| Reply::text(204, ""));
        let options = TransportOptions {
            http_proxy: Some(format!("http://127.0.0.1:{}", free_port())),
            no_proxy: Some("example.org, 127.0.0.1".into()),
            ..TransportOptions::default()
        };
        let transport = Transport::new(&options).unwrap();
        let response = transport.send(&get(&format!("{}/", server.url))).unwrap();
        assert_eq!(response.status, 204);
    }

    #[test]
    fn tls_to_a_plain_server_fails_before_sending() {
        let server = TestServer::raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        let transport = Transport::new(&TransportOptions::default()).unwrap();
        let err = transport
            .send(&get(&format!("https://{}/", server.host_port())))
            .unwrap_err();
        assert!(matches!(err, TransportError::Tls { .. }), "{err:?}");
        assert!(!err.may_have_been_sent());
        let text = err.to_string();
        assert!(
            text.contains("http:// URL") && text.contains("AWS_CA_BUNDLE"),
            "{text}"
        );
    }

    #[test]
    fn silent_server_hits_the_read_timeout() {
        let server = TestServer::silent();
        let options = TransportOptions {
            read_timeout: Duration::from_millis(200),
            ..TransportOptions::default()
        };
        let transport = Transport::new(&options).unwrap();
        let err = transport
            .send(&get(&format!("{}/", server.url)))
            .unwrap_err();
        assert!(
            matches!(
                err,
                TransportError::Timeout {
                    phase: TimeoutPhase::Read,
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.may_have_been_sent());
        assert!(err.to_string().contains("read timeout"));
    }

    #[test]
    fn ca_bundle_errors_name_the_file() {
        let missing = TransportOptions {
            ca_bundle: Some(PathBuf::from("/nonexistent/ca.pem")),
            ..TransportOptions::default()
        };
        let err = Transport::new(&missing).err().unwrap();
        assert!(err.to_string().contains("/nonexistent/ca.pem"), "{err}");

        let dir = std::env::temp_dir().join(format!("r53ctl-http-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate\n").unwrap();
        let options = TransportOptions {
            ca_bundle: Some(empty),
            ..TransportOptions::default()
        };
        let err = Transport::new(&options).err().unwrap();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
    }

    #[test]
    fn tls_message_for_untrusted_certificate_mentions_aws_ca_bundle() {
        let err = tls_error(
            "route53.amazonaws.com:443".into(),
            "invalid peer certificate: UnknownIssuer".into(),
        );
        assert!(err.to_string().contains("AWS_CA_BUNDLE"));
        assert!(!err.may_have_been_sent());
    }

    #[test]
    fn no_proxy_matching() {
        let no_proxy = NoProxy::parse("localhost, .internal.example,corp.example,*.svc");
        assert!(no_proxy.matches("localhost"));
        assert!(no_proxy.matches("a.internal.example"));
        assert!(no_proxy.matches("internal.example"));
        assert!(no_proxy.matches("corp.example"));
        assert!(no_proxy.matches("api.corp.example"));
        assert!(no_proxy.matches("x.svc"));
        assert!(!no_proxy.matches("notcorp.example"));
        assert!(!no_proxy.matches("route53.amazonaws.com"));
        assert!(NoProxy::parse("*").matches("route53.amazonaws.com"));
        assert!(!NoProxy::parse("").matches("localhost"));
    }

    #[test]
    fn target_parsing() {
        let t = Target::of("https://Route53.amazonaws.com/2013-04-01/hostedzone?x=1");
        assert!(t.https);
        assert_eq!(t.host, "route53.amazonaws.com");
        assert_eq!(t.host_port, "Route53.amazonaws.com:443");
        let t = Target::of("http://[::1]:5000/x");
        assert_eq!(t.host, "::1");
        assert_eq!(t.host_port, "::1:5000");
    }

    #[test]
    fn proxy_display_drops_credentials() {
        assert_eq!(
            without_credentials("http://u:p@proxy:3128"),
            "http://proxy:3128"
        );
        assert_eq!(without_credentials("proxy:3128"), "proxy:3128");
        assert!(matches!(
            parse_proxy(Some("http://u:pw@ bad host")),
            Err(TransportError::InvalidProxy { proxy }) if !proxy.contains("pw")
        ));
    }
}
