//! AWS Signature Version 4 for HTTP requests, in our own code (sha2 + hmac).
//!
//! Signs headers the way the `aws-sigv4` crate does with its default settings, which is what
//! every AWS service but S3 expects: the URL path is normalised (`.`/`..` segments removed,
//! `//` collapsed) and percent-encoded a second time, query parameters are decoded and
//! re-encoded, the session token is signed, and no `x-amz-content-sha256` header is added.
//!
//! An [`Endpoint`] is where requests go and the region they are signed for; the Route 53 client
//! and the STS calls of the credential sources both use it.
//!
//! Every secret it signs with is handed to [`crate::log::hide_secret`], so that no echo of it
//! in a server's answer is ever printed.
//!
//! May import: `http`, `log`, `time`.

use std::fmt;
use std::time::SystemTime;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use crate::http::Request;
pub use crate::time::{amz_date, date_stamp};

const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// Headers left out of the signature because proxies or the transport may change them (the list
/// `aws-sigv4` excludes by default).
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Headers that `sign` writes; values left from an earlier signing are replaced.
const SIGNER_HEADERS: [&str; 3] = ["authorization", "x-amz-date", "x-amz-security-token"];

/// The keys a request is signed with. `Debug` never shows the secret or the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
    /// When temporary credentials stop working.
    pub expires_at: Option<SystemTime>,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Where requests go, and the region and service they are signed for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// Base URL without a trailing slash, e.g. `https://route53.amazonaws.com`.
    pub url: String,
    /// Signing region, e.g. `us-east-1`.
    pub region: String,
    /// Signing service name, e.g. `route53`, `sts`.
    pub service: &'static str,
}

/// Where and when a request is signed.
#[derive(Clone, Copy, Debug)]
pub struct SigningParams<'a> {
    pub credentials: &'a Credentials,
    pub region: &'a str,
    pub service: &'a str,
    pub time: SystemTime,
}

/// Why a request could not be signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignError {
    /// `Request.url` is not an absolute `http`/`https` URL we can sign.
    InvalidUrl { url: String, reason: String },
    /// A header cannot be sent in HTTP/1.1. The value is never shown: it may be a secret.
    InvalidHeader { name: String, reason: &'static str },
}

impl fmt::Display for SignError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignError::InvalidUrl { url, reason } => {
                write!(f, "cannot sign request: URL {url:?} {reason}")
            }
            SignError::InvalidHeader { name, reason } => {
                write!(f, "cannot sign request: header {name:?} {reason}")
            }
        }
    }
}

impl std::error::Error for SignError {}

/// Signs `request` in place: adds `host` (unless present), `x-amz-date`, `x-amz-security-token`
/// (when there is a session token) and `authorization`, replacing those three if an earlier
/// signing left them. Signs every header except `user-agent`, `x-amzn-trace-id` and
/// `transfer-encoding`, so add headers before signing.
pub fn sign(request: &mut Request, params: &SigningParams<'_>) -> Result<(), SignError> {
    crate::log::hide_secret(&params.credentials.secret_access_key);
    if let Some(token) = &params.credentials.session_token {
        crate::log::hide_secret(token);
    }
    let url = Url::parse(&request.url)?;
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .filter(|(name, _)| !SIGNER_HEADERS.iter().any(|s| name.eq_ignore_ascii_case(s)))
        .cloned()
        .collect();
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        headers.push(("host".to_owned(), url.host_header()));
    }
    headers.push(("x-amz-date".to_owned(), amz_date(params.time)));
    if let Some(token) = &params.credentials.session_token {
        headers.push(("x-amz-security-token".to_owned(), token.clone()));
    }
    let canonical = canonicalize(&request.method, &url, &headers, &request.body)?;
    let signature = signature(&string_to_sign(&canonical.request, params), params);
    let authorization = format!(
        "{ALGORITHM} Credential={}/{}, SignedHeaders={}, Signature={signature}",
        params.credentials.access_key_id,
        credential_scope(params),
        canonical.signed_headers,
    );
    headers.push(("authorization".to_owned(), authorization));
    request.headers = headers;
    Ok(())
}

