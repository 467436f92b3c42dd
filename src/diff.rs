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
//!   [`Untouched::blocked`]: Route 53 would refuse the whole request that holds it.
//!
//! May import: `model`, `name`, `rtype`.

use std::borrow::Cow;

use crate::model::{AliasTarget, IgnoreRule, RecordKey, RecordSet, RecordSetProtection};
use crate::rtype::RecordType;

/// The TTL Route 53 gives a new public zone's apex NS record set.
pub const DEFAULT_APEX_NS_TTL: u32 = 172_800;

/// One change to a zone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Create(RecordSet),
    /// The live record set, exactly as read.
    Delete(RecordSet),
    /// `old` is the live record set exactly as read. Boxed, as few changes are modifications:
    /// unboxed, every change would take the room of two record sets.
    Modify {
        old: Box<RecordSet>,
        new: Box<RecordSet>,
    },
}

impl Change {
    /// The change of `old` into `new`.
    pub fn modify(old: RecordSet, new: RecordSet) -> Change {
        Change::Modify {
            old: Box::new(old),
            new: Box::new(new),
        }
    }

    /// The key of the record set this change is about.
    pub fn key(&self) -> RecordKey {
        self.key_ref().to_record_key()
    }

    /// [`Change::key`] without copies.
    pub fn key_ref(&self) -> KeyRef<'_> {
        match self {
            Change::Create(rs) | Change::Delete(rs) => KeyRef::of(rs),
            Change::Modify { new, .. } => KeyRef::of(new),
        }
    }
}

/// A [`RecordKey`] that borrows from its record set; it orders as a `RecordKey` does.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
pub struct ZoneDiff {
    /// Sorted by key.
    pub changes: Vec<Change>,
    pub untouched: Untouched,
}

/// What a diff deliberately leaves as it is, to show beside its changes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Untouched {
    /// Live record sets deliberately kept as they are, sorted by key.
    pub left_alone: Vec<(RecordSet, LeftAlone)>,
    /// Desired record sets that were not applied, sorted by key.
    pub not_applied: Vec<(RecordSet, NotApplied)>,
    /// Changes left out because a record set protection covers their name and type, with the
    /// protection's comment; sorted by key.
    pub blocked: Vec<(Change, Option<String>)>,
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
    /// The zone's record set protections.
    pub protections: &'a [RecordSetProtection],
}

/// The desired and live record set of one key.
#[derive(Default)]
struct Pair<'a> {
    desired: Option<&'a RecordSet>,
    live: Option<&'a RecordSet>,
}

