//! Cross-checks `r53ctl::sigv4` against the `aws-sigv4` crate on random requests.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use r53ctl::http::Request;
use r53ctl::sigv4::{self, Credentials};

const CASES: usize = 2_000;

/// xorshift64*: small, seeded, good enough to spread test inputs.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Pieces of raw (decoded) text: plain, unreserved, reserved and non-ASCII characters.
const TEXT_PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "9",
    "-",
    "_",
    ".",
    "~",
    " ",
    "  ",
    "/",
    "?",
    "=",
    "&",
    "%",
    "+",
    "*",
    "\\",
    ":",
    "@",
    "!",
    "$",
    "'",
    "(",
    ")",
    ",",
    ";",
    "#",
    "\"",
    "é",
    "ü",
    "ሴ",
    "🐱",
    "hostedzone",
    "Z1D633PJN98FT9",
    "2013-04-01",
];

/// Characters `http::Uri` accepts unencoded in a path; the generator sometimes leaves them raw.
const RAW_IN_PATH: &str = "!$&'()*+,;=:@";
/// Characters `http::Uri` accepts unencoded in a query.
const RAW_IN_QUERY: &str = "!$&'()*+,;=:@/?";

const HOSTS: &[(&str, &str)] = &[
    ("https", "route53.amazonaws.com"),
    ("https", "route53.amazonaws.com:443"),
    ("https", "route53.amazonaws.com.cn"),
    ("http", "127.0.0.1:5000"),
    ("http", "localhost:80"),
    ("https", "example.amazonaws.com:8443"),
];

const SCOPES: &[(&str, &str)] = &[
    ("us-east-1", "route53"),
    ("cn-northwest-1", "route53"),
    ("us-gov-west-1", "route53"),
    ("us-east-1", "route53domains"),
    ("eu-west-3", "service"),
];

const HEADER_NAMES: &[&str] = &[
    "Content-Type",
    "content-type",
    "X-Amz-Target",
    "x-amz-meta-note",
    "X-Dup",
    "x-dup",
    "Accept",
    "User-Agent",
    "X-Amzn-Trace-Id",
    "Transfer-Encoding",
    "Content-Length",
    "Expect",
    "Authorization",
    "X-Amz-Date",
    "HOST",
];

const HEADER_VALUE_PIECES: &[&str] = &[
    "text/xml",
    "  ",
    " ",
    "a",
    "b c",
    "\t",
    "100-continue",
    "Route53Domains_v20140515.ListDomains",
    "\"q\"",
    "=;,",
    "テスト",
    "é",
];

#[test]
fn signatures_match_aws_sigv4() {
    let mut rng = XorShift(0x5eed_1234_abcd_9876);
    let mut seen = [0; FEATURES.len()];
    for case in 0..CASES {
        let generated = random_case(&mut rng);
        for (count, (_, has_feature)) in seen.iter_mut().zip(FEATURES) {
            *count += usize::from(has_feature(&generated));
        }
        let ours = sign_ours(&generated);
        let theirs = sign_aws(&generated);
        if ours != theirs {
            let canonical = signed_request(&generated)
                .and_then(|signed| sigv4::canonical_request(&signed).map_err(|e| e.to_string()));
            panic!(
                "case {case}: Authorization differs\n{} {}\nheaders: {:#?}\nbody: {} bytes\n\
                 region/service: {}/{}\ntoken: {}\nours:   {ours}\ntheirs: {theirs}\n\
                 our canonical request:\n{}",
                generated.request.method,
                generated.request.url,
                generated.request.headers,
                generated.request.body.len(),
                generated.region,
                generated.service,
                generated.token.is_some(),
                canonical.unwrap_or_else(|e| e),
            );
        }
    }
    for (count, (feature, _)) in seen.iter().zip(FEATURES) {
        assert!(*count >= CASES / 50, "only {count} cases with {feature}");
    }
}

