//! A client-side copy of Route 53's token buckets, shared by every thread of the process, so
//! that r53ctl waits before AWS would throttle it instead of after.
//!
//! Route 53 keeps, per account, a bucket for all requests together, one per operation, and one
//! counted per record change (AWS page "Throttling for Amazon Route 53 API requests").

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use super::retry::Clock;

/// The size and refill rate of one token bucket.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BucketLimit {
    /// Tokens the bucket holds when full: the burst.
    pub burst: f64,
    /// Tokens added per second: the sustained rate. Zero or less disables the bucket.
    pub per_second: f64,
}

impl BucketLimit {
    /// A bucket of `burst` tokens refilled at `per_second`.
    pub const fn new(burst: f64, per_second: f64) -> BucketLimit {
        BucketLimit { burst, per_second }
    }
}

/// Every limit the client keeps to.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// All operations together (AWS: burst 50, 10 per second).
    pub requests: BucketLimit,
    /// Each operation not listed in `operations` (AWS: burst 50, 10 per second).
    pub per_operation: BucketLimit,
    /// Operations with their own limits, by API name (AWS: CreateHostedZone burst 40, 2/s).
    pub operations: Vec<(String, BucketLimit)>,
    /// Record changes per second over all change requests. AWS publishes a change-throughput
    /// bucket but its numbers were not confirmed when this was written, so the default is a
    /// conservative guess: burst 1000 (one full batch), 100 changes per second.
    pub changes: BucketLimit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            requests: BucketLimit::new(50.0, 10.0),
            per_operation: BucketLimit::new(50.0, 10.0),
            operations: vec![
                ("CreateHostedZone".to_string(), BucketLimit::new(40.0, 2.0)),
                (
                    "AssociateVPCWithHostedZone".to_string(),
                    BucketLimit::new(20.0, 5.0),
                ),
            ],
            changes: BucketLimit::new(1000.0, 100.0),
        }
    }
}

impl Limits {
    /// These limits with at most `requests` requests per second (never above Route 53's own),
    /// for a user who shares the account's quota with other tools, and `changes` record changes
    /// per second (lower or higher: AWS's change-throughput numbers are not published where we
    /// could confirm them, so the default is a guess the user may correct).
    pub fn at_most(mut self, requests: Option<f64>, changes: Option<f64>) -> Limits {
        if let Some(rate) = requests {
            // AWS's buckets hold five seconds of their rate; a lowered one keeps that shape.
            let lower = |limit: BucketLimit| match rate < limit.per_second {
                true => BucketLimit::new((rate * 5.0).clamp(1.0, limit.burst), rate),
                false => limit,
            };
            self.requests = lower(self.requests);
            self.per_operation = lower(self.per_operation);
            for (_, limit) in &mut self.operations {
                *limit = lower(*limit);
            }
        }
        if let Some(rate) = changes {
            self.changes = BucketLimit::new(self.changes.burst, rate);
        }
        self
    }

    fn for_operation(&self, operation: &str) -> BucketLimit {
        self.operations
            .iter()
            .find(|(name, _)| name == operation)
            .map_or(self.per_operation, |(_, limit)| *limit)
    }
}

#[derive(Debug)]
struct Bucket {
    limit: BucketLimit,
    tokens: f64,
    updated: Duration,
}

impl Bucket {
    fn full(limit: BucketLimit, now: Duration) -> Bucket {
        Bucket {
            limit,
            tokens: limit.burst,
            updated: now,
        }
    }

    fn disabled(&self) -> bool {
        self.limit.per_second <= 0.0
    }

    fn refill(&mut self, now: Duration) {
        let elapsed = now.saturating_sub(self.updated).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.limit.per_second).min(self.limit.burst);
        self.updated = now;
    }

    /// A cost above the burst could never be paid; it is charged as a full bucket.
    fn clamp(&self, cost: f64) -> f64 {
        cost.min(self.limit.burst)
    }

    /// How long until `cost` tokens are there (zero when they are now).
    fn wait_for(&self, cost: f64) -> Duration {
        if self.disabled() {
            return Duration::ZERO;
        }
        let missing = self.clamp(cost) - self.tokens;
        if missing <= 0.0 {
            return Duration::ZERO;
        }
        // A tiny user-given rate (`--max-change-rate 1e-300`) makes this too large for a
        // Duration, where `from_secs_f64` would panic.
        Duration::try_from_secs_f64(missing / self.limit.per_second).unwrap_or(Duration::MAX)
    }

    fn take(&mut self, cost: f64) {
        if !self.disabled() {
            self.tokens -= self.clamp(cost);
        }
    }
}

#[derive(Debug)]
struct Buckets {
    requests: Bucket,
    changes: Bucket,
    operations: HashMap<String, Bucket>,
}

/// The shared buckets; `acquire` blocks until a call may go.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    buckets: Mutex<Option<Buckets>>,
}

