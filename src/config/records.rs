//! One config record entry, checked on its own and turned into wire form: its owner name, type,
//! value or alias, TTL and routing policy. Checks across entries are in [`super::validate`].

use crate::model::{AliasTarget, Extra, Routing};
use crate::rtype::RecordType;
use crate::{name, rdata};

use super::raw::{RawAlias, RawGeolocation, RawGeoproximity, RawRecord};

/// Largest TTL Route 53 accepts.
pub const MAX_TTL: u32 = 2_147_483_647;
/// Longest set identifier.
const MAX_SET_IDENTIFIER_CHARS: usize = 128;
const CONTINENTS: &[&str] = &["AF", "AN", "AS", "EU", "NA", "OC", "SA"];
const POLICIES: &str = "weight, region, failover, geolocation, geoproximity, multivalue or cidr";

/// What is wrong, and how to mend it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub fix: Option<String>,
}

impl Problem {
    /// A problem without a fix.
    pub fn new(message: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            fix: None,
        }
    }

    /// The same problem with how to mend it.
    pub fn with_fix(mut self, fix: impl Into<String>) -> Problem {
        self.fix = Some(fix.into());
        self
    }

    /// The same problem with `fix` as how to mend it, unless it already says something better.
    pub fn or_fix(self, fix: impl Into<String>) -> Problem {
        match self.fix {
            Some(_) => self,
            None => self.with_fix(fix),
        }
    }
}

/// One checked record entry, in wire form. Kept small, as a zone may hold 100,000 of them: what
/// most records lack is boxed in [`Rare`], and its label for messages (`www CNAME
/// (records[3])`) is built only when a message needs it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: Box<str>,
    pub rtype: RecordType,
    /// The TTL as written, if any.
    pub ttl: Option<u32>,
    /// The wire-form value; `None` for an alias.
    pub value: Option<Box<str>>,
    /// The position in the domain's `records`.
    pub index: u32,
    pub rare: Option<Box<Rare>>,
}

/// What few entries have: the record set's rare fields (a set identifier and its routing policy,
/// an alias, a health check), or a name or type written otherwise than [`Entry::label`] derives
/// it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rare {
    pub extra: Extra,
    /// The name and type as written, when the label cannot derive them.
    written: Option<(String, String)>,
}

impl Entry {
    pub fn set_identifier(&self) -> Option<&str> {
        self.rare.as_ref()?.extra.set_identifier.as_deref()
    }

    pub fn alias(&self) -> Option<&AliasTarget> {
        self.rare.as_ref()?.extra.alias.as_ref()
    }

    pub fn routing(&self) -> Option<&Routing> {
        self.rare.as_ref()?.extra.routing.as_deref()
    }

    pub fn health_check_id(&self) -> Option<&str> {
        self.rare.as_ref()?.extra.health_check_id.as_deref()
    }

    /// The entry for messages, with its name and type as written: `www CNAME (records[3])`.
    /// `apex` is the zone's wire-form name.
    pub fn label(&self, apex: &str) -> String {
        let written = self.rare.as_ref().and_then(|r| r.written.as_ref());
        let (name, rtype) = match written {
            Some((name, rtype)) => (name.as_str(), rtype.as_str()),
            None => (
                crate::name::before_apex(&self.name, apex).unwrap_or(&self.name),
                self.rtype.as_str(),
            ),
        };
        label(self.index as usize, Some(name), Some(rtype))
    }
}

/// The label of entry `index` for messages: `www CNAME (records[3])`.
pub fn label(index: usize, name: Option<&str>, rtype: Option<&str>) -> String {
    match (name, rtype) {
        (Some(n), Some(t)) => format!("{n} {t} (records[{index}])"),
        (Some(n), None) => format!("{n} (records[{index}])"),
        _ => format!("records[{index}]"),
    }
}

