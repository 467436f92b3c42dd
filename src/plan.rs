//! A push plan: for each domain, the zone it maps to, the diff, and the requests that apply it.
//!
//! A plan can be written out for review (`preview --out plan.json`) and applied later exactly as
//! written (`push --plan plan.json`). Each zone in the file carries a fingerprint of the live record
//! sets it was computed against; push refuses a zone whose fingerprint no longer matches, so
//! nothing is written to a zone that changed since the plan was made. Each zone also names its
//! DNS provider (the creds entry push opens to reach it) and the share of its record sets a push
//! may change or delete without `--force`, so `push --plan` needs no config.

use std::fmt;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::batch::{self, BatchError, Limits};
use crate::diff::{Change, ZoneDiff};
use crate::model::{Action, AliasTarget, ChangeAction, HostedZone, RecordSet, Routing};
use crate::rtype::RecordType;

/// The `format` of plan files this version writes and reads.
const PLAN_FORMAT: &str = "r53ctl-plan/1";

/// What a push would do to one zone.
#[derive(Clone, Debug)]
pub struct ZonePlan {
    /// The domain as the user wrote it.
    pub domain: String,
    /// The DNS provider (creds entry) whose credentials and endpoint reach the zone.
    pub provider: String,
    pub zone: HostedZone,
    pub diff: ZoneDiff,
    /// The ChangeResourceRecordSets requests, in order.
    pub batches: Vec<Vec<ChangeAction>>,
    /// [`fingerprint`] of the live record sets the diff was computed against.
    pub live_fingerprint: String,
    /// How much of the zone a push of this plan may change without `--force`.
    pub safety: SafetyLimits,
}

impl ZonePlan {
    /// Plans the requests that apply `diff` to `zone` of `provider`, whose record sets were
    /// `live`, under the default [`SafetyLimits`].
    pub fn new(
        domain: &str,
        provider: &str,
        zone: HostedZone,
        diff: ZoneDiff,
        limits: &Limits,
        live: &[RecordSet],
    ) -> Result<ZonePlan, BatchError> {
        let batches = batch::batches(&zone.name, &diff.changes, limits)?;
        Ok(ZonePlan {
            domain: domain.to_string(),
            provider: provider.to_string(),
            zone,
            diff,
            batches,
            live_fingerprint: fingerprint(live),
            safety: SafetyLimits::default(),
        })
    }

    /// The plan with `safety` as its limits.
    pub fn with_safety(self, safety: SafetyLimits) -> ZonePlan {
        ZonePlan { safety, ..self }
    }

    /// Whether the plan applies in one request, so that it applies completely or not at all.
    pub fn is_atomic(&self) -> bool {
        self.batches.len() <= 1
    }

    /// Record sets the plan creates.
    pub fn creates(&self) -> usize {
        self.count(|c| matches!(c, Change::Create(_)))
    }

    /// Record sets the plan deletes.
    pub fn deletes(&self) -> usize {
        self.count(|c| matches!(c, Change::Delete(_)))
    }

    /// Record sets the plan changes.
    pub fn modifies(&self) -> usize {
        self.count(|c| matches!(c, Change::Modify { .. }))
    }

    fn count(&self, kind: impl Fn(&Change) -> bool) -> usize {
        self.diff.changes.iter().filter(|c| kind(c)).count()
    }

    /// Why a push must refuse this plan for a zone of `live_count` record sets, if it must (see
    /// [`SafetyLimits::check`]).
    pub fn safety_violation(&self, live_count: usize) -> Option<SafetyViolation> {
        self.safety
            .check(self.deletes() + self.modifies(), live_count)
    }
}

/// How much of a zone one push may change or delete (octoDNS's safety thresholds).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SafetyLimits {
    /// The largest share (0.0 to 1.0) of live record sets a push may change or delete.
    pub max_share: f64,
    /// Zones with fewer live record sets are not checked.
    pub min_record_sets: usize,
}

impl SafetyLimits {
    /// The default limits with `max_share` instead of the default share, when given.
    pub fn with_max_share(max_share: Option<f64>) -> SafetyLimits {
        let default = SafetyLimits::default();
        SafetyLimits {
            max_share: max_share.unwrap_or(default.max_share),
            ..default
        }
    }