/// A property of a generated case, by name.
type Feature = (&'static str, fn(&Case) -> bool);

/// What the generator must keep producing, so the cross-check keeps its reach.
const FEATURES: &[Feature] = &[
    ("a session token", |case| case.token.is_some()),
    ("a body", |case| !case.request.body.is_empty()),
    ("`+` in the query", |case| query(case).contains('+')),
    ("`%25` in the query", |case| query(case).contains("%25")),
    ("a bare `%` in the query", |case| {
        let query = query(case).as_bytes();
        let is_escape = |at: usize| {
            query
                .get(at + 1..at + 3)
                .is_some_and(|pair| pair.iter().all(u8::is_ascii_hexdigit))
        };
        (0..query.len()).any(|at| query[at] == b'%' && !is_escape(at))
    }),
    ("encoded non-ASCII", |case| case.request.url.contains("%E1")),
    ("`..` in the path", |case| path(case).contains("/..")),
    ("`//` in the path", |case| path(case).contains("//")),
    ("a repeated header", |case| {
        let names = &case.request.headers;
        names.iter().enumerate().any(|(i, (name, _))| {
            names[..i]
                .iter()
                .any(|(other, _)| other.eq_ignore_ascii_case(name))
        })
    }),
    ("a run of spaces in a header", |case| {
        case.request
            .headers
            .iter()
            .any(|(_, value)| value.contains("  "))
    }),
];

fn path(case: &Case) -> &str {
    let after_scheme = case
        .request
        .url
        .split_once("://")
        .map_or("", |(_, rest)| rest);
    let path_and_query = after_scheme
        .find('/')
        .map_or("", |slash| &after_scheme[slash..]);
    path_and_query.split('?').next().unwrap_or("")
}

fn query(case: &Case) -> &str {
    case.request
        .url
        .split_once('?')
        .map_or("", |(_, query)| query)
}

struct Case {
    request: Request,
    region: &'static str,
    service: &'static str,
    token: Option<String>,
    time: SystemTime,
}

impl Case {
    fn credentials(&self) -> Credentials {
        Credentials {
            access_key_id: "AKIDEXAMPLE".to_owned(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
            session_token: self.token.clone(),
            expires_at: None,
        }
    }
}

fn random_case(rng: &mut XorShift) -> Case {
    let (scheme, host) = *rng.pick(HOSTS);
    let (region, service) = *rng.pick(SCOPES);
    let mut url = format!("{scheme}://{host}{}", random_path(rng));
    if rng.chance(70) {
        url.push('?');
        url.push_str(&random_query(rng));
    }
    let token = rng.chance(50).then(|| random_token(rng));
    let body_length = if rng.chance(40) { 0 } else { rng.below(200) };
    let request = Request {
        method: rng.pick(&["GET", "POST", "DELETE", "PUT"]).to_string(),
        url,
        headers: random_headers(rng, host, token.is_some()),
        body: (0..body_length).map(|_| rng.next() as u8).collect(),
    };
    Case {
        request,
        region,
        service,
        token,
        // Any second from 2000 to 2100.
        time: UNIX_EPOCH + Duration::from_secs(946_684_800 + rng.next() % 3_155_760_000),
    }
}

fn random_text(rng: &mut XorShift, max_pieces: usize) -> String {
    (0..rng.below(max_pieces + 1))
        .map(|_| *rng.pick(TEXT_PIECES))
        .collect()
}

fn random_encoded(rng: &mut XorShift, max_pieces: usize, raw_allowed: &str) -> String {
    let text = random_text(rng, max_pieces);
    encode(rng, &text, raw_allowed)
}

/// A path of raw segments, each percent-encoded (sometimes leaving allowed characters raw),
/// with `.`, `..` and empty segments mixed in.
fn random_path(rng: &mut XorShift) -> String {
    if rng.chance(10) {
        return String::new();
    }
    let mut path = String::new();
    for _ in 0..rng.below(5) {
        path.push('/');
        match rng.below(10) {
            0 => path.push('.'),
            1 => path.push_str(".."),
            2 => {}
            _ => path.push_str(&random_encoded(rng, 6, RAW_IN_PATH)),
        }
    }
    if path.is_empty() || rng.chance(20) {
        path.push('/');
    }
    path
}

fn random_query(rng: &mut XorShift) -> String {
    let mut pairs = Vec::new();
    for _ in 0..rng.below(5) {
        let key = random_encoded(rng, 4, RAW_IN_QUERY);
        let value = random_encoded(rng, 5, RAW_IN_QUERY);
        pairs.push(match rng.below(6) {
            0 => key,
            _ => format!("{key}={value}"),
        });
    }
    pairs.join("&")
}

/// Percent-encodes `text` for a URL, at random leaving characters of `raw_allowed` (and `%`
/// in a query) bare, writing a space as `+` in a query, and using lower-case hex.
fn encode(rng: &mut XorShift, text: &str, raw_allowed: &str) -> String {
    let in_query = raw_allowed.contains('?');
    let mut encoded = String::new();
    for c in text.chars() {
        let unreserved = c.is_ascii_alphanumeric() || "-._~".contains(c);
        let may_stay_raw = raw_allowed.contains(c) || (in_query && c == '%');
        if unreserved || (may_stay_raw && rng.chance(30)) {
            encoded.push(c);
        } else if in_query && c == ' ' && rng.chance(50) {
            encoded.push('+');
        } else {
            let lower = rng.chance(20);
            let mut bytes = [0; 4];
            for byte in c.encode_utf8(&mut bytes).bytes() {
                encoded.push_str(&if lower {
                    format!("%{byte:02x}")
                } else {
                    format!("%{byte:02X}")
                });
            }
        }
    }
    encoded
}

fn random_headers(rng: &mut XorShift, host: &str, has_token: bool) -> Vec<(String, String)> {
    let mut headers = Vec::new();
    for _ in 0..rng.below(7) {
        let name = *rng.pick(HEADER_NAMES);
        let value = if name == "HOST" {
            host.to_owned()
        } else {
            (0..rng.below(6))
                .map(|_| *rng.pick(HEADER_VALUE_PIECES))
                .collect()
        };
        headers.push((name.to_owned(), value));
    }
    if has_token && rng.chance(20) {
        // A token left by an earlier signing; both signers replace it.
        headers.push(("X-Amz-Security-Token".to_owned(), "stale".to_owned()));
    }
    headers
}

fn random_token(rng: &mut XorShift) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    (0..1 + rng.below(300))
        .map(|_| char::from(*rng.pick(ALPHABET)))
        .collect()
}

fn signed_request(case: &Case) -> Result<Request, String> {
    let credentials = case.credentials();
    let params = sigv4::SigningParams {
        credentials: &credentials,
        region: case.region,
        service: case.service,
        time: case.time,
    };
    let mut request = case.request.clone();
    sigv4::sign(&mut request, &params).map_err(|e| e.to_string())?;
    let mut resigned = request.clone();
    sigv4::sign(&mut resigned, &params).map_err(|e| e.to_string())?;
    if resigned != request {
        return Err(format!("signing twice changed the request: {resigned:#?}"));
    }
    Ok(request)
}

fn sign_ours(case: &Case) -> String {
    match signed_request(case) {
        Ok(request) => authorization(
            request
                .headers
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str())),
        ),
        Err(error) => format!("error: {error}"),
    }
}

fn sign_aws(case: &Case) -> String {
    let identity: Identity = aws_credential_types::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        case.token.clone(),
        None,
        "oracle",
    )
    .into();
    let params = SigningParams::builder()
        .identity(&identity)
        .region(case.region)
        .name(case.service)
        .time(case.time)
        .settings(SigningSettings::default())
        .build()
        .expect("all parameters set")
        .into();
    let request = &case.request;
    let signable = SignableRequest::new(
        &request.method,
        request.url.as_str(),
        request
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str())),
        SignableBody::Bytes(&request.body),
    );
    match signable.and_then(|signable| sign(signable, &params)) {
        Ok(output) => authorization(output.output().headers()),
        Err(error) => format!("error: {error}"),
    }
}

fn authorization<'a>(mut headers: impl Iterator<Item = (&'a str, &'a str)>) -> String {
    headers
        .find(|(name, _)| name.eq_ignore_ascii_case("authorization"))
        .map(|(_, value)| value.to_owned())
        .unwrap_or_else(|| "no authorization header".to_owned())
}
