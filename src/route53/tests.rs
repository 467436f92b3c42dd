//! Client tests against a scripted local HTTP server: paging, retries, error answers.

use std::sync::LazyLock;
use std::time::Duration;

use super::*;
use crate::creds::CredsError;
use crate::http::TransportOptions;
use crate::model::{Action, ChangeAction};
use crate::route53::retry::FakeClock;
use crate::rtype::RecordType;
use crate::sigv4::Credentials;
use crate::test_server::{free_port, Reply, TestServer};

/// Fixed credentials, for tests of clients that sign.
pub(crate) struct StaticCredentials;

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

/// A Route 53 answer: an XML `body` with `status`.
fn reply(status: u16, body: &str) -> Reply {
    Reply::new(status, "text/xml", body)
}

fn ok(body: &str) -> Reply {
    reply(200, body)
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
        service: "route53",
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

/// An UPSERT of one A record set.
fn a_change() -> Vec<ChangeAction<'static>> {
    static WWW: LazyLock<RecordSet> = LazyLock::new(|| {
        RecordSet::simple(
            "www.example.com.",
            RecordType::A,
            300,
            vec!["192.0.2.1".into()],
        )
    });
    vec![ChangeAction {
        action: Action::Upsert,
        record_set: &WWW,
    }]
}

#[test]
fn record_sets_follow_every_page_position() {
    let server = TestServer::script(vec![
        ok(&fixture("list_record_sets_routing.xml")),
        ok(&fixture("list_record_sets_last.xml")),
    ]);
    let clock = Arc::new(FakeClock::default());
    let sets = client(&server.url, clock, 8)
        .list_record_sets("/hostedzone/Z0123456789ABCDEFGHIJ", None)
        .unwrap();
    assert_eq!(sets.len(), 20);
    assert_eq!(sets[19].set_identifier(), Some("w-2"));
    let seen = server.requests();
    assert_eq!(
        seen[0].request_line(),
        "GET /2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset?maxitems=300 HTTP/1.1"
    );
    assert_eq!(
        seen[1].request_line(),
        "GET /2013-04-01/hostedzone/Z0123456789ABCDEFGHIJ/rrset?identifier=w-2&maxitems=300\
         &name=weighted.example.com.&type=AAAA HTTP/1.1"
    );
    let authorization = seen[0]
        .header("authorization")
        .unwrap()
        .to_ascii_lowercase();
    assert!(authorization.starts_with("aws4-hmac-sha256 credential=akidexample/"));
    assert!(authorization.contains("/us-east-1/route53/aws4_request"));
}

#[test]
fn record_sets_are_read_into_a_vector_sized_by_the_zone_count_within_a_cap() {
    let pages = || {
        TestServer::script(vec![
            ok(&fixture("list_record_sets_routing.xml")),
            ok(&fixture("list_record_sets_last.xml")),
        ])
    };
    let list = |record_count| {
        let server = pages();
        client(&server.url, Arc::new(FakeClock::default()), 8)
            .list_record_sets("Z1", record_count)
            .unwrap()
    };
    // Grown page by page, 19 then 20 record sets would take room for 38.
    let sets = list(Some(20));
    assert_eq!((sets.len(), sets.capacity()), (20, 20));
    let made_up = list(Some(u64::MAX));
    assert_eq!(made_up, sets);
    assert_eq!(made_up.capacity() as u64, MAX_RESERVED_RECORD_SETS);
}

#[test]
fn a_page_that_does_not_advance_stops_with_paging_broken() {
    let stuck = fixture("list_record_sets_routing.xml");
    let server = TestServer::script(vec![ok(&stuck), ok(&stuck)]);
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .list_record_sets("Z1", None)
        .unwrap_err();
    assert!(matches!(err, ApiError::PagingBroken { .. }), "{err:?}");
    assert!(err
        .to_string()
        .contains("name=weighted.example.com. type=AAAA identifier=w-2"));
    assert_eq!(server.requests().len(), 2);
}

/// A page of one record set that names `next` as the next page.
fn record_page(next: &str) -> Reply {
    ok(&format!(
        "<ListResourceRecordSetsResponse><ResourceRecordSets><ResourceRecordSet>\
         <Name>a.example.com.</Name><Type>A</Type><TTL>60</TTL><ResourceRecords><ResourceRecord>\
         <Value>192.0.2.1</Value></ResourceRecord></ResourceRecords></ResourceRecordSet>\
         </ResourceRecordSets><IsTruncated>true</IsTruncated><NextRecordName>{next}</NextRecordName>\
         <NextRecordType>A</NextRecordType><MaxItems>300</MaxItems></ListResourceRecordSetsResponse>"
    ))
}

