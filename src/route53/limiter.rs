//! A client-side copy of Route 53's token buckets, shared by every thread of a client, so that
//! r53ctl waits before AWS would throttle it instead of after.
//!
//! Route 53 keeps, per account, a bucket for all requests together, one per operation, and one
//! for change throughput (AWS page "Throttling for Amazon Route 53 API requests"). A request
//! takes a token from the first two, and change tokens from the third. When Route 53 throttles
//! anyway (another tool spends the same account's tokens), the buckets the request drew from
//! refill more slowly, and recover their rate slowly after requests succeed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::retry::Clock;
use crate::creds::Partition;

/// Operations whose bucket differs from the default, as `(name, burst, per second)`.
const ROUTE53_OPERATIONS: [(&str, f64, f64); 8] = [
    ("CreateHostedZone", 40.0, 2.0),
    ("CreateHealthCheck", 50.0, 0.5),
    ("DeleteHostedZone", 40.0, 5.0),
    ("AssociateVPCWithHostedZone", 20.0, 5.0),
    ("DisassociateVPCFromHostedZone", 10.0, 5.0),
    ("DeleteHealthCheck", 15.0, 3.0),
    ("UpdateHealthCheck", 50.0, 5.0),
    ("GetHealthCheckStatus", 4.0, 1.0),
];

/// Change tokens of an operation that changes a zone itself (CreateHostedZone, DeleteHostedZone,
/// AssociateVPCWithHostedZone, DisassociateVPCFromHostedZone).
pub const ZONE_CHANGE_TOKENS: u32 = 2;

/// A request reaches Route 53 some time after it takes its tokens here, and that delay varies
/// (connection set-up, uploading a large batch): when one arrives this many seconds later than
/// the next, Route 53's bucket holds that much refill less than ours. So a bucket admits a
/// request only when it also holds that refill. Steady pacing keeps its rate; only the end of a
/// burst waits this long once. The spread is widest between the first request of a paced push
/// (1000 changes, 200 KB and more) and its last one, kept small (see `batch`): 0.1 s is that
/// upload at 16 Mbit/s. Less would save under 0.1 s a push, where one throttle halves the rate
/// for the rest of it.
const ARRIVAL_SPREAD: f64 = 0.1;
/// A throttled bucket's rate is multiplied by this...
const SLOWDOWN: f64 = 0.5;
/// ...but stays at least this share of its limit.
const MIN_SHARE: f64 = 1.0 / 16.0;
/// After this many successful requests, a slowed bucket's rate grows by [`RECOVERY`].
const RECOVER_AFTER: u32 = 5;
const RECOVERY: f64 = 1.1;
/// Longer waits are shown on a terminal; every wait is shown with `--debug`.
const VISIBLE_WAIT: Duration = Duration::from_secs(1);

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

    /// No bucket: nothing waits for it.
    pub const UNLIMITED: BucketLimit = BucketLimit::new(0.0, 0.0);

    fn disabled(self) -> bool {
        self.per_second <= 0.0
    }

    /// This bucket refilled at no more than `rate`. A lowered bucket keeps its shape (Route 53's
    /// hold five seconds of requests, fifteen of changes); an unlimited one gets a burst of one
    /// second.
    fn at_most(self, rate: f64) -> BucketLimit {
        if self.disabled() {
            return BucketLimit::new(rate.max(1.0), rate);
        }
        if rate >= self.per_second {
            return self;
        }
        BucketLimit::new((self.burst * rate / self.per_second).max(1.0), rate)
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
    /// Change tokens over all requests (AWS: burst 1,500, 100 per second; see
    /// [`crate::model::Action::change_tokens`] and [`ZONE_CHANGE_TOKENS`]).
    pub changes: BucketLimit,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::of(Partition::Aws)
    }
}

impl Limits {
    /// Route 53's buckets in `partition`. GovCloud gives every operation 40 requests of burst
    /// and 5 per second and has no change bucket; r53ctl also keeps all operations together
    /// to that rate, which is never more than GovCloud allows.
    pub fn of(partition: Partition) -> Limits {
        match partition {
            Partition::AwsUsGov => {
                let every = BucketLimit::new(40.0, 5.0);
                Limits {
                    requests: every,
                    per_operation: every,
                    operations: Vec::new(),
                    changes: BucketLimit::UNLIMITED,
                }
            }
            _ => Limits {
                requests: BucketLimit::new(50.0, 10.0),
                per_operation: BucketLimit::new(50.0, 10.0),
                operations: ROUTE53_OPERATIONS
                    .iter()
                    .map(|&(name, burst, rate)| (name.to_string(), BucketLimit::new(burst, rate)))
                    .collect(),
                changes: BucketLimit::new(1500.0, 100.0),
            },
        }
    }