/// Checks one record of the zone `apex` (wire form) and converts it, or lists all its problems.
pub fn entry(raw: &RawRecord, index: usize, apex: &str) -> Result<Entry, Vec<Problem>> {
    let mut problems = Vec::new();
    let name = owner_name(&raw.name, apex)
        .map_err(|p| problems.push(p))
        .ok();
    let rtype = record_type(&raw.rtype).map_err(|p| problems.push(p)).ok();
    if let Some(ttl) = raw.ttl.filter(|&t| t > MAX_TTL) {
        problems.push(
            Problem::new(format!("ttl {ttl} is too large")).with_fix(format!("use 0 to {MAX_TTL}")),
        );
    }
    let content =
        rtype.and_then(|rtype| content(raw, rtype, apex).map_err(|p| problems.push(p)).ok());
    let routing = routing(raw).map_err(|p| problems.push(p)).ok();
    match (name, rtype, content, routing) {
        (Some(name), Some(rtype), Some((value, alias)), Some(routing)) if problems.is_empty() => {
            let written = (crate::name::before_apex(&name, apex) != Some(raw.name.as_str())
                || rtype.as_str() != raw.rtype)
                .then(|| (raw.name.clone(), raw.rtype.clone()));
            let extra = Extra {
                set_identifier: raw.set_identifier.as_deref().map(Box::from),
                alias,
                routing: routing.map(Box::new),
                health_check_id: raw.health_check_id.as_deref().map(Box::from),
                traffic_policy_instance_id: None,
            };
            let rare = Rare { extra, written };
            Ok(Entry {
                name: name.into(),
                rtype,
                ttl: raw.ttl,
                value: value.map(String::into_boxed_str),
                // A config of at most 64 MiB holds far fewer than 4 billion records.
                index: u32::try_from(index).unwrap_or(u32::MAX),
                rare: (rare != Rare::default()).then(|| Box::new(rare)),
            })
        }
        _ => Err(problems),
    }
}

/// The wire-form owner name of a record named `name` in zone `apex`.
fn owner_name(name: &str, apex: &str) -> Result<String, Problem> {
    if name == "@" {
        return Ok(apex.to_string());
    }
    if name.is_empty() {
        return Err(Problem::new("the name is empty").with_fix("write `@` for the apex"));
    }
    if name.ends_with('.') {
        let wire = name::to_wire(name).map_err(Problem::new)?;
        if !name::is_in_zone(&wire, apex) {
            let domain = name::display(apex);
            return Err(Problem::new(format!("name {name:?} is outside the zone {domain}"))
                .with_fix(format!(
                    "write the name relative to the zone (`www`), or absolute ending in `.{domain}.`"
                )));
        }
        return Ok(wire);
    }
    let as_written = name::to_wire(name).map_err(Problem::new)?;
    if name::is_in_zone(&as_written, apex) {
        let domain = name::display(apex);
        let fix = format!(
            "drop the domain (`www`, not `www.{domain}`; `@` for the apex) or add a trailing dot"
        );
        return Err(Problem::new(format!(
            "relative name {name:?} ends with the domain name {domain}"
        ))
        .with_fix(fix));
    }
    name::join(name, apex).map_err(Problem::new)
}

/// The type written as `rtype` (in any case), if a config may hold it.
pub(super) fn record_type(rtype: &str) -> Result<RecordType, Problem> {
    match rtype.parse::<RecordType>() {
        Ok(t) if !t.is_writable() => Err(Problem::new(format!(
            "{t} records cannot be written; Route 53 manages the {t}"
        ))
        .with_fix("remove this record")),
        Ok(t) => Ok(t),
        Err(_) => Err(Problem::new(format!(
            "type {:?} is not supported",
            rtype.to_ascii_uppercase()
        ))
        .with_fix(unknown_type_fix(rtype))),
    }
}

/// How to mend the unknown record type `written`: the type probably meant, and those allowed.
pub fn unknown_type_fix(written: &str) -> String {
    let writable = RecordType::ALL.into_iter().filter(|t| t.is_writable());
    let all = RecordType::names_where(RecordType::is_writable);
    match crate::suggest::closest(written, writable.map(RecordType::as_str)) {
        Some(meant) => format!("did you mean {meant}? (use one of {all})"),
        None => format!("use one of {all}"),
    }
}

/// The wire-form value, or the alias target, of a record.
fn content(
    raw: &RawRecord,
    rtype: RecordType,
    apex: &str,
) -> Result<(Option<String>, Option<AliasTarget>), Problem> {
    let given = [
        raw.value.is_some(),
        raw.strings.is_some(),
        raw.alias.is_some(),
    ];
    match given.iter().filter(|&&g| g).count() {
        0 => {
            return Err(Problem::new("the record has no value")
                .with_fix("give `value`, `strings` (TXT and SPF) or `alias`"))
        }
        1 => {}
        _ => {
            return Err(
                Problem::new("the record has more than one of value, strings, alias")
                    .with_fix("keep exactly one of them"),
            )
        }
    }
    if let Some(alias) = &raw.alias {
        return alias_target(alias, rtype, raw.ttl, apex).map(|a| (None, Some(a)));
    }
    let wire = match (&raw.value, &raw.strings) {
        (_, Some(strings)) if rdata::has_strings(rtype) => rdata::txt_strings_to_wire(strings),
        (_, Some(_)) => {
            return Err(
                Problem::new(format!("`strings` is for TXT and SPF, not {rtype}"))
                    .with_fix("use `value`"),
            )
        }
        (Some(value), None) => rdata::to_wire(rtype, value, apex),
        (None, None) => Err("the record has no value".to_string()),
    };
    wire.map(|w| (Some(w), None)).map_err(value_problem)
}

