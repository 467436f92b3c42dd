//! When a failed Route 53 call is sent again, and how long to wait first.
//!
//! Reads are retried freely. A write (ChangeResourceRecordSets, CreateHostedZone) is retried only
//! when it certainly was not applied; when its outcome cannot be known the caller gets
//! [`ApiError::OutcomeUnknown`] and must re-read the zone.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use super::error::{is_throttling_code, ApiError};
use crate::http::TransportError;

/// Time as the client sees it; tests substitute a fake that sleeps instantly.
pub trait Clock: Send + Sync {
    /// Monotonic time since an arbitrary origin.
    fn now(&self) -> Duration;
    /// Waits `duration`.
    fn sleep(&self, duration: Duration);
}

/// The real clock.
#[derive(Debug)]
pub struct SystemClock {
    origin: Instant,
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock {
            origin: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn sleep(&self, duration: Duration) {
        std::thread::sleep(duration);
    }
}

/// Capped exponential backoff with full jitter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// The first wait is up to `base`, doubling each attempt.
    pub base: Duration,
    /// No wait exceeds `cap`.
    pub cap: Duration,
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Attempts in all when the endpoint cannot be reached at all (DNS, refused connection,
    /// proxy): usually a wrong endpoint or network, which waiting rarely mends.
    pub max_unreachable_attempts: u32,
    /// No retry starts once this much time has gone by since the first attempt began: a server
    /// that never answers costs one or two read timeouts, not every attempt's.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            base: Duration::from_millis(200),
            cap: Duration::from_secs(20),
            max_attempts: 8,
            max_unreachable_attempts: 3,
            max_total: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// How many attempts in all a call that failed with `err` may take.
    pub fn attempts_for(&self, err: &ApiError) -> u32 {
        match err {
            ApiError::Transport { source, .. } if source.is_unreachable() => {
                self.max_unreachable_attempts.min(self.max_attempts)
            }
            _ => self.max_attempts,
        }
    }

    /// The longest wait after failed attempt number `attempt` (0 for the first).
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// A wait drawn uniformly from `[0, ceiling(attempt)]`.
    pub fn backoff(&self, attempt: u32, jitter: &Jitter) -> Duration {
        self.ceiling(attempt).mul_f64(jitter.next_fraction())
    }
}

/// A small xorshift generator for jitter, seeded from the time; shared by all threads.
#[derive(Debug)]
pub struct Jitter {
    state: Mutex<u64>,
}

impl Jitter {
    /// Seeded from the wall clock.
    pub fn from_time() -> Jitter {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9E37_79B9_7F4A_7C15);
        Jitter::seeded(nanos)
    }

    /// A fixed sequence, for tests.
    pub fn seeded(seed: u64) -> Jitter {
        // xorshift must not start at zero.
        Jitter {
            state: Mutex::new(seed | 1),
        }
    }

    /// A number in `[0, 1)`.
    pub fn next_fraction(&self) -> f64 {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let mut x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Whether a call reads or writes; writes are only resent when certainly not applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    Read,
    Write,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Wait and send the request again.
    Retry,
    /// Give up with this error.
    Fail,
    /// Give up: a write may have been applied; report [`ApiError::OutcomeUnknown`].
    OutcomeUnknown,
}

/// Whether Route 53 refused the request without acting on it, and a later one may succeed:
/// a client-error status with a throttling code.
fn is_refused_for_now(status: u16, code: &str) -> bool {
    (400..500).contains(&status) && (is_throttling_code(code) || code == "PriorRequestNotComplete")
}

/// Transport failures that a later attempt may not meet.
fn is_transient(err: &TransportError) -> bool {
    matches!(
        err,
        TransportError::Dns { .. }
            | TransportError::Unreachable { .. }
            | TransportError::Timeout { .. }
            | TransportError::ConnectionReset { .. }
            | TransportError::TruncatedBody { .. }
            | TransportError::Other { .. }
    )
}

/// The retry decision for `err` after an attempt of a `kind` call.
pub fn decide(kind: CallKind, err: &ApiError) -> Decision {
    let write_unknown = match kind {
        CallKind::Read => Decision::Retry,
        CallKind::Write => Decision::OutcomeUnknown,
    };
    match err {
        // 501 Not Implemented: the server lacks the operation and did nothing; asking again
        // cannot change that.
        _ if err.status() == Some(501) => Decision::Fail,
        ApiError::Aws(aws) if is_refused_for_now(aws.status, &aws.code) => Decision::Retry,
        ApiError::Aws(aws) if aws.status >= 500 => write_unknown,
        ApiError::Http { status, .. } if *status >= 500 => write_unknown,
        ApiError::Transport { source, .. } => {
            match (source.may_have_been_sent(), is_transient(source)) {
                (false, true) => Decision::Retry,
                (false, false) => Decision::Fail,
                (true, true) => write_unknown,
                (true, false) if kind == CallKind::Write => Decision::OutcomeUnknown,
                (true, false) => Decision::Fail,
            }
        }
        _ => Decision::Fail,
    }
}

/// A clock whose `sleep` only moves its time forward, and records every wait.
#[cfg(test)]
#[derive(Debug, Default)]
pub(crate) struct FakeClock {
    pub now: Mutex<Duration>,
    pub sleeps: Mutex<Vec<Duration>>,
}

#[cfg(test)]
impl Clock for FakeClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) {
        *self.now.lock().unwrap() += duration;
        self.sleeps.lock().unwrap().push(duration);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::TimeoutPhase;
    use crate::route53::error::AwsError;

