//! SIGINT and SIGTERM during `r53ctl push`. The fault proxy holds the second of three change
//! requests until the test has signalled r53ctl (and r53ctl has said it noticed), so what was in
//! flight is known exactly: request 1 applied and answered, request 2 in flight, request 3 not
//! yet sent. No sleeps: each step waits for a line of r53ctl's output or for the proxy.

mod cli;
mod common;
mod proxy;
mod support;

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread;
use std::time::Duration;

use cli::{assert_exit, config, Workspace};
use proxy::Proxy;
use serde_json::{json, Value};

const DOMAIN: &str = "interrupt.tld";
/// ChangeResourceRecordSets.
const WRITE: &str = "/rrset";
/// How long one step may take before the test fails instead of hanging.
const PATIENCE: Duration = Duration::from_secs(120);
/// What r53ctl's handler writes on the first signal.
const NOTICED: &str = "r53ctl: interrupted: no new request is sent";

/// Record sets `set0` to `set4`, of 400 values each: at most two fit in a request (1000
/// values), so push needs 3 requests, of 2, 2 and 1 change actions.
fn records() -> Value {
    let values = |set: usize| {
        (0..400).map(move |i| {
            json!({ "name": format!("set{set}"), "type": "A",
                    "value": format!("10.{set}.{}.{}", i / 256, i % 256) })
        })
    };
    (0..5).flat_map(values).collect()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stream {
    Out,
    Err,
}

/// A running r53ctl and the lines it has printed so far.
struct Running {
    child: Child,
    lines: Receiver<(Stream, String)>,
    seen: Vec<(Stream, String)>,
}

/// A push whose second change request the proxy holds until [`Held::release`].
struct Held {
    moto: common::Moto,
    proxy: Proxy,
    ws: Workspace,
    push: Running,
    release: Sender<()>,
}

/// What a push printed, and how it ended.
struct Ended {
    code: Option<i32>,
    stdout: Vec<String>,
    stderr: String,
}

fn hold_second_request(name: &str) -> Held {
    let moto = common::Moto::start();
    let proxy = Proxy::start_strict(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new(&format!("interrupt-{name}"), &proxy.url);
    ws.write_config("dnsconfig.json", &config(DOMAIN, records()));
    assert_exit(&ws.run(&["create-domains"]), 0);
    let preview = ws.run_ok(&["preview"], 0);
    assert!(preview.contains("in 3 requests"), "{preview}");

    let (arrived, arrival) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    proxy.before_forward_after("POST", WRITE, 1, move |_| {
        let _ = arrived.send(());
        let _ = released.recv_timeout(2 * PATIENCE);
    });
    let push = Running::start(&ws, &["push"]);
    arrival
        .recv_timeout(PATIENCE)
        .expect("request 2 reaches the proxy");
    Held {
        moto,
        proxy,
        ws,
        push,
        release,
    }
}

/// Sends each line of `pipe` to `lines`, tagged with `stream`, until the pipe closes.
fn read_lines(
    pipe: Option<impl Read + Send + 'static>,
    stream: Stream,
    lines: Sender<(Stream, String)>,
) {
    let pipe = BufReader::new(pipe.expect("piped"));
    thread::spawn(move || {
        for line in pipe.lines().map_while(Result::ok) {
            let _ = lines.send((stream, line));
        }
    });
}

impl Running {
    fn start(ws: &Workspace, args: &[&str]) -> Running {
        let mut child = ws.spawn(args);
        let (sender, lines) = mpsc::channel();
        read_lines(child.stdout.take(), Stream::Out, sender.clone());
        read_lines(child.stderr.take(), Stream::Err, sender);
        Running {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line of `stream` that contains `needle`.
    fn wait_for(&mut self, stream: Stream, needle: &str) {
        while !self
            .seen
            .iter()
            .any(|(s, l)| *s == stream && l.contains(needle))
        {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => self.seen.push(line),
                Err(err) => panic!(
                    "no {needle:?} on {stream:?} ({err}); so far {:#?}",
                    self.seen
                ),
            }
        }
    }

    /// Sends r53ctl the signal `name` (`INT`, `TERM`).
    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([format!("-{name}"), self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name}");
    }

    /// Waits until r53ctl has exited and both its pipes are closed.
    fn end(&mut self) -> Ended {
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => self.seen.push(line),
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(err) => {
                    let _ = self.child.kill();
                    panic!("r53ctl did not end ({err}); so far {:#?}", self.seen);
                }
            }
        }
        let status = self.child.wait().expect("wait for r53ctl");
        let of = |stream| {
            let lines = self.seen.iter().filter(move |(s, _)| *s == stream);
            lines.map(|(_, l)| l.clone())
        };
        Ended {
            code: status.code(),
            stdout: of(Stream::Out).collect(),
            stderr: of(Stream::Err).collect::<Vec<_>>().join("\n"),
        }
    }
}

impl Held {
    /// Lets the held request go on to the server.
    fn release(&self) {
        let _ = self.release.send(());
    }

    /// The names of the record sets in the zone, read straight from the server.
    fn live_sets(&self) -> BTreeSet<String> {
        let direct = self.ws.via(&self.moto.url);
        let records = direct.live_records(DOMAIN);
        let names = records.iter().filter_map(|r| r["name"].as_str());
        names.map(String::from).collect()
    }
}

/// `lines` hold each of `expected` (as the start of a line), in that order.
#[track_caller]
fn assert_lines_in_order(lines: &[String], expected: &[&str]) {
    let mut rest = lines.iter();
    for want in expected {
        assert!(
            rest.any(|line| line.trim_start().starts_with(want)),
            "{want:?} missing or out of order in:\n{}",
            lines.join("\n")
        );
    }
}

/// The first `signal` stops push after the request in flight; it exits with `code` and a report
/// of exactly what was applied; preview shows the rest, and push again converges.
fn stop_during_the_second_request(signal: &str, code: i32) {
    let mut held = hold_second_request(&signal.to_lowercase());
    // Request 1's outcome is out while request 2 is still held: lines come as requests finish.
    held.push.wait_for(
        Stream::Out,
        "request 1 of 3 (2 change actions): applied (change ",
    );
    held.push.signal(signal);
    held.push.wait_for(Stream::Err, NOTICED);
    held.release();
    let ended = held.push.end();

    assert_eq!(ended.code, Some(code), "{}", ended.stderr);
    assert_lines_in_order(
        &ended.stdout,
        &[
            "interrupt.tld (zone ",
            "request 1 of 3 (2 change actions): applied (change ",
            "request 2 of 3 (2 change actions): applied (change ",
            "request 3 of 3 (1 change action): not sent, NOT applied",
            "applied 2 of 3 requests (4 change actions)",
            "FAILED: interrupted before request 3 of 3: 1 request was not sent",
            "Total: 5 changes in 1 of 1 zone",
        ],
    );
    let said =
        format!("interrupted: SIG{signal} stopped push; it did not complete for 1 zone: {DOMAIN}");
    assert!(ended.stderr.contains(&said), "{}", ended.stderr);
    assert_eq!(
        held.proxy.forwarded("POST", WRITE),
        2,
        "{:?}",
        held.proxy.log()
    );

    // Exactly the record sets of requests 1 and 2 are live; preview offers the fifth.
    let live = held.live_sets();
    assert_eq!(live.len(), 4, "{live:?}");
    let preview = held.ws.run_ok(&["preview"], 0);
    let missing: Vec<String> = (0..5)
        .map(|set| format!("set{set}"))
        .filter(|name| !live.contains(name))
        .collect();
    assert_eq!(missing.len(), 1, "{live:?}");
    assert!(
        preview.contains(&format!("{}.{DOMAIN}", missing[0])),
        "{preview}"
    );
    assert!(
        preview.contains("Total: 1 change in 1 of 1 zone"),
        "{preview}"
    );

    assert_exit(&held.ws.run(&["push"]), 0);
    assert_exit(&held.ws.run(&["preview", "--expect-no-changes"]), 0);
}

#[test]
fn sigint_lets_the_request_in_flight_finish_sends_no_more_and_exits_130() {
    stop_during_the_second_request("INT", 130);
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_sends_no_more_and_exits_143() {
    stop_during_the_second_request("TERM", 143);
}

#[test]
fn a_second_sigint_exits_at_once() {
    let mut held = hold_second_request("twice");
    held.push.signal("INT");
    held.push.wait_for(Stream::Err, NOTICED);
    held.push.signal("INT");
    let ended = held.push.end();
    // r53ctl is gone while request 2 is still held: it did not wait for it.
    assert_eq!(held.proxy.forwarded("POST", WRITE), 1);
    held.release();
    assert_eq!(ended.code, Some(130), "{}", ended.stderr);
    assert!(
        ended
            .stderr
            .contains("r53ctl: interrupted again: exiting at once"),
        "{}",
        ended.stderr
    );
}

#[test]
fn a_signal_while_the_rate_limiter_holds_a_request_back_keeps_it_unsent() {
    let moto = common::Moto::start();
    let ws = Workspace::new("interrupt-limiter", &moto.url);
    let records: Vec<Value> = (0..1500)
        .map(|i| json!({ "name": format!("host{i}"), "type": "A", "value": "10.0.0.1" }))
        .collect();
    ws.write_config("dnsconfig.json", &config(DOMAIN, json!(records)));
    assert_exit(&ws.run(&["create-domains"]), 0);
    // Request 1 spends the change bucket's burst of 1000; request 2 (500 changes) then waits
    // 10 s at 50 changes per second, and the signal comes during that wait.
    let mut push = Running::start(&ws, &["push", "--max-change-rate", "50"]);
    push.wait_for(Stream::Out, "request 1 of 2 (1000 change actions): applied");
    push.signal("INT");
    let ended = push.end();
    assert_eq!(ended.code, Some(130), "{}", ended.stderr);
    assert_lines_in_order(
        &ended.stdout,
        &[
            "request 2 of 2 (500 change actions): not sent, NOT applied",
            "applied 1 of 2 requests (1000 change actions)",
        ],
    );
    assert_eq!(ws.live_records(DOMAIN).len(), 1000);
}
