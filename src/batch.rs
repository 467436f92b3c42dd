//! Splits a zone's changes into ChangeResourceRecordSets requests within Route 53's limits.
//!
//! Every change becomes CREATE, DELETE, or DELETE(old) + CREATE(new) for a modification, never
//! UPSERT: a DELETE names the live record set exactly, so a request fails as a whole if someone
//! changed that record set since it was read.
//!
//! A *unit* is a group of actions that must share one request: a modification's pair, or all the
//! deletes and creates at one name (so that replacing a CNAME by an A record is atomic whenever it
//! fits). Units are ordered so that every request leaves a valid zone behind:
//! alias deletes, other deletes, modifications, other creates, alias creates; on top of that an
//! in-zone alias target is created before the aliases pointing at it and deleted after them, and a
//! delete that frees a name precedes a create at that name. Units are then packed greedily in that
//! order, which gives the fewest requests an ordered split can have; but when a zone's changes take
//! more change tokens than Route 53's bucket holds, its last units go in two small requests of
//! their own (see [`Limits::paced_tail_tokens`]).
//!
//! May import: `diff`, `model`, `name`, `rtype`.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

use crate::diff::{Change, KeyRef};
use crate::model::{Action, ChangeAction, RecordKey, RecordSet};

/// Route 53's limits for one ChangeResourceRecordSets request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `ResourceRecord` elements (an UPSERT counts twice).
    pub max_records: usize,
    /// Characters of `Value` text (an UPSERT counts twice).
    pub max_value_chars: usize,
    /// Tokens of Route 53's change-throughput bucket (an UPSERT takes two): a request needing
    /// more than the bucket's burst of 1,500 would never be admitted. Alias changes carry no
    /// values, so only this limit bounds a request of them.
    pub max_change_tokens: usize,
    /// The tokens the change bucket refills in one second (Route 53: 100); 0 without a change
    /// bucket (GovCloud). When a zone's changes take more than the burst, the push is paced to
    /// that refill and its last request goes only once the bucket has refilled all of it:
    /// whatever time Route 53 then spends on it adds to the push. So the last changes, up to one
    /// second of refill, go in a request of their own, and those before them, up to five
    /// seconds of refill, in another: little work is left once the bucket allows the last, and
    /// each of the two is small enough to be answered while the bucket refills for the next (a
    /// request is sent only once the one before it is answered).
    pub paced_tail_tokens: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_records: 1000,
            max_value_chars: 32000,
            max_change_tokens: 1500,
            paced_tail_tokens: 100,
        }
    }
}

/// A change that cannot be applied within the limits of one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BatchError {
    /// One record set (or a modification's DELETE + CREATE pair) exceeds the limits on its own.
    TooLarge {
        key: RecordKey,
        records: usize,
        chars: usize,
        limits: Limits,
    },
}

impl fmt::Display for BatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BatchError::TooLarge {
                key,
                records,
                chars,
                limits,
            } => write!(
                f,
                "the change to {key} needs {records} resource records and {chars} characters of \
                 values in one request, but a ChangeResourceRecordSets request allows at most {} \
                 records and {} characters (a modification counts the old and the new record set); \
                 split the record set into smaller ones or shorten its values",
                limits.max_records, limits.max_value_chars
            ),
        }
    }
}

impl std::error::Error for BatchError {}

/// One action of a request, on a record set of one of the changes the requests apply: a request
/// refers to the changes rather than holding copies of their record sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    /// The change's index among those the requests apply.
    pub change_index: usize,
}

