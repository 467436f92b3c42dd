//! The vocabulary of record sets shared by the config, the Route 53 API layer, the diff and the
//! batcher. Nothing here knows about files or HTTP.
//!
//! Every `RecordSet` holds names and values in Route 53's wire form: a fully qualified, lower-case
//! name with a trailing dot and `\ddd` escapes (see [`crate::name`]), and values as Route 53 stores
//! them (see [`crate::rdata`]). Record sets read from Route 53 are kept exactly as read, so that a
//! DELETE can name them byte for byte; comparison goes through [`RecordSet::comparable`].
//!
//! The serde forms give plan files and JSON output their shape.
//!
//! May import: `name`, `rdata`, `rtype`.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::{Deref, DerefMut};

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rtype::RecordType;

/// One Route 53 resource record set. Its serde form (every field, `null` when absent) is what
/// plan files and `--format json` write, and what the plan fingerprint hashes.
///
/// The fields nearly every record set lacks live out of line in one boxed [`Extra`], so that a
/// zone's vector of record sets stays small; read them through the accessors
/// ([`RecordSet::set_identifier`], [`RecordSet::alias`], ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Deserialize)]
#[serde(from = "WireRecordSet<'static>")]
pub struct RecordSet {
    /// Wire-form owner name, e.g. `\052.example.tld.`.
    pub name: Box<str>,
    pub rtype: RecordType,
    /// `None` for alias record sets, which carry no TTL.
    pub ttl: Option<u32>,
    /// Values in Route 53's wire form; empty for alias record sets.
    pub values: Values,
    /// `None` when every field of [`Extra`] is absent, never an empty `Extra`: the derived
    /// equality and hash rely on it.
    extra: Option<Box<Extra>>,
}

/// The fields of a record set that nearly every record set lacks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Extra {
    /// Distinguishes record sets of one name and type under a routing policy.
    pub set_identifier: Option<Box<str>>,
    pub alias: Option<AliasTarget>,
    /// Boxed: a [`Routing`] is large, and the aliases among record sets with an `Extra` have none.
    pub routing: Option<Box<Routing>>,
    pub health_check_id: Option<Box<str>>,
    /// Set on record sets made by a traffic policy; r53ctl never changes those.
    pub traffic_policy_instance_id: Option<Box<str>>,
}

/// The values of a record set, used as a slice of wire-form values. A single value, what nearly
/// every record set holds, is kept without an array around it. Compares, hashes, prints and
/// serialises as the slice it holds, exactly as a `Vec<String>` of those values would.
#[derive(Clone, Default)]
pub struct Values(ValuesRepr);

#[derive(Clone)]
enum ValuesRepr {
    One(Box<str>),
    /// None, or two or more.
    Many(Box<[Box<str>]>),
}

impl Default for ValuesRepr {
    fn default() -> ValuesRepr {
        ValuesRepr::Many(Box::default())
    }
}

impl<'a> IntoIterator for &'a Values {
    type Item = &'a Box<str>;
    type IntoIter = std::slice::Iter<'a, Box<str>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Deref for Values {
    type Target = [Box<str>];

    fn deref(&self) -> &[Box<str>] {
        match &self.0 {
            ValuesRepr::One(value) => std::slice::from_ref(value),
            ValuesRepr::Many(values) => values,
        }
    }
}

impl DerefMut for Values {
    fn deref_mut(&mut self) -> &mut [Box<str>] {
        match &mut self.0 {
            ValuesRepr::One(value) => std::slice::from_mut(value),
            ValuesRepr::Many(values) => values,
        }
    }
}

impl From<Vec<Box<str>>> for Values {
    fn from(values: Vec<Box<str>>) -> Values {
        match <[Box<str>; 1]>::try_from(values) {
            Ok([value]) => Values(ValuesRepr::One(value)),
            Err(values) => Values(ValuesRepr::Many(values.into_boxed_slice())),
        }
    }
}

impl From<Vec<String>> for Values {
    fn from(values: Vec<String>) -> Values {
        values.into_iter().collect()
    }
}

impl<T: Into<Box<str>>> FromIterator<T> for Values {
    /// Allocates no array for a single value.
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Values {
        let mut iter = iter.into_iter().map(Into::into).fuse();
        match (iter.next(), iter.next()) {
            (None, _) => Values::default(),
            (Some(value), None) => Values(ValuesRepr::One(value)),
            (Some(first), Some(second)) => {
                // The upper bound when known: collecting a `Result` gives no lower one.
                let (lower, upper) = iter.size_hint();
                let mut values = Vec::with_capacity(2 + upper.unwrap_or(lower));
                values.extend([first, second]);
                values.extend(iter);
                Values::from(values)
            }
        }
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        **self == **other
    }
}