fn value_problem(message: String) -> Problem {
    let fix = if message.contains("must end with a dot") {
        "add the trailing dot for a name outside the zone, or write a single label for one inside it"
    } else {
        "correct the value"
    };
    Problem::new(message).with_fix(fix)
}

fn alias_target(
    alias: &RawAlias,
    rtype: RecordType,
    ttl: Option<u32>,
    apex: &str,
) -> Result<AliasTarget, Problem> {
    if ttl.is_some() {
        return Err(
            Problem::new("an alias record set has no TTL; Route 53 uses the target's")
                .with_fix("remove `ttl` from this record"),
        );
    }
    if rtype == RecordType::NS {
        return Err(Problem::new("an NS record cannot be an alias")
            .with_fix("give the name servers in `value`"));
    }
    let dns_name = rdata::target_to_wire(&alias.target, apex).map_err(value_problem)?;
    if alias.zone_id.is_none() && !name::is_in_zone(&dns_name, apex) {
        return Err(Problem::new(format!(
            "alias target {:?} is outside the zone, so its hosted zone is unknown",
            alias.target
        ))
        .with_fix("add `zone_id`: the hosted zone id of the target (e.g. Z35SXDOTRQ7X7K for an ELB in us-east-1)"));
    }
    Ok(AliasTarget {
        hosted_zone_id: alias.zone_id.as_deref().unwrap_or_default().into(),
        dns_name: dns_name.into(),
        evaluate_target_health: alias.evaluate_target_health,
    })
}

/// The routing policy of a record; checks that it has a set identifier exactly when it has one.
fn routing(raw: &RawRecord) -> Result<Option<Routing>, Problem> {
    let mut given: Vec<&str> = Vec::new();
    let named = [
        ("weight", raw.weight.is_some()),
        ("region", raw.region.is_some()),
        ("failover", raw.failover.is_some()),
        ("geolocation", raw.geolocation.is_some()),
        ("geoproximity", raw.geoproximity.is_some()),
        ("multivalue", raw.multivalue == Some(true)),
        ("cidr", raw.cidr.is_some()),
    ];
    given.extend(named.iter().filter(|(_, on)| *on).map(|(n, _)| *n));
    match (given.as_slice(), &raw.set_identifier) {
        ([], None) => return Ok(None),
        ([], Some(_)) => {
            return Err(Problem::new("set_identifier without a routing policy")
                .with_fix(format!("add one of {POLICIES}, or remove set_identifier")))
        }
        ([policy], None) => {
            return Err(
                Problem::new(format!("routing policy `{policy}` needs a set_identifier")).with_fix(
                    "add \"set_identifier\": a name unique among records of this name and type",
                ),
            )
        }
        ([_], Some(id)) => check_set_identifier(id)?,
        (many, _) => {
            return Err(Problem::new(format!(
                "the record has several routing policies: {}",
                many.join(", ")
            ))
            .with_fix("keep exactly one routing policy per record"))
        }
    }
    policy(raw).map(Some)
}

fn check_set_identifier(id: &str) -> Result<(), Problem> {
    let chars = id.chars().count();
    if chars == 0 || chars > MAX_SET_IDENTIFIER_CHARS {
        return Err(
            Problem::new(format!("set_identifier {id:?} is {chars} characters long"))
                .with_fix(format!("use 1 to {MAX_SET_IDENTIFIER_CHARS} characters")),
        );
    }
    Ok(())
}

