//! The difference between the record sets a zone should hold and those it holds. Pure: no I/O.
//!
//! Record sets are keyed by [`RecordSet::key`] (name, type, set identifier) and compared through
//! [`RecordSet::comparable`], so differences of case, trailing dot or value spelling never diff.
//! The rules, in order of precedence:
//! - the zone's SOA is never touched;
//! - record sets made by a traffic policy are never changed or deleted, and a desired record set
//!   with the same key is not created either (it is reported in [`Untouched::not_applied`]);
//! - the apex NS is left alone unless `desired` holds an apex NS record set; a desired apex NS
//!   without a TTL takes the live TTL (or [`DEFAULT_APEX_NS_TTL`] if it has to be created);
//! - a live record set that matches an [`IgnoreRule`] and is not desired is left alone; a desired
//!   record set always wins over an ignore rule and is managed as usual;
//! - with `keep_unknown`, live record sets not in `desired` are left alone instead of deleted;
//! - a change to a name and type under a record set protection is not made but reported in
//!   [`Untouched::blocked`] (see [`ZoneDiff::block_protected`]): Route 53 would refuse the whole
//!   request that holds it.
//!
//! A diff copies only the desired record sets it completes or does not apply: its changes borrow
//! the desired record sets and take the live ones over.
//!
//! May import: `model`, `name`, `rtype`.

use std::borrow::Cow;
use std::ops::Deref;

use crate::model::{AliasTarget, IgnoreRule, RecordKey, RecordSet, RecordSetProtection};
use crate::rtype::RecordType;

/// The TTL Route 53 gives a new public zone's apex NS record set.
pub const DEFAULT_APEX_NS_TTL: u32 = 172_800;

/// One change to a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change<'d> {
    Create(Held<'d>),
    /// The live record set, exactly as read.
    Delete(Held<'d>),
    /// `old` is the live record set exactly as read.
    Modify {
        old: Held<'d>,
        new: Held<'d>,
    },
}

impl<'d> Change<'d> {
    /// The creation of `new`, which the change owns.
    pub fn create(new: RecordSet) -> Change<'d> {
        Change::Create(new.into())
    }

    /// The deletion of `old`, which the change owns.
    pub fn delete(old: RecordSet) -> Change<'d> {
        Change::Delete(old.into())
    }

    /// The change of `old` into `new`, which the change owns.
    pub fn modify(old: RecordSet, new: RecordSet) -> Change<'d> {
        Change::Modify {
            old: old.into(),
            new: new.into(),
        }
    }

    /// The key of the record set this change is about.
    pub fn key_ref(&self) -> KeyRef<'_> {
        match self {
            Change::Create(rs) | Change::Delete(rs) | Change::Modify { new: rs, .. } => {
                KeyRef::of(rs)
            }
        }
    }
}

/// A record set a change holds: a desired one borrowed from the config, or one of its own (a
/// live one taken over from the zone, one read from a plan file, or a desired one completed by
/// the diff).
#[derive(Clone, Debug)]
pub enum Held<'d> {
    Borrowed(&'d RecordSet),
    /// Boxed, so that a change takes a few words whichever it holds.
    Owned(Box<RecordSet>),
}

impl Deref for Held<'_> {
    type Target = RecordSet;

    fn deref(&self) -> &RecordSet {
        match self {
            Held::Borrowed(rs) => rs,
            Held::Owned(rs) => rs,
        }
    }
}

impl From<RecordSet> for Held<'_> {
    fn from(rs: RecordSet) -> Self {
        Held::Owned(Box::new(rs))
    }
}

impl PartialEq for Held<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Held<'_> {}

impl serde::Serialize for Held<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(serializer)
    }
}

/// A [`RecordKey`] that borrows from its record set; it orders as a `RecordKey` does.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KeyRef<'a> {
    /// Normalised wire-form name.
    pub name: Cow<'a, str>,
    pub rtype: RecordType,
    pub set_identifier: Option<&'a str>,
}