impl Step {
    /// The change action this step sends, of `changes` (those the requests were made from).
    pub fn action<'c>(&self, changes: &'c [Change<'_>]) -> ChangeAction<'c> {
        ChangeAction {
            action: self.action,
            record_set: self.record_set(changes),
        }
    }

    /// The record set this step sends, of `changes` (those the requests were made from): a
    /// DELETE the old one, a CREATE or UPSERT the new one.
    fn record_set<'c>(&self, changes: &'c [Change<'_>]) -> &'c RecordSet {
        match (&changes[self.change_index], self.action) {
            (Change::Modify { old, .. }, Action::Delete) => old,
            (Change::Modify { new, .. }, _) => new,
            (Change::Create(rs) | Change::Delete(rs), _) => rs,
        }
    }
}

/// The requests that apply `changes`, in order: one whenever they fit.
pub fn batches(
    apex: &str,
    changes: &[Change<'_>],
    limits: &Limits,
) -> Result<Vec<Vec<Step>>, BatchError> {
    let mut units: Vec<Unit<'_>> = changes
        .iter()
        .enumerate()
        .map(|(change_index, change)| Unit::of(change_index, change, apex))
        .collect();
    if let Some(unit) = units.iter().find(|u| !u.cost.fits(limits)) {
        return Err(BatchError::TooLarge {
            key: unit.key().to_record_key(),
            records: unit.cost.records,
            chars: unit.cost.chars,
            limits: *limits,
        });
    }
    units = group_replacements_by_name(units, limits);
    sort_by_phase_and_key(&mut units);
    let order = schedule(&units);
    let mut requests = Vec::new();
    let mut start = 0;
    for end in part_ends(&units, &order, limits) {
        requests.extend(pack(&units, &order[start..end], limits));
        start = end;
    }
    Ok(requests)
}

/// The seconds of the change bucket's refill that the paced tail's requests take at most, the
/// last request first (see [`Limits::paced_tail_tokens`]).
const PACED_TAIL_SECONDS: [usize; 2] = [1, 5];

/// Where the parts of `order` that are packed apart end, in ascending order: the end of `order`
/// alone, unless the changes take more than the bucket's burst, when the paced tail's requests
/// are parts of their own. A tail request is left out when the last unit before it takes more
/// than it may.
fn part_ends(units: &[Unit<'_>], order: &[usize], limits: &Limits) -> Vec<usize> {
    let tokens = |&u: &usize| units[u].cost.change_tokens;
    let mut ends = vec![order.len()];
    let paced = order.iter().map(tokens).sum::<usize>() > limits.max_change_tokens;
    if !paced || limits.paced_tail_tokens == 0 {
        return ends;
    }
    for seconds in PACED_TAIL_SECONDS {
        let end = ends[0];
        let most = seconds.saturating_mul(limits.paced_tail_tokens);
        let taken = order[..end]
            .iter()
            .rev()
            .scan(0, |sum, u| {
                *sum += tokens(u);
                Some(*sum)
            })
            .take_while(|&sum| sum <= most)
            .count();
        ends.insert(0, end - taken);
    }
    ends
}

/// Sorts `units` by phase and then key, stably. A diff's changes come sorted by key, so each phase
/// holds few runs already sorted by key: sorting by the phase alone first, and then each phase by
/// key, leaves the second sort little to do.
fn sort_by_phase_and_key(units: &mut [Unit<'_>]) {
    units.sort_by_key(Unit::phase);
    for phase in units.chunk_by_mut(|a, b| a.phase() == b.phase()) {
        phase.sort_by(|a, b| a.key().cmp(&b.key()));
    }
}

/// Resource records, `Value` characters and change tokens that actions put in a request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Cost {
    records: usize,
    chars: usize,
    change_tokens: usize,
}

impl Cost {
    /// The cost of `action` on `rs`. Alias record sets carry no values; Route 53 counts an
    /// UPSERT's values twice.
    fn of(action: Action, rs: &RecordSet) -> Cost {
        // An UPSERT counts its values twice, as it costs two change tokens.
        let times = action.change_tokens();
        let (records, chars) = match rs.alias() {
            Some(_) => (0, 0),
            None => (rs.resource_record_count(), rs.value_chars()),
        };
        Cost {
            records: records * times,
            chars: chars * times,
            change_tokens: action.change_tokens(),
        }
    }

    fn plus(self, other: Cost) -> Cost {
        Cost {
            records: self.records + other.records,
            chars: self.chars + other.chars,
            change_tokens: self.change_tokens + other.change_tokens,
        }
    }

    fn fits(self, limits: &Limits) -> bool {
        self.records <= limits.max_records
            && self.chars <= limits.max_value_chars
            && self.change_tokens <= limits.max_change_tokens
    }
}

/// Where a change goes in the order of a push; units are ordered by their first phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    AliasDelete,
    Delete,
    Modify,
    Create,
    AliasCreate,
}

impl Phase {
    fn of(change: &Change) -> Phase {
        match change {
            Change::Delete(rs) if rs.alias().is_some() => Phase::AliasDelete,
            Change::Delete(_) => Phase::Delete,
            Change::Modify { .. } => Phase::Modify,
            Change::Create(rs) if rs.alias().is_some() => Phase::AliasCreate,
            Change::Create(_) => Phase::Create,
        }
    }
}

/// Changes that must share one request, in the order they are sent.
struct Unit<'c> {
    /// The change sent first, the least by phase and key, whose phase and key are the unit's.
    first: Member<'c>,
    /// The unit's other changes, when changes at one name were joined (see [`Unit::join`]).
    others: Vec<Member<'c>>,
    cost: Cost,
}

/// One change of a unit.
#[derive(Clone, Copy)]
struct Member<'c> {
    change: &'c Change<'c>,
    change_index: usize,
    /// Whether it is sent as an UPSERT (see [`is_upsert`]).
    upsert: bool,
}

impl<'c> Member<'c> {
    /// What the change is sent as, in order.
    fn actions(&self) -> impl Iterator<Item = (Action, &'c RecordSet)> {
        actions(self.change, self.upsert)
    }
}

impl<'c> Unit<'c> {
    fn of(change_index: usize, change: &'c Change<'c>, apex: &str) -> Unit<'c> {
        let first = Member {
            change,
            change_index,
            upsert: is_upsert(change, apex),
        };
        let cost = first.actions().fold(Cost::default(), |cost, (action, rs)| {
            cost.plus(Cost::of(action, rs))
        });
        Unit {
            first,
            others: Vec::new(),
            cost,
        }
    }

    fn phase(&self) -> Phase {
        Phase::of(self.first.change)
    }

