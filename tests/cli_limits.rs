//! r53ctl against Route 53's throttling: the proxy in front of the local Route 53 API server
//! enforces Route 53's token buckets exactly (`proxy::rate_limits`), and r53ctl's own pacing
//! must keep every request within them; when the account's buckets are tighter than r53ctl
//! knows (another tool spends them), the push still completes and says it was throttled.
//!
//! `bench_push_at_route53_rates` and `bench_modify_at_route53_rates` (ignored; `make bench` runs
//! them) measure a push of 10,000 creates and one of 2,000 modifications.

mod cli;
mod common;
mod proxy;
mod support;

use std::time::{Duration, Instant};

use cli::{assert_exit, config, config_of, domain, stderr, Workspace};
use proxy::rate_limits::{operation, Rates, Throttle};
use proxy::Proxy;
use serde_json::{json, Value};

/// `count` A records `host0`, `host1`, …, with values `10.{version}.….`
fn a_records(count: usize, version: u8) -> Value {
    let records: Vec<Value> = (0..count)
        .map(|i| json!({ "name": format!("host{i}"), "type": "A", "value": format!("10.{version}.{}.{}", i / 256 % 256, i % 256) }))
        .collect();
    Value::Array(records)
}

/// moto, a proxy enforcing `rates` in front of it, and a workspace talking to the proxy whose
/// config is `config`, with its zones created straight on moto (so that the proxy's buckets
/// are full when the push starts).
fn setup(name: &str, rates: Rates, config: &Value) -> (common::Moto, Proxy, Workspace) {
    let moto = common::Moto::start();
    let proxy = Proxy::start(moto.url.trim_start_matches("http://"));
    let ws = Workspace::new(&format!("limits-{name}"), &proxy.url);
    ws.write_config("dnsconfig.json", config);
    assert_exit(&ws.via(&moto.url).run(&["create-domains"]), 0);
    proxy.enforce_rates(rates);
    (moto, proxy, ws)
}

#[test]
fn the_proxy_enforces_route53_buckets_exactly_and_a_throttled_request_costs_nothing() {
    let at = Duration::from_secs_f64;
    let mut throttle = Throttle::new(Rates::route53());
    for _ in 0..50 {
        throttle
            .admit("ListResourceRecordSets", 0.0, at(0.0))
            .unwrap();
    }
    assert_eq!(
        throttle.admit("GetChange", 0.0, at(0.0)),
        Err("all requests".into())
    );
    throttle.admit("GetChange", 0.0, at(0.1)).unwrap();
    // The per-operation bucket: CreateHostedZone holds 40, refilled at 2/s.
    let mut throttle = Throttle::new(Rates::route53());
    for _ in 0..40 {
        throttle.admit("CreateHostedZone", 2.0, at(0.0)).unwrap();
    }
    assert_eq!(
        throttle.admit("CreateHostedZone", 2.0, at(0.0)),
        Err("CreateHostedZone".into())
    );
    throttle.admit("CreateHostedZone", 2.0, at(0.5)).unwrap();
    // The change bucket: 1500, refilled at 100/s.
    let mut throttle = Throttle::new(Rates::route53());
    throttle
        .admit("ChangeResourceRecordSets", 1000.0, at(0.0))
        .unwrap();
    let refused = throttle.admit("ChangeResourceRecordSets", 1000.0, at(4.9));
    assert_eq!(refused, Err("changes".into()));
    // The refused request took nothing: at 5 s there are exactly 500 + 500 tokens.
    throttle
        .admit("ChangeResourceRecordSets", 1000.0, at(5.0))
        .unwrap();
    assert_eq!(
        throttle.admit("ChangeResourceRecordSets", 1.0, at(5.0)),
        Err("changes".into())
    );
    // Nor does a refused request take a request token: 49 reads, a refused change, a read.
    let mut throttle = Throttle::new(Rates::route53());
    for _ in 0..49 {
        throttle.admit("GetChange", 0.0, at(0.0)).unwrap();
    }
    let too_large = throttle.admit("ChangeResourceRecordSets", 1501.0, at(0.0));
    assert_eq!(too_large, Err("changes".into()));
    throttle.admit("GetChange", 0.0, at(0.0)).unwrap();
    assert_eq!(
        proxy::rate_limits::change_tokens(
            "ChangeResourceRecordSets",
            ["UPSERT", "CREATE"].into_iter()
        ),
        3.0
    );
    assert_eq!(
        operation("POST", "/2013-04-01/hostedzone/Z1/rrset/"),
        "ChangeResourceRecordSets"
    );
    assert_eq!(
        operation("GET", "/2013-04-01/hostedzone/Z1/rrset?maxitems=300"),
        "ListResourceRecordSets"
    );
}