impl<'a> KeyRef<'a> {
    /// The key of `rs`, which copies nothing unless its name is not in wire form.
    pub fn of(rs: &'a RecordSet) -> KeyRef<'a> {
        KeyRef {
            name: crate::name::normalized(&rs.name),
            rtype: rs.rtype,
            set_identifier: rs.set_identifier(),
        }
    }

    /// The owned key, for what outlives the record set.
    pub fn to_record_key(&self) -> RecordKey {
        RecordKey {
            name: self.name.to_string(),
            rtype: self.rtype,
            set_identifier: self.set_identifier.map(str::to_string),
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
pub struct ZoneDiff<'d> {
    /// Sorted by key.
    pub changes: Vec<Change<'d>>,
    pub untouched: Untouched<'d>,
}

impl ZoneDiff<'_> {
    /// Moves each change to a name and type under one of `protections` into
    /// [`Untouched::blocked`], with the protection's comment.
    pub fn block_protected(&mut self, protections: &[RecordSetProtection]) {
        if protections.is_empty() {
            return;
        }
        let protections: Vec<(Cow<'_, str>, &RecordSetProtection)> = protections
            .iter()
            .map(|p| (crate::name::normalized(&p.name), p))
            .collect();
        let protection = |change: &Change<'_>| {
            let key = change.key_ref();
            protections
                .iter()
                .find(|(name, p)| p.rtype == key.rtype && *name == key.name)
                .map(|(_, p)| p.comment.clone())
        };
        let mut kept = Vec::with_capacity(self.changes.len());
        for change in std::mem::take(&mut self.changes) {
            match protection(&change) {
                Some(comment) => self.untouched.blocked.push((change, comment)),
                None => kept.push(change),
            }
        }
        self.changes = kept;
    }
}

/// What a diff deliberately leaves as it is, to show beside its changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Untouched<'d> {
    /// Live record sets deliberately kept as they are, sorted by key.
    pub left_alone: Vec<(RecordSet, LeftAlone)>,
    /// Desired record sets that were not applied, sorted by key.
    pub not_applied: Vec<(RecordSet, NotApplied)>,
    /// Changes left out because a record set protection covers their name and type, with the
    /// protection's comment; sorted by key.
    pub blocked: Vec<(Change<'d>, Option<String>)>,
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

/// The desired record set of one key, and the live one with its position.
#[derive(Default)]
struct Pair<'d, 'l> {
    desired: Option<&'d RecordSet>,
    live: Option<(usize, &'l RecordSet)>,
}

/// A change decided on, which refers to live record sets by position: they are taken over once
/// every change is known.
enum Decided<'d> {
    Create(Held<'d>),
    Delete(usize),
    Modify {
        old: usize,
        /// Completed (see [`Zone::complete`]) once, when it was compared.
        new: Held<'d>,
    },
}

/// What a diff sets aside as it goes, the live record sets by position.
#[derive(Default)]
struct SetAside {
    left_alone: Vec<(usize, LeftAlone)>,
    not_applied: Vec<(RecordSet, NotApplied)>,
}

/// Compares `desired` with `live`, keyed by (name, type, set identifier). The diff takes the
/// live record sets it changes or leaves alone over, and drops the others.
pub fn diff_zone<'d>(
    desired: &'d [RecordSet],
    live: Vec<RecordSet>,
    options: &DiffOptions<'_>,
) -> ZoneDiff<'d> {
    let apex = crate::name::normalize(options.apex);
    let zone = Zone {
        apex: &apex,
        options,
        // The type is tested first: `KeyRef::of` normalises the name.
        manages_apex_ns: desired.iter().any(|rs| {
            rs.rtype == RecordType::NS && is_apex_key(&KeyRef::of(rs), &apex, RecordType::NS)
        }),
    };
    let mut set_aside = SetAside::default();
    let decided = decide(&zone, desired, &live, &mut set_aside);
    let mut live: Vec<Option<RecordSet>> = live.into_iter().map(Some).collect();
    let mut take = |at: usize| {
        live[at]
            .take()
            .expect("a live record set goes to one change or none")
    };
    let changes = decided
        .into_iter()
        .map(|decided| match decided {
            Decided::Create(new) => Change::Create(new),
            Decided::Delete(old) => Change::delete(take(old)),
            Decided::Modify { old, new } => Change::Modify {
                old: take(old).into(),
                new,
            },
        })
        .collect();
    let left_alone = set_aside
        .left_alone
        .into_iter()
        .map(|(at, reason)| (take(at), reason))
        .collect();
    let mut not_applied = set_aside.not_applied;
    not_applied.sort_by_cached_key(|(rs, _)| rs.key());
    ZoneDiff {
        changes,
        untouched: Untouched {
            left_alone,
            not_applied,
            blocked: Vec::new(),
        },
    }
}

/// The changes of `zone` from `live` to `desired`, in key order; what is left alone or not
/// applied goes into `set_aside`.
fn decide<'d>(
    zone: &Zone<'_>,
    desired: &'d [RecordSet],
    live: &[RecordSet],
    set_aside: &mut SetAside,
) -> Vec<Decided<'d>> {
    let record_sets = RecordSets { desired, live };
    let entries = record_sets.by_key();
    let mut decided = Vec::new();
    let mut rest = entries.as_slice();
    while let Some(first) = rest.first() {
        let key = record_sets.key(first);
        let same_key = |e: &&Keyed| e.prefix == first.prefix && record_sets.key(e) == key;
        let (group, others) = rest.split_at(rest.iter().take_while(same_key).count());
        rest = others;
        let pair = pair_of(group, desired, live, set_aside);
        decided.extend(zone.diff_key(&key, pair, set_aside));
    }
    decided
}

