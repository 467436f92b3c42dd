//! A push plan: for each zone, the requests that bring it in line, and what they were computed
//! against. One type, [`ZonePlan`], serves preview, push and plan files alike.
//!
//! A plan can be written out for review (`preview --out plan.json`) and applied later exactly as
//! written (`push --plan plan.json`). Each zone in the file carries a fingerprint of the live record
//! sets it was computed against; push refuses a zone whose fingerprint no longer matches, so
//! nothing is written to a zone that changed since the plan was made. Each zone also names its
//! DNS provider (the creds entry push opens to reach it) and the share of its record sets a push
//! may change or delete without `--force`, so `push --plan` needs no config.
//!
//! The file's shape is the serde derive of [`PlanFile`] and the model types it holds; a zone's
//! requests are written out as the change actions they send.
//!
//! A plan file is checked as a config is: names inside the zone, values valid for their type,
//! each zone once.
//!
//! May import: `batch`, `diff`, `model`, `name`, `rdata`, `rtype`.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::batch::{self, BatchError, Limits, Step};
use crate::diff::{Change, KeyRef, Untouched};
use crate::model::{bare_id, Action, ChangeAction, HostedZone, RecordKey, RecordSet};
use crate::{name, rdata};

/// The `format` of plan files: what kind of document it is. Files written before `version`
/// existed carry only this.
const PLAN_FORMAT: &str = "r53ctl-plan/1";
/// The `version` of plan files this r53ctl writes and reads.
const PLAN_VERSION: u32 = 1;

/// A plan file: what `preview --out` writes and `push --plan` reads.
#[derive(Debug, Serialize, Deserialize)]
pub struct PlanFile<Z> {
    pub format: String,
    #[serde(default = "first_version")]
    pub version: u32,
    /// [`ZonePlan`]s, read; references to them, written.
    pub zones: Vec<Z>,
}

fn first_version() -> u32 {
    1
}

/// What a push does to one zone: exactly the requests to send, and what they were computed
/// against. A new field goes into [`PlanIn`] and [`PlanOut`] as well.
#[derive(Clone, Debug, Deserialize)]
#[serde(from = "PlanIn")]
pub struct ZonePlan<'d> {
    /// The domain as the user wrote it.
    pub domain: String,
    /// The DNS provider (creds entry) whose credentials and endpoint reach the zone.
    pub provider: String,
    /// The largest share (0 to 1) of the zone's record sets a push may change or delete without
    /// `--force`.
    pub max_change_share: f64,
    pub zone: HostedZone,
    /// [`fingerprint`] of the live record sets the plan was computed against; empty unless set
    /// by [`ZonePlan::with_live_fingerprint`], which only a plan written to a file needs.
    pub live_fingerprint: String,
    /// What the requests do, for reviewers; always recomputed from the requests when read.
    pub summary: ChangeCounts,
    /// What the requests change, which holds every record set they send: a diff's changes, or
    /// for a plan read from a file one per change action (a DELETE's record set deleted, a
    /// CREATE's or UPSERT's created).
    changes: Vec<Change<'d>>,
    /// The ChangeResourceRecordSets requests, in order.
    requests: Vec<Vec<Step>>,
}

/// Plans are equal when their plan files are: of one zone, computed alike, sending the same
/// requests. So a plan read back from its file equals the plan written.
impl PartialEq for ZonePlan<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.file_form() == other.file_form()
    }
}

/// A [`ZonePlan`] as a plan file holds it, to write: its requests as change actions.
#[derive(PartialEq, Serialize)]
struct PlanOut<'a> {
    domain: &'a str,
    provider: &'a str,
    max_change_share: f64,
    zone: &'a HostedZone,
    live_fingerprint: &'a str,
    summary: ChangeCounts,
    batches: Vec<Vec<ChangeAction<'a>>>,
}