impl Eq for Values {}

impl<T: AsRef<str>> PartialEq<[T]> for Values {
    fn eq(&self, other: &[T]) -> bool {
        self.iter()
            .map(|v| &**v)
            .eq(other.iter().map(AsRef::as_ref))
    }
}

impl<T: AsRef<str>, const N: usize> PartialEq<[T; N]> for Values {
    fn eq(&self, other: &[T; N]) -> bool {
        *self == other[..]
    }
}

impl<T: AsRef<str>> PartialEq<Vec<T>> for Values {
    fn eq(&self, other: &Vec<T>) -> bool {
        *self == other[..]
    }
}

impl Hash for Values {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl PartialOrd for Values {
    fn partial_cmp(&self, other: &Values) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Values {
    fn cmp(&self, other: &Values) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl fmt::Debug for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

impl Serialize for Values {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Values {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Values, D::Error> {
        Vec::<Box<str>>::deserialize(deserializer).map(Values::from)
    }
}

/// [`RecordSet`]'s serde form, flat: what plan files hold, every field written in this order.
/// It borrows from the record set it writes and owns what it reads.
#[derive(Serialize, Deserialize)]
#[serde(rename = "RecordSet")]
struct WireRecordSet<'a> {
    name: Cow<'a, str>,
    #[serde(rename = "type")]
    rtype: RecordType,
    set_identifier: Option<Cow<'a, str>>,
    ttl: Option<u32>,
    values: Cow<'a, Values>,
    alias: Option<Cow<'a, AliasTarget>>,
    routing: Option<Cow<'a, Routing>>,
    health_check_id: Option<Cow<'a, str>>,
    traffic_policy_instance_id: Option<Cow<'a, str>>,
}

impl From<WireRecordSet<'_>> for RecordSet {
    fn from(wire: WireRecordSet<'_>) -> RecordSet {
        let extra = Extra {
            set_identifier: wire.set_identifier.map(Box::from),
            alias: wire.alias.map(Cow::into_owned),
            routing: wire.routing.map(|routing| Box::new(routing.into_owned())),
            health_check_id: wire.health_check_id.map(Box::from),
            traffic_policy_instance_id: wire.traffic_policy_instance_id.map(Box::from),
        };
        let values = wire.values.into_owned();
        RecordSet::new(wire.name.into(), wire.rtype, wire.ttl, values, extra)
    }
}

impl Serialize for RecordSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireRecordSet {
            name: Cow::Borrowed(&self.name),
            rtype: self.rtype,
            set_identifier: self.set_identifier().map(Cow::Borrowed),
            ttl: self.ttl,
            values: Cow::Borrowed(&self.values),
            alias: self.alias().map(Cow::Borrowed),
            routing: self.routing().map(Cow::Borrowed),
            health_check_id: self.health_check_id().map(Cow::Borrowed),
            traffic_policy_instance_id: self.traffic_policy_instance_id().map(Cow::Borrowed),
        }
        .serialize(serializer)
    }
}

/// Route 53's `AliasTarget`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AliasTarget {
    pub hosted_zone_id: Box<str>,
    /// Wire-form target name.
    pub dns_name: Box<str>,
    pub evaluate_target_health: bool,
}

impl AliasTarget {
    /// A copy with the target name normalised.
    fn comparable(&self) -> AliasTarget {
        AliasTarget {
            hosted_zone_id: self.hosted_zone_id.clone(),
            dns_name: crate::name::normalize(&self.dns_name).into(),
            evaluate_target_health: self.evaluate_target_health,
        }
    }
}

/// The routing policy of a record set that carries a `SetIdentifier`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "policy", rename_all = "lowercase")]
pub enum Routing {
    Weighted {
        weight: u32,
    },
    Latency {
        region: String,
    },
    /// `PRIMARY` or `SECONDARY`.
    Failover {
        role: String,
    },
    Geolocation {
        continent: Option<String>,
        country: Option<String>,
        subdivision: Option<String>,
    },
    Geoproximity {
        aws_region: Option<String>,
        local_zone_group: Option<String>,
        /// Latitude and longitude as Route 53 writes them (decimal strings).
        #[serde(default, with = "lat_lon")]
        coordinates: Option<(String, String)>,
        bias: Option<i32>,
    },
    MultiValue,
    Cidr {
        collection_id: String,
        location_name: String,
    },
}