/// Where a record set is, and the [`name_prefix`] of its key, which settles most comparisons:
/// the key itself is looked up only when the prefixes are equal, so that an entry takes 32
/// bytes rather than 80.
struct Keyed {
    /// Two words rather than a `u128`, whose alignment would pad every entry by 8 bytes.
    prefix: (u64, u64),
    origin: Origin,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    Live(usize),
    Desired(usize),
}

/// The record sets a diff compares.
#[derive(Clone, Copy)]
struct RecordSets<'a> {
    desired: &'a [RecordSet],
    live: &'a [RecordSet],
}

impl<'a> RecordSets<'a> {
    fn at(&self, origin: Origin) -> &'a RecordSet {
        match origin {
            Origin::Live(at) => &self.live[at],
            Origin::Desired(at) => &self.desired[at],
        }
    }

    fn key(&self, entry: &Keyed) -> KeyRef<'a> {
        KeyRef::of(self.at(entry.origin))
    }

    /// An entry for every record set, sorted by key, then live before desired, then by
    /// position.
    fn by_key(&self) -> Vec<Keyed> {
        let origins = (0..self.live.len())
            .map(Origin::Live)
            .chain((0..self.desired.len()).map(Origin::Desired));
        let mut entries: Vec<Keyed> = origins
            .map(|origin| Keyed {
                prefix: name_prefix(&KeyRef::of(self.at(origin)).name),
                origin,
            })
            .collect();
        entries.sort_unstable_by(|a, b| {
            a.prefix
                .cmp(&b.prefix)
                .then_with(|| self.key(a).cmp(&self.key(b)))
                .then(a.origin.cmp(&b.origin))
        });
        entries
    }
}

/// The desired and live record set of one key's `group`. A key given twice in the config is
/// not applied after its first; Route 53 holds a key once (should a server list one twice, the
/// last counts).
fn pair_of<'d, 'l>(
    group: &[Keyed],
    desired: &'d [RecordSet],
    live: &'l [RecordSet],
    set_aside: &mut SetAside,
) -> Pair<'d, 'l> {
    let mut pair = Pair::default();
    for entry in group {
        match entry.origin {
            Origin::Live(at) => pair.live = Some((at, &live[at])),
            Origin::Desired(at) if pair.desired.is_some() => set_aside
                .not_applied
                .push((desired[at].clone(), NotApplied::DuplicateKey)),
            Origin::Desired(at) => pair.desired = Some(&desired[at]),
        }
    }
    pair
}