/// A [`ZonePlan`] as a plan file holds it, read.
#[derive(Deserialize)]
struct PlanIn {
    domain: String,
    provider: String,
    max_change_share: f64,
    zone: HostedZone,
    live_fingerprint: String,
    #[serde(default)]
    summary: ChangeCounts,
    batches: Vec<Vec<ActionIn>>,
}

/// A [`ChangeAction`] read from a plan file.
#[derive(Deserialize)]
struct ActionIn {
    action: Action,
    record_set: RecordSet,
}

impl Serialize for ZonePlan<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.file_form().serialize(serializer)
    }
}

impl From<PlanIn> for ZonePlan<'_> {
    fn from(file: PlanIn) -> Self {
        let mut changes = Vec::new();
        let requests = file
            .batches
            .into_iter()
            .map(|request| {
                let first = changes.len();
                let steps = request.iter().enumerate().map(|(at, action)| Step {
                    action: action.action,
                    change_index: first + at,
                });
                let steps = steps.collect();
                changes.extend(request.into_iter().map(|action| match action.action {
                    Action::Delete => Change::delete(action.record_set),
                    Action::Create | Action::Upsert => Change::create(action.record_set),
                }));
                steps
            })
            .collect();
        ZonePlan {
            domain: file.domain,
            provider: file.provider,
            max_change_share: file.max_change_share,
            zone: file.zone,
            live_fingerprint: file.live_fingerprint,
            summary: file.summary,
            changes,
            requests,
        }
    }
}

/// Record sets a plan creates, deletes and changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeCounts {
    pub creates: usize,
    pub deletes: usize,
    pub modifies: usize,
}

impl ChangeCounts {
    /// The counts of the changes `actions` make: a record set both deleted and created (or
    /// upserted) is changed.
    fn of<'a>(actions: impl Iterator<Item = ChangeAction<'a>>) -> ChangeCounts {
        let mut seen: HashMap<KeyRef<'a>, (bool, bool)> = HashMap::new();
        for change in actions {
            let (deleted, created) = seen.entry(KeyRef::of(change.record_set)).or_default();
            *deleted |= matches!(change.action, Action::Delete | Action::Upsert);
            *created |= matches!(change.action, Action::Create | Action::Upsert);
        }
        let mut counts = ChangeCounts::default();
        for (deleted, created) in seen.into_values() {
            match (deleted, created) {
                (true, true) => counts.modifies += 1,
                (true, false) => counts.deletes += 1,
                _ => counts.creates += 1,
            }
        }
        counts
    }

    /// Every change.
    pub fn total(&self) -> usize {
        self.creates + self.deletes + self.modifies
    }
}