impl Limiter {
    /// Buckets for `limits`, full at the first call.
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            buckets: Mutex::new(None),
        }
    }

    /// Waits until one call of `operation` carrying `changes` record changes may be sent, then
    /// takes its tokens.
    pub fn acquire(&self, operation: &str, changes: u32, clock: &dyn Clock) {
        loop {
            let wait = self.try_take(operation, f64::from(changes), clock.now());
            if wait.is_zero() {
                return;
            }
            clock.sleep(wait);
        }
    }

    /// Takes the tokens and returns zero, or returns how long to wait before trying again.
    fn try_take(&self, operation: &str, changes: f64, now: Duration) -> Duration {
        let mut guard = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let buckets = guard.get_or_insert_with(|| Buckets {
            requests: Bucket::full(self.limits.requests, now),
            changes: Bucket::full(self.limits.changes, now),
            operations: HashMap::new(),
        });
        let operation_bucket = buckets
            .operations
            .entry(operation.to_string())
            .or_insert_with(|| Bucket::full(self.limits.for_operation(operation), now));
        operation_bucket.refill(now);
        buckets.requests.refill(now);
        buckets.changes.refill(now);
        let wait = buckets
            .requests
            .wait_for(1.0)
            .max(operation_bucket.wait_for(1.0))
            .max(buckets.changes.wait_for(changes));
        if wait.is_zero() {
            buckets.requests.take(1.0);
            operation_bucket.take(1.0);
            buckets.changes.take(changes);
        }
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route53::retry::FakeClock;

    fn total_sleep(clock: &FakeClock) -> Duration {
        clock.sleeps.lock().unwrap().iter().sum()
    }

    #[test]
    fn at_most_lowers_rates_and_keeps_bursts_proportionate() {
        let limits = Limits::default().at_most(Some(2.0), Some(20.0));
        assert_eq!(limits.requests, BucketLimit::new(10.0, 2.0));
        assert_eq!(limits.per_operation, BucketLimit::new(10.0, 2.0));
        assert_eq!(limits.changes, BucketLimit::new(1000.0, 20.0));
        let unchanged = Limits::default().at_most(Some(100.0), None);
        assert_eq!(unchanged, Limits::default());
        let faster = Limits::default().at_most(None, Some(500.0));
        assert_eq!(faster.changes, BucketLimit::new(1000.0, 500.0));
    }

    #[test]
    fn burst_passes_then_refill_rate_paces() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        for _ in 0..50 {
            limiter.acquire("ListResourceRecordSets", 0, &clock);
        }
        assert_eq!(total_sleep(&clock), Duration::ZERO, "the burst is free");
        for _ in 0..20 {
            limiter.acquire("ListResourceRecordSets", 0, &clock);
        }
        // 20 more requests at 10 per second.
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 2.0).abs() < 1e-6, "{slept}");
    }

    #[test]
    fn account_bucket_is_shared_by_all_operations() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        for _ in 0..25 {
            limiter.acquire("GetChange", 0, &clock);
            limiter.acquire("ListHostedZones", 0, &clock);
        }
        assert_eq!(total_sleep(&clock), Duration::ZERO);
        limiter.acquire("GetHostedZone", 0, &clock);
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 0.1).abs() < 1e-6, "{slept}");
    }

    #[test]
    fn create_hosted_zone_has_its_own_slower_bucket() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        for _ in 0..41 {
            limiter.acquire("CreateHostedZone", 0, &clock);
        }
        // The 41st waits for one token at 2 per second.
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 0.5).abs() < 1e-6, "{slept}");
    }

    #[test]
    fn change_bucket_counts_record_changes() {
        let clock = FakeClock::default();
        let limits = Limits {
            changes: BucketLimit::new(100.0, 10.0),
            ..Limits::default()
        };
        let limiter = Limiter::new(limits);
        limiter.acquire("ChangeResourceRecordSets", 80, &clock);
        assert_eq!(total_sleep(&clock), Duration::ZERO);
        limiter.acquire("ChangeResourceRecordSets", 50, &clock);
        // 30 tokens missing at 10 per second.
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 3.0).abs() < 1e-6, "{slept}");
        // A batch larger than the burst waits for a full bucket instead of forever.
        limiter.acquire("ChangeResourceRecordSets", 500, &clock);
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 13.0).abs() < 1e-6, "{slept}");
    }

    #[test]
    fn idle_time_refills_up_to_the_burst_only() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        limiter.acquire("GetChange", 0, &clock);
        clock.sleep(Duration::from_secs(3600));
        clock.sleeps.lock().unwrap().clear();
        for _ in 0..51 {
            limiter.acquire("GetChange", 0, &clock);
        }
        let slept = total_sleep(&clock).as_secs_f64();
        assert!((slept - 0.1).abs() < 1e-6, "{slept}");
    }

    #[test]
    fn a_tiny_rate_waits_the_longest_duration_instead_of_panicking() {
        let limits = Limits::default().at_most(Some(1e-300), Some(1e-300));
        let limiter = Limiter::new(limits);
        assert_eq!(
            limiter.try_take("ChangeResourceRecordSets", 1.0, Duration::ZERO),
            Duration::ZERO
        );
        let wait = limiter.try_take("ChangeResourceRecordSets", 1.0, Duration::ZERO);
        assert_eq!(wait, Duration::MAX);
    }

    #[test]
    fn a_zero_rate_disables_a_bucket() {
        let clock = FakeClock::default();
        let disabled = BucketLimit::new(0.0, 0.0);
        let limiter = Limiter::new(Limits {
            requests: disabled,
            per_operation: disabled,
            operations: Vec::new(),
            changes: disabled,
        });
        for _ in 0..1000 {
            limiter.acquire("ListResourceRecordSets", 10, &clock);
        }
        assert_eq!(total_sleep(&clock), Duration::ZERO);
    }
}