    /// These limits with at most `requests` requests per second and `changes` change tokens per
    /// second, for a user who shares the account's quota with other tools; never above the
    /// limits themselves.
    pub fn at_most(mut self, requests: Option<f64>, changes: Option<f64>) -> Limits {
        if let Some(rate) = requests {
            self.requests = self.requests.at_most(rate);
            self.per_operation = self.per_operation.at_most(rate);
            for (_, limit) in &mut self.operations {
                *limit = limit.at_most(rate);
            }
        }
        if let Some(rate) = changes {
            self.changes = self.changes.at_most(rate);
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
    /// What its tokens stand for, for messages: "changes", "requests", "GetChange requests".
    what: String,
    tokens: f64,
    /// Seconds on the client's clock when `tokens` was counted.
    updated: f64,
    /// The share of the limit's rate it refills at: below 1 after Route 53 throttled.
    share: f64,
    /// Successful requests since the share last changed.
    successes: u32,
}

impl Bucket {
    fn full(limit: BucketLimit, what: String, now: f64) -> Bucket {
        Bucket {
            limit,
            what,
            tokens: limit.burst,
            updated: now,
            share: 1.0,
            successes: 0,
        }
    }

    fn rate(&self) -> f64 {
        self.limit.per_second * self.share
    }

    fn refill(&mut self, now: f64) {
        let elapsed = (now - self.updated).max(0.0);
        self.tokens = (self.tokens + elapsed * self.rate()).min(self.limit.burst);
        self.updated = self.updated.max(now);
    }

    /// How long until the bucket admits `cost` tokens (zero when it does now): it must hold
    /// them and [`ARRIVAL_SPREAD`]'s refill. A cost above the burst waits for a full bucket
    /// instead of forever.
    fn wait_for(&self, cost: f64) -> Duration {
        if self.limit.disabled() {
            return Duration::ZERO;
        }
        let needed = cost + self.rate() * ARRIVAL_SPREAD;
        let missing = needed.min(self.limit.burst) - self.tokens;
        if missing <= 0.0 {
            return Duration::ZERO;
        }
        // A tiny user-given rate (`--max-change-rate 1e-300`) makes this too large for a
        // Duration, where `from_secs_f64` would panic.
        Duration::try_from_secs_f64(missing / self.rate()).unwrap_or(Duration::MAX)
    }

    /// Takes `cost` tokens. A cost above the burst leaves the bucket in debt, so that the
    /// rate still holds over time.
    fn take(&mut self, cost: f64) {
        if !self.limit.disabled() {
            self.tokens -= cost;
        }
    }

    /// Route 53 refused a request that drew from this bucket: its own bucket is short. Assume
    /// it empty and refill more slowly (the caller refilled it up to now).
    fn slow_down(&mut self) {
        self.tokens = self.tokens.min(0.0);
        self.share = (self.share * SLOWDOWN).max(MIN_SHARE);
        self.successes = 0;
    }

    /// A request that drew from this bucket succeeded: a slowed bucket speeds up a little (the
    /// caller refilled it up to now).
    fn recover(&mut self) {
        if self.share >= 1.0 {
            return;
        }
        self.successes += 1;
        if self.successes >= RECOVER_AFTER {
            self.share = (self.share * RECOVERY).min(1.0);
            self.successes = 0;
        }
    }

    /// Why a wait for this bucket is needed, e.g. `pacing to 100 changes/s after a burst of 1500`.
    fn pace(&self) -> String {
        let mut text = format!(
            "pacing to {} {}/s after a burst of {}",
            number(self.rate()),
            self.what,
            number(self.limit.burst)
        );
        if self.share < 1.0 {
            text.push_str(&format!(
                " (slowed from {}/s: Route 53 throttled r53ctl)",
                number(self.limit.per_second)
            ));
        }
        text
    }
}

/// `x` with at most two decimals and none that are zero: `100`, `0.5`, `0.63`.
fn number(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[derive(Debug)]
struct Buckets {
    requests: Bucket,
    changes: Bucket,
    operations: HashMap<String, Bucket>,
}

impl Buckets {
    fn full(limits: &Limits, now: f64) -> Buckets {
        Buckets {
            requests: Bucket::full(limits.requests, "requests".into(), now),
            changes: Bucket::full(limits.changes, "changes".into(), now),
            operations: HashMap::new(),
        }
    }

    /// The buckets a call of `operation` carrying `changes` change tokens draws from, each with
    /// its cost, refilled up to `now`.
    fn drawn_by(
        &mut self,
        limits: &Limits,
        operation: &str,
        changes: f64,
        now: f64,
    ) -> Vec<(&mut Bucket, f64)> {
        let operation_bucket = self
            .operations
            .entry(operation.to_string())
            .or_insert_with(|| {
                let what = format!("{operation} requests");
                Bucket::full(limits.for_operation(operation), what, now)
            });
        let mut drawn = vec![(&mut self.requests, 1.0), (operation_bucket, 1.0)];
        if changes > 0.0 {
            drawn.push((&mut self.changes, changes));
        }
        for (bucket, _) in &mut drawn {
            bucket.refill(now);
        }
        drawn
    }
}

/// The shared buckets; `acquire` blocks until a call may go.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    buckets: Mutex<Option<Buckets>>,
    throttled: AtomicUsize,
}

impl Limiter {
    /// Buckets for `limits`, full at the first call.
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            buckets: Mutex::new(None),
            throttled: AtomicUsize::new(0),
        }
    }