/// The first 16 bytes of `name`, zero-padded, as two numbers: names whose prefixes differ order
/// as their prefixes do, so most comparisons of a sort by name end there without reading the
/// names (16 bytes hold `host-12345.zone.`: names of a zone often share their first 8).
fn name_prefix(name: &str) -> (u64, u64) {
    let mut bytes = [0; 16];
    let len = name.len().min(16);
    bytes[..len].copy_from_slice(&name.as_bytes()[..len]);
    let prefix = u128::from_be_bytes(bytes);
    ((prefix >> 64) as u64, prefix as u64)
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
    /// Applies the rules to the desired and live record set of `key`: the change they call for,
    /// if any; what is left alone or not applied goes into `set_aside`.
    fn diff_key<'d>(
        &self,
        key: &KeyRef<'_>,
        pair: Pair<'d, '_>,
        set_aside: &mut SetAside,
    ) -> Option<Decided<'d>> {
        if is_apex_key(key, self.apex, RecordType::SOA) {
            if let Some((at, _)) = pair.live {
                set_aside.left_alone.push((at, LeftAlone::ZoneApex));
            }
            if let Some(desired) = pair.desired {
                set_aside
                    .not_applied
                    .push((desired.clone(), NotApplied::ZoneSoa));
            }
            return None;
        }
        if let Some((at, _)) = pair
            .live
            .filter(|(_, l)| l.traffic_policy_instance_id().is_some())
        {
            set_aside.left_alone.push((at, LeftAlone::TrafficPolicy));
            if let Some(desired) = pair.desired {
                set_aside
                    .not_applied
                    .push((desired.clone(), NotApplied::TrafficPolicy));
            }
            return None;
        }
        match (pair.desired, pair.live) {
            (Some(new), None) => Some(Decided::Create(self.complete(key, new, None))),
            (Some(new), Some((at, old))) => {
                let new = self.complete(key, new, Some(old));
                let changed = !old.same_as(&new);
                changed.then_some(Decided::Modify { old: at, new })
            }
            (None, Some((at, _))) => match self.reason_to_keep(key) {
                Some(reason) => {
                    set_aside.left_alone.push((at, reason));
                    None
                }
                None => Some(Decided::Delete(at)),
            },
            (None, None) => None,
        }
    }

    /// Why a live record set that is not desired stays, if it does.
    fn reason_to_keep(&self, key: &KeyRef<'_>) -> Option<LeftAlone> {
        if is_apex_key(key, self.apex, RecordType::NS) && !self.manages_apex_ns {
            Some(LeftAlone::ZoneApex)
        } else if self.is_ignored(key) {
            Some(LeftAlone::Ignored)
        } else if self.options.keep_unknown {
            Some(LeftAlone::NotInConfig)
        } else {
            None
        }
    }

    fn is_ignored(&self, key: &KeyRef<'_>) -> bool {
        if self.options.ignore.is_empty() {
            return false;
        }
        let relative = relative_name(&key.name, self.apex);
        self.options
            .ignore
            .iter()
            .any(|rule| rule.matches(relative, key.rtype))
    }

    /// `desired` (of `key`) with what the config may leave out filled in: the zone id of in-zone alias
    /// targets and the TTL of the apex NS. A copy only when something is missing.
    fn complete<'d>(
        &self,
        key: &KeyRef<'_>,
        desired: &'d RecordSet,
        live: Option<&RecordSet>,
    ) -> Held<'d> {
        let lacks_zone_id = desired
            .alias()
            .is_some_and(|alias| alias.hosted_zone_id.is_empty());
        let lacks_ttl = desired.ttl.is_none()
            && desired.alias().is_none()
            && is_apex_key(key, self.apex, RecordType::NS);
        if !lacks_zone_id && !lacks_ttl {
            return Held::Borrowed(desired);
        }
        let mut desired = desired.clone();
        if let Some(AliasTarget { hosted_zone_id, .. }) = desired.alias_mut() {
            if hosted_zone_id.is_empty() {
                *hosted_zone_id = self.options.zone_id.into();
            }
        }
        if lacks_ttl {
            desired.ttl = Some(live.and_then(|l| l.ttl).unwrap_or(DEFAULT_APEX_NS_TTL));
        }
        desired.into()
    }
}