    /// The key of the first change, for ordering and error messages.
    fn key(&self) -> KeyRef<'c> {
        self.first.change.key_ref()
    }

    /// The normalised name of every create and delete of the unit: units join only changes at
    /// one name.
    fn name(&self) -> Cow<'c, str> {
        self.key().name
    }

    fn members(&self) -> impl Iterator<Item = Member<'c>> + '_ {
        std::iter::once(self.first).chain(self.others.iter().copied())
    }

    /// Whether the unit is one create or one delete, which may join others at its name.
    fn is_single(&self) -> bool {
        self.others.is_empty() && matches!(self.first.change, Change::Create(_) | Change::Delete(_))
    }

    /// Joins `first` and `others` into one unit, ordering their changes by phase and key.
    fn join(first: Unit<'c>, others: impl Iterator<Item = Unit<'c>>) -> Unit<'c> {
        let mut cost = first.cost;
        let mut members: Vec<Member<'c>> = first.members().collect();
        for unit in others {
            cost = cost.plus(unit.cost);
            members.extend(unit.members());
        }
        members.sort_by_cached_key(|m| (Phase::of(m.change), m.change.key_ref()));
        let first = members.remove(0);
        Unit {
            first,
            others: members,
            cost,
        }
    }

    /// The steps the unit's changes are sent as, in order.
    fn steps(&self) -> impl Iterator<Item = Step> + '_ {
        self.members().flat_map(|member| {
            let change_index = member.change_index;
            member.actions().map(move |(action, _)| Step {
                action,
                change_index,
            })
        })
    }
}

/// The actions `change` is sent as: CREATE, DELETE, UPSERT for the apex NS or SOA (`upsert`),
/// else DELETE of the old and CREATE of the new record set for a modification.
fn actions<'c>(
    change: &'c Change<'_>,
    upsert: bool,
) -> impl Iterator<Item = (Action, &'c RecordSet)> {
    let [first, second] = match change {
        Change::Create(rs) => [Some((Action::Create, &**rs)), None],
        Change::Delete(rs) => [Some((Action::Delete, &**rs)), None],
        Change::Modify { new, .. } if upsert => [Some((Action::Upsert, &**new)), None],
        Change::Modify { old, new } => [
            Some((Action::Delete, &**old)),
            Some((Action::Create, &**new)),
        ],
    };
    first.into_iter().chain(second)
}

/// Whether `change` must be sent as an UPSERT: a change of the zone's apex NS or SOA record set,
/// which Route 53 never lets a request delete, not even to create it anew in the same request.
/// Every other change is a DELETE of the exact live record set plus a CREATE, so that a record
/// set someone changed since it was read makes the request fail instead of being overwritten.
fn is_upsert(change: &Change, apex: &str) -> bool {
    match change {
        Change::Modify { new, .. } => new.is_apex_ns_or_soa(apex),
        _ => false,
    }
}

/// Puts the deletes and creates at a name that has both into one unit, when that fits in a
/// request, so that replacing a record set by one of another type or set identifier is atomic.
fn group_replacements_by_name<'c>(mut units: Vec<Unit<'c>>, limits: &Limits) -> Vec<Unit<'c>> {
    // Stable, and nearly free on changes that come sorted by key, as a diff's do.
    units.sort_by(|a, b| a.name().cmp(&b.name()));
    let mut replacements = Vec::new();
    let mut start = 0;
    for at_name in units.chunk_by(|a, b| a.name() == b.name()) {
        if is_replacement(at_name, limits) {
            replacements.push(start..start + at_name.len());
        }
        start += at_name.len();
    }
    // The names with a replacement are found first, so that a zone without one (the common case)
    // keeps its units where they are; otherwise they are moved once, in order, joining each
    // name's single creates and deletes into one unit.
    if replacements.is_empty() {
        return units;
    }
    let mut grouped = Vec::with_capacity(units.len());
    let mut units = units.into_iter();
    let mut done = 0;
    for at_name in replacements {
        grouped.extend(units.by_ref().take(at_name.start - done));
        let (singles, others): (Vec<_>, Vec<_>) = units
            .by_ref()
            .take(at_name.len())
            .partition(Unit::is_single);
        grouped.extend(others);
        let mut singles = singles.into_iter();
        if let Some(first) = singles.next() {
            grouped.push(Unit::join(first, singles));
        }
        done = at_name.end;
    }
    grouped.extend(units);
    grouped
}

