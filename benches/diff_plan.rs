//! Diff and batching of a 100,000-record-set zone: `cargo bench --bench diff_plan`.
//! Prints a table of changes, requests, the memory each scenario takes on top of its input and
//! wall times, then the peak memory of the process; asserts nothing about time.

use std::time::Instant;

use r53ctl::batch::{batches, Limits};
use r53ctl::diff::{diff_zone, DiffOptions};
use r53ctl::model::{AliasTarget, RecordSet, Routing};
use r53ctl::rtype::RecordType;

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
            ..RecordSet::simple(&name, RecordType::AAAA, 0, Vec::new())
        },
        1 => RecordSet {
            set_identifier: Some(format!("w{i}")),
            routing: Some(Routing::Weighted { weight: 10 }),
            ..RecordSet::simple(&name, RecordType::A, ttl, vec!["192.0.2.1".into()])
        },
        2 => RecordSet::simple(
            &name,
            RecordType::TXT,
            ttl,
            vec![format!("\"token-{i:0>40}\"")],
        ),
        _ => RecordSet::simple(
            &name,
            RecordType::A,
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

    println!(
        "{:<24}{:>9}{:>9}{:>9}{:>10}{:>9}{:>10}{:>10}{:>10}",
        "in process",
        "desired",
        "live",
        "changes",
        "requests",
        "actions",
        "+MiB",
        "diff ms",
        "batch ms"
    );
    // Each scenario resets the peak to measure its own, so the process's is the largest seen.
    let peak = [
        peak_memory_kib(),
        run("changed zone (1% each)", &desired, &live, &options),
        run("new zone", &desired, &[], &options),
    ];
    match peak.into_iter().max().flatten() {
        Some(kib) => println!("peak memory of the process: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak memory of the process: unknown (no /proc/self/status)"),
    }
}

/// Diffs and batches one scenario and prints a row of what it took; `+MiB` is the peak resident
/// memory while it ran above the memory before it (the input), `?` where Linux cannot tell.
/// Returns the peak resident memory while it ran.
fn run(
    scenario: &str,
    desired: &[RecordSet],
    live: &[RecordSet],
    options: &DiffOptions<'_>,
) -> Option<u64> {
    let before = reset_peak_memory().then(|| status_kib("VmRSS:")).flatten();
    let start = Instant::now();
    let diff = diff_zone(desired, live, options);
    let diffed = start.elapsed();
    let requests = match batches(APEX, &diff.changes, &Limits::default()) {
        Ok(requests) => requests,
        Err(err) => {
            eprintln!("{scenario}: batching failed: {err}");
            std::process::exit(1);
        }
    };
    let batched = start.elapsed() - diffed;
    let actions: usize = requests.iter().map(Vec::len).sum();
    let peak = peak_memory_kib();
    let on_top = match (before, peak) {
        (Some(before), Some(peak)) => format!("{:.1}", peak.saturating_sub(before) as f64 / 1024.0),
        _ => "?".to_string(),
    };
    println!(
        "{scenario:<24}{:>9}{:>9}{:>9}{:>10}{actions:>9}{on_top:>10}{:>10.1}{:>10.1}",
        desired.len(),
        live.len(),
        diff.changes.len(),
        requests.len(),
        diffed.as_secs_f64() * 1000.0,
        batched.as_secs_f64() * 1000.0
    );
    peak
}

/// The process's peak resident memory (`VmHWM`), on Linux.
fn peak_memory_kib() -> Option<u64> {
    status_kib("VmHWM:")
}

/// The figure of the line of `/proc/self/status` that starts with `field`, on Linux.
fn status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Sets the peak resident memory back to the memory now resident (Linux 4.0 and later).
fn reset_peak_memory() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
