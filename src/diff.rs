//! The difference between the record sets a zone should hold and those it holds. Pure: no I/O.
//!
//! Record sets are keyed by [`RecordSet::key`] (name, type, set identifier) and compared through
//! [`RecordSet::comparable`], so differences of case, trailing dot or value spelling never diff.
//! The rules, in order of precedence:
//! - the zone's SOA is never touched;
//! - record sets made by a traffic policy are never changed or deleted, and a desired record set
//!   with the same key is not created either (it is reported in [`ZoneDiff::not_applied`]);
//! - the apex NS is left alone unless `desired` holds an apex NS record set; a desired apex NS
//!   without a TTL takes the live TTL (or [`DEFAULT_APEX_NS_TTL`] if it has to be created);
//! - a live record set that matches an [`IgnoreRule`] and is not desired is left alone; a desired
//!   record set always wins over an ignore rule and is managed as usual;
//! - with `keep_unknown`, live record sets not in `desired` are left alone instead of deleted.

use std::collections::BTreeMap;

use crate::model::{AliasTarget, RecordKey, RecordSet};

/// The TTL Route 53 gives a new public zone's apex NS record set.
pub const DEFAULT_APEX_NS_TTL: u32 = 172_800;

/// Live record sets matching a rule are never created, changed or deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreRule {
    /// A glob over the wire-form name relative to the zone (`*` any run of characters, `@` apex).
    pub name: String,
    /// Record types; empty means all.
    pub types: Vec<String>,
}

impl IgnoreRule {
    /// Whether this rule covers a record set of type `rtype` whose name relative to the zone is
    /// `relative_name` (`@` for the apex).
    pub fn matches(&self, relative_name: &str, rtype: &str) -> bool {
        let type_matches =
            self.types.is_empty() || self.types.iter().any(|t| t.eq_ignore_ascii_case(rtype));
        type_matches && glob_matches(&self.name.to_ascii_lowercase(), relative_name)
    }
}

/// Whether `pattern` (where `*` matches any run of characters, including none) matches all of
/// `text`. Linear backtracking over the last `*`, so no input makes it slow.
fn glob_matches(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                last_star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c == t[ti] => {
                pi += 1;
                ti += 1;
            }
            _ => match last_star {
                Some((star_pi, star_ti)) => {
                    pi = star_pi + 1;
                    ti = star_ti + 1;
                    last_star = Some((star_pi, star_ti + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|&c| c == b'*'))
}

/// One change to a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Create(RecordSet),
    /// The live record set, exactly as read.
    Delete(RecordSet),
    /// `old` is the live record set exactly as read.
    Modify {
        old: RecordSet,
        new: RecordSet,
    },
}

impl Change {
    /// The key of the record set this change is about.
    pub fn key(&self) -> RecordKey {
        match self {
            Change::Create(rs) | Change::Delete(rs) | Change::Modify { new: rs, .. } => rs.key(),
        }
    }
}

/// Why a live record set was left alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeftAlone {
    /// The zone's SOA, or its apex NS the config does not name.
    ZoneApex,
    /// Made by a traffic policy instance.
    TrafficPolicy,
    /// Matched an `ignore` rule.
    Ignored,
    /// Not in the config, and the domain keeps unknown record sets.
    NotInConfig,
}

/// Why a desired record set was not applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotApplied {
    /// The zone's SOA belongs to Route 53.
    ZoneSoa,
    /// A traffic policy instance owns the record set of this key.
    TrafficPolicy,
    /// An earlier desired record set has the same key; the first one is applied.
    DuplicateKey,
}

/// The changes for one zone and what was deliberately not touched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZoneDiff {
    /// Sorted by key.
    pub changes: Vec<Change>,
    /// Live record sets deliberately kept as they are, sorted by key.
    pub left_alone: Vec<(RecordSet, LeftAlone)>,
    /// Desired record sets that were not applied, sorted by key.
    pub not_applied: Vec<(RecordSet, NotApplied)>,
}

/// How to diff one zone.
#[derive(Clone, Debug)]
pub struct DiffOptions<'a> {
    /// Wire-form zone name.
    pub apex: &'a str,
    /// The bare id of the zone, filled into desired in-zone alias targets that have none.
    pub zone_id: &'a str,
    pub ignore: &'a [IgnoreRule],
    pub keep_unknown: bool,
}

/// The desired and live record set of one key.
#[derive(Default)]
struct Pair<'a> {
    desired: Option<RecordSet>,
    live: Option<&'a RecordSet>,
}

