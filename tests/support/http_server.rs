//! The one test HTTP server of the crate, and [`free_port`]. Integration tests include this file
//! as `support::http_server`, the library's unit tests as `crate::test_server` (see src/lib.rs).
//!
//! A small HTTP/1.1 server on 127.0.0.1, std only: each connection carries one request, answered
//! by a handler and recorded for the test to inspect. For transport tests it can instead answer
//! every connection with fixed raw bytes ([`TestServer::raw`]: a cut body, a non-HTTP peer) or
//! never answer at all ([`TestServer::silent`]).

#![allow(dead_code)] // Each test crate, and the unit tests, use their own share of this file.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Duration;

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, e.g. `/latest/api/token`.
    pub path: String,
    /// The protocol of the request line, e.g. `HTTP/1.1`.
    pub version: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The request line, e.g. `GET /2013-04-01/change/C1 HTTP/1.1`.
    pub fn request_line(&self) -> String {
        format!("{} {} {}", self.method, self.path, self.version)
    }
}

/// What the handler answers.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    /// Headers besides Content-Type, Content-Length and Connection.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Reply {
        Reply {
            status,
            content_type,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// This reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn text(status: u16, body: impl Into<String>) -> Reply {
        Reply::new(status, "text/plain", body)
    }
}

type Handler = dyn Fn(&Recorded) -> Reply + Send + Sync;

/// What the server does with each connection.
enum Mode {
    /// Reads one request, records it and writes the handler's reply.
    Answer(Box<Handler>),
    /// Reads once, whatever arrives, writes these bytes as they are and closes.
    Raw(&'static [u8]),
    /// Accepts and keeps the connection open, never answering.
    Silent,
}

/// A running server; it stops when the test process ends.
pub struct TestServer {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Starts a server on a free port that answers every request with `handler`.
    pub fn start(handler: impl Fn(&Recorded) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::launch(Mode::Answer(Box::new(handler)))
    }

    /// Starts a server that answers the n-th request with the n-th of `replies`, and any request
    /// after the last with `500 no scripted reply left`.
    pub fn script(replies: Vec<Reply>) -> TestServer {
        let replies = Mutex::new(replies.into_iter());
        TestServer::start(move |_| {
            let next = replies
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .next();
            next.unwrap_or_else(|| Reply::text(500, "no scripted reply left"))
        })
    }

    /// Starts a server that reads once from each connection, whatever arrives, then writes
    /// `reply` as it is and closes: for answers no well-behaved server gives, and for a plain
    /// HTTP server met by a TLS client. It records nothing.
    pub fn raw(reply: &'static [u8]) -> TestServer {
        TestServer::launch(Mode::Raw(reply))
    }

    /// Starts a server that accepts connections and never answers.
    pub fn silent() -> TestServer {
        TestServer::launch(Mode::Silent)
    }

    fn launch(mode: Mode) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let url = format!("http://{}", listener.local_addr().expect("local address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let recorded = requests.clone();
        thread::spawn(move || {
            let mut unanswered = Vec::new();
            for stream in listener.incoming().flatten() {
                match &mode {
                    Mode::Answer(handler) => serve(stream, handler.as_ref(), &recorded),
                    Mode::Raw(reply) => answer_raw(stream, reply),
                    Mode::Silent => unanswered.push(stream),
                }
            }
        });
        TestServer { url, requests }
    }

    /// `127.0.0.1:<port>`, for URLs of another scheme.
    pub fn host_port(&self) -> &str {
        self.url.trim_start_matches("http://")
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

fn serve(stream: TcpStream, handler: &Handler, recorded: &Mutex<Vec<Recorded>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let Some(request) = read_request(&stream) else {
        return;
    };
    let reply = handler(&request);
    recorded
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    let extra: String = reply
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    let head = format!(
        "HTTP/1.1 {} Test\r\nContent-Type: {}\r\nContent-Length: {}\r\n{extra}Connection: close\r\n\r\n",
        reply.status,
        reply.content_type,
        reply.body.len()
    );
    let mut stream = stream;
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(reply.body.as_bytes());
    let _ = stream.flush();
}

fn answer_raw(mut stream: TcpStream, reply: &[u8]) {
    let mut buffer = [0u8; 4096];
    let _ = stream.read(&mut buffer);
    let _ = stream.write_all(reply);
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let version = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let length = headers
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        method,
        path,
        version,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

/// A local port nothing listens on: it was free a moment ago, and is left free. For a connection
/// that must be refused, or a server started later.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("a free local port")
}