    /// The limits it keeps to.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Waits until one call of `operation` carrying `changes` change tokens may be sent, then
    /// takes its tokens.
    pub fn acquire(&self, operation: &str, changes: u32, clock: &dyn Clock) {
        while let Some((wait, reason)) = self.try_take(operation, f64::from(changes), clock.now()) {
            show_wait(wait, &reason);
            clock.sleep(wait);
        }
    }

    /// Route 53 answered a call of `operation` carrying `changes` change tokens with
    /// `Throttling`: counts it and slows down every bucket the call drew from.
    pub fn throttled(&self, operation: &str, changes: u32, clock: &dyn Clock) {
        self.throttled.fetch_add(1, Ordering::Relaxed);
        self.update(operation, changes, clock, Bucket::slow_down);
    }

    /// A call of `operation` carrying `changes` change tokens succeeded.
    pub fn succeeded(&self, operation: &str, changes: u32, clock: &dyn Clock) {
        // Only a throttle slows a bucket: until one comes, there is nothing to recover.
        if self.throttles() == 0 {
            return;
        }
        self.update(operation, changes, clock, Bucket::recover);
    }

    /// How many calls Route 53 throttled so far.
    pub fn throttles(&self) -> usize {
        self.throttled.load(Ordering::Relaxed)
    }

    /// Applies `change` to every enabled bucket a call draws from.
    fn update(&self, operation: &str, changes: u32, clock: &dyn Clock, change: fn(&mut Bucket)) {
        self.with_drawn(operation, f64::from(changes), clock.now(), |drawn| {
            for (bucket, _) in drawn {
                if !bucket.limit.disabled() {
                    change(bucket);
                }
            }
        });
    }

    /// Takes the tokens and returns `None`, or returns how long to wait before trying again and
    /// why.
    fn try_take(&self, operation: &str, changes: f64, now: Duration) -> Option<(Duration, String)> {
        self.with_drawn(operation, changes, now, |mut drawn| {
            let (wait, slowest) = drawn
                .iter()
                .map(|(bucket, cost)| (bucket.wait_for(*cost), bucket))
                .max_by_key(|(wait, _)| *wait)?;
            if !wait.is_zero() {
                return Some((wait, slowest.pace()));
            }
            for (bucket, cost) in &mut drawn {
                bucket.take(*cost);
            }
            None
        })
    }

    /// Runs `f` on the buckets a call draws from, with their costs, refilled up to `now`.
    fn with_drawn<R>(
        &self,
        operation: &str,
        changes: f64,
        now: Duration,
        f: impl FnOnce(Vec<(&mut Bucket, f64)>) -> R,
    ) -> R {
        let now = now.as_secs_f64();
        let mut guard = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        let buckets = guard.get_or_insert_with(|| Buckets::full(&self.limits, now));
        f(buckets.drawn_by(&self.limits, operation, changes, now))
    }
}