    /// The violation, if changing or deleting `changed` of a zone's `live_count` record sets is
    /// more than `max_share` of them and the zone has at least `min_record_sets`.
    pub fn check(&self, changed: usize, live_count: usize) -> Option<SafetyViolation> {
        // A quotient is rounded like the literal limit, so exactly 30% of any zone is not > 0.3.
        let too_many = changed as f64 / live_count as f64 > self.max_share;
        (live_count >= self.min_record_sets && too_many).then_some(SafetyViolation {
            changed,
            live: live_count,
            max_share: self.max_share,
        })
    }
}

impl Default for SafetyLimits {
    fn default() -> SafetyLimits {
        SafetyLimits {
            max_share: 0.30,
            min_record_sets: 10,
        }
    }
}

/// A plan that changes or deletes too large a share of a zone.
#[derive(Clone, Debug, PartialEq)]
pub struct SafetyViolation {
    /// Record sets the plan changes or deletes.
    pub changed: usize,
    /// Record sets in the live zone.
    pub live: usize,
    pub max_share: f64,
}

impl fmt::Display for SafetyViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "would change or delete {} of {} record sets ({}%), more than the {}% limit; \
             use --force or raise max_change_share",
            self.changed,
            self.live,
            percent(self.changed as f64 / self.live as f64),
            percent(self.max_share),
        )
    }
}

impl std::error::Error for SafetyViolation {}

/// `share` as a percentage with at most one decimal: `37.5`, `30`.
fn percent(share: f64) -> String {
    let text = format!("{:.1}", share * 100.0);
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// A zone's part of a plan read back from a file: exactly the requests to send.
#[derive(Clone, Debug, PartialEq)]
pub struct PlannedZone {
    pub domain: String,
    /// The DNS provider (creds entry) whose credentials and endpoint reach the zone.
    pub provider: String,
    pub zone: HostedZone,
    /// [`fingerprint`] of the live record sets the plan was computed against.
    pub live_fingerprint: String,
    pub batches: Vec<Vec<ChangeAction>>,
    pub safety: SafetyLimits,
}

impl PlannedZone {
    /// Why a push must refuse this plan for a zone of `live_count` record sets, if it must. Every
    /// record set the plan changes or deletes has exactly one DELETE.
    pub fn safety_violation(&self, live_count: usize) -> Option<SafetyViolation> {
        let changed = self
            .batches
            .iter()
            .flatten()
            .filter(|c| c.action == Action::Delete)
            .count();
        self.safety.check(changed, live_count)
    }

    /// Checks that the zone still holds the record sets the plan was computed against.
    pub fn check_live(&self, live: &[RecordSet]) -> Result<(), PlanError> {
        let now = fingerprint(live);
        if now == self.live_fingerprint {
            return Ok(());
        }
        Err(PlanError::ZoneChanged {
            domain: self.domain.clone(),
            zone_id: self.zone.id.clone(),
            planned: self.live_fingerprint.clone(),
            live: now,
        })
    }
}

/// A plan file that cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// A value is missing or has the wrong shape; `at` is its path, e.g. `zones[0].batches[1][3]`.
    Malformed { at: String, problem: String },
    /// The file is not a plan this version of r53ctl writes.
    UnsupportedFormat { found: String },
    /// The zone changed since the plan was made.
    ZoneChanged {
        domain: String,
        zone_id: String,
        planned: String,
        live: String,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Malformed { at, problem } => {
                write!(
                    f,
                    "{at}: {problem}; write the plan again with `preview --out`"
                )
            }
            PlanError::UnsupportedFormat { found } => write!(
                f,
                "its format is {found:?}, but this r53ctl reads {PLAN_FORMAT:?}; \
                 write the plan again with this version's `preview --out`"
            ),
            PlanError::ZoneChanged {
                domain,
                zone_id,
                planned,
                live,
            } => write!(
                f,
                "zone {domain} ({zone_id}) changed since the plan was made (planned against \
                 {planned}, now {live}); nothing was written to it; preview again and review \
                 the new plan"
            ),
        }
    }
}

impl std::error::Error for PlanError {}

