//! The config file as serde reads it, before any check. Every struct denies unknown fields, so a
//! typo is an error naming the field and the ones allowed.
//!
//! A valid file is read straight into these structs ([`TypedConfig`]). Any other is read again,
//! with domains and records read one by one from [`serde_json::Value`]s, so that one bad record
//! does not hide the errors of the others and each error can say what the field holds.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

/// The whole file read in one pass, every domain and record converted.
pub type TypedConfig = Object<RawConfig<Object<RawDomain<CompactRecord>>>>;

/// The top level of the file, with its domains as `D`: JSON values to convert one by one, or
/// converted already.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "D: Deserialize<'de>"))]
pub struct RawConfig<D = Value> {
    pub default_ttl: Option<u32>,
    #[serde(default)]
    pub registrars: BTreeMap<String, RawKind>,
    #[serde(default)]
    pub dns_providers: BTreeMap<String, RawKind>,
    #[serde(default)]
    pub domains: Vec<D>,
}

/// A `T` read only from a JSON object. serde also reads a struct from a list of its fields, which
/// the config does not allow (see [`super::fields::from_value`]).
#[derive(Debug)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Object<T>, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Object)
            }
        }

        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

/// A registrar or DNS provider entry: `{"type": "ROUTE53"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawKind {
    #[serde(rename = "type")]
    pub kind: String,
}

/// One entry of `domains`, with its records as `R` (see [`RawConfig`]).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "R: Deserialize<'de>"))]
pub struct RawDomain<R = Value> {
    pub name: String,
    pub registrar: String,
    #[serde(default)]
    pub dns_providers: Vec<String>,
    pub zone_id: Option<String>,
    pub default_ttl: Option<u32>,
    #[serde(default)]
    pub keep_unknown: bool,
    pub max_change_share: Option<f64>,
    #[serde(default)]
    pub ignore: Vec<RawIgnore>,
    #[serde(default)]
    pub records: Vec<R>,
    /// The name servers a ROUTE53 registrar registers, when DNS is served elsewhere.
    #[serde(default)]
    pub nameservers: Vec<String>,
    /// The VPCs of a private zone; empty for a public zone.
    #[serde(default)]
    pub private: Vec<RawVpc>,
    pub delegation_set_id: Option<String>,
    pub comment: Option<String>,
}

/// One entry of a domain's `private`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawVpc {
    pub vpc_id: String,
    pub vpc_region: String,
}

/// One entry of a domain's `ignore`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIgnore {
    pub name: String,
    #[serde(default)]
    pub types: Vec<String>,
}

/// One entry of a domain's `records`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRecord {
    pub name: String,
    #[serde(rename = "type")]
    pub rtype: String,
    pub value: Option<String>,
    pub strings: Option<Vec<String>>,
    pub ttl: Option<u32>,
    pub alias: Option<RawAlias>,
    pub set_identifier: Option<String>,
    pub weight: Option<u32>,
    pub region: Option<String>,
    pub failover: Option<String>,
    pub geolocation: Option<RawGeolocation>,
    pub geoproximity: Option<RawGeoproximity>,
    pub multivalue: Option<bool>,
    pub cidr: Option<RawCidr>,
    pub health_check_id: Option<String>,
}

/// A [`RawRecord`] as a file read whole keeps it until its domain's name is known: a record of
/// only a name, a type, a value and a TTL (most are) in a fifth of the space.
#[derive(Debug)]
pub enum CompactRecord {
    Plain {
        name: String,
        rtype: String,
        value: String,
        ttl: Option<u32>,
    },
    Full(Box<RawRecord>),
}

impl<'de> Deserialize<'de> for CompactRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<CompactRecord, D::Error> {
        let Object(raw) = Object::<RawRecord>::deserialize(deserializer)?;
        Ok(match raw {
            RawRecord {
                name,
                rtype,
                value: Some(value),
                strings: None,
                ttl,
                alias: None,
                set_identifier: None,
                weight: None,
                region: None,
                failover: None,
                geolocation: None,
                geoproximity: None,
                multivalue: None,
                cidr: None,
                health_check_id: None,
            } => CompactRecord::Plain {
                name,
                rtype,
                value,
                ttl,
            },
            raw => CompactRecord::Full(Box::new(raw)),
        })
    }
}

impl From<CompactRecord> for RawRecord {
    fn from(record: CompactRecord) -> RawRecord {
        match record {
            CompactRecord::Plain {
                name,
                rtype,
                value,
                ttl,
            } => RawRecord {
                name,
                rtype,
                value: Some(value),
                ttl,
                ..RawRecord::default()
            },
            CompactRecord::Full(raw) => *raw,
        }
    }
}

/// `alias`: a Route 53 alias target. Without `zone_id` the target is in the same zone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAlias {
    pub target: String,
    pub zone_id: Option<String>,
    #[serde(default)]
    pub evaluate_target_health: bool,
}

/// `geolocation`: a continent, or a country with an optional subdivision.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeolocation {
    pub continent: Option<String>,
    pub country: Option<String>,
    pub subdivision: Option<String>,
}

/// `geoproximity`: exactly one of the three locations, and an optional bias.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGeoproximity {
    pub aws_region: Option<String>,
    pub local_zone_group: Option<String>,
    pub coordinates: Option<RawCoordinates>,
    pub bias: Option<i32>,
}

/// Decimal degrees, as JSON numbers or strings (Route 53 keeps them as text).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCoordinates {
    pub latitude: Degrees,
    pub longitude: Degrees,
}

/// A coordinate written as a number (`49.2`) or a string (`"49.20"`).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Degrees {
    Number(serde_json::Number),
    Text(String),
}

impl Degrees {
    /// The text Route 53 is sent.
    pub fn text(&self) -> String {
        match self {
            Degrees::Number(n) => n.to_string(),
            Degrees::Text(s) => s.clone(),
        }
    }
}

/// `cidr`: IP-based routing.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCidr {
    pub collection_id: String,
    pub location_name: String,
}