/// Says why r53ctl waits: every wait with `--debug`, a long one on a terminal.
pub(crate) fn show_wait(wait: Duration, reason: &str) {
    let text = format!("waiting {:.1} s: {reason}", wait.as_secs_f64());
    if crate::log::debug_enabled() {
        crate::debug!("{text}");
    } else if wait > VISIBLE_WAIT {
        crate::log::progress(&text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::route53::retry::FakeClock;

    fn total_sleep(clock: &FakeClock) -> f64 {
        clock
            .sleeps
            .lock()
            .unwrap()
            .iter()
            .sum::<Duration>()
            .as_secs_f64()
    }

    fn assert_slept(clock: &FakeClock, expected: f64) {
        let slept = total_sleep(clock);
        assert!(
            (slept - expected).abs() < 1e-6,
            "slept {slept}, not {expected}"
        );
    }

    #[test]
    fn route53_numbers_per_partition() {
        let aws = Limits::of(Partition::Aws);
        assert_eq!(aws, Limits::default());
        assert_eq!(aws.requests, BucketLimit::new(50.0, 10.0));
        assert_eq!(aws.changes, BucketLimit::new(1500.0, 100.0));
        assert_eq!(aws.for_operation("GetChange"), BucketLimit::new(50.0, 10.0));
        assert_eq!(
            aws.for_operation("CreateHostedZone"),
            BucketLimit::new(40.0, 2.0)
        );
        assert_eq!(
            aws.for_operation("GetHealthCheckStatus"),
            BucketLimit::new(4.0, 1.0)
        );
        assert_eq!(Limits::of(Partition::AwsCn), aws);
        let gov = Limits::of(Partition::AwsUsGov);
        assert_eq!(gov.requests, BucketLimit::new(40.0, 5.0));
        assert_eq!(
            gov.for_operation("CreateHostedZone"),
            BucketLimit::new(40.0, 5.0)
        );
        assert!(gov.changes.disabled(), "GovCloud has no change bucket");
    }

    #[test]
    fn at_most_only_lowers_rates_and_keeps_bursts_proportionate() {
        let limits = Limits::default().at_most(Some(2.0), Some(20.0));
        assert_eq!(limits.requests, BucketLimit::new(10.0, 2.0));
        assert_eq!(limits.per_operation, BucketLimit::new(10.0, 2.0));
        assert_eq!(
            limits.for_operation("CreateHostedZone"),
            BucketLimit::new(40.0, 2.0)
        );
        assert_eq!(limits.changes, BucketLimit::new(300.0, 20.0));
        let unchanged = Limits::default().at_most(Some(100.0), Some(500.0));
        assert_eq!(unchanged, Limits::default());
        let gov = Limits::of(Partition::AwsUsGov).at_most(None, Some(50.0));
        assert_eq!(gov.changes, BucketLimit::new(50.0, 50.0));
    }

    #[test]
    fn burst_passes_then_refill_rate_paces() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        // The burst of 50 but the one token ARRIVAL_SPREAD keeps in reserve.
        for _ in 0..49 {
            limiter.acquire("ListResourceRecordSets", 0, &clock);
        }
        assert_slept(&clock, 0.0);
        for _ in 0..21 {
            limiter.acquire("ListResourceRecordSets", 0, &clock);
        }
        // 21 more requests at 10 per second.
        assert_slept(&clock, 2.1);
    }

    #[test]
    fn account_bucket_is_shared_by_all_operations() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        for _ in 0..24 {
            limiter.acquire("GetChange", 0, &clock);
            limiter.acquire("ListHostedZones", 0, &clock);
        }
        limiter.acquire("GetChange", 0, &clock);
        assert_slept(&clock, 0.0);
        limiter.acquire("GetHostedZone", 0, &clock);
        assert_slept(&clock, 0.1);
    }

    #[test]
    fn create_hosted_zone_has_its_own_slower_bucket() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        for _ in 0..41 {
            limiter.acquire("CreateHostedZone", ZONE_CHANGE_TOKENS, &clock);
        }
        // The 40th waits for the reserve of 0.2 tokens, the 41st for one token at 2 per second.
        assert_slept(&clock, 0.1 + 0.5);
    }

    #[test]
    fn change_bucket_counts_change_tokens_and_a_large_batch_leaves_a_debt() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        limiter.acquire("ChangeResourceRecordSets", 1000, &clock);
        limiter.acquire("ChangeResourceRecordSets", 400, &clock);
        assert_slept(&clock, 0.0);
        // 900 tokens and the reserve of 10 missing at 100 per second.
        limiter.acquire("ChangeResourceRecordSets", 1000, &clock);
        assert_slept(&clock, 9.1);
        // A user-lowered bucket (burst 150, 10/s) lets a batch of 1000 go when full, then
        // waits off the debt: the rate holds.
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default().at_most(None, Some(10.0)));
        limiter.acquire("ChangeResourceRecordSets", 1000, &clock);
        assert_slept(&clock, 0.0);
        limiter.acquire("ChangeResourceRecordSets", 150, &clock);
        assert_slept(&clock, 100.0);
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
        // The 50th waits for the reserve, the 51st for its token.
        assert_slept(&clock, 0.2);
    }

    #[test]
    fn a_throttle_empties_and_halves_the_buckets_then_successes_recover_them() {
        let clock = FakeClock::default();
        let limiter = Limiter::new(Limits::default());
        limiter.acquire("ChangeResourceRecordSets", 100, &clock);
        limiter.throttled("ChangeResourceRecordSets", 100, &clock);
        limiter.throttled("ChangeResourceRecordSets", 100, &clock);
        assert_eq!(limiter.throttles(), 2);
        // Empty, and refilled at a quarter of 100/s: 100 tokens and the reserve of 2.5.
        limiter.acquire("ChangeResourceRecordSets", 100, &clock);
        assert_slept(&clock, 4.1);
        let rates = |limiter: &Limiter| {
            let guard = limiter.buckets.lock().unwrap();
            let buckets = guard.as_ref().unwrap();
            (buckets.requests.rate(), buckets.changes.rate())
        };
        assert_eq!(rates(&limiter), (2.5, 25.0));
        // A read slows the request buckets only.
        limiter.throttled("GetChange", 0, &clock);
        assert_eq!(rates(&limiter), (1.25, 25.0));
        for _ in 0..RECOVER_AFTER {
            limiter.succeeded("ChangeResourceRecordSets", 100, &clock);
        }
        assert_eq!(rates(&limiter), (1.25 * RECOVERY, 25.0 * RECOVERY));
        for _ in 0..100 * RECOVER_AFTER {
            limiter.succeeded("ChangeResourceRecordSets", 100, &clock);
        }
        assert_eq!(rates(&limiter), (10.0, 100.0), "never above the limit");
        for _ in 0..10 {
            limiter.throttled("GetChange", 0, &clock);
        }
        assert_eq!(rates(&limiter).0, 10.0 * MIN_SHARE, "never below the floor");
    }

    #[test]
    fn a_wait_names_the_bucket_that_holds_the_request_back() {
        let limiter = Limiter::new(Limits::default());
        let now = Duration::from_secs(10);
        assert!(limiter
            .try_take("ChangeResourceRecordSets", 1500.0, now)
            .is_none());
        let (wait, reason) = limiter
            .try_take("ChangeResourceRecordSets", 1000.0, now)
            .unwrap();
        assert_eq!(wait, Duration::from_millis(10_100));
        assert_eq!(reason, "pacing to 100 changes/s after a burst of 1500");
        limiter.throttled("ChangeResourceRecordSets", 1000, &FakeClock::default());
        let (_, reason) = limiter
            .try_take("ChangeResourceRecordSets", 1000.0, now)
            .unwrap();
        assert_eq!(
            reason,
            "pacing to 50 changes/s after a burst of 1500 (slowed from 100/s: Route 53 \
             throttled r53ctl)"
        );
        for _ in 0..40 {
            limiter.try_take("CreateHostedZone", 2.0, now + Duration::from_secs(3600));
        }
        let (_, reason) = limiter
            .try_take("CreateHostedZone", 2.0, now + Duration::from_secs(3600))
            .unwrap();
        assert_eq!(
            reason,
            "pacing to 2 CreateHostedZone requests/s after a burst of 40"
        );
    }

    #[test]
    fn a_tiny_rate_waits_the_longest_duration_instead_of_panicking() {
        let limits = Limits::default().at_most(Some(1e-300), Some(1e-300));
        let limiter = Limiter::new(limits);
        assert_eq!(
            limiter.try_take("ChangeResourceRecordSets", 1.0, Duration::ZERO),
            None
        );
        let (wait, _) = limiter
            .try_take("ChangeResourceRecordSets", 1.0, Duration::ZERO)
            .unwrap();
        assert_eq!(wait, Duration::MAX);
    }

    #[test]
    fn a_zero_rate_disables_a_bucket() {
        let clock = FakeClock::default();
        let disabled = BucketLimit::UNLIMITED;
        let limiter = Limiter::new(Limits {
            requests: disabled,
            per_operation: disabled,
            operations: Vec::new(),
            changes: disabled,
        });
        for _ in 0..1000 {
            limiter.acquire("ListResourceRecordSets", 10, &clock);
            limiter.throttled("ListResourceRecordSets", 10, &clock);
        }
        assert_slept(&clock, 0.0);
    }
}