/// A SHA-256 over the live record sets sorted by key, exactly as read, as `sha256:<hex>`.
///
/// Any change Route 53 would let a DELETE notice (name, type, set identifier, TTL, values, alias,
/// routing, health check) changes the fingerprint; the order the record sets were listed in does
/// not.
pub fn fingerprint(live: &[RecordSet]) -> String {
    let mut lines: Vec<(crate::model::RecordKey, String)> = live
        .iter()
        .map(|rs| (rs.key(), record_set_to_json(rs).to_string()))
        .collect();
    lines.sort();
    let mut hasher = Sha256::new();
    for (_, line) in &lines {
        hasher.update(line.as_bytes());
        hasher.update(b"\n");
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The plans as a JSON document for review and for `push --plan`.
pub fn to_json(plans: &[ZonePlan]) -> Value {
    let zones: Vec<Value> = plans.iter().map(zone_plan_to_json).collect();
    json!({ "format": PLAN_FORMAT, "zones": zones })
}

fn zone_plan_to_json(plan: &ZonePlan) -> Value {
    let batches: Vec<Value> = plan
        .batches
        .iter()
        .map(|request| request.iter().map(change_action_to_json).collect())
        .collect();
    json!({
        "domain": plan.domain,
        "provider": plan.provider,
        "max_change_share": plan.safety.max_share,
        "zone": {
            "id": plan.zone.id,
            "name": plan.zone.name,
            "private": plan.zone.private,
            "record_set_count": plan.zone.record_set_count,
            "comment": plan.zone.comment,
        },
        "live_fingerprint": plan.live_fingerprint,
        "summary": {
            "creates": plan.creates(),
            "deletes": plan.deletes(),
            "modifies": plan.modifies(),
        },
        "batches": batches,
    })
}

fn change_action_to_json(change: &ChangeAction) -> Value {
    json!({
        "action": change.action.as_str(),
        "record_set": record_set_to_json(&change.record_set),
    })
}

/// Every field of a record set, as plan files and `--format json` write them.
pub fn record_set_to_json(rs: &RecordSet) -> Value {
    json!({
        "name": rs.name,
        "type": rs.rtype,
        "set_identifier": rs.set_identifier,
        "ttl": rs.ttl,
        "values": rs.values,
        "alias": rs.alias.as_ref().map(|a| json!({
            "hosted_zone_id": a.hosted_zone_id,
            "dns_name": a.dns_name,
            "evaluate_target_health": a.evaluate_target_health,
        })),
        "routing": rs.routing.as_ref().map(routing_to_json),
        "health_check_id": rs.health_check_id,
        "traffic_policy_instance_id": rs.traffic_policy_instance_id,
    })
}

fn routing_to_json(routing: &Routing) -> Value {
    match routing {
        Routing::Weighted { weight } => json!({ "policy": "weighted", "weight": weight }),
        Routing::Latency { region } => json!({ "policy": "latency", "region": region }),
        Routing::Failover { role } => json!({ "policy": "failover", "role": role }),
        Routing::Geolocation {
            continent,
            country,
            subdivision,
        } => json!({
            "policy": "geolocation",
            "continent": continent,
            "country": country,
            "subdivision": subdivision,
        }),
        Routing::Geoproximity {
            aws_region,
            local_zone_group,
            coordinates,
            bias,
        } => json!({
            "policy": "geoproximity",
            "aws_region": aws_region,
            "local_zone_group": local_zone_group,
            "coordinates": coordinates.as_ref().map(|(latitude, longitude)| json!({
                "latitude": latitude,
                "longitude": longitude,
            })),
            "bias": bias,
        }),
        Routing::MultiValue => json!({ "policy": "multivalue" }),
        Routing::Cidr {
            collection_id,
            location_name,
        } => json!({
            "policy": "cidr",
            "collection_id": collection_id,
            "location_name": location_name,
        }),
    }
}

/// Reads back a document written by [`to_json`]. Only CREATE and DELETE actions are accepted,
/// and UPSERT of the zone's apex NS or SOA record set (which Route 53 never lets a request
/// delete): r53ctl plans no other UPSERT, which would overwrite a record set without checking it.
pub fn from_json(document: &Value) -> Result<Vec<PlannedZone>, PlanError> {
    let root = At::root(document);
    let format = root.get("format")?.string()?;
    if format != PLAN_FORMAT {
        return Err(PlanError::UnsupportedFormat { found: format });
    }
    root.get("zones")?
        .items()?
        .iter()
        .map(planned_zone_from_json)
        .collect()
}

fn planned_zone_from_json(zone: &At<'_>) -> Result<PlannedZone, PlanError> {
    let hosted = zone.get("zone")?;
    let apex = hosted.get("name")?.string()?;
    let batches = zone
        .get("batches")?
        .items()?
        .iter()
        .map(|request| {
            request
                .items()?
                .iter()
                .map(|change| change_action_from_json(change, &apex))
                .collect()
        })
        .collect::<Result<_, _>>()?;
    let max_share = zone.get("max_change_share")?.share()?;
    Ok(PlannedZone {
        domain: zone.get("domain")?.string()?,
        provider: zone.get("provider")?.string()?,
        zone: HostedZone {
            id: hosted.get("id")?.string()?,
            name: hosted.get("name")?.string()?,
            private: hosted.get("private")?.bool()?,
            record_set_count: hosted
                .opt("record_set_count")
                .map(|c| c.u64())
                .transpose()?,
            comment: hosted.opt_string("comment")?,
        },
        live_fingerprint: zone.get("live_fingerprint")?.string()?,
        batches,
        safety: SafetyLimits::with_max_share(Some(max_share)),
    })
}

fn change_action_from_json(change: &At<'_>, apex: &str) -> Result<ChangeAction, PlanError> {
    let action_field = change.get("action")?;
    let record_set = record_set_from_json(&change.get("record_set")?)?;
    let action = match action_field.string()?.as_str() {
        "CREATE" => Action::Create,
        "DELETE" => Action::Delete,
        "UPSERT" if record_set.is_apex_ns_or_soa(apex) => Action::Upsert,
        other => {
            return Err(action_field.malformed(&format!(
                "action {other:?} is not CREATE or DELETE (UPSERT only for the zone's apex NS \
                 or SOA)"
            )))
        }
    };
    Ok(ChangeAction { action, record_set })
}

fn record_set_from_json(rs: &At<'_>) -> Result<RecordSet, PlanError> {
    let values = rs
        .get("values")?
        .items()?
        .iter()
        .map(At::string)
        .collect::<Result<_, _>>()?;
    let alias = match rs.opt("alias") {
        Some(alias) => Some(AliasTarget {
            hosted_zone_id: alias.get("hosted_zone_id")?.string()?,
            dns_name: alias.get("dns_name")?.string()?,
            evaluate_target_health: alias.get("evaluate_target_health")?.bool()?,
        }),
        None => None,
    };
    Ok(RecordSet {
        name: rs.get("name")?.string()?,
        rtype: rs.get("type")?.record_type()?,
        set_identifier: rs.opt_string("set_identifier")?,
        ttl: rs.opt("ttl").map(|t| t.u32()).transpose()?,
        values,
        alias,
        routing: rs
            .opt("routing")
            .map(|r| routing_from_json(&r))
            .transpose()?,
        health_check_id: rs.opt_string("health_check_id")?,
        traffic_policy_instance_id: rs.opt_string("traffic_policy_instance_id")?,
    })
}

fn routing_from_json(routing: &At<'_>) -> Result<Routing, PlanError> {
    let policy = routing.get("policy")?;
    Ok(match policy.string()?.as_str() {
        "weighted" => Routing::Weighted {
            weight: routing.get("weight")?.u32()?,
        },
        "latency" => Routing::Latency {
            region: routing.get("region")?.string()?,
        },
        "failover" => Routing::Failover {
            role: routing.get("role")?.string()?,
        },
        "geolocation" => Routing::Geolocation {
            continent: routing.opt_string("continent")?,
            country: routing.opt_string("country")?,
            subdivision: routing.opt_string("subdivision")?,
        },
        "geoproximity" => Routing::Geoproximity {
            aws_region: routing.opt_string("aws_region")?,
            local_zone_group: routing.opt_string("local_zone_group")?,
            coordinates: match routing.opt("coordinates") {
                Some(c) => Some((c.get("latitude")?.string()?, c.get("longitude")?.string()?)),
                None => None,
            },
            bias: routing.opt("bias").map(|b| b.i32()).transpose()?,
        },
        "multivalue" => Routing::MultiValue,
        "cidr" => Routing::Cidr {
            collection_id: routing.get("collection_id")?.string()?,
            location_name: routing.get("location_name")?.string()?,
        },
        other => return Err(policy.malformed(&format!("unknown routing policy {other:?}"))),
    })
}

/// A value in a plan document together with its path, for error messages.
struct At<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> At<'a> {
    fn root(value: &'a Value) -> At<'a> {
        At {
            value,
            path: "$".to_string(),
        }
    }

    fn object(&self) -> Result<&'a Map<String, Value>, PlanError> {
        self.value
            .as_object()
            .ok_or_else(|| self.malformed("expected an object"))
    }

    /// The field `key`, which must be present (it may be null).
    fn get(&self, key: &str) -> Result<At<'a>, PlanError> {
        let value = self
            .object()?
            .get(key)
            .ok_or_else(|| PlanError::Malformed {
                at: self.path.clone(),
                problem: format!("missing field {key:?}"),
            })?;
        Ok(At {
            value,
            path: format!("{}.{key}", self.path),
        })
    }

    /// The field `key`, or `None` when it is absent or null.
    fn opt(&self, key: &str) -> Option<At<'a>> {
        let value = self.value.get(key).filter(|v| !v.is_null())?;
        Some(At {
            value,
            path: format!("{}.{key}", self.path),
        })
    }

    fn opt_string(&self, key: &str) -> Result<Option<String>, PlanError> {
        self.opt(key).map(|v| v.string()).transpose()
    }

    fn items(&self) -> Result<Vec<At<'a>>, PlanError> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| self.malformed("expected an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, value)| At {
                value,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    fn string(&self) -> Result<String, PlanError> {
        self.value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| self.malformed("expected a string"))
    }

    fn record_type(&self) -> Result<RecordType, PlanError> {
        self.string()?
            .parse::<RecordType>()
            .map_err(|e| self.malformed(&e.to_string()))
    }

    fn bool(&self) -> Result<bool, PlanError> {
        self.value
            .as_bool()
            .ok_or_else(|| self.malformed("expected true or false"))
    }

    /// A share of a zone: a number from 0 to 1.
    fn share(&self) -> Result<f64, PlanError> {
        self.value
            .as_f64()
            .filter(|share| (0.0..=1.0).contains(share))
            .ok_or_else(|| self.malformed("expected a number from 0 to 1"))
    }

    fn u64(&self) -> Result<u64, PlanError> {
        self.value
            .as_u64()
            .ok_or_else(|| self.malformed("expected a whole number of 0 or more"))
    }

    fn u32(&self) -> Result<u32, PlanError> {
        u32::try_from(self.u64()?).map_err(|_| self.malformed("expected a number below 2^32"))
    }

    fn i32(&self) -> Result<i32, PlanError> {
        self.value
            .as_i64()
            .and_then(|n| i32::try_from(n).ok())
            .ok_or_else(|| self.malformed("expected a whole number"))
    }

    fn malformed(&self, problem: &str) -> PlanError {
        PlanError::Malformed {
            at: self.path.clone(),
            problem: format!("{problem}, found {}", describe(self.value)),
        }
    }
}

