//! Diff and batching of a 100,000-record-set zone: `cargo bench --bench diff_plan`.
//! Prints a table of changes, requests, the heap each scenario takes on top of its input and wall
//! times, then the peak memory of the process; asserts nothing about time. The counting allocator
//! adds two atomic operations to every allocation, so its times run a little above those of the
//! same code in r53ctl.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use r53ctl::batch::{batches, Limits};
use r53ctl::diff::{diff_zone, DiffOptions};
use r53ctl::model::{AliasTarget, RecordSet, Routing};
use r53ctl::rtype::RecordType;

/// The system allocator, counting the bytes in use and their peak.
struct Heap {
    in_use: AtomicUsize,
    peak: AtomicUsize,
}

#[global_allocator]
static HEAP: Heap = Heap {
    in_use: AtomicUsize::new(0),
    peak: AtomicUsize::new(0),
};

// SAFETY: every call goes to the system allocator unchanged; the counts only add to it.
unsafe impl GlobalAlloc for Heap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            self.grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        self.in_use.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // The old block counts until the new one holds its bytes, as it does when copied.
            self.grew(new_size);
            self.in_use.fetch_sub(layout.size(), Relaxed);
        }
        new
    }
}

impl Heap {
    fn grew(&self, bytes: usize) {
        let now = self.in_use.fetch_add(bytes, Relaxed) + bytes;
        self.peak.fetch_max(now, Relaxed);
    }

    /// Bytes in use now, from which the peak starts again.
    fn reset_peak(&self) -> usize {
        let now = self.in_use.load(Relaxed);
        self.peak.store(now, Relaxed);
        now
    }
}

const RECORD_SETS: usize = 100_000;
const APEX: &str = "bench.tld.";

/// Record set `i` of the zone, in one of a few shapes.
fn record_set(i: usize, ttl: u32) -> RecordSet {
    let name = format!("host-{i}.{APEX}");
    match i % 10 {
        0 => RecordSet::aliased(
            &name,
            RecordType::AAAA,
            AliasTarget {
                hosted_zone_id: "ZBENCH".into(),
                dns_name: format!("host-{}.{APEX}", i + 1).into(),
                evaluate_target_health: false,
            },
        ),
        1 => RecordSet::simple(&name, RecordType::A, ttl, vec!["192.0.2.1".into()])
            .with_set_identifier(format!("w{i}"))
            .with_routing(Routing::Weighted { weight: 10 }),
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
    };

    println!(
        "{:<24}{:>9}{:>9}{:>9}{:>10}{:>9}{:>10}{:>10}{:>10}",
        "in process",
        "desired",
        "live",
        "changes",
        "requests",
        "actions",
        "+heap MiB",
        "diff ms",
        "batch ms"
    );
    run("changed zone (1% each)", &desired, live, &options);
    run("new zone", &desired, Vec::new(), &options);
    match peak_memory_kib() {
        Some(kib) => println!("peak memory of the process: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak memory of the process: unknown (no /proc/self/status)"),
    }
}

/// Diffs and batches one scenario and prints a row of what it took; `+heap MiB` is the peak of
/// the heap while it ran above the heap before it (the input). The diff takes `live` over, as
/// r53ctl's does the zone it read.
fn run(scenario: &str, desired: &[RecordSet], live: Vec<RecordSet>, options: &DiffOptions<'_>) {
    let before = HEAP.reset_peak();
    let live_count = live.len();
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
    let on_top = (HEAP.peak.load(Relaxed) - before) as f64 / (1 << 20) as f64;
    println!(
        "{scenario:<24}{:>9}{:>9}{:>9}{:>10}{actions:>9}{on_top:>10.1}{:>10.1}{:>10.1}",
        desired.len(),
        live_count,
        diff.changes.len(),
        requests.len(),
        diffed.as_secs_f64() * 1000.0,
        batched.as_secs_f64() * 1000.0
    );
}

/// The process's peak resident memory (`VmHWM`), on Linux.
fn peak_memory_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