fn is_apex_key(key: &KeyRef<'_>, apex: &str, rtype: RecordType) -> bool {
    key.rtype == rtype && key.set_identifier.is_none() && key.name == apex
}

/// `name` relative to `apex` (both normalised): `@` for the apex, `www` for `www.<apex>`; names
/// outside the zone are returned whole.
fn relative_name<'n>(name: &'n str, apex: &str) -> &'n str {
    crate::name::before_apex(name, apex).unwrap_or(name)
}

#[cfg(test)]
// `&[x.clone()]` reads better in tests than `std::slice::from_ref(&x)`.
#[allow(clippy::cloned_ref_to_slice_refs)]
mod tests {
    use super::*;
    use crate::model::Routing;

    const APEX: &str = "example.tld.";
    const ZONE_ID: &str = "Z0123456789ABC";

    fn a(name: &str, ttl: u32, values: &[&str]) -> RecordSet {
        RecordSet::simple(
            name,
            RecordType::A,
            ttl,
            values.iter().map(|v| v.to_string()).collect(),
        )
    }

    fn ns(ttl: Option<u32>, values: &[&str]) -> RecordSet {
        let values = values.iter().map(|v| v.to_string()).collect();
        let mut ns = RecordSet::simple(APEX, RecordType::NS, 0, values);
        ns.ttl = ttl;
        ns
    }

    fn soa() -> RecordSet {
        RecordSet::simple(
            APEX,
            RecordType::SOA,
            900,
            vec![
                "ns-1.awsdns-1.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400".into(),
            ],
        )
    }

    fn alias(name: &str, zone_id: &str, target: &str) -> RecordSet {
        let target = AliasTarget {
            hosted_zone_id: zone_id.into(),
            dns_name: target.into(),
            evaluate_target_health: false,
        };
        RecordSet::aliased(name, RecordType::A, target)
    }

