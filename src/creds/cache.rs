//! Keeps temporary credentials until shortly before they expire, then asks the source again.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime};

use super::error::CredsError;
use super::ProvideCredentials;
use crate::sigv4::Credentials;
use crate::time::format_iso8601;

/// The current time; tests pass a clock they move by hand.
pub type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(SystemTime::now)
}

/// How long before their expiry credentials are renewed.
pub const RENEW_BEFORE: Duration = Duration::from_secs(5 * 60);

/// Wraps a source of temporary credentials: calls it once, then again only when the
/// credentials it gave expire within [`RENEW_BEFORE`].
pub struct CachingProvider {
    inner: Box<dyn ProvideCredentials>,
    clock: Clock,
    cached: Mutex<Option<Credentials>>,
}

impl CachingProvider {
    /// Caches what `inner` gives, judging expiry by `clock`.
    pub fn new(inner: Box<dyn ProvideCredentials>, clock: Clock) -> CachingProvider {
        CachingProvider {
            inner,
            clock,
            cached: Mutex::new(None),
        }
    }
}

impl ProvideCredentials for CachingProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        // A panic elsewhere while holding the lock leaves at worst stale credentials, which
        // the expiry check below handles.
        let mut cached = self.cached.lock().unwrap_or_else(PoisonError::into_inner);
        let now = (self.clock)();
        if let Some(credentials) = cached.as_ref().filter(|c| !needs_renewal(c, now)) {
            return Ok(credentials.clone());
        }
        let fresh = self.inner.credentials()?;
        if let Some(expired_at) = fresh.expires_at.filter(|at| *at <= now) {
            return Err(CredsError::Expired {
                source: self.inner.source(),
                expired_at,
            });
        }
        if let Some(expires_at) = fresh.expires_at {
            crate::debug!(
                "credentials from {} valid until {}",
                self.inner.source(),
                format_iso8601(expires_at)
            );
        }
        *cached = Some(fresh.clone());
        Ok(fresh)
    }

    fn source(&self) -> String {
        self.inner.source()
    }
}

fn needs_renewal(credentials: &Credentials, now: SystemTime) -> bool {
    credentials
        .expires_at
        .is_some_and(|expires_at| now + RENEW_BEFORE >= expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    use std::time::UNIX_EPOCH;

    /// Hands out credentials that expire `lifetime` after the shared clock's current time.
    struct Counting {
        calls: Arc<AtomicUsize>,
        now: Arc<AtomicU64>,
        lifetime: Option<u64>,
    }

    impl ProvideCredentials for Counting {
        fn credentials(&self) -> Result<Credentials, CredsError> {
            let call = self.calls.fetch_add(1, Ordering::SeqCst);
            let now = self.now.load(Ordering::SeqCst);
            Ok(Credentials {
                access_key_id: format!("ASIA{call}"),
                secret_access_key: "secret".into(),
                session_token: None,
                expires_at: self
                    .lifetime
                    .map(|l| UNIX_EPOCH + Duration::from_secs(now + l)),
            })
        }

        fn source(&self) -> String {
            "counting test source".into()
        }
    }

    fn provider(lifetime: Option<u64>) -> (CachingProvider, Arc<AtomicUsize>, Arc<AtomicU64>) {
        let calls = Arc::new(AtomicUsize::new(0));
        let now = Arc::new(AtomicU64::new(1_000_000));
        let inner = Counting {
            calls: calls.clone(),
            now: now.clone(),
            lifetime,
        };
        let clock_now = now.clone();
        let clock: Clock =
            Arc::new(move || UNIX_EPOCH + Duration::from_secs(clock_now.load(Ordering::SeqCst)));
        (CachingProvider::new(Box::new(inner), clock), calls, now)
    }

    #[test]
    fn keeps_credentials_until_five_minutes_before_expiry() {
        let (provider, calls, now) = provider(Some(3600));
        assert_eq!(provider.credentials().unwrap().access_key_id, "ASIA0");
        now.fetch_add(3600 - 301, Ordering::SeqCst);
        assert_eq!(provider.credentials().unwrap().access_key_id, "ASIA0");
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        now.fetch_add(1, Ordering::SeqCst);
        assert_eq!(provider.credentials().unwrap().access_key_id, "ASIA1");
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(provider.source(), "counting test source");
    }

    #[test]
    fn credentials_without_expiry_are_fetched_once() {
        let (provider, calls, now) = provider(None);
        provider.credentials().unwrap();
        now.fetch_add(10 * 365 * 86_400, Ordering::SeqCst);
        provider.credentials().unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn already_expired_credentials_are_an_error() {
        let (provider, _, _) = provider(Some(0));
        let text = provider.credentials().unwrap_err().to_string();
        assert!(
            text.contains("counting test source") && text.contains("expired at"),
            "{text}"
        );
    }
}