/// Compares `desired` with `live`, keyed by (name, type, set identifier).
pub fn diff_zone(desired: &[RecordSet], live: &[RecordSet], options: &DiffOptions<'_>) -> ZoneDiff {
    let apex = crate::name::normalize(options.apex);
    let mut diff = ZoneDiff::default();
    let mut pairs: BTreeMap<RecordKey, Pair<'_>> = BTreeMap::new();
    for rs in live {
        pairs.entry(rs.key()).or_default().live = Some(rs);
    }
    for rs in desired {
        let pair = pairs.entry(rs.key()).or_default();
        if pair.desired.is_some() {
            diff.not_applied
                .push((rs.clone(), NotApplied::DuplicateKey));
        } else {
            pair.desired = Some(rs.clone());
        }
    }
    let zone = Zone {
        apex: &apex,
        options,
        manages_apex_ns: pairs
            .iter()
            .any(|(key, pair)| pair.desired.is_some() && is_apex_key(key, &apex, "NS")),
    };
    for (key, pair) in pairs {
        zone.diff_key(&key, pair, &mut diff);
    }
    diff.not_applied.sort_by_cached_key(|(rs, _)| rs.key());
    diff
}

/// What the rules need to know about the zone being diffed.
struct Zone<'a> {
    /// Normalised wire-form apex name.
    apex: &'a str,
    options: &'a DiffOptions<'a>,
    /// Whether `desired` holds an apex NS record set.
    manages_apex_ns: bool,
}

impl Zone<'_> {
    /// Applies the rules to the desired and live record set of `key`.
    fn diff_key(&self, key: &RecordKey, pair: Pair<'_>, diff: &mut ZoneDiff) {
        if is_apex_key(key, self.apex, "SOA") {
            if let Some(live) = pair.live {
                diff.left_alone.push((live.clone(), LeftAlone::ZoneApex));
            }
            if let Some(desired) = pair.desired {
                diff.not_applied.push((desired, NotApplied::ZoneSoa));
            }
            return;
        }
        if let Some(live) = pair.live.filter(|l| l.traffic_policy_instance_id.is_some()) {
            diff.left_alone
                .push((live.clone(), LeftAlone::TrafficPolicy));
            if let Some(desired) = pair.desired {
                diff.not_applied.push((desired, NotApplied::TrafficPolicy));
            }
            return;
        }
        match (pair.desired, pair.live) {
            (Some(desired), live) => {
                let desired = self.complete(key, desired, live);
                match live {
                    None => diff.changes.push(Change::Create(desired)),
                    Some(live) if live.comparable() != desired.comparable() => {
                        diff.changes.push(Change::Modify {
                            old: live.clone(),
                            new: desired,
                        })
                    }
                    Some(_) => {}
                }
            }
            (None, Some(live)) => match self.reason_to_keep(key) {
                Some(reason) => diff.left_alone.push((live.clone(), reason)),
                None => diff.changes.push(Change::Delete(live.clone())),
            },
            (None, None) => {}
        }
    }

    /// Why a live record set that is not desired stays, if it does.
    fn reason_to_keep(&self, key: &RecordKey) -> Option<LeftAlone> {
        if is_apex_key(key, self.apex, "NS") && !self.manages_apex_ns {
            Some(LeftAlone::ZoneApex)
        } else if self.is_ignored(key) {
            Some(LeftAlone::Ignored)
        } else if self.options.keep_unknown {
            Some(LeftAlone::NotInConfig)
        } else {
            None
        }
    }

    fn is_ignored(&self, key: &RecordKey) -> bool {
        if self.options.ignore.is_empty() {
            return false;
        }
        let relative = relative_name(&key.name, self.apex);
        self.options
            .ignore
            .iter()
            .any(|rule| rule.matches(relative, &key.rtype))
    }

    /// Fills in what the config may leave out: the zone id of in-zone alias targets and the TTL
    /// of the apex NS.
    fn complete(
        &self,
        key: &RecordKey,
        mut desired: RecordSet,
        live: Option<&RecordSet>,
    ) -> RecordSet {
        if let Some(AliasTarget { hosted_zone_id, .. }) = desired.alias.as_mut() {
            if hosted_zone_id.is_empty() {
                *hosted_zone_id = self.options.zone_id.to_string();
            }
        }
        if desired.ttl.is_none() && desired.alias.is_none() && is_apex_key(key, self.apex, "NS") {
            desired.ttl = Some(live.and_then(|l| l.ttl).unwrap_or(DEFAULT_APEX_NS_TTL));
        }
        desired
    }
}

fn is_apex_key(key: &RecordKey, apex: &str, rtype: &str) -> bool {
    key.rtype == rtype && key.set_identifier.is_none() && key.name == apex
}

/// `name` relative to `apex` (both normalised): `@` for the apex, `www` for `www.<apex>`; names
/// outside the zone are returned whole.
fn relative_name<'n>(name: &'n str, apex: &str) -> &'n str {
    if name == apex {
        return "@";
    }
    name.strip_suffix(apex)
        .and_then(|prefix| prefix.strip_suffix('.'))
        .unwrap_or(name)
}