impl<'d> ZonePlan<'d> {
    /// Plans the requests that apply `changes` to `zone` of `provider`, under the default
    /// [`SafetyLimits`].
    pub fn new(
        domain: &str,
        provider: &str,
        zone: HostedZone,
        changes: Vec<Change<'d>>,
        limits: &Limits,
    ) -> Result<ZonePlan<'d>, BatchError> {
        let requests = batch::batches(&zone.name, &changes, limits)?;
        let plan = ZonePlan {
            domain: domain.to_string(),
            provider: provider.to_string(),
            max_change_share: SafetyLimits::default().max_share,
            zone,
            live_fingerprint: String::new(),
            summary: ChangeCounts::default(),
            changes,
            requests,
        };
        Ok(plan.summarised())
    }

    /// The plan with its summary computed from its requests.
    fn summarised(self) -> ZonePlan<'d> {
        ZonePlan {
            summary: ChangeCounts::of(self.actions()),
            ..self
        }
    }

    fn file_form(&self) -> PlanOut<'_> {
        PlanOut {
            domain: &self.domain,
            provider: &self.provider,
            max_change_share: self.max_change_share,
            zone: &self.zone,
            live_fingerprint: &self.live_fingerprint,
            summary: self.summary,
            batches: self.requests().collect(),
        }
    }

    /// What the requests change (see [`ZonePlan`]'s `changes`).
    pub fn changes(&self) -> &[Change<'d>] {
        &self.changes
    }

    /// The change actions of each request, in order.
    pub fn requests(&self) -> impl ExactSizeIterator<Item = Vec<ChangeAction<'_>>> + '_ {
        self.requests.iter().map(|steps| {
            steps
                .iter()
                .map(|step| step.action(&self.changes))
                .collect()
        })
    }

    /// The change actions of all requests, in order.
    pub fn actions(&self) -> impl Iterator<Item = ChangeAction<'_>> + '_ {
        self.requests
            .iter()
            .flatten()
            .map(|step| step.action(&self.changes))
    }

    /// How many requests the plan sends.
    pub fn request_count(&self) -> usize {
        self.requests.len()
    }

    /// The plan with the [`fingerprint`] of the record sets it was computed against, so that
    /// [`ZonePlan::check_live`] can tell whether the zone changed since.
    pub fn with_live_fingerprint(self, live_fingerprint: String) -> ZonePlan<'d> {
        ZonePlan {
            live_fingerprint,
            ..self
        }
    }

    /// The plan with `max_share` as its share limit, when given.
    pub fn with_max_share(self, max_share: Option<f64>) -> ZonePlan<'d> {
        ZonePlan {
            max_change_share: max_share.unwrap_or(self.max_change_share),
            ..self
        }
    }

    /// Whether the plan applies in one request, so that it applies completely or not at all.
    pub fn is_atomic(&self) -> bool {
        self.requests.len() <= 1
    }

    /// The change actions of all requests.
    pub fn change_action_count(&self) -> usize {
        self.requests.iter().map(Vec::len).sum()
    }

    /// Why a push must refuse this plan for a zone of `live_count` record sets, if it must (see
    /// [`SafetyLimits::check`]).
    pub fn safety_violation(&self, live_count: usize) -> Option<SafetyViolation> {
        let changed = self.summary.deletes + self.summary.modifies;
        let limits = SafetyLimits {
            max_share: self.max_change_share,
            ..SafetyLimits::default()
        };
        limits.check(changed, live_count)
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

/// A zone a run works on: its plan; when it was planned here, what its diff left untouched,
/// shown beside the plan's changes (a plan read from a file has neither: its change actions are
/// shown instead); and how many record sets the zone held when it was read.
#[derive(Clone, Debug)]
pub struct Target<'d> {
    pub plan: ZonePlan<'d>,
    pub untouched: Option<Untouched<'d>>,
    pub live_count: usize,
}

impl Target<'_> {
    /// Why a push must refuse this target, if it must.
    pub fn safety_violation(&self) -> Option<String> {
        let violation = self.plan.safety_violation(self.live_count)?;
        Some(format!("{}: {violation}", self.plan.domain))
    }
}

/// A zone a run could not read or plan, and why: the counterpart of a [`Target`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnreadableZone {
    pub domain: String,
    pub provider: String,
    /// The whole message, as the run reports it on stderr.
    pub error: String,
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