/// The canonical request for `request` as it stands (SigV4 task 1). After [`sign`], this is the
/// text that was signed.
pub fn canonical_request(request: &Request) -> Result<String, SignError> {
    let url = Url::parse(&request.url)?;
    canonicalize(&request.method, &url, &request.headers, &request.body)
        .map(|canonical| canonical.request)
}

/// The string to sign for a canonical request (SigV4 task 2).
pub fn string_to_sign(canonical_request: &str, params: &SigningParams<'_>) -> String {
    format!(
        "{ALGORITHM}\n{}\n{}\n{}",
        amz_date(params.time),
        credential_scope(params),
        hex_sha256(canonical_request.as_bytes()),
    )
}

/// The hex signature of a string to sign (SigV4 tasks 3 and 4).
pub fn signature(string_to_sign: &str, params: &SigningParams<'_>) -> String {
    let secret = format!("AWS4{}", params.credentials.secret_access_key);
    let date_key = hmac_sha256(secret.as_bytes(), date_stamp(params.time).as_bytes());
    let region_key = hmac_sha256(&date_key, params.region.as_bytes());
    let service_key = hmac_sha256(&region_key, params.service.as_bytes());
    let signing_key = hmac_sha256(&service_key, b"aws4_request");
    hex(&hmac_sha256(&signing_key, string_to_sign.as_bytes()))
}

fn credential_scope(params: &SigningParams<'_>) -> String {
    format!(
        "{}/{}/{}/aws4_request",
        date_stamp(params.time),
        params.region,
        params.service
    )
}

/// A canonical request and the `SignedHeaders` list it ends with.
struct Canonical {
    request: String,
    signed_headers: String,
}

fn canonicalize(
    method: &str,
    url: &Url<'_>,
    headers: &[(String, String)],
    body: &[u8],
) -> Result<Canonical, SignError> {
    let headers = canonical_headers(headers)?;
    let signed_headers = headers
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let mut request = format!(
        "{method}\n{}\n{}\n",
        canonical_uri(url.path),
        canonical_query(url.query)
    );
    for (name, value) in &headers {
        request.push_str(&format!("{name}:{value}\n"));
    }
    request.push_str(&format!("\n{signed_headers}\n{}", hex_sha256(body)));
    Ok(Canonical {
        request,
        signed_headers,
    })
}

/// Signed headers as (lower-case name, values joined by `,`), sorted by name.
fn canonical_headers(headers: &[(String, String)]) -> Result<Vec<(String, String)>, SignError> {
    let mut canonical: Vec<(String, String)> = Vec::with_capacity(headers.len());
    for (name, value) in headers {
        check_header(name, value)?;
        let name = name.to_ascii_lowercase();
        if UNSIGNED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value = collapse_spaces(value);
        match canonical.iter_mut().find(|(known, _)| *known == name) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(&value);
            }
            None => canonical.push((name, value)),
        }
    }
    canonical.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(canonical)
}

/// Rejects what HTTP/1.1 cannot carry: a name that is not a token, control characters in a value.
fn check_header(name: &str, value: &str) -> Result<(), SignError> {
    let invalid = |reason| {
        Err(SignError::InvalidHeader {
            name: name.to_owned(),
            reason,
        })
    };
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return invalid("has a name that is not an HTTP token (letters, digits, !#$%&'*+-.^_`|~)");
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return invalid("has a control character (such as CR or LF) in its value");
    }
    Ok(())
}

