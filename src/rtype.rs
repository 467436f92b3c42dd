//! The record types r53ctl knows: the start for anyone adding one.
//!
//! It has a module of its own, rather than a place in [`crate::model`], so that "where are record
//! types defined?" has a one-file answer, and what a type implies is found by following the
//! compiler from [`RecordType`] (value syntax in [`crate::rdata`], config rules in
//! [`crate::config`]).
//!
//! May import: nothing of the crate.

use std::fmt;
use std::str::FromStr;

/// A DNS record type Route 53 serves: the 16 a config may hold, plus SOA, which Route 53 manages
/// and r53ctl reads but never writes.
///
/// To add a record type: add the variant here (in alphabetical order) and to [`RecordType::ALL`],
/// then follow the compiler: every `match` that must handle the new type fails to build.
///
/// A type r53ctl does not know cannot be represented. Route 53 serves exactly these types, so one
/// outside them in a Route 53 answer or a plan file is an error that names it. Failing is the safe
/// choice: a live record set of an unknown type could not be in a config, so carrying it along
/// opaquely would have the diff delete it.
///
/// Variants are declared in the byte order of their names, so the derived `Ord` sorts exactly
/// like the names do (a test holds this): record sets sorted by type keep the order they had when
/// the type was a string.
#[allow(clippy::upper_case_acronyms)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordType {
    A,
    AAAA,
    CAA,
    CNAME,
    DS,
    HTTPS,
    MX,
    NAPTR,
    NS,
    PTR,
    SOA,
    SPF,
    SRV,
    SSHFP,
    SVCB,
    TLSA,
    TXT,
}

impl RecordType {
    /// Every type, in order.
    pub const ALL: [RecordType; 17] = {
        use RecordType::*;
        [
            A, AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SOA, SPF, SRV, SSHFP, SVCB, TLSA,
            TXT,
        ]
    };

    /// The name Route 53 uses, e.g. `CNAME`.
    pub fn as_str(self) -> &'static str {
        use RecordType::*;
        match self {
            A => "A",
            AAAA => "AAAA",
            CAA => "CAA",
            CNAME => "CNAME",
            DS => "DS",
            HTTPS => "HTTPS",
            MX => "MX",
            NAPTR => "NAPTR",
            NS => "NS",
            PTR => "PTR",
            SOA => "SOA",
            SPF => "SPF",
            SRV => "SRV",
            SSHFP => "SSHFP",
            SVCB => "SVCB",
            TLSA => "TLSA",
            TXT => "TXT",
        }
    }

    /// Whether a config may hold records of this type: Route 53 manages the zone's SOA.
    pub fn is_writable(self) -> bool {
        self != RecordType::SOA
    }

    /// Whether multivalue answer routing is available for this type.
    pub fn allows_multivalue(self) -> bool {
        use RecordType::*;
        match self {
            A | AAAA | MX | NAPTR | PTR | SPF | SRV | TXT => true,
            CAA | CNAME | DS | HTTPS | NS | SOA | SSHFP | SVCB | TLSA => false,
        }
    }

    /// The names of the types `keep` selects, for messages: `A, AAAA, CAA, …`.
    pub fn names_where(keep: fn(RecordType) -> bool) -> String {
        let names: Vec<&str> = Self::ALL
            .into_iter()
            .filter(|&t| keep(t))
            .map(RecordType::as_str)
            .collect();
        names.join(", ")
    }
}

/// `ALL` holds the variants in declaration order: a variant added in its alphabetical place but
/// not to `ALL` fails the build here.
const _: () = {
    let mut i = 0;
    while i < RecordType::ALL.len() {
        assert!(
            RecordType::ALL[i] as usize == i,
            "RecordType::ALL is out of step"
        );
        i += 1;
    }
};

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A type name that is not a [`RecordType`], as it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRecordType(pub String);

impl fmt::Display for UnknownRecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown record type {:?}", self.0)
    }
}

impl std::error::Error for UnknownRecordType {}

/// Reads a type name in any case (`cname` is `CNAME`), as configs have always been read.
impl FromStr for RecordType {
    type Err = UnknownRecordType;

    fn from_str(s: &str) -> Result<RecordType, UnknownRecordType> {
        RecordType::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownRecordType(s.to_string()))
    }
}

/// Serialised as its name, as plan files and `--format json` write it.
impl serde::Serialize for RecordType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// Read from its name, in any case.
impl<'de> serde::Deserialize<'de> for RecordType {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<RecordType, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_is_the_order_of_the_names() {
        let mut by_name = RecordType::ALL;
        by_name.sort_by_key(|t| t.as_str());
        assert_eq!(by_name, RecordType::ALL);
        assert!(RecordType::ALL.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn names_round_trip_in_any_case() {
        for t in RecordType::ALL {
            assert_eq!(t.as_str().parse(), Ok(t));
            assert_eq!(t.as_str().to_ascii_lowercase().parse(), Ok(t));
            assert_eq!(t.to_string(), t.as_str());
            assert_eq!(serde_json::json!(t), serde_json::json!(t.as_str()));
        }
        let unknown = "LOC".parse::<RecordType>().unwrap_err();
        assert_eq!(unknown.to_string(), "unknown record type \"LOC\"");
        assert!("".parse::<RecordType>().is_err());
    }

    #[test]
    fn lists_for_messages() {
        assert_eq!(
            RecordType::names_where(RecordType::is_writable),
            "A, AAAA, CAA, CNAME, DS, HTTPS, MX, NAPTR, NS, PTR, SPF, SRV, SSHFP, SVCB, TLSA, TXT"
        );
        assert_eq!(
            RecordType::names_where(RecordType::allows_multivalue),
            "A, AAAA, MX, NAPTR, PTR, SPF, SRV, TXT"
        );
    }
}
