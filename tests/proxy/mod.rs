//! A fault-injecting HTTP proxy on 127.0.0.1 that stands between r53ctl and the local Route 53
//! API server. Rules match requests by method and path; a matching rule fires a fault a number
//! of times, then the proxy forwards as usual. Every request is logged.
//!
//! In strict mode ([`Proxy::start_strict`]) the proxy also enforces Route 53's rules for
//! ChangeResourceRecordSets that moto lacks (see [`route53_rules`]): it reads the zone from the
//! server first and refuses a request Route 53 would refuse, whole, with `InvalidChangeBatch`.
//! Tests that must hold on real Route 53 use strict mode.
//!
//! With [`Proxy::enforce_rates`] it also throttles as Route 53 does (see [`rate_limits`]).
//!
//! One request per connection (`connection: close` both ways) keeps the forwarding simple.

#![allow(dead_code)]

pub mod rate_limits;
mod route53_rules;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rate_limits::{Rates, Throttle};

/// What the proxy does to a matching request.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answers `400 Throttling` without forwarding.
    Throttle,
    /// Answers `400 PriorRequestNotComplete` without forwarding.
    PriorRequestNotComplete,
    /// Answers `500 InternalError` without forwarding.
    ServerError,
    /// Answers `400 InvalidChangeBatch` without forwarding: a permanent refusal.
    InvalidChangeBatch,
    /// Forwards, then answers `503` (the request was applied, the client cannot know it).
    ServerErrorAfterForward,
    /// Closes the connection without forwarding.
    ResetBefore,
    /// Forwards, then closes the connection without answering.
    ResetAfter,
    /// Forwards, then answers after this delay.
    Slow(Duration),
    /// Forwards, then sends only half the response body.
    Truncate,
    /// Answers `400 AccessDeniedException` in the JSON 1.1 form of Route 53 Domains, without
    /// forwarding.
    AccessDeniedJson,
    /// Answers `404 InvalidArgument` "Unknown Route 53 route" without forwarding, as fakecloud
    /// answers an API it does not offer.
    UnknownRoute,
    /// Forwards, then answers `200` with a body that is not XML (the request was applied).
    GarbageAfterForward,
    /// Answers `400 InvalidInput` without forwarding, with a message that holds a terminal
    /// escape sequence and echoes the request's head, signature and session token included.
    EchoHostile,
}

/// A fault for `times` requests of `method` whose path contains `path`, after the first `skip`
/// such requests went through untouched. For a JSON 1.1 API (every request is `POST /`), `path`
/// may name the operation of the `X-Amz-Target` header instead.
#[derive(Clone, Debug)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub fault: Fault,
    pub skip: usize,
    pub times: usize,
}

type Hook = Box<dyn FnMut(&Request) + Send>;

/// A request as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// The `X-Amz-Target` header of a JSON 1.1 request, e.g.
    /// `Route53Domains_v20140515.GetDomainDetail`.
    pub target: Option<String>,
    pub head: Vec<u8>,
    pub body: Vec<u8>,
}

impl Request {
    /// The path, and the target when there is one: what rules and the log match.
    fn label(&self) -> String {
        match &self.target {
            Some(target) => format!("{} {target}", self.path),
            None => self.path.clone(),
        }
    }
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    /// Called once, before the matching request after the first `usize` is forwarded.
    hook: Option<(&'static str, &'static str, usize, Hook)>,
    /// Route 53's throttling, when enforced.
    throttle: Option<Throttle>,
    log: Vec<LogLine>,
}

/// One request: `METHOD path -> outcome`, when it was read, and when its outcome was recorded.
struct LogLine {
    text: String,
    read: Duration,
    recorded: Option<Duration>,
}

/// What every connection handler shares.
struct Shared {
    upstream: String,
    strict: bool,
    started: Instant,
    state: Mutex<State>,
    /// Held from a strict check until the checked request is answered upstream, so no other
    /// change slips in between.
    writes: Mutex<()>,
}