/// The one routing policy a record names (the caller has checked there is exactly one).
fn policy(raw: &RawRecord) -> Result<Routing, Problem> {
    if let Some(weight) = raw.weight {
        if weight > 255 {
            return Err(
                Problem::new(format!("weight {weight} is too large")).with_fix("use 0 to 255")
            );
        }
        return Ok(Routing::Weighted { weight });
    }
    if let Some(region) = &raw.region {
        check_region(region)?;
        return Ok(Routing::Latency {
            region: region.clone(),
        });
    }
    if let Some(failover) = &raw.failover {
        let role = failover.to_ascii_uppercase();
        if role != "PRIMARY" && role != "SECONDARY" {
            return Err(Problem::new(format!("failover {failover:?} is not a role"))
                .with_fix("use \"PRIMARY\" or \"SECONDARY\""));
        }
        return Ok(Routing::Failover { role });
    }
    if let Some(geo) = &raw.geolocation {
        return geolocation(geo);
    }
    if let Some(geo) = &raw.geoproximity {
        return geoproximity(geo);
    }
    if let Some(cidr) = &raw.cidr {
        if cidr.collection_id.is_empty() || cidr.location_name.is_empty() {
            return Err(Problem::new("cidr needs collection_id and location_name")
                .with_fix("give the CIDR collection's id and a location name in it, or \"*\""));
        }
        return Ok(Routing::Cidr {
            collection_id: cidr.collection_id.clone(),
            location_name: cidr.location_name.clone(),
        });
    }
    Ok(Routing::MultiValue)
}

/// An AWS region name like `us-east-1` or `us-gov-west-1`.
fn check_region(region: &str) -> Result<(), Problem> {
    let parts: Vec<&str> = region.split('-').collect();
    let lower = |s: &&str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let valid = match parts.as_slice() {
        [first, middle @ .., last] => {
            first.len() == 2
                && lower(first)
                && !middle.is_empty()
                && middle.iter().all(lower)
                && !last.is_empty()
                && last.bytes().all(|b| b.is_ascii_digit())
        }
        _ => false,
    };
    if !valid {
        return Err(
            Problem::new(format!("region {region:?} is not an AWS region name"))
                .with_fix("use a region like \"us-east-1\" or \"eu-west-2\""),
        );
    }
    Ok(())
}

fn geolocation(geo: &RawGeolocation) -> Result<Routing, Problem> {
    let upper = |s: &Option<String>| s.as_ref().map(|v| v.to_ascii_uppercase());
    let (continent, country, subdivision) = (
        upper(&geo.continent),
        upper(&geo.country),
        upper(&geo.subdivision),
    );
    let fix =
        "give a continent (e.g. \"EU\"), or a country (e.g. \"DE\", or \"*\" for the default) \
               with an optional subdivision (e.g. \"US\" and \"CA\")";
    let problem = |m: String| Err(Problem::new(m).with_fix(fix));
    match (&continent, &country, &subdivision) {
        (None, None, _) => {
            return problem("geolocation needs a continent or a country".to_string())
        }
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            return problem("geolocation has both a continent and a country".to_string())
        }
        (Some(c), None, None) if !CONTINENTS.contains(&c.as_str()) => {
            return problem(format!(
                "continent {c:?} is not one of {}",
                CONTINENTS.join(", ")
            ))
        }
        (None, Some(c), _)
            if c != "*" && !(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase())) =>
        {
            return problem(format!("country {c:?} is not a two-letter country code"))
        }
        _ => {}
    }
    Ok(Routing::Geolocation {
        continent,
        country,
        subdivision,
    })
}

fn geoproximity(geo: &RawGeoproximity) -> Result<Routing, Problem> {
    let locations = [
        geo.aws_region.is_some(),
        geo.local_zone_group.is_some(),
        geo.coordinates.is_some(),
    ];
    if locations.iter().filter(|&&l| l).count() != 1 {
        return Err(Problem::new("geoproximity needs exactly one location")
            .with_fix("give one of aws_region, local_zone_group or coordinates"));
    }
    if let Some(bias) = geo.bias.filter(|b| !(-99..=99).contains(b)) {
        return Err(Problem::new(format!("bias {bias} is out of range")).with_fix("use -99 to 99"));
    }
    if let Some(region) = &geo.aws_region {
        check_region(region)?;
    }
    let coordinates = match &geo.coordinates {
        Some(c) => {
            let (latitude, longitude) = (c.latitude.text(), c.longitude.text());
            check_degrees(&latitude, "latitude", 90.0)?;
            check_degrees(&longitude, "longitude", 180.0)?;
            Some((latitude, longitude))
        }
        None => None,
    };
    Ok(Routing::Geoproximity {
        aws_region: geo.aws_region.clone(),
        local_zone_group: geo.local_zone_group.clone(),
        coordinates,
        bias: geo.bias,
    })
}

