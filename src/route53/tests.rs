//! Client tests against a scripted local HTTP server: paging, retries, error answers.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::*;
use crate::creds::CredsError;
use crate::http::TransportOptions;
use crate::model::{Action, ChangeAction};
use crate::route53::retry::FakeClock;
use crate::rtype::RecordType;
use crate::sigv4::Credentials;

struct StaticCredentials;

impl ProvideCredentials for StaticCredentials {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        Ok(Credentials {
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".into(),
            session_token: None,
            expires_at: None,
        })
    }

    fn source(&self) -> String {
        "test".into()
    }
}

/// A request as the scripted server saw it.
#[derive(Debug)]
struct Seen {
    request_line: String,
    headers: Vec<String>,
    body: String,
}

/// Answers one connection per reply, in order, and hands back what it was sent.
fn scripted_server(replies: Vec<String>) -> (String, JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let mut seen = Vec::new();
        for reply in replies {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = BufReader::new(stream);
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                headers.push(line.trim().to_ascii_lowercase());
            }
            let length = headers
                .iter()
                .find_map(|h| h.strip_prefix("content-length:"))
                .map_or(0, |n| n.trim().parse::<usize>().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            reader.get_mut().write_all(reply.as_bytes()).unwrap();
            seen.push(Seen {
                request_line: request_line.trim().to_string(),
                headers,
                body: String::from_utf8(body).unwrap(),
            });
        }
        seen
    });
    (url, handle)
}

fn reply(status: &str, extra_headers: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n{extra_headers}\r\n{body}",
        body.len()
    )
}

fn ok(body: &str) -> String {
    reply("200 OK", "", body)
}

fn fixture(name: &str) -> String {
    let path = format!("{}/fixtures/route53/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn client(url: &str, clock: Arc<FakeClock>, max_attempts: u32) -> Client {
    let transport = Transport::new(&TransportOptions::default()).unwrap();
    let endpoint = Endpoint {
        url: format!("{url}/"),
        region: "us-east-1".into(),
    };
    let options = ClientOptions {
        retry: RetryPolicy {
            max_attempts,
            ..RetryPolicy::default()
        },
        clock,
        ..ClientOptions::default()
    };
    Client::with_options(transport, endpoint, Arc::new(StaticCredentials), options)
}

fn a_change() -> Vec<ChangeAction> {
    vec![ChangeAction {
        action: Action::Upsert,
        record_set: RecordSet::simple(
            "www.example.com.",
            RecordType::A,
            300,
            vec!["192.0.2.1".into()],
        ),
    }]
}

#[test]
fn record_sets_follow_every_page_position() {
    let (url, server) = scripted_server(vec![
        ok(&fixture("list_record_sets_routing.xml")),
        ok(&fixture("list_record_sets_last.xml")),
    ]);
    let clock = Arc::new(FakeClock::default());
    let sets = client(&url, clock, 8)
        .list_record_sets("/hostedzone/Z0123456789ABCDEFGHIJ")
        .unwrap();
    assert_eq!(sets.len(), 20);
    assert_eq!(sets[19].set_identifier.as_deref(), Some("w-2"));
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].request_line,
        "GET /2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset?maxitems=300 HTTP/1.1"
    );
    assert_eq!(
        seen[1].request_line,
        "GET /2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset?identifier=w-2&maxitems=300\
         &name=weighted.example.com.&type=AAAA HTTP/1.1"
    );
    assert!(seen[0].headers.iter().any(|h| h
        .starts_with("authorization: aws4-hmac-sha256 credential=akidexample/")
        && h.contains("/us-east-1/route53/aws4_request")));
}

#[test]
fn a_page_that_does_not_advance_stops_with_paging_stuck() {
    let stuck = fixture("list_record_sets_routing.xml");
    let (url, server) = scripted_server(vec![ok(&stuck), ok(&stuck)]);
    let err = client(&url, Arc::new(FakeClock::default()), 8)
        .list_record_sets("Z1")
        .unwrap_err();
    assert!(matches!(err, ApiError::PagingStuck { .. }), "{err:?}");
    assert!(err
        .to_string()
        .contains("name=weighted.example.com. type=AAAA identifier=w-2"));
    assert_eq!(server.join().unwrap().len(), 2);
}

#[test]
fn throttled_write_is_retried_after_a_backoff() {
    let (url, server) = scripted_server(vec![
        reply(
            "400 Bad Request",
            "x-amzn-RequestId: t-1\r\n",
            &fixture("error_throttling.xml"),
        ),
        ok(&fixture("change_resource_record_sets.xml")),
    ]);
    let clock = Arc::new(FakeClock::default());
    let change = client(&url, clock.clone(), 8)
        .change_record_sets("Z1", &a_change(), "r53ctl <push>")
        .unwrap();
    assert_eq!(change.id, "C2682N5HXP0BZ4");
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 1);
    assert!(sleeps[0] <= Duration::from_millis(200));
    let seen = server.join().unwrap();
    assert_eq!(
        seen[1].request_line,
        "POST /2013-04-01/hostedzone/Z1/rrset/ HTTP/1.1"
    );
    assert!(seen[1]
        .headers
        .iter()
        .any(|h| h == "content-type: text/xml"));
    assert!(seen[1]
        .body
        .contains("<Comment>r53ctl &lt;push&gt;</Comment>"));
    assert_eq!(seen[0].body, seen[1].body, "the same batch is sent again");
}