/// A running proxy; it stops accepting when dropped (the listener thread ends with the process).
pub struct Proxy {
    pub url: String,
    shared: Arc<Shared>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`host:port`).
    pub fn start(upstream: &str) -> Proxy {
        Proxy::launch(upstream, false)
    }

    /// Starts a proxy in front of `upstream` that refuses, as Route 53 does and moto does not,
    /// a ChangeResourceRecordSets request with a CREATE of an existing record set or a DELETE
    /// that does not match the live record set exactly.
    pub fn start_strict(upstream: &str) -> Proxy {
        Proxy::launch(upstream, true)
    }

    fn launch(upstream: &str, strict: bool) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let shared = Arc::new(Shared {
            upstream: upstream.to_string(),
            strict,
            started: Instant::now(),
            state: Mutex::new(State::default()),
            writes: Mutex::new(()),
        });
        let for_listener = Arc::clone(&shared);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&for_listener);
                thread::spawn(move || handle(stream, &shared));
            }
        });
        Proxy { url, shared }
    }

    /// From now on, refuses with `400 Throttling` every request that `rates`' buckets, full at
    /// this moment, cannot admit.
    pub fn enforce_rates(&self, rates: Rates) {
        self.state().throttle = Some(Throttle::new(rates));
    }

    /// How many requests were throttled.
    pub fn throttled(&self) -> usize {
        self.log()
            .iter()
            .filter(|l| l.contains("-> throttled"))
            .count()
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: Rule) {
        self.state().rules.push(rule);
    }

    /// Runs `hook` once, just before the first request of `method` with `path` in its path is
    /// forwarded: the moment to change the zone behind r53ctl's back.
    pub fn before_forward(
        &self,
        method: &'static str,
        path: &'static str,
        hook: impl FnMut(&Request) + Send + 'static,
    ) {
        self.before_forward_after(method, path, 0, hook);
    }

    /// Like [`Proxy::before_forward`], for the first matching request after `skip` of them.
    pub fn before_forward_after(
        &self,
        method: &'static str,
        path: &'static str,
        skip: usize,
        hook: impl FnMut(&Request) + Send + 'static,
    ) {
        self.state().hook = Some((method, path, skip, Box::new(hook)));
    }

    /// `METHOD path -> outcome` for every request so far.
    pub fn log(&self) -> Vec<String> {
        self.state().log.iter().map(|l| l.text.clone()).collect()
    }

    /// The log with, on each line, when the request was read and when its outcome was recorded
    /// (just before the answer is written), in seconds after `since` (0 for what came before).
    pub fn timeline(&self, since: Instant) -> Vec<String> {
        let offset = since.saturating_duration_since(self.shared.started);
        let seconds = |at: Duration| at.saturating_sub(offset).as_secs_f64();
        self.state()
            .log
            .iter()
            .map(|line| match line.recorded {
                Some(recorded) => format!(
                    "{:7.3} {:7.3}  {}",
                    seconds(line.read),
                    seconds(recorded),
                    line.text
                ),
                None => format!("{:7.3}       -  {}", seconds(line.read), line.text),
            })
            .collect()
    }

    /// How many requests of `method` had `path` in their path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.matching(method, path, "")
    }

    /// How many requests of `method` with `path` in their path reached the server.
    pub fn forwarded(&self, method: &str, path: &str) -> usize {
        self.matching(method, path, "-> forwarded")
    }

    fn matching(&self, method: &str, path: &str, outcome: &str) -> usize {
        self.log()
            .iter()
            .filter(|l| l.starts_with(&format!("{method} ")) && l.contains(path))
            .filter(|l| l.contains(outcome))
            .count()
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.shared.state.lock().unwrap()
    }
}

/// Records the outcome of one request in the log; always before the client can see it, so a
/// test that reads the log after r53ctl exits sees every outcome.
struct Entry<'a> {
    shared: &'a Shared,
    index: usize,
    line: String,
}

impl Entry<'_> {
    fn record(&self, outcome: &str) {
        let mut state = self.shared.state.lock().unwrap();
        if let Some(line) = state.log.get_mut(self.index) {
            line.text = format!("{} -> {outcome}", self.line);
            line.recorded = Some(self.shared.started.elapsed());
        }
    }
}