fn check_degrees(text: &str, what: &str, limit: f64) -> Result<(), Problem> {
    match text.parse::<f64>() {
        Ok(d) if (-limit..=limit).contains(&d) => Ok(()),
        _ => Err(
            Problem::new(format!("{what} {text:?} is not a number of degrees"))
                .with_fix(format!("use a decimal from -{limit} to {limit}")),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APEX: &str = "example.tld.";

    fn record(json: &str) -> RawRecord {
        serde_json::from_str(json).unwrap()
    }

    fn parsed(json: &str, index: usize) -> Entry {
        entry(&record(json), index, APEX).expect(json)
    }

    fn problems(json: &str) -> Vec<Problem> {
        entry(&record(json), 0, APEX).expect_err(json)
    }

    fn message(json: &str) -> String {
        problems(json)
            .into_iter()
            .map(|p| p.message)
            .collect::<Vec<_>>()
            .join("; ")
    }

    #[test]
    fn owner_names() {
        assert_eq!(owner_name("@", APEX).unwrap(), APEX);
        assert_eq!(owner_name("www", APEX).unwrap(), "www.example.tld.");
        assert_eq!(owner_name("*", APEX).unwrap(), "\\052.example.tld.");
        assert_eq!(
            owner_name("WWW.example.tld.", APEX).unwrap(),
            "www.example.tld."
        );
        assert_eq!(
            owner_name("bücher", APEX).unwrap(),
            "xn--bcher-kva.example.tld."
        );
        let outside = owner_name("www.other.tld.", APEX).unwrap_err();
        assert!(outside.message.contains("outside the zone"));
        let doubled = owner_name("www.example.tld", APEX).unwrap_err();
        assert!(doubled.message.contains("ends with the domain name"));
        assert!(doubled.fix.unwrap().contains("drop the domain"));
        assert!(owner_name("", APEX).unwrap_err().fix.unwrap().contains('@'));
    }

    #[test]
    fn simple_entry() {
        let e = parsed(
            r#"{"name":"www","type":"cname","value":"test","ttl":60}"#,
            2,
        );
        assert_eq!(e.label(APEX), "www cname (records[2])");
        assert_eq!(e.rtype, RecordType::CNAME);
        assert_eq!(e.value.as_deref(), Some("test.example.tld."));
        assert_eq!(e.ttl, Some(60));
    }

    #[test]
    fn labels_give_the_name_and_type_as_written() {
        let written = [
            ("www", "TXT"),
            ("www", "txt"),
            ("WWW", "TXT"),
            ("@", "TXT"),
            ("example.tld.", "TXT"),
            ("www.example.tld.", "TXT"),
            ("*", "TXT"),
        ];
        for (name, rtype) in written {
            let e = parsed(
                &format!(r#"{{"name":"{name}","type":"{rtype}","value":"x"}}"#),
                7,
            );
            assert_eq!(e.label(APEX), format!("{name} {rtype} (records[7])"));
        }
        // The label of a plain record is derived: nothing of it is stored.
        assert!(parsed(r#"{"name":"www","type":"TXT","value":"x"}"#, 0)
            .rare
            .is_none());
    }

    #[test]
    fn value_sources() {
        assert!(message(r#"{"name":"a","type":"A"}"#).contains("no value"));
        assert!(
            message(r#"{"name":"a","type":"TXT","value":"x","strings":["y"]}"#)
                .contains("more than one")
        );
        assert!(message(r#"{"name":"a","type":"A","strings":["y"]}"#).contains("TXT and SPF"));
        let e = parsed(r#"{"name":"a","type":"TXT","strings":["x","y"]}"#, 0);
        assert_eq!(e.value.as_deref(), Some("\"x\" \"y\""));
    }

    #[test]
    fn a_mistyped_type_gets_a_suggestion() {
        let unknown = problems(r#"{"name":"a","type":"CNMAE","value":"b"}"#);
        let fix = unknown[0].fix.as_deref().unwrap();
        assert!(
            fix.starts_with("did you mean CNAME? (use one of A, AAAA"),
            "{fix}"
        );
        assert_eq!(unknown_type_fix("SOA"), unknown_type_fix("XYZ"));
    }

    #[test]
    fn all_problems_of_a_record_are_listed() {
        let all = problems(r#"{"name":"a.example.tld","type":"A","value":"1.2.3"}"#);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(message(r#"{"name":"a","type":"SOA","value":"x"}"#).contains("SOA"));
        assert!(message(r#"{"name":"a","type":"LOC","value":"x"}"#).contains("not supported"));
        let unknown = problems(r#"{"name":"a","type":"loc","value":"x"}"#);
        assert_eq!(unknown[0].message, "type \"LOC\" is not supported");
        assert!(unknown[0]
            .fix
            .as_ref()
            .unwrap()
            .contains("use one of A, AAAA"));
        assert!(
            message(r#"{"name":"a","type":"A","value":"1.2.3.4","ttl":2147483648}"#)
                .contains("too large")
        );
    }

    #[test]
    fn aliases() {
        let e = parsed(r#"{"name":"app","type":"A","alias":{"target":"lb"}}"#, 0);
        let alias = e.alias().unwrap();
        assert_eq!(&*alias.dns_name, "lb.example.tld.");
        assert_eq!(&*alias.hosted_zone_id, "");
        assert!(!alias.evaluate_target_health);
        assert_eq!(
            message(r#"{"name":"a","type":"A","ttl":60,"alias":{"target":"lb"}}"#),
            "an alias record set has no TTL; Route 53 uses the target's"
        );
        assert!(
            message(r#"{"name":"a","type":"A","alias":{"target":"x.elb.amazonaws.com."}}"#)
                .contains("outside the zone")
        );
        assert!(message(r#"{"name":"a","type":"NS","alias":{"target":"lb"}}"#).contains("NS"));
        assert!(
            message(r#"{"name":"a","type":"A","alias":{"target":"x.com","zone_id":"Z1"}}"#)
                .contains("must end with a dot")
        );
    }

    #[test]
    fn routing_policies() {
        let routed = |extra: &str| {
            let json = format!(r#"{{"name":"a","type":"A","value":"1.2.3.4",{extra}}}"#);
            entry(&record(&json), 0, APEX).map(|e| e.routing().cloned())
        };
        let id = r#""set_identifier":"x","#;
        assert_eq!(
            routed(&format!(r#"{id}"weight":10"#)).unwrap(),
            Some(Routing::Weighted { weight: 10 })
        );
        assert_eq!(
            routed(&format!(r#"{id}"failover":"primary""#)).unwrap(),
            Some(Routing::Failover {
                role: "PRIMARY".into()
            })
        );
        assert_eq!(
            routed(&format!(r#"{id}"multivalue":true"#)).unwrap(),
            Some(Routing::MultiValue)
        );
        assert!(routed(&format!(r#"{id}"region":"eu-west-1""#)).is_ok());
        assert!(routed(&format!(r#"{id}"region":"Europe""#)).is_err());
        assert!(routed(&format!(r#"{id}"weight":256"#)).is_err());
        assert!(routed(&format!(r#"{id}"failover":"TERTIARY""#)).is_err());
        assert!(routed(&format!(r#"{id}"geolocation":{{"country":"de"}}"#)).is_ok());
        assert!(routed(&format!(r#"{id}"geolocation":{{"continent":"XX"}}"#)).is_err());
        assert!(routed(&format!(
            r#"{id}"geolocation":{{"continent":"EU","country":"DE"}}"#
        ))
        .is_err());
        assert!(routed(&format!(r#"{id}"geolocation":{{}}"#)).is_err());
        assert!(routed(&format!(
            r#"{id}"geoproximity":{{"coordinates":{{"latitude":49.22,"longitude":"-74.01"}},"bias":10}}"#
        ))
        .is_ok());
        assert!(routed(&format!(
            r#"{id}"geoproximity":{{"aws_region":"us-east-1","bias":100}}"#
        ))
        .is_err());
        assert!(routed(&format!(r#"{id}"geoproximity":{{}}"#)).is_err());
        assert!(routed(&format!(
            r#"{id}"cidr":{{"collection_id":"c","location_name":"l"}}"#
        ))
        .is_ok());
        let several = problems(
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1,"region":"us-east-1"}"#,
        );
        assert!(several[0].message.contains("weight, region"));
        assert!(
            message(r#"{"name":"a","type":"A","value":"1.2.3.4","weight":1}"#)
                .contains("needs a set_identifier")
        );
        assert!(
            message(r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x"}"#)
                .contains("without a routing policy")
        );
        let long = "x".repeat(129);
        assert!(message(&format!(
            r#"{{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"{long}","weight":1}}"#
        ))
        .contains("129 characters"));
    }
}
