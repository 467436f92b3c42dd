//! Route 53's throttling, enforced exactly as AWS documents it (page "Throttling for Amazon
//! Route 53 API requests"): per account, one bucket for all requests together and one per
//! operation, from each of which a request takes a token, and a change-throughput bucket from
//! which CREATE and DELETE take 1 token, UPSERT 2, and CreateHostedZone, DeleteHostedZone,
//! AssociateVPCWithHostedZone and DisassociateVPCFromHostedZone 2. A request that any bucket
//! cannot admit is refused with `400 Throttling` and takes no token at all.
//!
//! Written apart from r53ctl's own limiter on purpose: it is the oracle that limiter is tested
//! against.

use std::collections::HashMap;
use std::time::Duration;

/// A bucket's size and refill: `(burst, per second)`.
pub type Bucket = (f64, f64);

/// The buckets of one account.
#[derive(Clone, Debug)]
pub struct Rates {
    /// All requests together.
    pub requests: Bucket,
    /// Each operation not in `operations`.
    pub per_operation: Bucket,
    pub operations: Vec<(&'static str, Bucket)>,
    /// Change throughput; `None` where there is none (GovCloud).
    pub changes: Option<Bucket>,
}

impl Rates {
    /// Route 53's numbers in the commercial partition.
    pub fn route53() -> Rates {
        Rates {
            requests: (50.0, 10.0),
            per_operation: (50.0, 10.0),
            operations: vec![
                ("CreateHostedZone", (40.0, 2.0)),
                ("CreateHealthCheck", (50.0, 0.5)),
                ("DeleteHostedZone", (40.0, 5.0)),
                ("AssociateVPCWithHostedZone", (20.0, 5.0)),
                ("DisassociateVPCFromHostedZone", (10.0, 5.0)),
                ("DeleteHealthCheck", (15.0, 3.0)),
                ("UpdateHealthCheck", (50.0, 5.0)),
                ("GetHealthCheckStatus", (4.0, 1.0)),
            ],
            changes: Some((1500.0, 100.0)),
        }
    }
}

#[derive(Debug)]
struct Level {
    limit: Bucket,
    tokens: f64,
    at: Duration,
}

impl Level {
    fn at(&mut self, now: Duration) -> f64 {
        let elapsed = now.saturating_sub(self.at).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.limit.1).min(self.limit.0);
        self.at = self.at.max(now);
        self.tokens
    }
}

/// The buckets' levels; every bucket starts full.
#[derive(Debug)]
pub struct Throttle {
    rates: Rates,
    /// By bucket name: `all requests`, `changes`, or the operation.
    levels: HashMap<String, Level>,
}

impl Throttle {
    pub fn new(rates: Rates) -> Throttle {
        Throttle {
            rates,
            levels: HashMap::new(),
        }
    }

    /// Admits a request of `operation` taking `change_tokens` at `now` and takes its tokens, or
    /// names the first bucket that is short and takes nothing.
    pub fn admit(
        &mut self,
        operation: &str,
        change_tokens: f64,
        now: Duration,
    ) -> Result<(), String> {
        let operation_limit = self
            .rates
            .operations
            .iter()
            .find(|(name, _)| *name == operation)
            .map_or(self.rates.per_operation, |(_, limit)| *limit);
        let mut costs = vec![
            ("all requests", self.rates.requests, 1.0),
            (operation, operation_limit, 1.0),
        ];
        if let Some(changes) = self.rates.changes.filter(|_| change_tokens > 0.0) {
            costs.push(("changes", changes, change_tokens));
        }
        for &(name, limit, cost) in &costs {
            if self.level(name, limit).at(now) < cost {
                return Err(name.to_string());
            }
        }
        for (name, limit, cost) in costs {
            self.level(name, limit).tokens -= cost;
        }
        Ok(())
    }

    fn level(&mut self, name: &str, limit: Bucket) -> &mut Level {
        self.levels.entry(name.to_string()).or_insert(Level {
            limit,
            tokens: limit.0,
            at: Duration::ZERO,
        })
    }
}

/// The Route 53 operation of a request, e.g. `ChangeResourceRecordSets`; `GET /other/path` for
/// one this table does not know (it gets the default per-operation bucket).
pub fn operation(method: &str, path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path
        .trim_start_matches("/2013-04-01/")
        .trim_end_matches('/')
        .split('/')
        .collect();
    let name = match (method, segments.as_slice()) {
        ("GET", ["hostedzone"]) => "ListHostedZones",
        ("POST", ["hostedzone"]) => "CreateHostedZone",
        ("GET", ["hostedzone", _]) => "GetHostedZone",
        ("DELETE", ["hostedzone", _]) => "DeleteHostedZone",
        ("GET", ["hostedzone", _, "rrset"]) => "ListResourceRecordSets",
        ("POST", ["hostedzone", _, "rrset"]) => "ChangeResourceRecordSets",
        ("GET", ["hostedzone", _, "rrsetprotection"]) => "ListResourceRecordSetProtections",
        ("POST", ["hostedzone", _, "associatevpc"]) => "AssociateVPCWithHostedZone",
        ("POST", ["hostedzone", _, "disassociatevpc"]) => "DisassociateVPCFromHostedZone",
        ("GET", ["hostedzonesbyname"]) => "ListHostedZonesByName",
        ("GET", ["hostedzonecount"]) => "GetHostedZoneCount",
        ("GET", ["change", _]) => "GetChange",
        ("POST", ["healthcheck"]) => "CreateHealthCheck",
        ("POST", ["healthcheck", _]) => "UpdateHealthCheck",
        ("DELETE", ["healthcheck", _]) => "DeleteHealthCheck",
        ("GET", ["healthcheck", _, "status"]) => "GetHealthCheckStatus",
        _ => return format!("{method} {path}"),
    };
    name.to_string()
}

/// The change tokens of a request of `operation` with `actions`, the `<Action>`s of its body.
pub fn change_tokens<'a>(operation: &str, actions: impl Iterator<Item = &'a str>) -> f64 {
    match operation {
        "ChangeResourceRecordSets" => actions
            .map(|action| if action == "UPSERT" { 2.0 } else { 1.0 })
            .sum(),
        "CreateHostedZone"
        | "DeleteHostedZone"
        | "AssociateVPCWithHostedZone"
        | "DisassociateVPCFromHostedZone" => 2.0,
        _ => 0.0,
    }
}
