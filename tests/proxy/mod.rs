//! A fault-injecting HTTP proxy on 127.0.0.1 that stands between r53ctl and the local Route 53
//! API server. Rules match requests by method and path; a matching rule fires a fault a number
//! of times, then the proxy forwards as usual. Every request is logged.
//!
//! One request per connection (`connection: close` both ways) keeps the forwarding simple.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// What the proxy does to a matching request.
#[derive(Clone, Copy, Debug)]
pub enum Fault {
    /// Answers `400 Throttling` without forwarding.
    Throttle,
    /// Answers `400 PriorRequestNotComplete` without forwarding.
    PriorRequestNotComplete,
    /// Answers `500 InternalError` without forwarding.
    ServerError,
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
}

/// A fault for the next `times` requests of `method` whose path contains `path`.
#[derive(Clone, Debug)]
pub struct Rule {
    pub method: &'static str,
    pub path: &'static str,
    pub fault: Fault,
    pub times: usize,
}

type Hook = Box<dyn FnMut(&Request) + Send>;

/// A request as the proxy saw it.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub head: Vec<u8>,
    pub body: Vec<u8>,
}

#[derive(Default)]
struct State {
    rules: Vec<Rule>,
    /// Called once, before the first matching request is forwarded.
    hook: Option<(&'static str, &'static str, Hook)>,
    log: Vec<String>,
}

/// A running proxy; it stops accepting when dropped (the listener thread ends with the process).
pub struct Proxy {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl Proxy {
    /// Starts a proxy in front of `upstream` (`host:port`).
    pub fn start(upstream: &str) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("proxy address"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let upstream = upstream.to_string();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = Arc::clone(&shared);
                let upstream = upstream.clone();
                thread::spawn(move || handle(stream, &upstream, &state));
            }
        });
        Proxy { url, state }
    }

    /// Adds a fault rule.
    pub fn inject(&self, rule: Rule) {
        self.state.lock().unwrap().rules.push(rule);
    }

    /// Runs `hook` once, just before the first request of `method` with `path` in its path is
    /// forwarded: the moment to change the zone behind r53ctl's back.
    pub fn before_forward(
        &self,
        method: &'static str,
        path: &'static str,
        hook: impl FnMut(&Request) + Send + 'static,
    ) {
        self.state.lock().unwrap().hook = Some((method, path, Box::new(hook)));
    }

    /// `METHOD path -> outcome` for every request so far.
    pub fn log(&self) -> Vec<String> {
        self.state.lock().unwrap().log.clone()
    }

    /// How many requests of `method` had `path` in their path.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.log()
            .iter()
            .filter(|l| l.starts_with(&format!("{method} ")) && l.contains(path))
            .count()
    }
}

fn handle(mut client: TcpStream, upstream: &str, state: &Mutex<State>) {
    let Some(request) = read_request(&mut client) else {
        return;
    };
    let fault = take_fault(state, &request);
    run_hook(state, &request);
    let outcome = match fault {
        Some(Fault::Throttle) => answer_error(&mut client, 400, "Throttling", "Rate exceeded"),
        Some(Fault::PriorRequestNotComplete) => answer_error(
            &mut client,
            400,
            "PriorRequestNotComplete",
            "The request was rejected because Route 53 was still processing a prior request.",
        ),
        Some(Fault::ServerError) => answer_error(&mut client, 500, "InternalError", "boom"),
        Some(Fault::ResetBefore) => {
            let _ = client.shutdown(Shutdown::Both);
            "reset before forwarding"
        }
        other => match forward(&request, upstream) {
            Some(response) => deliver(&mut client, &response, other),
            None => answer_error(&mut client, 502, "BadGateway", "upstream unreachable"),
        },
    };
    state
        .lock()
        .unwrap()
        .log
        .push(format!("{} {} -> {outcome}", request.method, request.path));
}

fn take_fault(state: &Mutex<State>, request: &Request) -> Option<Fault> {
    let mut state = state.lock().unwrap();
    let rule = state
        .rules
        .iter_mut()
        .find(|r| r.times > 0 && r.method == request.method && request.path.contains(r.path))?;
    rule.times -= 1;
    Some(rule.fault)
}

fn run_hook(state: &Mutex<State>, request: &Request) {
    let hook = {
        let mut state = state.lock().unwrap();
        match &state.hook {
            Some((method, path, _)) if *method == request.method && request.path.contains(path) => {
                state.hook.take()
            }
            _ => None,
        }
    };
    if let Some((_, _, mut hook)) = hook {
        hook(request);
    }
}

fn deliver(client: &mut TcpStream, response: &[u8], fault: Option<Fault>) -> &'static str {
    match fault {
        Some(Fault::ResetAfter) => {
            let _ = client.shutdown(Shutdown::Both);
            "forwarded, then reset"
        }
        Some(Fault::ServerErrorAfterForward) => {
            answer_error(client, 503, "ServiceUnavailable", "try later");
            "forwarded, then 503"
        }
        Some(Fault::Slow(delay)) => {
            thread::sleep(delay);
            let _ = client.write_all(response);
            "forwarded slowly"
        }
        Some(Fault::Truncate) => {
            let cut = response.len() - response.len() / 4;
            let _ = client.write_all(&response[..cut]);
            let _ = client.shutdown(Shutdown::Both);
            "forwarded, body truncated"
        }
        _ => {
            let _ = client.write_all(response);
            "forwarded"
        }
    }
}

fn answer_error(client: &mut TcpStream, status: u16, code: &str, message: &str) -> &'static str {
    let body = format!(
        "<?xml version=\"1.0\"?>\n<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">\
         <Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error>\
         <RequestId>proxy-{status}</RequestId></ErrorResponse>"
    );
    let head = format!(
        "HTTP/1.1 {status} Injected\r\ncontent-type: text/xml\r\ncontent-length: {}\r\n\
         x-amzn-requestid: proxy-{status}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = client.write_all(head.as_bytes());
    let _ = client.write_all(body.as_bytes());
    "injected error"
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
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
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