fn handle(mut client: TcpStream, shared: &Shared) {
    let Some(request) = read_request(&mut client) else {
        return;
    };
    let entry = arrive(shared, &request);
    if let Some(bucket) = short_bucket(shared, &request) {
        entry.record(&format!("throttled: the {bucket} bucket is short"));
        write_answer(
            &mut client,
            400,
            &error_body(400, "Throttling", "Rate exceeded"),
        );
        return;
    }
    let fault = take_fault(&shared.state, &request);
    run_hook(&shared.state, &request);
    match fault {
        Some(Fault::Throttle) => {
            answer_error(&mut client, &entry, 400, "Throttling", "Rate exceeded")
        }
        Some(Fault::PriorRequestNotComplete) => answer_error(
            &mut client,
            &entry,
            400,
            "PriorRequestNotComplete",
            "The request was rejected because Route 53 was still processing a prior request.",
        ),
        Some(Fault::ServerError) => answer_error(&mut client, &entry, 500, "InternalError", "boom"),
        Some(Fault::InvalidChangeBatch) => answer_error(
            &mut client,
            &entry,
            400,
            "InvalidChangeBatch",
            "injected permanent refusal",
        ),
        Some(Fault::AccessDeniedJson) => {
            entry.record("injected 400 AccessDeniedException");
            let body = r#"{"__type":"AccessDeniedException","message":"User: arn:aws:iam::123456789012:user/dns is not authorized to perform: route53domains:GetDomainDetail"}"#;
            write_answer_as(&mut client, 400, "application/x-amz-json-1.1", body);
        }
        Some(Fault::UnknownRoute) => answer_error(
            &mut client,
            &entry,
            404,
            "InvalidArgument",
            "Unknown Route 53 route",
        ),
        Some(Fault::EchoHostile) => {
            let head = String::from_utf8_lossy(&request.head).replace('&', "&amp;");
            let message = format!("\x1b[31mred alert\x1b[0m \u{202e}you sent: {head}");
            answer_error(&mut client, &entry, 400, "InvalidInput", &message)
        }
        Some(Fault::ResetBefore) => {
            entry.record("reset before forwarding");
            let _ = client.shutdown(Shutdown::Both);
        }
        other => forward_checked(&mut client, &entry, &request, shared, other),
    }
}

/// The bucket that cannot admit `request` when rates are enforced; otherwise takes its tokens.
fn short_bucket(shared: &Shared, request: &Request) -> Option<String> {
    let operation = rate_limits::operation(&request.method, &request.path);
    let actions = match operation.as_str() {
        "ChangeResourceRecordSets" => route53_rules::requested_changes(&request.body)
            .map(|changes| changes.into_iter().map(|(action, _)| action).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let tokens = rate_limits::change_tokens(&operation, actions.iter().map(String::as_str));
    let mut state = shared.state.lock().unwrap();
    let throttle = state.throttle.as_mut()?;
    throttle
        .admit(&operation, tokens, shared.started.elapsed())
        .err()
}

fn arrive<'a>(shared: &'a Shared, request: &Request) -> Entry<'a> {
    let line = format!("{} {}", request.method, request.label());
    let mut state = shared.state.lock().unwrap();
    state.log.push(LogLine {
        text: format!("{line} -> pending"),
        read: shared.started.elapsed(),
        recorded: None,
    });
    Entry {
        shared,
        index: state.log.len() - 1,
        line,
    }
}

/// Forwards `request`, after the strict check for a change request in strict mode.
fn forward_checked(
    client: &mut TcpStream,
    entry: &Entry<'_>,
    request: &Request,
    shared: &Shared,
    fault: Option<Fault>,
) {
    let zone = route53_rules::change_request_zone(&request.method, &request.path);
    let _serialised = shared.writes.lock().unwrap();
    if let Some(zone) = zone.filter(|_| shared.strict) {
        match route53_rules::violations(&shared.upstream, &zone, &request.body) {
            Ok(messages) if messages.is_empty() => {}
            Ok(messages) => {
                entry.record("refused: InvalidChangeBatch (strict)");
                let body = route53_rules::invalid_change_batch(&messages);
                write_answer(client, 400, &body);
                return;
            }
            Err(problem) => {
                entry.record(&format!("strict check failed: {problem}"));
                write_answer(client, 502, &problem);
                return;
            }
        }
    }
    match forward(request, &shared.upstream) {
        Some(response) => deliver(client, entry, &response, fault),
        None => answer_error(client, entry, 502, "BadGateway", "upstream unreachable"),
    }
}

fn take_fault(state: &Mutex<State>, request: &Request) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    let rule = state
        .rules
        .iter_mut()
        .find(|r| r.times > 0 && r.method == request.method && request.label().contains(r.path))?;
    if rule.skip > 0 {
        rule.skip -= 1;
        return None;
    }
    rule.times -= 1;
    Some(rule.fault)
}