/// Trims spaces (only spaces, as `aws-sigv4` and S3 do) and collapses inner runs of them.
fn collapse_spaces(value: &str) -> String {
    let mut collapsed = String::with_capacity(value.len());
    for word in value.split(' ').filter(|word| !word.is_empty()) {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// The path normalised, then percent-encoded once more segment by segment (so `%3D` becomes
/// `%253D`).
fn canonical_uri(path: &str) -> String {
    normalize_path(path)
        .split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

/// Removes `.` and `..` segments and empty ones (`//`), as RFC 3986 section 5.2.4 and
/// `aws-sigv4` do; keeps a trailing slash.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            kept => segments.push(kept),
        }
    }
    let mut normalized = format!("/{}", segments.join("/"));
    let ends_in_directory = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    if ends_in_directory && !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

/// Query parameters form-decoded, re-encoded, sorted by key then value, joined with `&`.
fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (
                percent_encode(&form_decode(key)),
                percent_encode(&form_decode(value)),
            )
        })
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(key, value)| format!("{key}={value}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Decodes like `application/x-www-form-urlencoded` (as `aws-sigv4` does): `+` is a space, `%XX`
/// a byte, a `%` without two hex digits stands for itself, invalid UTF-8 becomes U+FFFD.
fn form_decode(text: &str) -> String {
    let mut decoded = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&first, tail)) = rest.split_first() {
        let escape = match (first, tail) {
            (b'+', _) => Some((b' ', tail)),
            (b'%', [high, low, after @ ..]) => hex_value(*high)
                .zip(hex_value(*low))
                .map(|(high, low)| (high << 4 | low, after)),
            _ => None,
        };
        let (byte, next) = escape.unwrap_or((first, tail));
        decoded.push(byte);
        rest = next;
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

/// RFC 3986 percent-encoding of every byte but the unreserved `A-Za-z0-9-_.~`, with upper-case
/// hex digits: what SigV4 signs, so the one encoder for every URL path segment, query value and
/// form body the crate sends to AWS (a request encoded otherwise would not match its signature).
pub(crate) fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn hex_sha256(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `http` or `https`, the schemes we sign for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// The parts of an absolute `http`/`https` URL that signing needs. Path and query stay
/// percent-encoded, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url<'a> {
    pub scheme: Scheme,
    /// As written; an IPv6 address keeps its brackets.
    pub host: &'a str,
    pub port: Option<u16>,
    /// Empty when the URL has no path.
    pub path: &'a str,
    /// The text after `?`; empty when there is none.
    pub query: &'a str,
}

impl<'a> Url<'a> {
    /// Parses an absolute URL such as
    /// `https://route53.amazonaws.com/2013-04-01/hostedzone?maxitems=1`. It must be printable
    /// ASCII (percent-encoded) without a fragment or user info.
    pub fn parse(url: &'a str) -> Result<Url<'a>, SignError> {
        let invalid = |reason: String| SignError::InvalidUrl {
            url: url.to_owned(),
            reason,
        };
        if let Some((at, c)) = url.char_indices().find(|(_, c)| !c.is_ascii_graphic()) {
            return Err(invalid(format!(
                "has {c:?} at byte {at}; percent-encode it (a space is %20)"
            )));
        }
        if url.contains('#') {
            return Err(invalid(
                "has a fragment; percent-encode a literal `#` as %23".to_owned(),
            ));
        }
        let (scheme, rest) = url.split_once("://").ok_or_else(|| {
            invalid("is not absolute; write it like https://route53.amazonaws.com/".to_owned())
        })?;
        let scheme = match scheme.to_ascii_lowercase().as_str() {
            "https" => Scheme::Https,
            "http" => Scheme::Http,
            _ => return Err(invalid(format!("has scheme {scheme:?}; use https or http"))),
        };
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_and_query) = rest.split_at(authority_end);
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let (host, port) = split_authority(authority).map_err(invalid)?;
        Ok(Url {
            scheme,
            host,
            port,
            path,
            query,
        })
    }

    /// The `host` header value: the host, with the port unless it is the scheme's default.
    pub fn host_header(&self) -> String {
        match self.port {
            Some(port) if port != self.scheme.default_port() => format!("{}:{port}", self.host),
            _ => self.host.to_owned(),
        }
    }
}

/// Splits `host[:port]` (or `[v6]:port`) and checks both.
fn split_authority(authority: &str) -> Result<(&str, Option<u16>), String> {
    if authority.contains('@') {
        return Err("has user info (`user@`); remove it".to_owned());
    }
    let host_end = if authority.starts_with('[') {
        authority
            .find(']')
            .map(|close| close + 1)
            .ok_or("has `[` without `]` in its host")?
    } else {
        authority.find(':').unwrap_or(authority.len())
    };
    let (host, after_host) = authority.split_at(host_end);
    check_host(host)?;
    let port = match after_host.strip_prefix(':') {
        Some(port) => Some(parse_port(port)?),
        None if after_host.is_empty() => None,
        None => return Err(format!("has {after_host:?} after its host")),
    };
    Ok((host, port))
}

fn check_host(host: &str) -> Result<(), String> {
    let allowed = match host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Some(v6) => {
            !v6.is_empty()
                && v6
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || ":.".contains(c))
        }
        None => {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c))
        }
    };
    if allowed {
        Ok(())
    } else {
        Err(format!(
            "has host {host:?}; a host is a name of letters, digits, `-` and `.`, \
             or an IP address (IPv6 in brackets)"
        ))
    }
}