    fn aws(status: u16, code: &str) -> ApiError {
        ApiError::Aws(Box::new(AwsError {
            service: "route53",
            operation: "ChangeResourceRecordSets",
            status,
            code: code.into(),
            message: String::new(),
            messages: Vec::new(),
            request_id: None,
            server_date: None,
            local_time: UNIX_EPOCH,
        }))
    }

    fn transport(source: TransportError) -> ApiError {
        ApiError::Transport {
            operation: "ChangeResourceRecordSets",
            source,
        }
    }

    fn timeout(phase: TimeoutPhase) -> ApiError {
        transport(TransportError::Timeout {
            target: "h:443".into(),
            phase,
            limit: Duration::from_secs(1),
        })
    }

    #[test]
    fn decision_table() {
        use CallKind::{Read, Write};
        use Decision::{Fail, OutcomeUnknown, Retry};
        let refused = || {
            transport(TransportError::Unreachable {
                target: "h:443".into(),
                detail: "refused".into(),
            })
        };
        let reset = || {
            transport(TransportError::ConnectionReset {
                target: "h:443".into(),
                detail: "reset".into(),
            })
        };
        let tls = || {
            transport(TransportError::Tls {
                target: "h:443".into(),
                detail: "bad certificate".into(),
                untrusted_certificate: true,
            })
        };
        let too_large = || {
            transport(TransportError::BodyTooLarge {
                target: "h:443".into(),
                limit: 1,
            })
        };
        let proxy_page = || ApiError::Http {
            operation: "GetChange",
            status: 502,
            request_id: None,
            body_start: "<html>".into(),
        };
        let cases: Vec<(ApiError, Decision, Decision)> = vec![
            (aws(400, "Throttling"), Retry, Retry),
            (aws(400, "PriorRequestNotComplete"), Retry, Retry),
            (aws(400, "ThrottlingException"), Retry, Retry),
            (aws(500, "InternalFailure"), Retry, OutcomeUnknown),
            (aws(503, "Throttling"), Retry, OutcomeUnknown),
            (aws(503, "ServiceUnavailable"), Retry, OutcomeUnknown),
            (aws(501, "NotImplemented"), Fail, Fail),
            (proxy_page(), Retry, OutcomeUnknown),
            (aws(400, "InvalidChangeBatch"), Fail, Fail),
            (aws(404, "NoSuchHostedZone"), Fail, Fail),
            (aws(403, "SignatureDoesNotMatch"), Fail, Fail),
            (refused(), Retry, Retry),
            (timeout(TimeoutPhase::Connect), Retry, Retry),
            (timeout(TimeoutPhase::Read), Retry, OutcomeUnknown),
            (reset(), Retry, OutcomeUnknown),
            (tls(), Fail, Fail),
            (too_large(), Fail, OutcomeUnknown),
            (
                ApiError::Parse {
                    operation: "GetChange",
                    detail: "x".into(),
                },
                Fail,
                Fail,
            ),
        ];
        for (err, read, write) in cases {
            assert_eq!(decide(Read, &err), read, "read: {err:?}");
            assert_eq!(decide(Write, &err), write, "write: {err:?}");
        }
    }

    #[test]
    fn an_unreachable_endpoint_gets_fewer_attempts() {
        let policy = RetryPolicy::default();
        let refused = transport(TransportError::Unreachable {
            target: "127.0.0.1:9".into(),
            detail: "refused".into(),
        });
        assert_eq!(policy.attempts_for(&refused), 3);
        assert_eq!(policy.attempts_for(&aws(400, "Throttling")), 8);
    }

    #[test]
    fn ceiling_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.ceiling(0), Duration::from_millis(200));
        assert_eq!(policy.ceiling(1), Duration::from_millis(400));
        assert_eq!(policy.ceiling(6), Duration::from_millis(12_800));
        assert_eq!(policy.ceiling(7), Duration::from_secs(20));
        assert_eq!(policy.ceiling(200), Duration::from_secs(20));
    }

    #[test]
    fn backoff_is_jittered_within_the_ceiling() {
        let policy = RetryPolicy::default();
        let jitter = Jitter::seeded(42);
        let waits: Vec<Duration> = (0..64).map(|_| policy.backoff(3, &jitter)).collect();
        assert!(waits.iter().all(|w| *w <= policy.ceiling(3)));
        let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
        assert!(distinct.len() > 32, "jitter should spread the waits");
        let same_seed = Jitter::seeded(42);
        assert_eq!(policy.backoff(3, &same_seed), waits[0]);
    }

    #[test]
    fn fractions_stay_in_unit_interval() {
        let jitter = Jitter::seeded(0);
        for _ in 0..10_000 {
            let f = jitter.next_fraction();
            assert!((0.0..1.0).contains(&f));
        }
    }
}
