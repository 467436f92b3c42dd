//! The vocabulary of record sets shared by the config, the Route 53 API layer, the diff and the
//! batcher. Nothing here knows about files or HTTP.
//!
//! Every `RecordSet` holds names and values in Route 53's wire form: a fully qualified, lower-case
//! name with a trailing dot and `\ddd` escapes (see [`crate::name`]), and values as Route 53 stores
//! them (see [`crate::rdata`]). Record sets read from Route 53 are kept exactly as read, so that a
//! DELETE can name them byte for byte; comparison goes through [`RecordSet::comparable`].
//!
//! The serde derives give plan files and JSON output their shape.
//!
//! May import: `name`, `rdata`, `rtype`.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::rtype::RecordType;

/// One Route 53 resource record set. Its serde form (every field, `null` when absent) is what
/// plan files and `--format json` write, and what the plan fingerprint hashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RecordSet {
    /// Wire-form owner name, e.g. `\052.example.tld.`.
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: RecordType,
    /// Distinguishes record sets of one name and type under a routing policy.
    pub set_identifier: Option<String>,
    /// `None` for alias record sets, which carry no TTL.
    pub ttl: Option<u32>,
    /// Values in Route 53's wire form; empty for alias record sets.
    pub values: Vec<String>,
    pub alias: Option<AliasTarget>,
    pub routing: Option<Routing>,
    pub health_check_id: Option<String>,
    /// Set on record sets made by a traffic policy; r53ctl never changes those.
    pub traffic_policy_instance_id: Option<String>,
}

/// Route 53's `AliasTarget`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AliasTarget {
    pub hosted_zone_id: String,
    /// Wire-form target name.
    pub dns_name: String,
    pub evaluate_target_health: bool,
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

impl RecordSet {
    /// A plain record set (no alias, no routing policy).
    pub fn simple(name: &str, rtype: RecordType, ttl: u32, values: Vec<String>) -> RecordSet {
        RecordSet {
            name: name.to_string(),
            rtype,
            set_identifier: None,
            ttl: Some(ttl),
            values,
            alias: None,
            routing: None,
            health_check_id: None,
            traffic_policy_instance_id: None,
        }
    }

    /// The key Route 53 identifies this record set by, with the name normalised.
    pub fn key(&self) -> RecordKey {
        RecordKey {
            name: crate::name::normalize(&self.name),
            rtype: self.rtype,
            set_identifier: self.set_identifier.clone(),
        }
    }

    /// A copy in canonical form: names normalised, values canonicalised for their type and
    /// sorted, so that two record sets Route 53 would treat as the same compare equal.
    pub fn comparable(&self) -> RecordSet {
        let mut values: Vec<String> = self
            .values
            .iter()
            .map(|v| crate::rdata::canonical(self.rtype, v))
            .collect();
        values.sort();
        values.dedup();
        RecordSet {
            name: crate::name::normalize(&self.name),
            values,
            alias: self.alias.as_ref().map(|a| AliasTarget {
                hosted_zone_id: a.hosted_zone_id.clone(),
                dns_name: crate::name::normalize(&a.dns_name),
                evaluate_target_health: a.evaluate_target_health,
            }),
            rtype: self.rtype,
            set_identifier: self.set_identifier.clone(),
            ttl: self.ttl,
            routing: self.routing.clone(),
            health_check_id: self.health_check_id.clone(),
            traffic_policy_instance_id: self.traffic_policy_instance_id.clone(),
        }
    }

    /// Whether Route 53 would treat `self` and `other` as the same record set: their
    /// [`RecordSet::comparable`] forms are equal.
    pub fn same_as(&self, other: &RecordSet) -> bool {
        // Identical record sets, the common case, need no canonical forms.
        self == other || self.comparable() == other.comparable()
    }

    /// Whether this is the zone's SOA or apex NS record set for the zone `apex` (wire form).
    pub fn is_apex_ns_or_soa(&self, apex: &str) -> bool {
        matches!(self.rtype, RecordType::NS | RecordType::SOA)
            && crate::name::normalize(&self.name) == crate::name::normalize(apex)
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeAction {
    pub action: Action,
    pub record_set: RecordSet,
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
        type_matches && glob_matches(&self.name.to_ascii_lowercase(), relative_name)
    }
}

/// Whether `pattern` (where `*` matches any run of characters, including none) matches all of
/// `text`. Linear backtracking over the last `*`, so no input makes it slow.
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

#[cfg(test)]
mod tests {
    use super::*;

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
    }
}