/// 2,500 changes are 4 requests of 1000, 1000, 400 and, paced apart as the last, 100 change
/// tokens: the second must wait until Route 53's bucket (1500, 100/s) holds 1000 again, the third
/// until it holds 400 more, the last until it holds 100 more, so the push takes about 10 s; sent
/// any earlier, the proxy throttles them.
#[test]
fn a_push_of_thousands_of_changes_keeps_to_route53_buckets_without_a_throttle() {
    const DOMAIN: &str = "paced.tld";
    let (_moto, proxy, ws) = setup(
        "paced",
        Rates::route53(),
        &config(DOMAIN, a_records(2500, 0)),
    );
    let started = Instant::now();
    let out = ws.run(&["push", "--debug"]);
    let elapsed = started.elapsed();
    assert_exit(&out, 0);
    let log = proxy.log();
    assert_eq!(proxy.throttled(), 0, "{log:#?}");
    assert_eq!(proxy.forwarded("POST", "/rrset"), 4, "{log:#?}");
    assert!(elapsed >= Duration::from_secs(10), "{elapsed:?}");
    let err = stderr(&out);
    assert!(
        err.contains("s: pacing to 100 changes/s after a burst of 1500"),
        "{err}"
    );
    assert!(!err.contains("throttled"), "{err}");
    assert_eq!(ws.live_records(DOMAIN).len(), 2500);
}

/// The account's request bucket is a tenth of what r53ctl assumes: 5 burst, 1 per second.
#[test]
fn a_stricter_account_throttles_yet_the_push_completes_and_reports_the_throttles() {
    let domains: Vec<Value> = (0..3)
        .map(|i| domain(&format!("strict{i}.tld"), a_records(20, 0)))
        .collect();
    let strict = Rates {
        requests: (5.0, 1.0),
        ..Rates::route53()
    };
    let (moto, proxy, ws) = setup("strict", strict, &config_of(domains));
    let out = ws.run(&["push"]);
    assert_exit(&out, 0);
    let throttled = proxy.throttled();
    assert!(throttled > 0, "{:#?}", proxy.log());
    let err = stderr(&out);
    let expected = format!("Route 53 throttled {throttled} request");
    assert!(err.contains(&expected), "{err}");
    assert!(err.contains("r53ctl slowed down"), "{err}");
    let direct = ws.via(&moto.url);
    for i in 0..3 {
        assert_eq!(direct.live_records(&format!("strict{i}.tld")).len(), 20);
    }
}

/// `make bench`: a push of R53CTL_BENCH_CHANGES (default 10,000) new record sets through the
/// proxy enforcing Route 53's real buckets; its wall time against the fastest those buckets
/// allow, and the throttles (there must be none).
#[test]
#[ignore = "a benchmark of a minute and more; make bench runs it"]
fn bench_push_at_route53_rates() {
    let changes = bench_count("R53CTL_BENCH_CHANGES", 10_000);
    let (_moto, proxy, ws) = bench_setup("bench-rates.tld", changes);
    bench_push(&proxy, &ws, &format!("{changes} changes"), changes);
}

/// `make bench`: a push modifying R53CTL_BENCH_MODIFIES (default 2,000) record sets, each a
/// DELETE + CREATE of 2 change tokens, through the proxy enforcing Route 53's real buckets. The
/// zone is filled straight on moto, so the proxy's buckets are full when the timed push starts.
#[test]
#[ignore = "a benchmark of half a minute and more; make bench runs it"]
fn bench_modify_at_route53_rates() {
    let modifies = bench_count("R53CTL_BENCH_MODIFIES", 2_000);
    const DOMAIN: &str = "bench-modify.tld";
    let (moto, proxy, ws) = bench_setup(DOMAIN, modifies);
    assert_exit(&ws.via(&moto.url).run(&["push", "--force"]), 0);
    ws.write_config("dnsconfig.json", &config(DOMAIN, a_records(modifies, 1)));
    let what = format!("{modifies} modifies ({} change tokens)", 2 * modifies);
    bench_push(&proxy, &ws, &what, 2 * modifies);
}

/// The number in environment variable `name`, or `default`.
fn bench_count(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

/// [`setup`] with Route 53's real buckets, for a config of `count` A records in `domain`.
fn bench_setup(domain: &str, count: usize) -> (common::Moto, Proxy, Workspace) {
    let records = a_records(count, 0);
    setup(domain, Rates::route53(), &config(domain, records))
}

/// Times `ws`'s push through `proxy`, which must need `tokens` change tokens, and prints its
/// wall time against the fastest Route 53's buckets allow, as `make bench` (tests/bench.py)
/// parses it, then each request's arrival and answer in seconds after the push started; no
/// request may be throttled.
fn bench_push(proxy: &Proxy, ws: &Workspace, what: &str, tokens: usize) {
    let started = Instant::now();
    assert_exit(&ws.run(&["push", "--force"]), 0);
    let wall = started.elapsed().as_secs_f64();
    let requests = proxy.log().len();
    // Change tokens beyond the burst at 100/s; requests beyond the burst at 10/s.
    let change_bound = tokens.saturating_sub(1500) as f64 / 100.0;
    let request_bound = requests.saturating_sub(50) as f64 / 10.0;
    let bound = change_bound.max(request_bound);
    let ratio = if bound > 0.0 { wall / bound } else { f64::NAN };
    println!(
        "push of {what} through Route 53's buckets: {wall:.2} s, fastest allowed {bound:.1} s, \
         ratio {ratio:.2}; {requests} requests, {} throttled",
        proxy.throttled()
    );
    println!("{}", proxy.timeline(started).join("\n"));
    assert_eq!(proxy.throttled(), 0, "{:#?}", proxy.log());
}