/// A change decided on, still borrowing the record sets it is about: changes are copied out
/// only once they are all known, into a vector of the right size.
enum Decided<'a> {
    Create(&'a RecordSet),
    Delete(&'a RecordSet),
    Modify {
        old: &'a RecordSet,
        /// Completed (see [`Zone::complete`]) once, when it was compared.
        new: Cow<'a, RecordSet>,
    },
}

/// Compares `desired` with `live`, keyed by (name, type, set identifier).
pub fn diff_zone(desired: &[RecordSet], live: &[RecordSet], options: &DiffOptions<'_>) -> ZoneDiff {
    let apex = crate::name::normalize(options.apex);
    let zone = Zone {
        apex: &apex,
        options,
        // The type is tested first: `KeyRef::of` normalises the name.
        manages_apex_ns: desired.iter().any(|rs| {
            rs.rtype == RecordType::NS && is_apex_key(&KeyRef::of(rs), &apex, RecordType::NS)
        }),
        protections: options
            .protections
            .iter()
            .map(|p| (crate::name::normalized(&p.name), p))
            .collect(),
    };
    let record_sets = RecordSets { desired, live };
    let mut untouched = Untouched::default();
    let mut decided = Vec::new();
    let entries = record_sets.by_key();
    let mut rest = entries.as_slice();
    while let Some(first) = rest.first() {
        let key = record_sets.key(first);
        let same_key = |e: &&Keyed| e.prefix == first.prefix && record_sets.key(e) == key;
        let (group, others) = rest.split_at(rest.iter().take_while(same_key).count());
        rest = others;
        let pair = pair_of(group, desired, live, &mut untouched);
        let Some(change) = zone.diff_key(&key, pair, &mut untouched) else {
            continue;
        };
        match zone.protection(&key) {
            Some(protection) => untouched
                .blocked
                .push((zone.copy_out(change), protection.comment.clone())),
            None => decided.push(change),
        }
    }
    // The keys are done with: free them before the changes are copied out.
    drop(entries);
    let changes = decided.into_iter().map(|d| zone.copy_out(d)).collect();
    untouched.not_applied.sort_by_cached_key(|(rs, _)| rs.key());
    ZoneDiff { changes, untouched }
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
fn pair_of<'a>(
    group: &[Keyed],
    desired: &'a [RecordSet],
    live: &'a [RecordSet],
    untouched: &mut Untouched,
) -> Pair<'a> {
    let mut pair = Pair::default();
    for entry in group {
        match entry.origin {
            Origin::Live(at) => pair.live = Some(&live[at]),
            Origin::Desired(at) if pair.desired.is_some() => untouched
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
    /// The zone's record set protections, with their normalised names.
    protections: Vec<(Cow<'a, str>, &'a RecordSetProtection)>,
}

impl Zone<'_> {
    /// Applies the rules to the desired and live record set of `key`: the change they call for,
    /// if any; what is left alone or not applied goes into `untouched`.
    fn diff_key<'r>(
        &self,
        key: &KeyRef<'_>,
        pair: Pair<'r>,
        untouched: &mut Untouched,
    ) -> Option<Decided<'r>> {
        if is_apex_key(key, self.apex, RecordType::SOA) {
            if let Some(live) = pair.live {
                untouched
                    .left_alone
                    .push((live.clone(), LeftAlone::ZoneApex));
            }
            if let Some(desired) = pair.desired {
                untouched
                    .not_applied
                    .push((desired.clone(), NotApplied::ZoneSoa));
            }
            return None;
        }
        if let Some(live) = pair
            .live
            .filter(|l| l.traffic_policy_instance_id().is_some())
        {
            untouched
                .left_alone
                .push((live.clone(), LeftAlone::TrafficPolicy));
            if let Some(desired) = pair.desired {
                untouched
                    .not_applied
                    .push((desired.clone(), NotApplied::TrafficPolicy));
            }
            return None;
        }
        match (pair.desired, pair.live) {
            (Some(new), None) => Some(Decided::Create(new)),
            (Some(new), Some(old)) => {
                let new = self.complete(new, Some(old));
                let changed = !old.same_as(&new);
                changed.then_some(Decided::Modify { old, new })
            }
            (None, Some(live)) => match self.reason_to_keep(key) {
                Some(reason) => {
                    untouched.left_alone.push((live.clone(), reason));
                    None
                }
                None => Some(Decided::Delete(live)),
            },
            (None, None) => None,
        }
    }

    /// The change `decided`, holding copies of its record sets.
    fn copy_out(&self, decided: Decided<'_>) -> Change {
        match decided {
            Decided::Create(new) => Change::Create(self.complete(new, None).into_owned()),
            Decided::Delete(old) => Change::Delete(old.clone()),
            Decided::Modify { old, new } => Change::modify(old.clone(), new.into_owned()),
        }
    }

    /// The protection that covers the name and type of `key`, if one does.
    fn protection(&self, key: &KeyRef<'_>) -> Option<&RecordSetProtection> {
        self.protections
            .iter()
            .find(|(name, p)| p.rtype == key.rtype && *name == key.name)
            .map(|&(_, p)| p)
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

    /// `desired` with what the config may leave out filled in: the zone id of in-zone alias
    /// targets and the TTL of the apex NS. A copy only when something is missing.
    fn complete<'r>(&self, desired: &'r RecordSet, live: Option<&RecordSet>) -> Cow<'r, RecordSet> {
        let lacks_zone_id = desired
            .alias()
            .is_some_and(|alias| alias.hosted_zone_id.is_empty());
        let lacks_ttl = desired.ttl.is_none()
            && desired.alias().is_none()
            && is_apex_key(&KeyRef::of(desired), self.apex, RecordType::NS);
        if !lacks_zone_id && !lacks_ttl {
            return Cow::Borrowed(desired);
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
        Cow::Owned(desired)
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
    ) -> ZoneDiff {
        let options = DiffOptions {
            apex: APEX,
            zone_id: ZONE_ID,
            ignore,
            keep_unknown,
            protections: &[],
        };
        diff_zone(desired, live, &options)
    }

    fn diff(desired: &[RecordSet], live: &[RecordSet]) -> ZoneDiff {
        diff_with(desired, live, &[], false)
    }

    /// The changes of a diff that only modifies `old` into `new`.
    fn modify(old: RecordSet, new: RecordSet) -> Vec<Change> {
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
        assert_eq!(diff(&[www.clone()], &[]).changes, vec![Change::Create(www)]);
    }

    #[test]
    fn only_live_is_deleted_exactly_as_read() {
        let live = a("WWW.example.tld.", 300, &["192.0.2.2", "192.0.2.1"]);
        assert_eq!(
            diff(&[], &[live.clone()]).changes,
            vec![Change::Delete(live)]
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
                Change::Create(weighted("two", 20)),
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
        assert_eq!(d.changes, vec![Change::Create(expected)]);
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
            vec![Change::Delete(delegation)]
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
        assert_eq!(d.changes, vec![Change::Delete(www)]);
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
        assert_eq!(d.changes, vec![Change::Delete(txt)]);
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
            vec![Change::Create(created), Change::modify(live, desired)]
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
            vec![Change::Create(expected)]
        );
    }

    #[test]
    fn duplicate_desired_keys_apply_the_first() {
        let first = a("www.example.tld.", 300, &["192.0.2.1"]);
        let second = a("WWW.example.tld", 60, &["192.0.2.2"]);
        let d = diff(&[first.clone(), second.clone()], &[]);
        assert_eq!(d.changes, vec![Change::Create(first)]);
        assert_eq!(
            d.untouched.not_applied,
            vec![(second, NotApplied::DuplicateKey)]
        );
    }

    #[test]
    fn output_is_sorted_by_key_whatever_the_input_order() {
        let names = ["c", "a", "b"].map(|n| a(&format!("{n}.example.tld."), 300, &["192.0.2.1"]));
        let d = diff(&names, &[]);
        let keys: Vec<String> = d.changes.iter().map(|c| c.key().name).collect();
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
        let options = DiffOptions {
            apex: APEX,
            zone_id: ZONE_ID,
            ignore: &[],
            keep_unknown: false,
            protections: &protections,
        };
        let d = diff_zone(
            &[new_www.clone(), wildcard.clone(), mail_txt.clone()],
            &[live_www.clone(), old.clone()],
            &options,
        );
        assert_eq!(
            d.changes,
            vec![Change::Create(mail_txt), Change::Delete(old)]
        );
        assert_eq!(
            d.untouched.blocked,
            vec![
                (Change::Create(wildcard), None),
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