#[test]
fn server_error_on_a_write_is_outcome_unknown_and_not_resent() {
    let (url, server) = scripted_server(vec![reply(
        "503 Service Unavailable",
        "",
        "<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error></ErrorResponse>",
    )]);
    let err = client(&url, Arc::new(FakeClock::default()), 8)
        .change_record_sets("Z1", &a_change(), "")
        .unwrap_err();
    assert!(matches!(err, ApiError::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(server.join().unwrap().len(), 1);
}

#[test]
fn server_errors_on_a_read_are_retried_up_to_max_attempts() {
    let page = reply("502 Bad Gateway", "", &fixture("error_proxy_page.html"));
    let (url, server) = scripted_server(vec![page.clone(), page.clone(), page]);
    let clock = Arc::new(FakeClock::default());
    let err = client(&url, clock.clone(), 3)
        .get_change("/change/C1")
        .unwrap_err();
    match &err {
        ApiError::Http {
            status, body_start, ..
        } => {
            assert_eq!(*status, 502);
            assert!(body_start.starts_with("<!DOCTYPE html>"));
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("HTTP 502"));
    assert_eq!(clock.sleeps.lock().unwrap().len(), 2);
    let seen = server.join().unwrap();
    assert_eq!(seen[2].request_line, "GET /2013-04-01/change/C1 HTTP/1.1");
}

#[test]
fn aws_errors_carry_status_request_id_and_server_date() {
    let (url, server) = scripted_server(vec![reply(
        "403 Forbidden",
        "x-amzn-RequestId: hdr-id\r\nDate: Thu, 26 Nov 2026 23:30:00 GMT\r\n",
        &fixture("error_request_time_too_skewed.xml"),
    )]);
    let err = client(&url, Arc::new(FakeClock::default()), 8)
        .get_hosted_zone("Z1")
        .unwrap_err();
    server.join().unwrap();
    assert_eq!(err.code(), Some("RequestTimeTooSkewed"));
    assert_eq!(err.status(), Some(403));
    let text = err.to_string();
    assert!(text.contains("hdr-id"), "{text}");
    assert!(
        text.contains("server time Thu, 26 Nov 2026 23:30:00 GMT"),
        "{text}"
    );
}

#[test]
fn zones_named_follow_paging_and_keep_exact_matches() {
    let (url, server) = scripted_server(vec![
        ok(&fixture("list_hosted_zones_by_name.xml")),
        ok(&fixture("list_hosted_zones_by_name_last.xml")),
    ]);
    let zones = client(&url, Arc::new(FakeClock::default()), 8)
        .hosted_zones_named("Example.com")
        .unwrap();
    let ids: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "Z0123456789ABCDEFGHIJ",
            "Z9876543210ZYXWVUTSRQ",
            "Z2ABCDEFEXAMPLE"
        ]
    );
    let seen = server.join().unwrap();
    assert_eq!(
        seen[0].request_line,
        "GET /2013-04-01/hostedzonesbyname?dnsname=Example.com&maxitems=100 HTTP/1.1"
    );
    assert_eq!(
        seen[1].request_line,
        "GET /2013-04-01/hostedzonesbyname?dnsname=example.com.&hostedzoneid=Z2ABCDEFEXAMPLE\
         &maxitems=100 HTTP/1.1"
    );
}

#[test]
fn hosted_zones_follow_the_opaque_marker() {
    let (url, server) = scripted_server(vec![
        ok(&fixture("list_hosted_zones_page1.xml")),
        ok(&fixture("list_hosted_zones_page2.xml")),
    ]);
    let zones = client(&url, Arc::new(FakeClock::default()), 8)
        .list_hosted_zones()
        .unwrap();
    assert_eq!(zones.len(), 3);
    let seen = server.join().unwrap();
    assert_eq!(
        seen[1].request_line,
        "GET /2013-04-01/hostedzone?marker=AYADeHdhLWE9PT1_opaque%2B%2Ftoken%3D%3D&maxitems=100 HTTP/1.1"
    );
}

#[test]
fn connection_refused_write_is_retried_then_reported_as_not_sent() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let clock = Arc::new(FakeClock::default());
    let err = client(&format!("http://127.0.0.1:{port}"), clock.clone(), 3)
        .change_record_sets("Z1", &a_change(), "")
        .unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert_eq!(clock.sleeps.lock().unwrap().len(), 2);
}

#[test]
fn upserts_count_twice_for_the_change_bucket() {
    let mut changes = a_change();
    changes.push(ChangeAction {
        action: Action::Delete,
        ..changes[0].clone()
    });
    assert_eq!(change_count(&changes), 3);
}

#[test]
fn query_values_are_percent_encoded() {
    assert_eq!(encode("\\052.example.com."), "%5C052.example.com.");
    assert_eq!(encode("a b+/~"), "a%20b%2B%2F~");
}