/// Whether the single creates and deletes among `at_name`, the units at one name, replace a
/// record set by another and fit in one request together.
fn is_replacement(at_name: &[Unit<'_>], limits: &Limits) -> bool {
    let singles = || at_name.iter().filter(|unit| unit.is_single());
    let has = |phases: [Phase; 2]| singles().any(|unit| phases.contains(&unit.phase()));
    let cost = singles().fold(Cost::default(), |sum, unit| sum.plus(unit.cost));
    has([Phase::AliasDelete, Phase::Delete])
        && has([Phase::Create, Phase::AliasCreate])
        && cost.fits(limits)
}

/// The order to send `units` in: a topological order of the constraints between them (see the
/// module docs), taking the lowest-index ready unit first. Constraints that contradict each other
/// (which valid zones do not produce) are broken in index order.
fn schedule(units: &[Unit<'_>]) -> Vec<usize> {
    let graph = Constraints::of(units);
    let mut pending = vec![0usize; graph.successors.len()];
    for &succ in graph.successors.iter().flatten() {
        pending[succ] += 1;
    }
    let mut ready = BinaryHeap::new();
    let roots: Vec<usize> = (0..pending.len()).filter(|&n| pending[n] == 0).collect();
    let mut sent = vec![false; units.len()];
    let mut order = Vec::with_capacity(units.len());
    graph.release(roots, &mut pending, &mut ready);
    let mut next_unsent = 0;
    while order.len() < units.len() {
        let unit = match ready.pop() {
            Some(Reverse(u)) if sent[u] => continue,
            Some(Reverse(u)) => u,
            None => {
                while sent[next_unsent] {
                    next_unsent += 1;
                }
                next_unsent
            }
        };
        sent[unit] = true;
        order.push(unit);
        let done: Vec<usize> = graph.successors[unit]
            .iter()
            .copied()
            .filter(|&succ| {
                pending[succ] = pending[succ].saturating_sub(1);
                pending[succ] == 0
            })
            .collect();
        graph.release(done, &mut pending, &mut ready);
    }
    order
}

/// What must precede what, as a graph over the units followed by *barrier* nodes: one barrier
/// per name and kind of constraint, which every unit on one side points to and which points to
/// every unit on the other side, so the graph stays linear in the number of changes.
struct Constraints {
    /// Successors of each node: units `0..units`, then barriers.
    successors: Vec<Vec<usize>>,
    units: usize,
}

/// The units before and after one barrier, each in ascending order.
#[derive(Default)]
struct Sides {
    before: Vec<usize>,
    after: Vec<usize>,
}

impl Sides {
    fn add(&mut self, side: Side, u: usize) {
        match side {
            Side::Before => self.before.push(u),
            Side::After => self.after.push(u),
        }
    }
}

/// Which side of a barrier a unit is on.
#[derive(Clone, Copy)]
enum Side {
    Before,
    After,
}

/// The barriers at one name.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Barrier {
    /// After every delete at the name: creates there may follow.
    NameFreed,
    /// After every create at the name: aliases pointing at it may follow.
    TargetCreated,
    /// After every alias pointing at the name is removed: deletes there may follow.
    AliasesRemoved,
}

impl Constraints {
    fn of<'u>(units: &'u [Unit<'_>]) -> Constraints {
        let mut barriers: FastMap<(Barrier, Cow<'u, str>), Sides> = FastMap::default();
        let mut link = |barrier, name, side, u| {
            barriers.entry((barrier, name)).or_default().add(side, u);
        };
        // Every barrier has a delete or an alias change on one side. Creates, usually most of the
        // changes, are linked in a second pass to the barriers those made, and to no others.
        for (u, unit) in units.iter().enumerate() {
            for Member { change, .. } in unit.members() {
                let (removed, added) = match change {
                    Change::Create(rs) => (None, Some(&**rs)),
                    Change::Delete(rs) => (Some(&**rs), None),
                    Change::Modify { old, new } => (Some(&**old), Some(&**new)),
                };
                if let Change::Delete(_) = change {
                    link(Barrier::NameFreed, unit.name(), Side::Before, u);
                    link(Barrier::AliasesRemoved, unit.name(), Side::After, u);
                }
                if let Some(target) = removed.and_then(alias_target) {
                    link(Barrier::AliasesRemoved, target, Side::Before, u);
                }
                if let Some(target) = added.and_then(alias_target) {
                    link(Barrier::TargetCreated, target, Side::After, u);
                }
            }
        }
        for (u, unit) in units.iter().enumerate() {
            if !unit
                .members()
                .any(|m| matches!(m.change, Change::Create(_)))
            {
                continue;
            }
            for (barrier, side) in [
                (Barrier::NameFreed, Side::After),
                (Barrier::TargetCreated, Side::Before),
            ] {
                if let Some(sides) = barriers.get_mut(&(barrier, unit.name())) {
                    sides.add(side, u);
                }
            }
        }
        let mut successors = vec![Vec::new(); units.len()];
        for Sides { before, mut after } in barriers.into_values() {
            // A unit on both sides orders its own changes and never waits for itself.
            after.retain(|u| before.binary_search(u).is_err());
            // A barrier with nothing on one side orders nothing.
            if before.is_empty() || after.is_empty() {
                continue;
            }
            let barrier = successors.len();
            for u in before {
                successors[u].push(barrier);
            }
            successors.push(after);
        }
        Constraints {
            successors,
            units: units.len(),
        }
    }

    /// Makes `nodes`, whose predecessors are all sent, ready: units go into `ready`, barriers
    /// pass the release on to their successors at once.
    fn release(
        &self,
        mut nodes: Vec<usize>,
        pending: &mut [usize],
        ready: &mut BinaryHeap<Reverse<usize>>,
    ) {
        while let Some(node) = nodes.pop() {
            if node < self.units {
                ready.push(Reverse(node));
                continue;
            }
            for &succ in &self.successors[node] {
                pending[succ] = pending[succ].saturating_sub(1);
                if pending[succ] == 0 {
                    nodes.push(succ);
                }
            }
        }
    }
}

/// A hash map with [`FastHasher`].
type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// The Fx hash of rustc, a few times faster than the standard SipHash on the short names the
/// barriers are keyed by. It gives up SipHash's resistance to chosen collisions, which only slows
/// a run down and needs names crafted against it in the user's own config or zone.
#[derive(Default)]
struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The normalised name an alias record set points at.
fn alias_target(rs: &RecordSet) -> Option<Cow<'_, str>> {
    rs.alias()
        .map(|alias| crate::name::normalized(&alias.dns_name))
}

/// Fills requests with units in `order`, starting a new request when the next unit does not fit.
fn pack(units: &[Unit<'_>], order: &[usize], limits: &Limits) -> Vec<Vec<Step>> {
    let mut requests: Vec<&[usize]> = Vec::new();
    let (mut start, mut current) = (0, Cost::default());
    for (i, unit) in order.iter().map(|&u| &units[u]).enumerate() {
        current = current.plus(unit.cost);
        if !current.fits(limits) && i > start {
            requests.push(&order[start..i]);
            (start, current) = (i, unit.cost);
        }
    }
    if start < order.len() {
        requests.push(&order[start..]);
    }
    requests
        .into_iter()
        .map(|request| {
            let size = request.iter().map(|&u| units[u].steps().count()).sum();
            let mut steps = Vec::with_capacity(size);
            steps.extend(request.iter().flat_map(|&u| units[u].steps()));
            steps
        })
        .collect()
}

#[cfg(test)]
// `&[x.clone()]` reads better in tests than `std::slice::from_ref(&x)`.
#[allow(clippy::cloned_ref_to_slice_refs)]
mod tests {
    use super::*;
    use crate::model::AliasTarget;
    use crate::rtype::RecordType;

    /// The zone the tests' changes belong to.
    const APEX: &str = "example.tld.";

    /// The requests that apply `changes`, each as the change actions it sends.
    fn batched<'c>(
        changes: &'c [Change],
        limits: &Limits,
    ) -> Result<Vec<Vec<ChangeAction<'c>>>, BatchError> {
        let requests = batches(APEX, changes, limits)?;
        let actions = |steps: &Vec<Step>| steps.iter().map(|s| s.action(changes)).collect();
        Ok(requests.iter().map(actions).collect())
    }

    #[test]
    fn the_apex_ns_is_changed_by_upsert_as_route53_never_deletes_it() {
        let old = RecordSet::simple(
            APEX,
            RecordType::NS,
            172_800,
            vec!["ns-1.awsdns-1.com.".into()],
        );
        let changes = [modify(old.clone())];
        let requests = batched(&changes, &Limits::default()).unwrap();
        let actions: Vec<Action> = requests.iter().flatten().map(|a| a.action).collect();
        assert_eq!(actions, vec![Action::Upsert]);
        assert_eq!(requests[0][0].record_set.ttl, Some(60));
        let mut below = old;
        below.name = format!("sub.{APEX}").into();
        below.ttl = Some(3600);
        let changes = [modify(below)];
        let requests = batched(&changes, &Limits::default()).unwrap();
        let actions: Vec<Action> = requests.iter().flatten().map(|a| a.action).collect();
        assert_eq!(
            actions,
            vec![Action::Delete, Action::Create],
            "only the apex is upserted"
        );
    }

    fn record(name: &str, rtype: RecordType, values: usize, chars_each: usize) -> RecordSet {
        let values = (0..values).map(|i| format!("{i:0>chars_each$}")).collect();
        RecordSet::simple(name, rtype, 300, values)
    }

    fn a(name: &str) -> RecordSet {
        record(name, RecordType::A, 1, 9)
    }

    fn alias(name: &str, target: &str) -> RecordSet {
        let target = AliasTarget {
            hosted_zone_id: "Z0123456789ABC".into(),
            dns_name: target.into(),
            evaluate_target_health: true,
        };
        RecordSet::aliased(name, RecordType::A, target)
    }

    fn modify(old: RecordSet) -> Change<'static> {
        let mut new = old.clone();
        new.ttl = Some(60);
        Change::modify(old, new)
    }

    fn cost(request: &[ChangeAction]) -> Cost {
        request.iter().fold(Cost::default(), |sum, a| {
            sum.plus(Cost::of(a.action, a.record_set))
        })
    }

    /// (action, name) of every action, in the order they are sent.
    fn sequence(requests: &[Vec<ChangeAction>]) -> Vec<(&'static str, String)> {
        requests
            .iter()
            .flatten()
            .map(|a| (a.action.as_str(), a.record_set.name.to_string()))
            .collect()
    }

    fn position(seq: &[(&'static str, String)], action: &str, name: &str) -> usize {
        seq.iter()
            .position(|(a, n)| *a == action && n == name)
            .unwrap_or_else(|| panic!("{action} {name} not sent"))
    }

    #[test]
    fn no_changes_no_requests() {
        assert_eq!(batched(&[], &Limits::default()), Ok(Vec::new()));
    }

    #[test]
    fn everything_in_one_request_in_phase_order() {
        let changes = vec![
            Change::create(alias("e.tld.", "elb.amazonaws.com.")),
            Change::create(a("d.tld.")),
            modify(a("c.tld.")),
            Change::delete(a("b.tld.")),
            Change::delete(alias("a.tld.", "elb.amazonaws.com.")),
        ];
        let requests = batched(&changes, &Limits::default()).unwrap();
        assert_eq!(requests.len(), 1);
        let expected = [
            ("DELETE", "a.tld."),
            ("DELETE", "b.tld."),
            ("DELETE", "c.tld."),
            ("CREATE", "c.tld."),
            ("CREATE", "d.tld."),
            ("CREATE", "e.tld."),
        ];
        let expected: Vec<_> = expected.iter().map(|(a, n)| (*a, n.to_string())).collect();
        assert_eq!(sequence(&requests), expected);
    }

    #[test]
    fn modify_deletes_the_live_record_set_exactly_and_never_upserts() {
        let old = record("www.tld.", RecordType::TXT, 2, 5);
        let change = modify(old.clone());
        let changes = [change.clone()];
        let requests = batched(&changes, &Limits::default()).unwrap();
        let Change::Modify { new, .. } = change else {
            unreachable!()
        };
        assert_eq!(
            requests,
            vec![vec![
                ChangeAction {
                    action: Action::Delete,
                    record_set: &old
                },
                ChangeAction {
                    action: Action::Create,
                    record_set: &new
                },
            ]]
        );
    }

    /// 5,000 changes of every kind, sized so that both limits bind somewhere.
    fn many_changes() -> Vec<Change<'static>> {
        (0..5000)
            .map(|i| {
                let name = format!("r{i}.tld.");
                match i % 5 {
                    0 => Change::create(record(&name, RecordType::TXT, 1 + i % 7, 40)),
                    1 => Change::delete(record(&name, RecordType::A, 1 + i % 3, 11)),
                    2 => modify(record(&name, RecordType::AAAA, 2, 20)),
                    3 => Change::create(alias(&name, "elb.amazonaws.com.")),
                    _ => Change::delete(alias(&name, "elb.amazonaws.com.")),
                }
            })
            .collect()
    }

    #[test]
    fn many_changes_split_into_few_requests_within_limits() {
        let changes = many_changes();
        let limits = Limits::default();
        let requests = batched(&changes, &limits).unwrap();
        let total = requests
            .iter()
            .fold(Cost::default(), |sum, r| sum.plus(cost(r)));
        let lower_bound = total
            .records
            .div_ceil(limits.max_records)
            .max(total.chars.div_ceil(limits.max_value_chars))
            .max(total.change_tokens.div_ceil(limits.max_change_tokens));
        assert!(requests.len() > 1);
        // Greedy packing of small units loses less than one unit per request, and the paced
        // tail is two requests more.
        assert!(
            requests.len() <= lower_bound + 3,
            "{} requests",
            requests.len()
        );
        for request in &requests {
            assert!(cost(request).fits(&limits), "{:?}", cost(request));
        }
        assert!(requests
            .iter()
            .flatten()
            .all(|a| a.action != Action::Upsert));
        let sent: usize = requests.iter().map(Vec::len).sum();
        assert_eq!(sent, 6000);
    }

    #[test]
    fn uniform_changes_use_exactly_the_fewest_requests_then_the_paced_tail() {
        let txt = |count| -> Vec<Change> {
            (0..count)
                .map(|i| Change::create(record(&format!("r{i}.tld."), RecordType::TXT, 1, 40)))
                .collect()
        };
        let lengths = |changes: &[Change]| -> Vec<usize> {
            let requests = batched(changes, &Limits::default()).unwrap();
            requests.iter().map(Vec::len).collect()
        };
        // 800 values of 40 characters fill 32,000 characters.
        assert_eq!(lengths(&txt(1400)), [800, 600]);
        assert_eq!(
            lengths(&txt(5000)),
            [800, 800, 800, 800, 800, 400, 500, 100]
        );
    }

    #[test]
    fn a_zone_paced_by_the_change_bucket_ends_with_requests_of_five_and_one_seconds_of_refill() {
        let tokens_under = |changes: &[Change], limits: &Limits| -> Vec<usize> {
            let requests = batched(changes, limits).unwrap();
            requests.iter().map(|r| cost(r).change_tokens).collect()
        };
        let tokens = |changes: &[Change]| tokens_under(changes, &Limits::default());
        let modified = |count| -> Vec<Change> {
            (0..count)
                .map(|i| modify(a(&format!("host{i}.tld."))))
                .collect()
        };
        // 4,000 tokens: 1,000 a request (its records), but the last 100 apart, and the 500
        // before them.
        assert_eq!(tokens(&modified(2000)), [1000, 1000, 1000, 400, 500, 100]);
        // Within the bucket's burst of 1,500 tokens nothing is paced: the fewest requests.
        assert_eq!(tokens(&modified(750)), [1000, 500]);
        assert_eq!(tokens(&modified(751)), [902, 500, 100]);
        // The tail follows the bucket's refill, and there is none without a bucket.
        let slower = Limits {
            paced_tail_tokens: 10,
            ..Limits::default()
        };
        assert_eq!(tokens_under(&modified(751), &slower), [1000, 442, 50, 10]);
        let unpaced = Limits {
            paced_tail_tokens: 0,
            ..Limits::default()
        };
        assert_eq!(tokens_under(&modified(2000), &unpaced), [1000; 4]);
        // A last unit of more tokens than the last request may take is never split: that
        // request is left out. Here a record set replaced by 101 weighted ones at its name,
        // after 1,500 deletes.
        let mut changes: Vec<Change> = (0..1500)
            .map(|i| Change::delete(a(&format!("d{i}.tld."))))
            .collect();
        changes.push(Change::delete(a("zz.tld.")));
        let weighted = |id: usize| a("zz.tld.").with_set_identifier(format!("id-{id}"));
        changes.extend((0..101).map(|i| Change::create(weighted(i))));
        assert_eq!(tokens(&changes), [1000, 102, 500]);
    }

    #[test]
    fn alias_changes_are_split_by_change_tokens() {
        let changes: Vec<Change> = (0..2100)
            .map(|i| Change::create(alias(&format!("a{i}.tld."), "elb.amazonaws.com.")))
            .collect();
        let requests = batched(&changes, &Limits::default()).unwrap();
        assert_eq!(
            requests.iter().map(Vec::len).collect::<Vec<_>>(),
            [1500, 500, 100]
        );
        // A modification is a DELETE and a CREATE: two tokens, so 750 fit in a request.
        let moved: Vec<Change> = (0..1050)
            .map(|i| modify(alias(&format!("a{i}.tld."), "elb.amazonaws.com.")))
            .collect();
        let requests = batched(&moved, &Limits::default()).unwrap();
        assert_eq!(
            requests
                .iter()
                .map(|r| cost(r).change_tokens)
                .collect::<Vec<_>>(),
            [1500, 500, 100]
        );
    }

    #[test]
    fn an_upsert_takes_two_change_tokens() {
        let soa = RecordSet::simple(APEX, RecordType::SOA, 900, vec!["ns. h. 1 2 3 4 5".into()]);
        let changes = [modify(soa)];
        let requests = batched(&changes, &Limits::default()).unwrap();
        assert_eq!(requests[0][0].action, Action::Upsert);
        assert_eq!(cost(&requests[0]).change_tokens, 2);
    }

    #[test]
    fn modify_pairs_are_never_split_and_phases_stay_ordered() {
        let changes = many_changes();
        let requests = batched(&changes, &Limits::default()).unwrap();
        for request in &requests {
            for (i, action) in request.iter().enumerate() {
                if action.record_set.rtype == RecordType::AAAA {
                    let partner = if action.action == Action::Delete {
                        i + 1
                    } else {
                        i - 1
                    };
                    let other = &request[partner];
                    assert_eq!(other.record_set.name, action.record_set.name);
                    assert_ne!(other.action, action.action);
                }
            }
        }
        let phases: Vec<u8> = requests
            .iter()
            .flatten()
            .map(
                |a| match (a.action, a.record_set.alias().is_some(), a.record_set.rtype) {
                    (Action::Delete, true, _) => 0,
                    (Action::Delete, false, RecordType::A) => 1,
                    (_, _, RecordType::AAAA) => 2,
                    (Action::Create, false, _) => 3,
                    _ => 4,
                },
            )
            .collect();
        assert!(phases.windows(2).all(|w| w[0] <= w[1]));
    }

    #[test]
    fn oversize_record_set_is_too_large_before_anything_is_sent() {
        let huge = record("big.tld.", RecordType::TXT, 1001, 4);
        let changes = [Change::create(a("ok.tld.")), Change::create(huge.clone())];
        let err = batched(&changes, &Limits::default()).unwrap_err();
        assert_eq!(
            err,
            BatchError::TooLarge {
                key: huge.key(),
                records: 1001,
                chars: 4004,
                limits: Limits::default(),
            }
        );
        let message = err.to_string();
        assert!(message.contains("big.tld. TXT"), "{message}");
        assert!(message.contains("1001 resource records"), "{message}");
        assert!(
            message.contains("at most 1000 records and 32000 characters"),
            "{message}"
        );
    }

    #[test]
    fn modify_pair_counts_both_record_sets() {
        let old = record("big.tld.", RecordType::TXT, 600, 10);
        let err = batched(&[modify(old)], &Limits::default()).unwrap_err();
        let BatchError::TooLarge { records, chars, .. } = err;
        assert_eq!((records, chars), (1200, 12000));
    }

    #[test]
    fn too_many_characters_is_too_large() {
        let wide = record("wide.tld.", RecordType::TXT, 9, 4000);
        assert!(batched(&[Change::create(wide)], &Limits::default()).is_err());
    }

    #[test]
    fn alias_record_sets_cost_nothing() {
        let full = record("full.tld.", RecordType::A, 1000, 15);
        let changes = [
            Change::create(full),
            Change::create(alias("x.tld.", "elb.amazonaws.com.")),
            Change::delete(alias("y.tld.", "elb.amazonaws.com.")),
        ];
        assert_eq!(batched(&changes, &Limits::default()).unwrap().len(), 1);
    }

    #[test]
    fn replacing_a_cname_at_a_name_is_one_request_delete_first() {
        let mut changes: Vec<Change> = (0..3000)
            .map(|i| Change::create(a(&format!("r{i}.tld."))))
            .collect();
        changes.push(Change::create(a("www.tld.")));
        changes.push(Change::delete(record("www.tld.", RecordType::CNAME, 1, 12)));
        let requests = batched(&changes, &Limits::default()).unwrap();
        let holding: Vec<&Vec<ChangeAction>> = requests
            .iter()
            .filter(|r| r.iter().any(|a| &*a.record_set.name == "www.tld."))
            .collect();
        assert_eq!(holding.len(), 1);
        let seq = sequence(&requests);
        assert!(position(&seq, "DELETE", "www.tld.") < position(&seq, "CREATE", "www.tld."));
    }

    /// Requests of at most two resource records, so that a name's changes cannot all share one.
    fn two_records_a_request() -> Limits {
        Limits {
            max_records: 2,
            max_value_chars: 100,
            ..Limits::default()
        }
    }

    #[test]
    fn a_replacement_joins_at_a_name_that_also_has_a_modification() {
        let limits = two_records_a_request();
        let changes = [
            Change::create(a("a.tld.")),
            modify(record("www.tld.", RecordType::TXT, 1, 3)),
            Change::create(a("www.tld.")),
            Change::delete(record("www.tld.", RecordType::CNAME, 1, 3)),
            Change::create(a("z.tld.")),
        ];
        let requests = batched(&changes, &limits).unwrap();
        assert_eq!(requests.iter().map(Vec::len).sum::<usize>(), 6);
        let replacing = requests
            .iter()
            .find(|r| r.iter().any(|a| a.record_set.rtype == RecordType::CNAME))
            .unwrap();
        let sent: Vec<(Action, RecordType)> = replacing
            .iter()
            .map(|a| (a.action, a.record_set.rtype))
            .collect();
        assert_eq!(
            sent,
            [
                (Action::Delete, RecordType::CNAME),
                (Action::Create, RecordType::A)
            ]
        );
    }

    #[test]
    fn name_freeing_delete_precedes_create_when_they_cannot_share_a_request() {
        let limits = two_records_a_request();
        let changes = [
            Change::create(record("www.tld.", RecordType::A, 2, 3)),
            Change::delete(record("www.tld.", RecordType::CNAME, 1, 3)),
        ];
        let requests = batched(&changes, &limits).unwrap();
        assert_eq!(requests.len(), 2);
        assert_eq!(requests[0][0].action, Action::Delete);
    }

    #[test]
    fn many_deletes_and_creates_at_one_name_delete_first_across_requests() {
        let weighted = |id: usize| {
            record("www.tld.", RecordType::A, 100, 9).with_set_identifier(format!("id-{id}"))
        };
        let changes: Vec<Change> = (0..30)
            .map(|i| Change::create(weighted(i)))
            .chain((30..60).map(|i| Change::delete(weighted(i))))
            .collect();
        let requests = batched(&changes, &Limits::default()).unwrap();
        assert_eq!(requests.len(), 6);
        let actions: Vec<Action> = requests.iter().flatten().map(|a| a.action).collect();
        assert!(actions[..30].iter().all(|a| *a == Action::Delete));
        assert!(actions[30..].iter().all(|a| *a == Action::Create));
    }

    #[test]
    fn in_zone_alias_chains_are_created_target_first_and_deleted_alias_first() {
        let limits = Limits {
            max_records: 1,
            max_value_chars: 100,
            ..Limits::default()
        };
        let create = [
            Change::create(alias("a.tld.", "b.tld.")),
            Change::create(alias("b.tld.", "c.tld.")),
            Change::create(a("c.tld.")),
        ];
        let seq = sequence(&batched(&create, &limits).unwrap());
        assert!(position(&seq, "CREATE", "c.tld.") < position(&seq, "CREATE", "b.tld."));
        assert!(position(&seq, "CREATE", "b.tld.") < position(&seq, "CREATE", "a.tld."));
        let delete = [
            Change::delete(a("c.tld.")),
            Change::delete(alias("b.tld.", "c.tld.")),
            Change::delete(alias("a.tld.", "B.tld")),
        ];
        let seq = sequence(&batched(&delete, &limits).unwrap());
        assert!(position(&seq, "DELETE", "a.tld.") < position(&seq, "DELETE", "b.tld."));
        assert!(position(&seq, "DELETE", "b.tld.") < position(&seq, "DELETE", "c.tld."));
    }

    #[test]
    fn alias_moved_to_a_new_target_waits_for_it_and_the_old_target_waits_for_the_move() {
        let limits = Limits {
            max_records: 1,
            max_value_chars: 100,
            ..Limits::default()
        };
        let changes = [
            Change::modify(alias("www.tld.", "old.tld."), alias("www.tld.", "new.tld.")),
            Change::create(a("new.tld.")),
            Change::delete(a("old.tld.")),
        ];
        let requests = batched(&changes, &limits).unwrap();
        let seq = sequence(&requests);
        assert!(position(&seq, "CREATE", "new.tld.") < position(&seq, "CREATE", "www.tld."));
        assert!(position(&seq, "CREATE", "www.tld.") < position(&seq, "DELETE", "old.tld."));
    }

    #[test]
    fn changes_joined_at_a_name_are_ordered_whatever_the_input_order() {
        let changes = vec![
            Change::delete(record("www.tld.", RecordType::CNAME, 1, 12)),
            Change::create(a("www.tld.")),
            Change::create(record("www.tld.", RecordType::TXT, 1, 5)),
            Change::create(record("www.tld.", RecordType::MX, 1, 5)),
        ];
        let reversed: Vec<Change> = changes.iter().rev().cloned().collect();
        let forward = batched(&changes, &Limits::default()).unwrap();
        assert_eq!(forward.len(), 1, "a replacement is one request");
        assert_eq!(forward[0][0].action, Action::Delete);
        assert_eq!(batched(&reversed, &Limits::default()).unwrap(), forward);
    }

    #[test]
    fn order_does_not_depend_on_input_order() {
        let changes = many_changes();
        let reversed: Vec<Change> = changes.iter().rev().cloned().collect();
        assert_eq!(
            batched(&reversed, &Limits::default()).unwrap(),
            batched(&changes, &Limits::default()).unwrap()
        );
    }
}