/// A short description of `value` for an error message.
fn describe(value: &Value) -> String {
    match value {
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
        scalar => {
            let text = scalar.to_string();
            match text.char_indices().nth(60) {
                Some((end, _)) => format!("{}…", &text[..end]),
                None => text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../fixtures/diff/plan-v1.json");

    fn zone() -> HostedZone {
        HostedZone {
            id: "Z0123456789ABC".into(),
            name: "example.tld.".into(),
            private: false,
            record_set_count: Some(7),
            comment: Some("managed by r53ctl".into()),
        }
    }

    fn a(name: &str, values: &[&str]) -> RecordSet {
        RecordSet::simple(
            name,
            RecordType::A,
            300,
            values.iter().map(|v| v.to_string()).collect(),
        )
    }

    fn routed(id: &str, routing: Routing) -> RecordSet {
        RecordSet {
            set_identifier: Some(id.into()),
            routing: Some(routing),
            health_check_id: Some("abcdef11-2222-3333-4444-555555fedcba".into()),
            ..a("api.example.tld.", &["192.0.2.10"])
        }
    }

    /// One record set of every shape the model can hold.
    fn every_shape() -> Vec<RecordSet> {
        vec![
            RecordSet::simple(
                "example.tld.",
                RecordType::TXT,
                60,
                vec!["\"v=spf1 -all\"".into(), "\"a\\\"b\" \"c\"".into()],
            ),
            RecordSet {
                ttl: None,
                values: Vec::new(),
                alias: Some(AliasTarget {
                    hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
                    dns_name: "dualstack.lb-1.us-east-1.elb.amazonaws.com.".into(),
                    evaluate_target_health: true,
                }),
                ..a("\\052.example.tld.", &[])
            },
            routed("w", Routing::Weighted { weight: 0 }),
            routed(
                "l",
                Routing::Latency {
                    region: "eu-west-1".into(),
                },
            ),
            routed(
                "f",
                Routing::Failover {
                    role: "SECONDARY".into(),
                },
            ),
            routed(
                "g",
                Routing::Geolocation {
                    continent: None,
                    country: Some("US".into()),
                    subdivision: Some("WA".into()),
                },
            ),
            routed(
                "p",
                Routing::Geoproximity {
                    aws_region: None,
                    local_zone_group: None,
                    coordinates: Some(("49.22".into(), "-74.01".into())),
                    bias: Some(-99),
                },
            ),
            routed(
                "q",
                Routing::Geoproximity {
                    aws_region: Some("us-west-2".into()),
                    local_zone_group: Some("us-west-2-lax-1".into()),
                    coordinates: None,
                    bias: None,
                },
            ),
            routed("m", Routing::MultiValue),
            routed(
                "c",
                Routing::Cidr {
                    collection_id: "c8c02a84-aaaa-bbbb-cccc-000000000000".into(),
                    location_name: "office".into(),
                },
            ),
            RecordSet {
                traffic_policy_instance_id: Some("tp-1".into()),
                ..a("tp.example.tld.", &["192.0.2.20"])
            },
        ]
    }

    fn sample_plan() -> ZonePlan {
        let live = vec![
            a("old.example.tld.", &["192.0.2.1"]),
            a("www.example.tld.", &["192.0.2.2"]),
        ];
        let mut changes: Vec<Change> = every_shape().into_iter().map(Change::Create).collect();
        changes.push(Change::Delete(live[0].clone()));
        changes.push(Change::Modify {
            old: live[1].clone(),
            new: a("www.example.tld.", &["192.0.2.3"]),
        });
        let diff = ZoneDiff {
            changes,
            ..ZoneDiff::default()
        };
        ZonePlan::new(
            "Example.tld",
            "r53_main",
            zone(),
            diff,
            &Limits::default(),
            &live,
        )
        .unwrap()
    }

    /// JSON pointers to every value in `value`, `prefix` included.
    fn pointers(value: &Value, prefix: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => map
                .iter()
                .for_each(|(k, v)| pointers(v, format!("{prefix}/{k}"), out)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| pointers(v, format!("{prefix}/{i}"), out)),
            _ => {}
        }
        out.push(prefix);
    }

    #[test]
    fn garbled_plan_files_read_or_fail_without_panicking() {
        let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
        let mut paths = Vec::new();
        pointers(&fixture, String::new(), &mut paths);
        let replacements = [
            json!(null),
            json!("x"),
            json!(-1),
            json!(1e300),
            json!([]),
            json!({}),
        ];
        for path in paths.iter().filter(|p| !p.is_empty()) {
            for replacement in &replacements {
                let mut document = fixture.clone();
                *document.pointer_mut(path).unwrap() = replacement.clone();
                // Ok or Err; a panic fails the test.
                let _ = from_json(&document);
            }
        }
        assert!(paths.len() > 20, "{paths:?}");
    }

    #[test]
    fn an_apex_ns_upsert_round_trips() {
        let ns = |ttl: u32| RecordSet {
            ttl: Some(ttl),
            ..RecordSet::simple(
                "example.tld.",
                RecordType::NS,
                0,
                vec!["ns-1.awsdns-1.com.".into()],
            )
        };
        let diff = ZoneDiff {
            changes: vec![Change::Modify {
                old: ns(172_800),
                new: ns(3600),
            }],
            ..ZoneDiff::default()
        };
        let live = [ns(172_800)];
        let plan = ZonePlan::new(
            "example.tld",
            "r53_main",
            zone(),
            diff,
            &Limits::default(),
            &live,
        )
        .unwrap();
        assert_eq!(plan.batches[0][0].action, Action::Upsert);
        let read = from_json(&to_json(std::slice::from_ref(&plan))).unwrap();
        assert_eq!(read[0].batches, plan.batches);
    }

    fn plan_with(deletes: usize, modifies: usize, creates: usize) -> ZonePlan {
        let rs = |i: usize| a(&format!("r{i}.example.tld."), &["192.0.2.1"]);
        let changes = (0..deletes)
            .map(|i| Change::Delete(rs(i)))
            .chain((0..modifies).map(|i| Change::Modify {
                old: rs(100 + i),
                new: rs(100 + i),
            }))
            .chain((0..creates).map(|i| Change::Create(rs(200 + i))))
            .collect();
        let diff = ZoneDiff {
            changes,
            ..ZoneDiff::default()
        };
        ZonePlan::new(
            "example.tld",
            "r53_main",
            zone(),
            diff,
            &Limits::default(),
            &[],
        )
        .unwrap()
    }

    #[test]
    fn plan_round_trips_every_record_set_shape() {
        let plan = sample_plan().with_safety(SafetyLimits::with_max_share(Some(0.5)));
        let text = to_json(std::slice::from_ref(&plan)).to_string();
        let document: Value = serde_json::from_str(&text).unwrap();
        let read = from_json(&document).unwrap();
        let expected = PlannedZone {
            domain: plan.domain.clone(),
            provider: "r53_main".into(),
            zone: plan.zone.clone(),
            live_fingerprint: plan.live_fingerprint.clone(),
            batches: plan.batches.clone(),
            safety: SafetyLimits::with_max_share(Some(0.5)),
        };
        assert_eq!(read, vec![expected]);
        let shapes = every_shape();
        let created: Vec<&RecordSet> = read[0].batches[0]
            .iter()
            .filter(|c| c.action == Action::Create)
            .map(|c| &c.record_set)
            .collect();
        assert!(shapes.iter().all(|rs| created.contains(&rs)));
    }

    /// Old plan files must stay readable and mean the same. The fixture's fingerprint was checked
    /// against Python's `hashlib.sha256` over `json.dumps(rs, sort_keys=True,
    /// separators=(",", ":"))` lines of the two live record sets.
    #[test]
    fn plan_format_is_stable() {
        let fixture: Value = serde_json::from_str(FIXTURE).unwrap();
        assert_eq!(to_json(&[sample_plan()]), fixture);
    }

    #[test]
    fn counts_and_atomicity() {
        let plan = sample_plan();
        assert_eq!(
            (plan.creates(), plan.deletes(), plan.modifies()),
            (11, 1, 1)
        );
        assert!(plan.is_atomic());
        let limits = Limits {
            max_records: 2,
            max_value_chars: 100,
        };
        let split =
            ZonePlan::new("d", "r53_main", zone(), plan.diff.clone(), &limits, &[]).unwrap();
        assert!(!split.is_atomic());
    }

    #[test]
    fn new_reports_oversize_record_sets() {
        let huge = RecordSet::simple(
            "big.example.tld.",
            RecordType::TXT,
            60,
            vec!["\"x\"".into(); 1001],
        );
        let diff = ZoneDiff {
            changes: vec![Change::Create(huge)],
            ..ZoneDiff::default()
        };
        let err =
            ZonePlan::new("d", "r53_main", zone(), diff, &Limits::default(), &[]).unwrap_err();
        assert!(matches!(err, BatchError::TooLarge { records: 1001, .. }));
    }

    #[test]
    fn fingerprint_ignores_listing_order_but_not_content() {
        let live = every_shape();
        let mut reversed = live.clone();
        reversed.reverse();
        assert_eq!(fingerprint(&live), fingerprint(&reversed));
        assert!(fingerprint(&live).starts_with("sha256:"));
        assert_eq!(fingerprint(&live).len(), "sha256:".len() + 64);
        let mut changed = live.clone();
        changed[2].ttl = Some(301);
        assert_ne!(fingerprint(&live), fingerprint(&changed));
        let mut recased = live.clone();
        recased[0].values[0] = "\"V=spf1 -all\"".into();
        assert_ne!(fingerprint(&live), fingerprint(&recased));
        assert_ne!(fingerprint(&live), fingerprint(&live[1..]));
    }

    #[test]
    fn check_live_refuses_a_changed_zone() {
        let live = every_shape();
        let planned = PlannedZone {
            domain: "example.tld".into(),
            provider: "r53_main".into(),
            zone: zone(),
            live_fingerprint: fingerprint(&live),
            batches: Vec::new(),
            safety: SafetyLimits::default(),
        };
        assert_eq!(planned.check_live(&live), Ok(()));
        let err = planned.check_live(&live[1..]).unwrap_err();
        assert!(
            matches!(&err, PlanError::ZoneChanged { zone_id, .. } if zone_id == "Z0123456789ABC")
        );
        assert!(err
            .to_string()
            .contains("zone example.tld (Z0123456789ABC) changed since the plan"));
    }

    fn read_error(edit: impl FnOnce(&mut Value)) -> PlanError {
        let mut document = to_json(&[sample_plan()]);
        edit(&mut document);
        from_json(&document).unwrap_err()
    }

    #[test]
    fn upsert_is_refused_with_its_path() {
        let err = read_error(|d| d["zones"][0]["batches"][0][0]["action"] = json!("UPSERT"));
        assert_eq!(
            err,
            PlanError::Malformed {
                at: "$.zones[0].batches[0][0].action".into(),
                problem: "action \"UPSERT\" is not CREATE or DELETE (UPSERT only for the zone's \
                          apex NS or SOA), found \"UPSERT\""
                    .into(),
            }
        );
    }

    #[test]
    fn unknown_record_types_are_refused() {
        let err =
            read_error(|d| d["zones"][0]["batches"][0][0]["record_set"]["type"] = json!("LOC"));
        assert!(
            err.to_string()
                .contains("record_set.type: unknown record type \"LOC\""),
            "{err}"
        );
    }

    #[test]
    fn malformed_values_are_reported_with_their_path() {
        let err =
            read_error(|d| d["zones"][0]["batches"][0][0]["record_set"]["ttl"] = json!(1u64 << 32));
        assert!(
            matches!(&err, PlanError::Malformed { at, .. } if at == "$.zones[0].batches[0][0].record_set.ttl")
        );
        let err = read_error(|d| {
            d["zones"][0]["zone"].as_object_mut().unwrap().remove("id");
        });
        assert!(
            err.to_string()
                .contains("$.zones[0].zone: missing field \"id\""),
            "{err}"
        );
        let err = read_error(|d| d["zones"][0]["batches"] = json!({}));
        assert!(
            err.to_string()
                .contains("expected an array, found an object"),
            "{err}"
        );
    }

    #[test]
    fn other_formats_are_refused() {
        let err = read_error(|d| d["format"] = json!("r53ctl-plan/2"));
        assert_eq!(
            err,
            PlanError::UnsupportedFormat {
                found: "r53ctl-plan/2".into()
            }
        );
        assert!(from_json(&json!([])).is_err());
    }

    #[test]
    fn exactly_the_share_limit_is_allowed() {
        assert_eq!(plan_with(2, 1, 50).safety_violation(10), None);
        assert_eq!(plan_with(18, 18, 0).safety_violation(120), None);
        assert!(plan_with(2, 2, 0).safety_violation(10).is_some());
        assert!(plan_with(37, 0, 0).safety_violation(120).is_some());
    }

    #[test]
    fn small_zones_are_not_checked() {
        assert_eq!(plan_with(9, 0, 0).safety_violation(9), None);
        assert!(plan_with(10, 0, 0).safety_violation(10).is_some());
    }

    #[test]
    fn a_domain_share_replaces_the_default() {
        let plan = plan_with(5, 0, 0);
        assert!(plan.safety_violation(10).is_some());
        let relaxed = plan.with_safety(SafetyLimits::with_max_share(Some(0.5)));
        assert_eq!(relaxed.safety_violation(10), None);
        assert!(plan_with(6, 0, 0)
            .with_safety(SafetyLimits::with_max_share(Some(0.5)))
            .safety_violation(10)
            .is_some());
    }

    /// A plan read back counts what it changes from its DELETEs, as the plan it was written from.
    #[test]
    fn planned_zone_counts_like_its_plan() {
        let plan = plan_with(3, 2, 4);
        let read = from_json(&to_json(std::slice::from_ref(&plan))).unwrap();
        assert_eq!(read[0].safety_violation(10), plan.safety_violation(10));
        assert_eq!(read[0].safety_violation(10).map(|v| v.changed), Some(5));
        assert_eq!(read[0].safety_violation(20), None);
    }

    #[test]
    fn shares_outside_0_to_1_are_refused() {
        let err = read_error(|d| d["zones"][0]["max_change_share"] = json!(1.5));
        assert!(
            matches!(&err, PlanError::Malformed { at, .. } if at == "$.zones[0].max_change_share"),
            "{err}"
        );
        let err = read_error(|d| {
            d["zones"][0].as_object_mut().unwrap().remove("provider");
        });
        assert!(
            err.to_string().contains("missing field \"provider\""),
            "{err}"
        );
    }

    #[test]
    fn violation_gives_the_numbers() {
        let violation = plan_with(40, 5, 3).safety_violation(120);
        let expected = SafetyViolation {
            changed: 45,
            live: 120,
            max_share: 0.30,
        };
        assert_eq!(violation, Some(expected.clone()));
        assert_eq!(
            expected.to_string(),
            "would change or delete 45 of 120 record sets (37.5%), more than the 30% limit; \
             use --force or raise max_change_share"
        );
    }
}