/// Geoproximity coordinates in serde form: `{"latitude": "49.22", "longitude": "-74.01"}`.
mod lat_lon {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    struct LatLon {
        latitude: String,
        longitude: String,
    }

    pub fn serialize<S: Serializer>(
        coordinates: &Option<(String, String)>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let lat_lon = coordinates.as_ref().map(|(latitude, longitude)| LatLon {
            latitude: latitude.clone(),
            longitude: longitude.clone(),
        });
        lat_lon.serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<(String, String)>, D::Error> {
        let lat_lon = Option::<LatLon>::deserialize(deserializer)?;
        Ok(lat_lon.map(|c| (c.latitude, c.longitude)))
    }
}

/// What identifies a record set within a zone: Route 53 keys on name, type and set identifier.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordKey {
    /// Normalised wire-form name.
    pub name: String,
    pub rtype: RecordType,
    pub set_identifier: Option<String>,
}

impl fmt::Display for RecordKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.rtype)?;
        if let Some(id) = &self.set_identifier {
            write!(f, " [{id}]")?;
        }
        Ok(())
    }
}

impl Extra {
    /// A copy with the alias target normalised.
    fn comparable(&self) -> Extra {
        Extra {
            alias: self.alias.as_ref().map(AliasTarget::comparable),
            ..self.clone()
        }
    }
}

/// Whether two record sets' [`Extra`] parts are equal in canonical form.
fn same_extra(a: Option<&Extra>, b: Option<&Extra>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a == b || a.comparable() == b.comparable(),
        _ => false,
    }
}

impl RecordSet {
    /// A record set of all its parts.
    pub fn new(
        name: Box<str>,
        rtype: RecordType,
        ttl: Option<u32>,
        values: Values,
        extra: Extra,
    ) -> RecordSet {
        let extra = (extra != Extra::default()).then(|| Box::new(extra));
        RecordSet {
            name,
            rtype,
            ttl,
            values,
            extra,
        }
    }

    /// A plain record set (no alias, no routing policy).
    pub fn simple(name: &str, rtype: RecordType, ttl: u32, values: Vec<String>) -> RecordSet {
        RecordSet::new(
            name.into(),
            rtype,
            Some(ttl),
            values.into(),
            Extra::default(),
        )
    }

    /// An alias record set: no TTL, no values.
    pub fn aliased(name: &str, rtype: RecordType, target: AliasTarget) -> RecordSet {
        let extra = Extra {
            alias: Some(target),
            ..Extra::default()
        };
        RecordSet::new(name.into(), rtype, None, Values::default(), extra)
    }

    /// This record set with a set identifier.
    pub fn with_set_identifier(mut self, id: impl Into<Box<str>>) -> RecordSet {
        self.extra_mut().set_identifier = Some(id.into());
        self
    }

    /// This record set with a routing policy.
    pub fn with_routing(mut self, routing: Routing) -> RecordSet {
        self.extra_mut().routing = Some(Box::new(routing));
        self
    }

    /// This record set with a health check.
    pub fn with_health_check_id(mut self, id: impl Into<Box<str>>) -> RecordSet {
        self.extra_mut().health_check_id = Some(id.into());
        self
    }

    /// This record set as made by a traffic policy.
    pub fn with_traffic_policy_instance_id(mut self, id: impl Into<Box<str>>) -> RecordSet {
        self.extra_mut().traffic_policy_instance_id = Some(id.into());
        self
    }

    /// The out-of-line fields, created when absent: set one of them to `Some` right away, so
    /// that `extra` is never an empty `Extra`.
    fn extra_mut(&mut self) -> &mut Extra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// Distinguishes record sets of one name and type under a routing policy.
    pub fn set_identifier(&self) -> Option<&str> {
        self.extra.as_ref()?.set_identifier.as_deref()
    }

    /// The alias target, for an alias record set.
    pub fn alias(&self) -> Option<&AliasTarget> {
        self.extra.as_ref()?.alias.as_ref()
    }

    /// The alias target, to fill in what the config left out.
    pub fn alias_mut(&mut self) -> Option<&mut AliasTarget> {
        self.extra.as_mut()?.alias.as_mut()
    }

    /// The routing policy, for a record set with a set identifier.
    pub fn routing(&self) -> Option<&Routing> {
        self.extra.as_ref()?.routing.as_deref()
    }