/// A plan file that cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The file is not JSON.
    NotJson(String),
    /// A value is missing or has the wrong shape; `at` is its path, e.g. `$.zones[0].batches[1][3]`.
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
            PlanError::NotJson(err) => write!(
                f,
                "not JSON ({err}); write the plan again with 'r53ctl preview --out FILE'"
            ),
            PlanError::Malformed { at, problem } => {
                write!(
                    f,
                    "{at}: {problem}; write the plan again with `preview --out`"
                )
            }
            PlanError::UnsupportedFormat { found } => write!(
                f,
                "its format is {found}, but this r53ctl reads {:?} version {PLAN_VERSION}; \
                 write the plan again with this version's `preview --out`",
                PLAN_FORMAT
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

/// A SHA-256 over the live record sets sorted by key, exactly as read, as `sha256:<hex>`: each
/// record set's serde form as compact JSON with its keys sorted, one per line.
///
/// Any change Route 53 would let a DELETE notice (name, type, set identifier, TTL, values, alias,
/// routing, health check) changes the fingerprint; the order the record sets were listed in does
/// not.
pub fn fingerprint(live: &[RecordSet]) -> String {
    let mut lines: Vec<(RecordKey, String)> =
        live.iter().map(|rs| (rs.key(), sorted_json(rs))).collect();
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

/// `rs` as compact JSON with object keys in sorted order (serde_json's `Value` keeps its maps
/// sorted), as plan files have always been fingerprinted.
fn sorted_json(rs: &RecordSet) -> String {
    serde_json::to_value(rs)
        .map(|value| value.to_string())
        .unwrap_or_default()
}

/// The plans as a plan file.
pub fn to_file<'p, 'd: 'p>(
    plans: impl IntoIterator<Item = &'p ZonePlan<'d>>,
) -> PlanFile<&'p ZonePlan<'d>> {
    PlanFile {
        format: PLAN_FORMAT.to_string(),
        version: PLAN_VERSION,
        zones: plans.into_iter().collect(),
    }
}

/// Reads a plan file. Only CREATE and DELETE actions are accepted, and UPSERT of the zone's apex
/// NS or SOA record set (which Route 53 never lets a request delete): r53ctl plans no other
/// UPSERT, which would overwrite a record set without checking it.
pub fn from_json(text: &str) -> Result<Vec<ZonePlan<'static>>, PlanError> {
    check_header(text)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let file: PlanFile<ZonePlan> =
        serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
            let at = match err.path().to_string().as_str() {
                "." => "$".to_string(),
                path => format!("$.{path}"),
            };
            PlanError::Malformed {
                at,
                problem: err.into_inner().to_string(),
            }
        })?;
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut zones = Vec::with_capacity(file.zones.len());
    for (index, zone) in file.zones.into_iter().enumerate() {
        let at = format!("$.zones[{index}]");
        if let Some(first) = seen.insert(bare_id(&zone.zone.id).to_string(), index) {
            return Err(PlanError::Malformed {
                at: format!("{at}.zone.id"),
                problem: format!(
                    "zone {} is also planned at $.zones[{first}]; each zone appears once",
                    zone.zone.id
                ),
            });
        }
        zones.push(checked(zone, &at)?);
    }
    Ok(zones)
}

/// The format and version every plan file starts with.
#[derive(Deserialize)]
struct Header {
    format: String,
    #[serde(default = "first_version")]
    version: u32,
}

/// Refuses a file that is not JSON, or not a plan of this format and version, before its body
/// is read: another version's body may have another shape.
fn check_header(text: &str) -> Result<(), PlanError> {
    let header: Header = serde_json::from_str(text).map_err(|err| match err.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            PlanError::NotJson(err.to_string())
        }
        _ => PlanError::Malformed {
            at: "$".into(),
            problem: err.to_string(),
        },
    })?;
    if header.format != PLAN_FORMAT || header.version != PLAN_VERSION {
        return Err(PlanError::UnsupportedFormat {
            found: format!("{:?} version {}", header.format, header.version),
        });
    }
    Ok(())
}