    fn diff_with(
        desired: &[RecordSet],
        live: &[RecordSet],
        ignore: &[IgnoreRule],
        keep_unknown: bool,
    ) -> ZoneDiff<'static> {
        let options = DiffOptions {
            apex: APEX,
            zone_id: ZONE_ID,
            ignore,
            keep_unknown,
        };
        owned(diff_zone(desired, live.to_vec(), &options))
    }

    /// `diff` holding its own record sets, so that it outlives the desired ones.
    fn owned(diff: ZoneDiff<'_>) -> ZoneDiff<'static> {
        let held = |held: Held<'_>| match held {
            Held::Borrowed(rs) => rs.clone().into(),
            Held::Owned(rs) => Held::Owned(rs),
        };
        let change = |change: Change<'_>| match change {
            Change::Create(new) => Change::Create(held(new)),
            Change::Delete(old) => Change::Delete(held(old)),
            Change::Modify { old, new } => Change::Modify {
                old: held(old),
                new: held(new),
            },
        };
        let Untouched {
            left_alone,
            not_applied,
            blocked,
        } = diff.untouched;
        ZoneDiff {
            changes: diff.changes.into_iter().map(change).collect(),
            untouched: Untouched {
                left_alone,
                not_applied,
                blocked: blocked.into_iter().map(|(c, p)| (change(c), p)).collect(),
            },
        }
    }

    fn diff(desired: &[RecordSet], live: &[RecordSet]) -> ZoneDiff<'static> {
        diff_with(desired, live, &[], false)
    }

    /// The changes of a diff that only modifies `old` into `new`.
    fn modify(old: RecordSet, new: RecordSet) -> Vec<Change<'static>> {
        vec![Change::modify(old, new)]
    }

    fn ignore(name: &str, types: &[RecordType]) -> IgnoreRule {
        IgnoreRule {
            name: name.to_string(),
            types: types.to_vec(),
        }
    }

    #[test]
    fn only_desired_is_created() {
        let www = a("www.example.tld.", 300, &["192.0.2.1"]);
        assert_eq!(diff(&[www.clone()], &[]).changes, vec![Change::create(www)]);
    }

    #[test]
    fn only_live_is_deleted_exactly_as_read() {
        let live = a("WWW.example.tld.", 300, &["192.0.2.2", "192.0.2.1"]);
        assert_eq!(
            diff(&[], &[live.clone()]).changes,
            vec![Change::delete(live)]
        );
    }

    #[test]
    fn different_values_modify_with_live_as_old() {
        let live = a("www.example.tld.", 300, &["192.0.2.1"]);
        let desired = a("www.example.tld.", 300, &["192.0.2.9"]);
        let d = diff(&[desired.clone()], &[live.clone()]);
        assert_eq!(d.changes, modify(live, desired));
    }

    #[test]
    fn equal_record_sets_give_no_change() {
        let www = a("www.example.tld.", 300, &["192.0.2.1", "192.0.2.2"]);
        let reordered = a("www.example.tld.", 300, &["192.0.2.2", "192.0.2.1"]);
        assert_eq!(diff(&[reordered], &[www]), ZoneDiff::default());
    }

    #[test]
    fn ttl_only_change_is_one_modify() {
        let live = a("www.example.tld.", 300, &["192.0.2.1"]);
        let desired = a("www.example.tld.", 60, &["192.0.2.1"]);
        let d = diff(&[desired.clone()], &[live.clone()]);
        assert_eq!(d.changes, modify(live, desired));
    }

    #[test]
    fn case_and_trailing_dot_do_not_diff() {
        let live = a("www.example.tld.", 300, &["192.0.2.1"]);
        let desired = a("WWW.Example.TLD", 300, &["192.0.2.1"]);
        assert_eq!(diff(&[desired], &[live]), ZoneDiff::default());
        let live_wildcard = a("\\052.example.tld.", 300, &["192.0.2.1"]);
        let desired_wildcard = a("*.example.tld", 300, &["192.0.2.1"]);
        assert_eq!(
            diff(&[desired_wildcard], &[live_wildcard]),
            ZoneDiff::default()
        );
    }

    #[test]
    fn set_identifier_is_part_of_the_key() {
        let weighted = |id: &str, weight: u32| {
            a("www.example.tld.", 60, &["192.0.2.1"])
                .with_set_identifier(id)
                .with_routing(Routing::Weighted { weight })
        };
        let d = diff(
            &[weighted("one", 10), weighted("two", 20)],
            &[weighted("one", 5)],
        );
        assert_eq!(
            d.changes,
            vec![
                Change::modify(weighted("one", 5), weighted("one", 10)),
                Change::create(weighted("two", 20)),
            ]
        );
    }

    #[test]
    fn soa_is_never_touched() {
        let d = diff(&[], &[soa()]);
        assert!(d.changes.is_empty());
        assert_eq!(d.untouched.left_alone, vec![(soa(), LeftAlone::ZoneApex)]);
        let mut other_soa = soa();
        other_soa.ttl = Some(60);
        let d = diff(&[other_soa.clone()], &[soa()]);
        assert!(d.changes.is_empty());
        assert_eq!(
            d.untouched.not_applied,
            vec![(other_soa, NotApplied::ZoneSoa)]
        );
    }

    #[test]
    fn apex_ns_is_left_alone_unless_desired() {
        let live = ns(Some(172_800), &["ns-1.awsdns-1.com."]);
        let d = diff(&[], &[live.clone()]);
        assert!(d.changes.is_empty());
        assert_eq!(
            d.untouched.left_alone,
            vec![(live.clone(), LeftAlone::ZoneApex)]
        );
        let desired = ns(Some(172_800), &["ns-2.awsdns-2.net."]);
        let d = diff(&[desired.clone()], &[live.clone()]);
        assert_eq!(d.changes, modify(live, desired));
    }

    #[test]
    fn apex_ns_without_ttl_takes_the_live_ttl() {
        let live = ns(Some(3600), &["ns-1.awsdns-1.com."]);
        let d = diff(&[ns(None, &["ns-1.awsdns-1.com."])], &[live.clone()]);
        assert_eq!(d, ZoneDiff::default());
        let d = diff(&[ns(None, &["ns-9.awsdns-9.org."])], &[live.clone()]);
        let new = ns(Some(3600), &["ns-9.awsdns-9.org."]);
        assert_eq!(d.changes, modify(live, new));
    }

    #[test]
    fn created_apex_ns_without_ttl_gets_route53s_default() {
        let d = diff(&[ns(None, &["ns-1.awsdns-1.com."])], &[]);
        let expected = ns(Some(DEFAULT_APEX_NS_TTL), &["ns-1.awsdns-1.com."]);
        assert_eq!(d.changes, vec![Change::create(expected)]);
    }

    #[test]
    fn ns_below_the_apex_is_an_ordinary_record_set() {
        let delegation = RecordSet::simple(
            "sub.example.tld.",
            RecordType::NS,
            300,
            vec!["ns.other.tld.".into()],
        );
        assert_eq!(
            diff(&[], &[delegation.clone()]).changes,
            vec![Change::delete(delegation)]
        );
    }

    #[test]
    fn traffic_policy_record_sets_are_never_changed_nor_replaced() {
        let live =
            a("www.example.tld.", 60, &["192.0.2.1"]).with_traffic_policy_instance_id("tp-1");
        let d = diff(&[], &[live.clone()]);
        assert!(d.changes.is_empty());
        assert_eq!(
            d.untouched.left_alone,
            vec![(live.clone(), LeftAlone::TrafficPolicy)]
        );
        let desired = a("www.example.tld.", 300, &["192.0.2.7"]);
        let d = diff(&[desired.clone()], &[live.clone()]);
        assert!(d.changes.is_empty());
        assert_eq!(
            d.untouched.left_alone,
            vec![(live, LeftAlone::TrafficPolicy)]
        );
        assert_eq!(
            d.untouched.not_applied,
            vec![(desired, NotApplied::TrafficPolicy)]
        );
    }

    #[test]
    fn ignored_live_record_sets_are_left_alone() {
        let acme = RecordSet::simple(
            "_acme-challenge.www.example.tld.",
            RecordType::TXT,
            60,
            vec!["\"t\"".into()],
        );
        let mx = RecordSet::simple(APEX, RecordType::MX, 300, vec!["10 mx.example.tld.".into()]);
        let www = a("www.example.tld.", 300, &["192.0.2.1"]);
        let rules = [
            ignore("_ACME-challenge.*", &[]),
            ignore("@", &["mx".parse().unwrap()]),
        ];
        let d = diff_with(&[], &[acme.clone(), mx.clone(), www.clone()], &rules, false);
        assert_eq!(d.changes, vec![Change::delete(www)]);
        assert_eq!(
            d.untouched.left_alone,
            vec![(acme, LeftAlone::Ignored), (mx, LeftAlone::Ignored)]
        );
    }

    #[test]
    fn ignore_rule_types_restrict_the_match() {
        let txt = RecordSet::simple(
            "www.example.tld.",
            RecordType::TXT,
            60,
            vec!["\"t\"".into()],
        );
        let d = diff_with(
            &[],
            &[txt.clone()],
            &[ignore("www", &[RecordType::A, RecordType::AAAA])],
            false,
        );
        assert_eq!(d.changes, vec![Change::delete(txt)]);
    }

    #[test]
    fn desired_record_sets_win_over_ignore_rules() {
        let live = a("www.example.tld.", 300, &["192.0.2.1"]);
        let desired = a("www.example.tld.", 300, &["192.0.2.2"]);
        let created = a("new.example.tld.", 300, &["192.0.2.3"]);
        let d = diff_with(
            &[desired.clone(), created.clone()],
            &[live.clone()],
            &[ignore("*", &[])],
            false,
        );
        assert_eq!(
            d.changes,
            vec![Change::create(created), Change::modify(live, desired)]
        );
    }

    #[test]
    fn keep_unknown_leaves_live_only_record_sets() {
        let live = a("old.example.tld.", 300, &["192.0.2.1"]);
        let d = diff_with(&[], &[live.clone()], &[], true);
        assert!(d.changes.is_empty());
        assert_eq!(d.untouched.left_alone, vec![(live, LeftAlone::NotInConfig)]);
    }

    #[test]
    fn in_zone_alias_without_zone_id_gets_the_zones_id() {
        let live = alias("www.example.tld.", ZONE_ID, "lb.example.tld.");
        let desired = alias("www.example.tld.", "", "lb.example.tld.");
        assert_eq!(diff(&[desired.clone()], &[live]), ZoneDiff::default());
        let expected = alias("www.example.tld.", ZONE_ID, "lb.example.tld.");
        assert_eq!(
            diff(&[desired], &[]).changes,
            vec![Change::create(expected)]
        );
    }

    #[test]
    fn duplicate_desired_keys_apply_the_first() {
        let first = a("www.example.tld.", 300, &["192.0.2.1"]);
        let second = a("WWW.example.tld", 60, &["192.0.2.2"]);
        let d = diff(&[first.clone(), second.clone()], &[]);
        assert_eq!(d.changes, vec![Change::create(first)]);
        assert_eq!(
            d.untouched.not_applied,
            vec![(second, NotApplied::DuplicateKey)]
        );
    }

    #[test]
    fn output_is_sorted_by_key_whatever_the_input_order() {
        let names = ["c", "a", "b"].map(|n| a(&format!("{n}.example.tld."), 300, &["192.0.2.1"]));
        let d = diff(&names, &[]);
        let keys: Vec<String> = d.changes.iter().map(|c| c.key_ref().name.into()).collect();
        assert_eq!(keys, ["a.example.tld.", "b.example.tld.", "c.example.tld."]);
    }

    #[test]
    fn protected_names_and_types_are_blocked_not_changed() {
        let protection =
            |name: &str, rtype: RecordType, comment: Option<&str>| RecordSetProtection {
                name: name.to_string(),
                rtype,
                comment: comment.map(str::to_string),
            };
        let protections = [
            protection(
                "WWW.example.tld",
                RecordType::A,
                Some("frozen for the launch"),
            ),
            protection("\\052.example.tld.", RecordType::A, None),
            protection("mail.example.tld.", RecordType::A, None),
        ];
        let live_www = a("www.example.tld.", 300, &["192.0.2.1"]);
        let new_www = a("www.example.tld.", 300, &["192.0.2.2"]);
        let wildcard = a("*.example.tld.", 300, &["192.0.2.3"]);
        let old = a("old.example.tld.", 300, &["192.0.2.4"]);
        let mail_txt = RecordSet::simple(
            "mail.example.tld.",
            RecordType::TXT,
            60,
            vec!["\"t\"".into()],
        );
        let desired = [new_www.clone(), wildcard.clone(), mail_txt.clone()];
        let mut d = diff(&desired, &[live_www.clone(), old.clone()]);
        d.block_protected(&protections);
        assert_eq!(
            d.changes,
            vec![Change::create(mail_txt), Change::delete(old)]
        );
        assert_eq!(
            d.untouched.blocked,
            vec![
                (Change::create(wildcard), None),
                (
                    Change::modify(live_www, new_www),
                    Some("frozen for the launch".to_string())
                ),
            ]
        );
    }

    #[test]
    fn the_name_prefix_orders_names_as_they_order() {
        let mut names = [
            "z",
            "b",
            "abcdefgi",
            "abcdefghijklmnopq",
            "abcdefghijklmnopp.",
            "abcdefghijklmnop",
            "abcdefgh.",
            "abcdefgh",
            "abcdefg",
            "ab",
            "a\0b",
            "a\0",
            "a.",
            "a",
            "",
            "\\052.a.",
            "host-2.tld.",
            "host-10.tld.",
            "host-1.tld.",
            "\u{e9}.tld.",
        ];
        names.sort_by_key(|name| (name_prefix(name), *name));
        assert!(names.is_sorted(), "{names:?}");
    }

    #[test]
    fn relative_names() {
        assert_eq!(relative_name("example.tld.", APEX), "@");
        assert_eq!(relative_name("a.b.example.tld.", APEX), "a.b");
        assert_eq!(relative_name("badexample.tld.", APEX), "badexample.tld.");
    }
}