fn run_hook(state: &Mutex<State>, request: &Request) {
    let hook = {
        let mut state = state.lock().unwrap();
        match &mut state.hook {
            Some((method, path, skip, _))
                if *method == request.method && request.label().contains(*path) =>
            {
                match skip.checked_sub(1) {
                    Some(left) => {
                        *skip = left;
                        None
                    }
                    None => state.hook.take(),
                }
            }
            _ => None,
        }
    };
    if let Some((_, _, _, mut hook)) = hook {
        hook(request);
    }
}

fn deliver(client: &mut TcpStream, entry: &Entry<'_>, response: &[u8], fault: Option<Fault>) {
    match fault {
        Some(Fault::ResetAfter) => {
            entry.record("forwarded, then reset");
            let _ = client.shutdown(Shutdown::Both);
        }
        Some(Fault::ServerErrorAfterForward) => {
            entry.record("forwarded, then 503");
            write_answer(
                client,
                503,
                &error_body(503, "ServiceUnavailable", "try later"),
            );
        }
        Some(Fault::GarbageAfterForward) => {
            entry.record("forwarded, then 200 with garbage");
            write_answer(client, 200, "<<not xml");
        }
        Some(Fault::Slow(delay)) => {
            entry.record("forwarded slowly");
            thread::sleep(delay);
            let _ = client.write_all(response);
        }
        Some(Fault::Truncate) => {
            entry.record("forwarded, body truncated");
            let body_start = find(response, b"\r\n\r\n").map_or(0, |p| p + 4);
            let cut = body_start + (response.len() - body_start) / 2;
            let _ = client.write_all(&response[..cut]);
            let _ = client.shutdown(Shutdown::Both);
        }
        _ => {
            entry.record("forwarded");
            let _ = client.write_all(response);
        }
    }
}

fn answer_error(client: &mut TcpStream, entry: &Entry<'_>, status: u16, code: &str, message: &str) {
    entry.record(&format!("injected {status} {code}"));
    write_answer(client, status, &error_body(status, code, message));
}

fn error_body(status: u16, code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>proxy-{status}</RequestId></ErrorResponse>"
    )
}

fn write_answer(client: &mut TcpStream, status: u16, body: &str) {
    write_answer_as(client, status, "text/xml", body);
}

fn write_answer_as(client: &mut TcpStream, status: u16, content_type: &str, body: &str) {
    let head = format!(
        "HTTP/1.1 {status} Injected\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\n\
         x-amzn-requestid: proxy-{status}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = client.write_all(head.as_bytes());
    let _ = client.write_all(body.as_bytes());
}

fn read_request(stream: &mut TcpStream) -> Option<Request> {
    let mut data = Vec::new();
    let mut buf = [0u8; 8192];
    let head_end = loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(pos) = find(&data, b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).to_string();
    let header = |wanted: &str| {
        head.lines().find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case(wanted)
                .then(|| value.trim().to_string())
        })
    };
    let length = header("content-length")
        .and_then(|value| value.parse::<usize>().ok())
        .unwrap_or(0);
    let target = header("x-amz-target");
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let mut first = head.split_whitespace();
    Some(Request {
        method: first.next()?.to_string(),
        path: first.next()?.to_string(),
        target,
        head: data[..head_end].to_vec(),
        body: data[head_end..head_end + length].to_vec(),
    })
}

fn forward(request: &Request, upstream: &str) -> Option<Vec<u8>> {
    let mut server = TcpStream::connect(upstream).ok()?;
    let head = String::from_utf8_lossy(&request.head);
    let mut rewritten = String::new();
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        if !line.to_ascii_lowercase().starts_with("connection:") {
            rewritten.push_str(line);
            rewritten.push_str("\r\n");
        }
    }
    rewritten.push_str("connection: close\r\n\r\n");
    server.write_all(rewritten.as_bytes()).ok()?;
    server.write_all(&request.body).ok()?;
    let mut response = Vec::new();
    server.read_to_end(&mut response).ok()?;
    Some(close_after(&response))
}

/// `response` with its `connection` header replaced by `connection: close`, so the client never
/// reuses a connection the proxy is about to close.
fn close_after(response: &[u8]) -> Vec<u8> {
    let Some(head_end) = find(response, b"\r\n\r\n") else {
        return response.to_vec();
    };
    let head = String::from_utf8_lossy(&response[..head_end]);
    let mut out: Vec<u8> = head
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .flat_map(|l| format!("{l}\r\n").into_bytes())
        .collect();
    out.extend_from_slice(b"connection: close\r\n\r\n");
    out.extend_from_slice(&response[head_end + 4..]);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