#[test]
fn pages_alternating_between_two_positions_stop_with_paging_broken() {
    let server = TestServer::script(vec![
        record_page("a.example.com."),
        record_page("b.example.com."),
        record_page("a.example.com."),
        record_page("b.example.com."),
    ]);
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .list_record_sets("Z1", None)
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ListResourceRecordSets of zone Z1: the server's paging is broken")
            && text.contains("already named (name=a.example.com. type=A identifier=-)"),
        "{text}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn endless_new_pages_stop_at_a_bound_from_the_record_count() {
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::start(move |_| {
        let n = pages.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        record_page(&format!("n{n}.example.com."))
    });
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .list_record_sets("Z1", Some(600))
        .unwrap_err();
    assert!(matches!(err, ApiError::PagingBroken { .. }), "{err:?}");
    assert!(err.to_string().contains("after 120 pages"), "{err}");
    assert_eq!(server.requests().len(), page_bound(Some(600), 300));
}

#[test]
fn page_bounds_leave_generous_slack() {
    assert_eq!(page_bound(Some(0), 300), 100);
    assert_eq!(page_bound(Some(1200), 300), 140);
    assert_eq!(page_bound(None, 100), MAX_PAGES_UNKNOWN);
}

#[test]
fn zone_markers_alternating_between_two_values_stop_with_paging_broken() {
    let page = |marker: &str| {
        ok(&format!(
            "<ListHostedZonesResponse><HostedZones/><IsTruncated>true</IsTruncated>\
             <NextMarker>{marker}</NextMarker><MaxItems>100</MaxItems></ListHostedZonesResponse>"
        ))
    };
    let server = TestServer::script(vec![page("m1"), page("m2"), page("m1")]);
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .list_hosted_zones()
        .unwrap_err();
    assert!(
        err.to_string().contains("already named (marker=m1)"),
        "{err}"
    );
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn throttled_write_is_retried_after_a_backoff() {
    let server = TestServer::script(vec![
        reply(400, &fixture("error_throttling.xml")).with_header("x-amzn-RequestId", "t-1"),
        ok(&fixture("change_resource_record_sets.xml")),
    ]);
    let clock = Arc::new(FakeClock::default());
    let client = client(&server.url, clock.clone(), 8);
    let change = client
        .change_record_sets("Z1", &a_change(), "r53ctl <push>")
        .unwrap();
    assert_eq!(change.id, "C2682N5HXP0BZ4");
    assert_eq!(client.throttles(), 1);
    let sleeps = clock.sleeps.lock().unwrap().clone();
    assert_eq!(sleeps.len(), 2, "{sleeps:?}");
    assert!(sleeps[0] <= Duration::from_millis(200));
    // Then the limiter waits until the emptied request buckets, refilled at half their rate
    // (5/s), hold one token and the arrival reserve: 0.3 s from the throttle.
    let total: Duration = sleeps.iter().sum();
    assert!((total.as_secs_f64() - 0.3).abs() < 1e-6, "{sleeps:?}");
    let seen = server.requests();
    assert_eq!(
        seen[1].request_line(),
        "POST /2013-04-01/hostedzone/Z1/rrset/ HTTP/1.1"
    );
    assert!(seen[1]
        .header("content-type")
        .is_some_and(|value| value.eq_ignore_ascii_case("text/xml")));
    assert!(seen[1]
        .body
        .contains("<Comment>r53ctl &lt;push&gt;</Comment>"));
    assert_eq!(seen[0].body, seen[1].body, "the same batch is sent again");
}

#[test]
fn server_error_on_a_write_is_outcome_unknown_and_not_resent() {
    let server = TestServer::script(vec![reply(
        503,
        "<ErrorResponse><Error><Code>ServiceUnavailable</Code><Message>busy</Message></Error></ErrorResponse>",
    )]);
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .change_record_sets("Z1", &a_change(), "")
        .unwrap_err();
    assert!(matches!(err, ApiError::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(err.code(), Some("ServiceUnavailable"));
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn an_unreadable_success_answer_to_a_write_is_outcome_unknown() {
    for body in ["", "<<not xml", "<ChangeResourceRecordSetsResponse/>"] {
        let server = TestServer::script(vec![ok(body)]);
        let err = client(&server.url, Arc::new(FakeClock::default()), 8)
            .change_record_sets("Z1", &a_change(), "")
            .unwrap_err();
        assert!(matches!(err, ApiError::OutcomeUnknown { .. }), "{err:?}");
        assert!(err.to_string().contains("cannot understand"), "{err}");
        assert_eq!(server.requests().len(), 1);
    }
}

#[test]
fn server_errors_on_a_read_are_retried_up_to_max_attempts() {
    let page = reply(502, &fixture("error_proxy_page.html"));
    let server = TestServer::script(vec![page.clone(), page.clone(), page]);
    let clock = Arc::new(FakeClock::default());
    let err = client(&server.url, clock.clone(), 3)
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
    let seen = server.requests();
    assert_eq!(seen[2].request_line(), "GET /2013-04-01/change/C1 HTTP/1.1");
}

#[test]
fn retries_of_one_request_stop_when_their_time_is_spent() {
    let server = TestServer::start(|_| reply(500, "<html>down</html>"));
    let clock = Arc::new(FakeClock::default());
    let err = client(&server.url, clock.clone(), 1000)
        .get_change("C1")
        .unwrap_err();
    let slept: Duration = clock.sleeps.lock().unwrap().iter().sum();
    assert!(slept <= Duration::from_secs(60), "{slept:?}");
    assert!(server.requests().len() < 20, "{}", server.requests().len());
    assert!(matches!(err, ApiError::RetryTimeSpent { .. }), "{err:?}");
    assert_eq!(err.status(), Some(500));
    let text = err.to_string();
    assert!(
        text.contains("HTTP 500") && text.contains("retries of one request stop after 60s"),
        "{text}"
    );
}

#[test]
fn a_server_that_never_answers_costs_the_retry_time_not_every_attempt() {
    let server = TestServer::silent();
    let transport = Transport::new(&TransportOptions {
        read_timeout: Duration::from_millis(300),
        ..TransportOptions::default()
    })
    .unwrap();
    let endpoint = Endpoint {
        url: server.url.clone(),
        region: "us-east-1".into(),
        service: "route53",
    };
    let options = ClientOptions {
        retry: RetryPolicy {
            base: Duration::from_millis(10),
            max_total: Duration::from_secs(1),
            ..RetryPolicy::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::with_options(transport, endpoint, Arc::new(StaticCredentials), options);
    let started = std::time::Instant::now();
    let err = client.get_hosted_zone("Z1").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "{err}");
    match err {
        ApiError::RetryTimeSpent { attempts, .. } => assert!(attempts < 8, "{attempts}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn aws_errors_carry_status_request_id_and_server_date() {
    let server = TestServer::script(vec![reply(
        403,
        &fixture("error_request_time_too_skewed.xml"),
    )
    .with_header("x-amzn-RequestId", "hdr-id")
    .with_header("Date", "Thu, 26 Nov 2026 23:30:00 GMT")]);
    let err = client(&server.url, Arc::new(FakeClock::default()), 8)
        .get_hosted_zone("Z1")
        .unwrap_err();
    assert_eq!(server.requests().len(), 1);
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
    let server = TestServer::script(vec![
        ok(&fixture("list_hosted_zones_by_name.xml")),
        ok(&fixture("list_hosted_zones_by_name_last.xml")),
    ]);
    let zones = client(&server.url, Arc::new(FakeClock::default()), 8)
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
    let seen = server.requests();
    assert_eq!(
        seen[0].request_line(),
        "GET /2013-04-01/hostedzonesbyname?dnsname=Example.com&maxitems=100 HTTP/1.1"
    );
    assert_eq!(
        seen[1].request_line(),
        "GET /2013-04-01/hostedzonesbyname?dnsname=example.com.&hostedzoneid=Z2ABCDEFEXAMPLE\
         &maxitems=100 HTTP/1.1"
    );
}

#[test]
fn hosted_zones_follow_the_opaque_marker() {
    let server = TestServer::script(vec![
        ok(&fixture("list_hosted_zones_page1.xml")),
        ok(&fixture("list_hosted_zones_page2.xml")),
    ]);
    let zones = client(&server.url, Arc::new(FakeClock::default()), 8)
        .list_hosted_zones()
        .unwrap();
    assert_eq!(zones.len(), 3);
    let seen = server.requests();
    assert_eq!(
        seen[1].request_line(),
        "GET /2013-04-01/hostedzone?marker=AYADeHdhLWE9PT1_opaque%2B%2Ftoken%3D%3D&maxitems=100 HTTP/1.1"
    );
}

#[test]
fn connection_refused_write_is_retried_then_reported_as_not_sent() {
    let port = free_port();
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
        ..changes[0]
    });
    assert_eq!(change_count(&changes), 3);
}