    /// The health check Route 53 consults before answering with this record set.
    pub fn health_check_id(&self) -> Option<&str> {
        self.extra.as_ref()?.health_check_id.as_deref()
    }

    /// Set on record sets made by a traffic policy; r53ctl never changes those.
    pub fn traffic_policy_instance_id(&self) -> Option<&str> {
        self.extra.as_ref()?.traffic_policy_instance_id.as_deref()
    }

    /// The key Route 53 identifies this record set by, with the name normalised.
    pub fn key(&self) -> RecordKey {
        RecordKey {
            name: crate::name::normalize(&self.name),
            rtype: self.rtype,
            set_identifier: self.set_identifier().map(str::to_string),
        }
    }

    /// A copy in canonical form: names normalised, values canonicalised for their type and
    /// sorted, so that two record sets Route 53 would treat as the same compare equal.
    pub fn comparable(&self) -> RecordSet {
        RecordSet {
            name: crate::name::normalize(&self.name).into(),
            rtype: self.rtype,
            ttl: self.ttl,
            values: self.canonical_values().into(),
            extra: self.extra.as_deref().map(|e| Box::new(e.comparable())),
        }
    }

    /// The values canonicalised for their type, sorted, without duplicates.
    fn canonical_values(&self) -> Vec<String> {
        let mut values: Vec<String> = self
            .values
            .iter()
            .map(|v| crate::rdata::canonical(self.rtype, v))
            .collect();
        values.sort();
        values.dedup();
        values
    }

    /// Whether Route 53 would treat `self` and `other` as the same record set: their
    /// [`RecordSet::comparable`] forms are equal. Compared part by part, cheapest first, without
    /// building those forms.
    pub fn same_as(&self, other: &RecordSet) -> bool {
        self.rtype == other.rtype
            && self.ttl == other.ttl
            && same_extra(self.extra.as_deref(), other.extra.as_deref())
            && (self.name == other.name
                || crate::name::normalized(&self.name) == crate::name::normalized(&other.name))
            && (self.values == other.values || self.canonical_values() == other.canonical_values())
    }

    /// Whether this is the zone's SOA or apex NS record set for the zone `apex` (wire form).
    pub fn is_apex_ns_or_soa(&self, apex: &str) -> bool {
        matches!(self.rtype, RecordType::NS | RecordType::SOA)
            && crate::name::normalized(&self.name) == crate::name::normalized(apex)
    }

    /// Number of `ResourceRecord` elements this record set puts in a request.
    pub fn resource_record_count(&self) -> usize {
        self.values.len()
    }

    /// Characters of `Value` text this record set puts in a request.
    pub fn value_chars(&self) -> usize {
        self.values.iter().map(|v| v.chars().count()).sum()
    }
}

/// A hosted zone as listed by Route 53.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostedZone {
    /// The bare id, e.g. `Z0123456789ABC` (without `/hostedzone/`).
    pub id: String,
    /// Wire-form name with trailing dot.
    pub name: String,
    pub private: bool,
    pub record_set_count: Option<u64>,
    pub comment: Option<String>,
}

#[cfg(test)]
impl HostedZone {
    /// A public zone `Z1` named `example.tld.`, for unit tests.
    pub(crate) fn example() -> HostedZone {
        HostedZone {
            id: "Z1".into(),
            name: "example.tld.".into(),
            private: false,
            record_set_count: None,
            comment: None,
        }
    }
}

/// A VPC a private hosted zone answers in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vpc {
    pub id: String,
    pub region: String,
}

/// Strips `/hostedzone/` or `/change/` from an id.
pub fn bare_id(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

/// The status of a submitted change, from ChangeResourceRecordSets or GetChange.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeInfo {
    /// The bare id, e.g. `C2682N5HXP0BZ4` (without `/change/`).
    pub id: String,
    /// `PENDING` or `INSYNC`.
    pub status: String,
    pub submitted_at: String,
}

/// The action of one change in a ChangeResourceRecordSets request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Action {
    Create,
    Delete,
    Upsert,
}

impl Action {
    /// The name Route 53 uses in `<Action>`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Delete => "DELETE",
            Action::Upsert => "UPSERT",
        }
    }

    /// Tokens the action takes from Route 53's change-throughput bucket: an UPSERT counts twice.
    pub fn change_tokens(self) -> usize {
        match self {
            Action::Create | Action::Delete => 1,
            Action::Upsert => 2,
        }
    }
}

/// One `<Change>` of a ChangeResourceRecordSets request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ChangeAction<'a> {
    pub action: Action,
    pub record_set: &'a RecordSet,
}

