//! Diff and batching of a 100,000-record-set zone: `cargo bench --bench diff_plan`.
//! Prints wall times and the number of changes and requests; asserts nothing about time.

use std::time::Instant;

use r53ctl::batch::{batches, Limits};
use r53ctl::diff::{diff_zone, DiffOptions};
use r53ctl::model::{AliasTarget, RecordSet, Routing};

const RECORD_SETS: usize = 100_000;
const APEX: &str = "bench.tld.";

/// Record set `i` of the zone, in one of a few shapes.
fn record_set(i: usize, ttl: u32) -> RecordSet {
    let name = format!("host-{i}.{APEX}");
    match i % 10 {
        0 => RecordSet {
            ttl: None,
            alias: Some(AliasTarget {
                hosted_zone_id: "ZBENCH".into(),
                dns_name: format!("host-{}.{APEX}", i + 1),
                evaluate_target_health: false,
            }),
            ..RecordSet::simple(&name, "AAAA", 0, Vec::new())
        },
        1 => RecordSet {
            set_identifier: Some(format!("w{i}")),
            routing: Some(Routing::Weighted { weight: 10 }),
            ..RecordSet::simple(&name, "A", ttl, vec!["192.0.2.1".into()])
        },
        2 => RecordSet::simple(&name, "TXT", ttl, vec![format!("\"token-{i:0>40}\"")]),
        _ => RecordSet::simple(
            &name,
            "A",
            ttl,
            vec![format!("10.{}.{}.{}", i >> 16 & 255, i >> 8 & 255, i & 255)],
        ),
    }
}

fn main() {
    let live: Vec<RecordSet> = (0..RECORD_SETS).map(|i| record_set(i, 300)).collect();
    // 1% get a new TTL, 1% are removed, 1% are added.
    let desired: Vec<RecordSet> = (0..RECORD_SETS + RECORD_SETS / 100)
        .filter(|i| i % 100 != 7)
        .map(|i| record_set(i, if i % 100 == 3 { 60 } else { 300 }))
        .collect();
    let options = DiffOptions {
        apex: APEX,
        zone_id: "ZBENCH",
        ignore: &[],
        keep_unknown: false,
        protections: &[],
    };

    run("changed zone", &desired, &live, &options);
    run("new zone", &desired, &[], &options);
}

/// Diffs and batches one scenario and prints what it took.
fn run(scenario: &str, desired: &[RecordSet], live: &[RecordSet], options: &DiffOptions<'_>) {
    let start = Instant::now();
    let diff = diff_zone(desired, live, options);
    let diffed = start.elapsed();
    let requests = match batches(&diff.changes, &Limits::default()) {
        Ok(requests) => requests,
        Err(err) => {
            eprintln!("{scenario}: batching failed: {err}");
            std::process::exit(1);
        }
    };
    let total = start.elapsed();
    let actions: usize = requests.iter().map(Vec::len).sum();
    println!(
        "{scenario}: {} desired, {} live record sets: {} changes, {} requests, {actions} actions",
        desired.len(),
        live.len(),
        diff.changes.len(),
        requests.len()
    );
    println!(
        "  diff {diffed:?}, batching {:?}, total {total:?}",
        total - diffed
    );
}