/// `zone` (at path `at`) if its values are within bounds, with its summary recomputed.
fn checked(zone: ZonePlan<'static>, at: &str) -> Result<ZonePlan<'static>, PlanError> {
    if !(0.0..=1.0).contains(&zone.max_change_share) {
        return Err(PlanError::Malformed {
            at: format!("{at}.max_change_share"),
            problem: format!(
                "expected a number from 0 to 1, found {}",
                zone.max_change_share
            ),
        });
    }
    let apex = name::to_wire(&zone.zone.name).map_err(|problem| PlanError::Malformed {
        at: format!("{at}.zone.name"),
        problem,
    })?;
    if name::normalize(&zone.domain) != apex {
        return Err(PlanError::Malformed {
            at: format!("{at}.domain"),
            problem: format!(
                "domain {:?} is not the zone's name {:?}",
                zone.domain, zone.zone.name
            ),
        });
    }
    for (b, request) in zone.requests().enumerate() {
        for (c, change) in request.iter().enumerate() {
            let at = format!("{at}.batches[{b}][{c}]");
            let rs = change.record_set;
            if change.action == Action::Upsert && !rs.is_apex_ns_or_soa(&zone.zone.name) {
                return Err(PlanError::Malformed {
                    at: format!("{at}.action"),
                    problem: "action \"UPSERT\" is not CREATE or DELETE (UPSERT only for the \
                              zone's apex NS or SOA)"
                        .into(),
                });
            }
            check_record_set(rs, &apex).map_err(|(field, problem)| PlanError::Malformed {
                at: format!("{at}.record_set.{field}"),
                problem,
            })?;
        }
    }
    Ok(zone.summarised())
}

/// Whether `rs` may be sent to the zone `apex`: its name inside the zone, its values valid for
/// its type, its alias target a name. The error names the field and the problem.
fn check_record_set(rs: &RecordSet, apex: &str) -> Result<(), (String, String)> {
    let owner = name::to_wire(&rs.name).map_err(|e| ("name".to_string(), e))?;
    if !name::is_in_zone(&owner, apex) {
        return Err((
            "name".into(),
            format!("name {:?} is outside the zone {apex:?}", rs.name),
        ));
    }
    for (i, value) in rs.values.iter().enumerate() {
        rdata::check_wire(rs.rtype, value).map_err(|e| (format!("values[{i}]"), e))?;
    }
    if let Some(alias) = rs.alias() {
        name::to_wire(&alias.dns_name).map_err(|e| ("alias.dns_name".to_string(), e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AliasTarget, Routing};
    use crate::rtype::RecordType;
    use serde_json::{json, Value};

    /// A plan file written by r53ctl before `version` existed (main at d2751d4).
    const FIXTURE: &str = include_str!("../fixtures/diff/plan-v1.json");

    fn to_json(plans: &[ZonePlan<'_>]) -> Value {
        serde_json::to_value(to_file(plans)).unwrap()
    }

    fn read(document: &Value) -> Result<Vec<ZonePlan<'static>>, PlanError> {
        from_json(&document.to_string())
    }

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
        a("api.example.tld.", &["192.0.2.10"])
            .with_set_identifier(id)
            .with_routing(routing)
            .with_health_check_id("abcdef11-2222-3333-4444-555555fedcba")
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
            RecordSet::aliased(
                "\\052.example.tld.",
                RecordType::A,
                AliasTarget {
                    hosted_zone_id: "Z35SXDOTRQ7X7K".into(),
                    dns_name: "dualstack.lb-1.us-east-1.elb.amazonaws.com.".into(),
                    evaluate_target_health: true,
                },
            ),
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
            a("tp.example.tld.", &["192.0.2.20"]).with_traffic_policy_instance_id("tp-1"),
        ]
    }

    fn sample_plan() -> ZonePlan<'static> {
        let live = vec![
            a("old.example.tld.", &["192.0.2.1"]),
            a("www.example.tld.", &["192.0.2.2"]),
        ];
        let mut changes: Vec<Change> = every_shape().into_iter().map(Change::create).collect();
        changes.push(Change::delete(live[0].clone()));
        changes.push(Change::modify(
            live[1].clone(),
            a("www.example.tld.", &["192.0.2.3"]),
        ));
        ZonePlan::new(
            "Example.tld",
            "r53_main",
            zone(),
            changes,
            &Limits::default(),
        )
        .unwrap()
        .with_live_fingerprint(fingerprint(&live))
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
                let _ = read(&document);
            }
        }
        assert!(paths.len() > 20, "{paths:?}");
    }

    #[test]
    fn an_apex_ns_upsert_round_trips() {
        let ns = |ttl: u32| {
            RecordSet::simple(
                "example.tld.",
                RecordType::NS,
                ttl,
                vec!["ns-1.awsdns-1.com.".into()],
            )
        };
        let changes = vec![Change::modify(ns(172_800), ns(3600))];
        let plan = ZonePlan::new(
            "example.tld",
            "r53_main",
            zone(),
            changes,
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(plan.actions().next().unwrap().action, Action::Upsert);
        let read = read(&to_json(std::slice::from_ref(&plan))).unwrap();
        assert!(read[0].requests().eq(plan.requests()));
    }

    fn plan_with(deletes: usize, modifies: usize, creates: usize) -> ZonePlan<'static> {
        let rs = |i: usize| a(&format!("r{i}.example.tld."), &["192.0.2.1"]);
        let changes = (0..deletes)
            .map(|i| Change::delete(rs(i)))
            .chain((0..modifies).map(|i| Change::modify(rs(100 + i), rs(100 + i))))
            .chain((0..creates).map(|i| Change::create(rs(200 + i))))
            .collect();
        ZonePlan::new(
            "example.tld",
            "r53_main",
            zone(),
            changes,
            &Limits::default(),
        )
        .unwrap()
    }

    #[test]
    fn plan_round_trips_every_record_set_shape() {
        let plan = sample_plan().with_max_share(Some(0.5));
        let text = serde_json::to_string(&to_file([&plan])).unwrap();
        let read = from_json(&text).unwrap();
        assert_eq!(read, vec![plan.clone()]);
        let shapes = every_shape();
        let created: Vec<&RecordSet> = read[0]
            .actions()
            .filter(|c| c.action == Action::Create)
            .map(|c| c.record_set)
            .collect();
        assert!(shapes.iter().all(|rs| created.contains(&rs)));
    }

    /// Old plan files must stay readable and mean the same. The fixture's fingerprint was checked
    /// against Python's `hashlib.sha256` over `json.dumps(rs, sort_keys=True,
    /// separators=(",", ":"))` lines of the two live record sets.
    #[test]
    fn plan_format_is_stable() {
        let mut fixture: Value = serde_json::from_str(FIXTURE).unwrap();
        fixture["version"] = json!(1);
        assert_eq!(to_json(&[sample_plan()]), fixture);
    }

    /// A plan file written before `version` existed reads as the same plan, and its fingerprint
    /// still matches the zone it was computed against.
    #[test]
    fn plan_files_of_earlier_versions_stay_valid() {
        let read = from_json(FIXTURE).unwrap();
        assert_eq!(read, vec![sample_plan()]);
        let live = [
            a("old.example.tld.", &["192.0.2.1"]),
            a("www.example.tld.", &["192.0.2.2"]),
        ];
        assert_eq!(read[0].check_live(&live), Ok(()));
    }

    #[test]
    fn counts_and_atomicity() {
        let plan = sample_plan();
        assert_eq!(
            (
                plan.summary.creates,
                plan.summary.deletes,
                plan.summary.modifies
            ),
            (11, 1, 1)
        );
        assert!(plan.is_atomic());
        let limits = Limits {
            max_records: 2,
            max_value_chars: 100,
            ..Limits::default()
        };
        let changes: Vec<Change> = every_shape().into_iter().map(Change::create).collect();
        let split = ZonePlan::new("d", "r53_main", zone(), changes, &limits).unwrap();
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
        let changes = vec![Change::create(huge)];
        let err = ZonePlan::new("d", "r53_main", zone(), changes, &Limits::default()).unwrap_err();
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
        let planned = ZonePlan::new(
            "example.tld",
            "r53_main",
            zone(),
            Vec::new(),
            &Limits::default(),
        )
        .unwrap()
        .with_live_fingerprint(fingerprint(&live));
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
        read(&document).unwrap_err()
    }

    #[test]
    fn upsert_is_refused_with_its_path() {
        let err = read_error(|d| d["zones"][0]["batches"][0][0]["action"] = json!("UPSERT"));
        assert_eq!(
            err,
            PlanError::Malformed {
                at: "$.zones[0].batches[0][0].action".into(),
                problem: "action \"UPSERT\" is not CREATE or DELETE (UPSERT only for the zone's \
                          apex NS or SOA)"
                    .into(),
            }
        );
    }

    #[test]
    fn plan_values_and_names_are_validated_as_a_config_is() {
        let document = to_json(&[sample_plan()]);
        assert_eq!(
            document["zones"][0]["batches"][0][0]["record_set"]["type"],
            "A"
        );
        let err = read_error(|d| {
            d["zones"][0]["batches"][0][0]["record_set"]["values"][0] = json!("not-an-ip")
        });
        assert!(
            matches!(&err, PlanError::Malformed { at, problem }
                if at == "$.zones[0].batches[0][0].record_set.values[0]"
                    && problem.contains("not an IPv4 address")),
            "{err}"
        );
        let err = read_error(|d| {
            d["zones"][0]["batches"][0][0]["record_set"]["name"] = json!("www.other.tld.")
        });
        assert!(
            err.to_string()
                .contains("record_set.name: name \"www.other.tld.\" is outside the zone"),
            "{err}"
        );
        let err =
            read_error(|d| d["zones"][0]["batches"][0][0]["record_set"]["name"] = json!("evil\\"));
        assert!(err.to_string().contains("lone backslash"), "{err}");
    }

    #[test]
    fn each_zone_appears_once_under_its_own_name() {
        let err = read_error(|d| {
            let zone = d["zones"][0].clone();
            d["zones"].as_array_mut().unwrap().push(zone);
        });
        assert_eq!(
            err,
            PlanError::Malformed {
                at: "$.zones[1].zone.id".into(),
                problem: "zone Z0123456789ABC is also planned at $.zones[0]; each zone appears \
                          once"
                    .into(),
            }
        );
        let err = read_error(|d| d["zones"][0]["domain"] = json!("other.tld"));
        assert!(
            err.to_string().contains(
                "$.zones[0].domain: domain \"other.tld\" is not the zone's name \"example.tld.\""
            ),
            "{err}"
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
                .contains("$.zones[0].zone: missing field `id`"),
            "{err}"
        );
        let err = read_error(|d| d["zones"][0]["batches"] = json!({}));
        assert!(
            err.to_string()
                .contains("invalid type: map, expected a sequence"),
            "{err}"
        );
    }

    #[test]
    fn other_formats_are_refused() {
        let err = read_error(|d| d["format"] = json!("r53ctl-plan/2"));
        assert_eq!(
            err,
            PlanError::UnsupportedFormat {
                found: "\"r53ctl-plan/2\" version 1".into()
            }
        );
        let err = read_error(|d| d["version"] = json!(2));
        assert!(
            err.to_string().contains("version 2, but this r53ctl reads"),
            "{err}"
        );
        assert!(read(&json!([])).is_err());
        assert!(matches!(from_json("{not json"), Err(PlanError::NotJson(_))));
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
        let relaxed = plan.with_max_share(Some(0.5));
        assert_eq!(relaxed.safety_violation(10), None);
        assert!(plan_with(6, 0, 0)
            .with_max_share(Some(0.5))
            .safety_violation(10)
            .is_some());
    }

    /// A plan read back counts what it changes from its DELETEs, as the plan it was written from.
    #[test]
    fn planned_zone_counts_like_its_plan() {
        let plan = plan_with(3, 2, 4);
        let read = read(&to_json(std::slice::from_ref(&plan))).unwrap();
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
            err.to_string().contains("missing field `provider`"),
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