fn parse_port(port: &str) -> Result<u16, String> {
    let digits_only = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
    digits_only
        .then(|| port.parse().ok())
        .flatten()
        .ok_or_else(|| format!("has port {port:?}; a port is a number from 0 to 65535"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    fn url_error(url: &str) -> String {
        match Url::parse(url) {
            Ok(parsed) => panic!("{url:?} parsed as {parsed:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn parses_url_parts() {
        let url = Url::parse("https://route53.amazonaws.com/2013-04-01/hostedzone?maxitems=1&a=b")
            .unwrap();
        assert_eq!(url.scheme, Scheme::Https);
        assert_eq!(url.host, "route53.amazonaws.com");
        assert_eq!(url.port, None);
        assert_eq!(url.path, "/2013-04-01/hostedzone");
        assert_eq!(url.query, "maxitems=1&a=b");
    }

    #[test]
    fn parses_url_without_path_or_with_query_only() {
        let bare = Url::parse("HTTP://example.com").unwrap();
        assert_eq!((bare.scheme, bare.path, bare.query), (Scheme::Http, "", ""));
        let query_only = Url::parse("https://example.com?x=/y").unwrap();
        assert_eq!((query_only.path, query_only.query), ("", "x=/y"));
        let question_in_query = Url::parse("https://example.com/a?b?c").unwrap();
        assert_eq!(
            (question_in_query.path, question_in_query.query),
            ("/a", "b?c")
        );
    }

    #[test]
    fn host_header_keeps_only_non_default_ports() {
        let host = |url| Url::parse(url).unwrap().host_header();
        assert_eq!(host("https://h.example:443/"), "h.example");
        assert_eq!(host("http://h.example:80/"), "h.example");
        assert_eq!(host("http://127.0.0.1:5000/"), "127.0.0.1:5000");
        assert_eq!(host("https://h.example:80/"), "h.example:80");
        assert_eq!(host("http://[::1]:8080/x"), "[::1]:8080");
        assert_eq!(host("http://[::1]/x"), "[::1]");
    }

    #[test]
    fn rejects_bad_urls_with_a_reason() {
        assert!(url_error("").contains("not absolute"));
        assert!(url_error("route53.amazonaws.com/").contains("not absolute"));
        assert!(url_error("ftp://example.com/").contains("use https or http"));
        assert!(url_error("https:///path").contains("has host \"\""));
        assert!(url_error("https://a b/").contains("' ' at byte 9"));
        assert!(url_error("https://h/ሴ").contains("percent-encode"));
        assert!(url_error("https://h/\n").contains("'\\n'"));
        assert!(url_error("https://h/a#frag").contains("%23"));
        assert!(url_error("https://user:pw@h/").contains("user info"));
        assert!(url_error("https://h:/").contains("port \"\""));
        assert!(url_error("https://h:65536/").contains("port \"65536\""));
        assert!(url_error("https://h:+1/").contains("port \"+1\""));
        assert!(url_error("https://h:1:2/").contains("port \"1:2\""));
        assert!(url_error("https://[::1/").contains("without `]`"));
        assert!(url_error("https://[::1]x/").contains("\"x\" after its host"));
        assert!(url_error("https://[]/").contains("has host"));
        assert!(url_error("https://h%41/").contains("has host"));
    }

    #[test]
    fn sign_reports_bad_url_and_leaves_request_alone() {
        let credentials = test_credentials(None);
        let mut request = Request {
            method: "GET".to_owned(),
            url: "not a url".to_owned(),
            headers: vec![("x-a".to_owned(), "1".to_owned())],
            body: Vec::new(),
        };
        let before = request.clone();
        let error = sign(&mut request, &test_params(&credentials)).unwrap_err();
        assert!(matches!(error, SignError::InvalidUrl { .. }), "{error}");
        assert_eq!(request, before);
    }

    #[test]
    fn sign_rejects_header_injection_without_showing_the_value() {
        let credentials = test_credentials(None);
        let mut request = Request {
            method: "GET".to_owned(),
            url: "https://h/".to_owned(),
            headers: vec![("x-a".to_owned(), "secret\r\nx-b: 1".to_owned())],
            body: Vec::new(),
        };
        let error = sign(&mut request, &test_params(&credentials))
            .unwrap_err()
            .to_string();
        assert!(error.contains("\"x-a\"") && error.contains("control character"));
        assert!(!error.contains("secret"));
        request.headers = vec![("bad name".to_owned(), "v".to_owned())];
        let error = sign(&mut request, &test_params(&credentials)).unwrap_err();
        assert!(error.to_string().contains("not an HTTP token"));
    }

    #[test]
    fn secrets_signed_with_are_redacted_from_printed_text() {
        let credentials = Credentials {
            secret_access_key: "SIGV4-TEST-SECRET-KEY".to_owned(),
            ..test_credentials(Some("SIGV4-TEST-SESSION-TOKEN"))
        };
        let mut request = Request {
            method: "GET".to_owned(),
            url: "https://h/".to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
        };
        sign(&mut request, &test_params(&credentials)).unwrap();
        let echoed = "got SIGV4-TEST-SECRET-KEY and SIGV4-TEST-SESSION-TOKEN";
        assert_eq!(
            crate::log::printable(echoed),
            "got [redacted] and [redacted]"
        );
    }

    #[test]
    fn credentials_debug_hides_secrets() {
        let credentials = test_credentials(Some("TOKEN-SECRET-VALUE"));
        let shown = format!("{credentials:?} {:?}", test_params(&credentials));
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("wJalrXUtnFEMI"), "{shown}");
        assert!(!shown.contains("TOKEN-SECRET-VALUE"), "{shown}");
    }

    #[test]
    fn collapses_spaces_but_not_tabs() {
        assert_eq!(collapse_spaces("  a   b c  "), "a b c");
        assert_eq!(collapse_spaces("\ta \t b\t"), "\ta \t b\t");
        assert_eq!(collapse_spaces("   "), "");
    }

    #[test]
    fn normalizes_paths() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path("/a//b/./c/../d"), "/a/b/d");
        assert_eq!(normalize_path("/../.."), "/");
        assert_eq!(normalize_path("/a/b/.."), "/a/");
        assert_eq!(normalize_path("/a/."), "/a/");
        assert_eq!(normalize_path("/a/%2E/b"), "/a/%2E/b");
    }

    #[test]
    fn encodes_path_a_second_time() {
        assert_eq!(canonical_uri("/a%3Db/c*d"), "/a%253Db/c%2Ad");
        assert_eq!(canonical_uri("/-._~"), "/-._~");
    }

    #[test]
    fn percent_encodes_all_but_unreserved_bytes() {
        assert_eq!(percent_encode("\\052.example.com."), "%5C052.example.com.");
        assert_eq!(percent_encode("a b+/~"), "a%20b%2B%2F~");
        assert_eq!(percent_encode("-._~AZaz09"), "-._~AZaz09");
        assert_eq!(percent_encode("ሴ"), "%E1%88%B4");
    }

    #[test]
    fn canonical_query_decodes_then_encodes_and_sorts() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(canonical_query("b=2&a=1&a=0"), "a=0&a=1&b=2");
        assert_eq!(canonical_query("k=a+b%20c%2B"), "k=a%20b%20c%2B");
        assert_eq!(canonical_query("flag&&x="), "flag=&x=");
        assert_eq!(canonical_query("k=%zz%4"), "k=%25zz%254");
        assert_eq!(canonical_query("k=%FF"), "k=%EF%BF%BD");
        assert_eq!(canonical_query("k=a=b&/=?"), "%2F=%3F&k=a%3Db");
    }

    fn test_credentials(token: Option<&str>) -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
            session_token: token.map(str::to_owned),
            expires_at: None,
        }
    }

    fn test_params(credentials: &Credentials) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "service",
            time: at(1_440_938_160),
        }
    }
}