/// A record set protection: while it exists, Route 53 refuses every change that creates, changes
/// or deletes a record set of this name and type (any set identifier).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordSetProtection {
    /// Wire-form name.
    pub name: String,
    pub rtype: RecordType,
    /// Why it was protected, as its creator wrote it.
    pub comment: Option<String>,
}

/// Live record sets matching a rule are never created, changed or deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IgnoreRule {
    /// A glob over the wire-form name relative to the zone (`*` any run of characters, `@` apex).
    pub name: String,
    /// Record types; empty means all.
    pub types: Vec<RecordType>,
}

impl IgnoreRule {
    /// Whether this rule covers a record set of type `rtype` whose name relative to the zone is
    /// `relative_name` (`@` for the apex).
    pub fn matches(&self, relative_name: &str, rtype: RecordType) -> bool {
        let type_matches = self.types.is_empty() || self.types.contains(&rtype);
        type_matches && glob_matches(&self.name, relative_name)
    }
}

/// Whether `pattern` (where `*` matches any run of characters, including none) matches all of
/// `text`, ignoring ASCII case as DNS names do. Linear backtracking over the last `*`, so no
/// input makes it slow.
pub fn glob_matches(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut last_star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some(b'*') => {
                last_star = Some((pi, ti));
                pi += 1;
            }
            Some(&c) if c.eq_ignore_ascii_case(&t[ti]) => {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn alias_to(dns_name: &str) -> RecordSet {
        let target = AliasTarget {
            hosted_zone_id: "Z1".into(),
            dns_name: dns_name.into(),
            evaluate_target_health: false,
        };
        RecordSet::aliased("app.example.tld.", RecordType::A, target)
    }

    fn weighted(id: &str, weight: u32) -> RecordSet {
        RecordSet::simple(
            "w.example.tld.",
            RecordType::A,
            60,
            vec!["192.0.2.1".into()],
        )
        .with_set_identifier(id)
        .with_routing(Routing::Weighted { weight })
    }

    #[test]
    fn a_record_set_stays_small() {
        assert!(std::mem::size_of::<RecordSet>() <= 64);
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn values_act_as_the_slice_of_the_vector_they_were_made_of() {
        for vec in [strings(&[]), strings(&["a"]), strings(&["a", "b", "c"])] {
            let values = Values::from(vec.clone());
            assert_eq!(values.len(), vec.len());
            assert_eq!(values.is_empty(), vec.is_empty());
            assert!(values
                .iter()
                .map(|v| &**v)
                .eq(vec.iter().map(String::as_str)));
            assert_eq!(values, vec);
            assert_eq!(values, vec.iter().map(String::as_str).collect::<Values>());
            assert_eq!(format!("{values:?}"), format!("{vec:?}"));
            let hash = |value: &dyn Fn(&mut std::hash::DefaultHasher)| {
                let mut hasher = std::hash::DefaultHasher::new();
                value(&mut hasher);
                hasher.finish()
            };
            assert_eq!(hash(&|h| values.hash(h)), hash(&|h| vec.hash(h)));
        }
        assert_ne!(Values::from(strings(&["a"])), strings(&["a", "a"]));
        let (two, one) = (
            Values::from(strings(&["a", "b"])),
            Values::from(strings(&["b"])),
        );
        assert_eq!(two.cmp(&one), std::cmp::Ordering::Less);
    }

    #[test]
    fn one_value_is_held_without_an_array() {
        assert!(matches!(
            Values::from(strings(&["a"])).0,
            ValuesRepr::One(_)
        ));
        assert!(matches!(
            ["a"].into_iter().collect::<Values>().0,
            ValuesRepr::One(_)
        ));
        let mut three: Values = ["a", "b", "c"].into_iter().collect();
        assert!(matches!(three.0, ValuesRepr::Many(_)));
        three[1] = "B".into();
        assert_eq!(three, ["a", "B", "c"]);
    }

    #[test]
    fn values_read_and_write_the_json_of_a_vector_of_strings() {
        for vec in [strings(&[]), strings(&["a"]), strings(&["a", "b\"", "c"])] {
            let values = Values::from(vec.clone());
            let json = serde_json::to_string(&values).unwrap();
            assert_eq!(json, serde_json::to_string(&vec).unwrap());
            assert_eq!(serde_json::from_str::<Values>(&json).unwrap(), values);
        }
        let err = serde_json::from_str::<Values>(r#"["a", 1]"#).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
    }

    #[test]
    fn a_record_set_without_rare_fields_holds_no_extra() {
        let simple = RecordSet::simple("a.tld.", RecordType::A, 60, vec!["192.0.2.1".into()]);
        let built = RecordSet::new(
            "a.tld.".into(),
            RecordType::A,
            Some(60),
            vec!["192.0.2.1".to_string()].into(),
            Extra::default(),
        );
        assert_eq!(built.extra, None);
        assert_eq!(built, simple);
        assert!(weighted("one", 1).extra.is_some());
    }

    #[test]
    fn serde_form_writes_every_field_in_order_and_reads_back() {
        let simple = RecordSet::simple("a.tld.", RecordType::A, 60, vec!["192.0.2.1".into()]);
        let text = serde_json::to_string(&simple).unwrap();
        assert_eq!(
            text,
            r#"{"name":"a.tld.","type":"A","set_identifier":null,"ttl":60,"values":["192.0.2.1"],"alias":null,"routing":null,"health_check_id":null,"traffic_policy_instance_id":null}"#
        );
        assert_eq!(serde_json::from_str::<RecordSet>(&text).unwrap(), simple);

        let rare = alias_to("lb.tld.")
            .with_set_identifier("eu")
            .with_routing(Routing::Weighted { weight: 5 })
            .with_health_check_id("hc")
            .with_traffic_policy_instance_id("tp");
        let text = serde_json::to_string(&rare).unwrap();
        assert_eq!(
            text,
            r#"{"name":"app.example.tld.","type":"A","set_identifier":"eu","ttl":null,"values":[],"alias":{"hosted_zone_id":"Z1","dns_name":"lb.tld.","evaluate_target_health":false},"routing":{"policy":"weighted","weight":5},"health_check_id":"hc","traffic_policy_instance_id":"tp"}"#
        );
        assert_eq!(serde_json::from_str::<RecordSet>(&text).unwrap(), rare);
    }

    #[test]
    fn same_as_agrees_with_comparable_forms() {
        let a = |name: &str, values: &[&str]| {
            let values = values.iter().map(|v| v.to_string()).collect();
            RecordSet::simple(name, RecordType::AAAA, 60, values)
        };
        let pairs = [
            (
                a("a.tld.", &["2001:db8::1"]),
                a("A.TLD", &["2001:DB8:0::1"]),
            ),
            (
                a("a.tld.", &["2001:db8::1", "2001:db8::2"]),
                a("a.tld.", &["2001:db8::2", "2001:db8::1", "2001:db8::2"]),
            ),
            (a("a.tld.", &["2001:db8::1"]), a("b.tld.", &["2001:db8::1"])),
            (a("a.tld.", &["2001:db8::1"]), a("a.tld.", &["2001:db8::2"])),
            (alias_to("lb.tld."), alias_to("LB.tld")),
            (alias_to("lb.tld."), alias_to("lb2.tld.")),
            (weighted("one", 1), weighted("one", 1)),
            (weighted("one", 1), weighted("one", 2)),
            (weighted("one", 1), weighted("two", 1)),
            (weighted("one", 1), a("w.example.tld.", &["192.0.2.1"])),
        ];
        for (x, y) in &pairs {
            let expected = x.comparable() == y.comparable();
            assert_eq!(x.same_as(y), expected, "{x:?} vs {y:?}");
            assert_eq!(y.same_as(x), expected, "{y:?} vs {x:?}");
        }
        let verdicts: Vec<bool> = pairs.iter().map(|(x, y)| x.same_as(y)).collect();
        let expected = [
            true, true, false, false, true, false, true, false, false, false,
        ];
        assert_eq!(verdicts, expected);
    }

    #[test]
    fn bare_ids() {
        assert_eq!(bare_id("/hostedzone/Z1"), "Z1");
        assert_eq!(bare_id("/change/C2"), "C2");
        assert_eq!(bare_id("Z3"), "Z3");
    }

    #[test]
    fn glob_matches_runs_of_characters() {
        assert!(glob_matches("*", ""));
        assert!(glob_matches("*.dev", "a.b.dev"));
        assert!(glob_matches("a*b*c", "axxbyybc"));
        assert!(!glob_matches("a*b*c", "axxbyyb"));
        assert!(!glob_matches("www", "www2"));
        assert!(glob_matches("w*w", "ww"));
        assert!(glob_matches("WWW.*", "www.dev"));
        assert!(glob_matches("www.*", "WWW.dev"));
    }
}
