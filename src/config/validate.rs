//! Checks across the records of one domain, each error naming the record: entries of one name,
//! type and set identifier merge into one record set (one TTL, one routing policy, no duplicate
//! values), record sets of one name and type share a routing policy kind, and a CNAME stands alone.

use std::cmp::Ordering;

use crate::model::{RecordSet, Routing};
use crate::rtype::RecordType;

use super::records::{Entry, Problem};

/// Most record sets of one name and type under a routing policy.
const MAX_ROUTED_SETS: usize = 100;
/// Most record sets of one name and type under geoproximity routing.
const MAX_GEOPROXIMITY_SETS: usize = 30;

/// A problem located at a record (its label).
pub type Located = (String, Problem);

/// The zone the entries are in, and the TTL of entries without one.
#[derive(Clone, Copy)]
struct Zone<'a> {
    /// Wire form.
    apex: &'a str,
    default_ttl: u32,
}

/// Merges the entries of one domain into record sets and checks them. `default_ttl` applies to
/// entries without a TTL, except in the apex NS record set, which then keeps the live TTL. The
/// record sets come out ordered by name, type and set identifier, each with its values in the
/// order of the entries.
pub fn record_sets(
    mut entries: Vec<Entry>,
    apex: &str,
    default_ttl: u32,
) -> Result<Vec<RecordSet>, Vec<Located>> {
    let zone = Zone { apex, default_ttl };
    // Sorted by key, each record set's entries are one run. The index makes the order total, so
    // the faster unstable sort keeps the entries of a run in config order.
    entries.sort_unstable_by(|a, b| key_order(a, b).then(a.index.cmp(&b.index)));
    let count = check_record_sets(&entries, zone)?;
    let mut sets: Vec<RecordSet> = Vec::with_capacity(count);
    let mut entries = entries.into_iter().peekable();
    while let Some(first) = entries.next() {
        let mut others = Vec::new();
        while let Some(entry) = entries.next_if(|e| key_order(e, &first).is_eq()) {
            others.extend(entry.value);
        }
        sets.push(record_set(first, others, zone));
    }
    Ok(sets)
}

/// Checks the record sets of `entries`, sorted by key; returns how many there are.
fn check_record_sets(entries: &[Entry], zone: Zone<'_>) -> Result<usize, Vec<Located>> {
    let groups: Vec<&[Entry]> = entries.chunk_by(|a, b| key_order(a, b).is_eq()).collect();
    let mut problems: Vec<Located> = groups
        .iter()
        .filter_map(|group| check_set(group, zone).err())
        .collect();
    // The first entry of each record set, in key order: record sets of one name are adjacent.
    let firsts: Vec<&Entry> = groups.iter().filter_map(|group| group.first()).collect();
    problems.extend(check_policies(&firsts, zone.apex));
    problems.extend(check_cnames(&firsts, zone.apex));
    if problems.is_empty() {
        Ok(groups.len())
    } else {
        Err(problems)
    }
}

/// What identifies an entry's record set: name, type and set identifier.
fn entry_key(e: &Entry) -> (&str, RecordType, Option<&str>) {
    (&e.name, e.rtype, e.set_identifier())
}

/// The order of record sets: [`crate::model::RecordKey`]'s, by name, type and set identifier.
fn key_order(a: &Entry, b: &Entry) -> Ordering {
    entry_key(a).cmp(&entry_key(b))
}

/// The TTL entry `e` gives its record set; `None` keeps the live one (the apex NS without a TTL).
fn ttl_of(e: &Entry, zone: Zone<'_>) -> Option<u32> {
    match e.ttl {
        Some(ttl) => Some(ttl),
        None if e.rtype == RecordType::NS && *e.name == *zone.apex => None,
        None => Some(zone.default_ttl),
    }
}

/// The entries of one record set agree: one alias or values, one TTL, one routing policy and
/// health check, no value twice.
fn check_set(group: &[Entry], zone: Zone<'_>) -> Result<(), Located> {
    let Some((first, rest)) = group.split_first() else {
        return Ok(());
    };
    for e in rest {
        if first.alias().is_some() || e.alias().is_some() {
            return Err(conflict(
                e,
                first,
                "an alias record set has one target and no other values",
                zone.apex,
            ));
        }
        if ttl_of(e, zone) != ttl_of(first, zone) {
            let ttl = |t: Option<u32>| {
                t.map_or("none (keep the live TTL)".to_string(), |t| t.to_string())
            };
            let message = format!(
                "ttl {} differs from ttl {} of {}; a record set has one TTL",
                ttl(ttl_of(e, zone)),
                ttl(ttl_of(first, zone)),
                first.label(zone.apex)
            );
            let fix = format!(
                "give every {} {} record the same ttl",
                crate::name::display(&e.name),
                e.rtype
            );
            return Err((e.label(zone.apex), Problem::new(message).with_fix(fix)));
        }
        if e.routing() != first.routing() || e.health_check_id() != first.health_check_id() {
            return Err(conflict(
                e,
                first,
                "routing policy or health check differs within one set_identifier",
                zone.apex,
            ));
        }
    }
    check_distinct_values(group, zone.apex)
}

/// The record set whose first entry is `first` and whose other entries hold `others`, its
/// values moved.
fn record_set(first: Entry, others: Vec<Box<str>>, zone: Zone<'_>) -> RecordSet {
    let ttl = ttl_of(&first, zone);
    let extra = first.rare.map(|rare| rare.extra).unwrap_or_default();
    let ttl = if extra.alias.is_some() { None } else { ttl };
    let values = first.value.into_iter().chain(others).collect();
    RecordSet::new(first.name, first.rtype, ttl, values, extra)
}

fn conflict(entry: &Entry, first: &Entry, what: &str, apex: &str) -> Located {
    let message = format!("conflicts with {}: {what}", first.label(apex));
    (
        entry.label(apex),
        Problem::new(message).with_fix(
            "make the records of one record set agree, or give them different set_identifiers",
        ),
    )
}

/// Refuses a value given twice in a record set (Route 53 rejects the whole change batch with
/// "Duplicate Resource Record", so it is an error here rather than a warning).
fn check_distinct_values(group: &[Entry], apex: &str) -> Result<(), Located> {
    if group.len() < 2 {
        return Ok(());
    }
    let mut seen: Vec<(String, &Entry)> = Vec::with_capacity(group.len());
    for e in group {
        let Some(value) = &e.value else { continue };
        let canonical = crate::rdata::canonical(e.rtype, value);
        if let Some((_, earlier)) = seen.iter().find(|(c, _)| *c == canonical) {
            let message = format!("value {value} is also given by {}", earlier.label(apex));
            return Err((
                e.label(apex),
                Problem::new(message).with_fix("remove one of the two records"),
            ));
        }
        seen.push((canonical, e));
    }
    Ok(())
}

/// The kind of a routing policy, for messages.
fn policy_kind(routing: Option<&Routing>) -> &'static str {
    match routing {
        None => "none",
        Some(Routing::Weighted { .. }) => "weight",
        Some(Routing::Latency { .. }) => "region",
        Some(Routing::Failover { .. }) => "failover",
        Some(Routing::Geolocation { .. }) => "geolocation",
        Some(Routing::Geoproximity { .. }) => "geoproximity",
        Some(Routing::MultiValue) => "multivalue",
        Some(Routing::Cidr { .. }) => "cidr",
    }
}

/// Record sets of one name and type: all with a set identifier or none, one policy kind, and
/// no more than Route 53's quota. `firsts` holds the first entry of each record set, in key order.
fn check_policies(firsts: &[&Entry], apex: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    for sets in firsts.chunk_by(|a, b| a.name == b.name && a.rtype == b.rtype) {
        let Some((first, rest)) = sets.split_first() else {
            continue;
        };
        let kind = policy_kind(first.routing());
        if let Some(other) = rest.iter().find(|e| policy_kind(e.routing()) != kind) {
            let message = format!(
                "routing policy {} differs from {kind} of {}; record sets of one name and type \
                 all use one routing policy (or none, and then there is one record set)",
                policy_kind(other.routing()),
                first.label(apex)
            );
            problems.push((
                other.label(apex),
                Problem::new(message).with_fix("use one routing policy for this name and type"),
            ));
            continue;
        }
        let limit = if kind == "geoproximity" {
            MAX_GEOPROXIMITY_SETS
        } else {
            MAX_ROUTED_SETS
        };
        if sets.len() > limit {
            let message = format!(
                "{} record sets of this name and type; Route 53 allows {limit}",
                sets.len()
            );
            problems.push((
                first.label(apex),
                Problem::new(message).with_fix("merge or remove record sets"),
            ));
        }
        let rtype = first.rtype;
        if kind == "multivalue" && !rtype.allows_multivalue() {
            let message = format!("multivalue answer routing is not available for {rtype}");
            let fix = format!(
                "use it with one of {}",
                RecordType::names_where(RecordType::allows_multivalue)
            );
            problems.push((first.label(apex), Problem::new(message).with_fix(fix)));
        }
    }
    problems
}

/// A CNAME is never at the apex and never beside other data of its name. `firsts` holds the
/// first entry of each record set, in key order.
fn check_cnames(firsts: &[&Entry], apex: &str) -> Vec<Located> {
    let mut problems = Vec::new();
    for of_name in firsts.chunk_by(|a, b| a.name == b.name) {
        for cname in of_name.iter().filter(|e| e.rtype == RecordType::CNAME) {
            if *cname.name == *apex {
                let fix =
                    "use an alias record (`alias`) at the apex, or put the CNAME on a subdomain";
                problems.push((
                    cname.label(apex),
                    Problem::new("a CNAME cannot be at the apex (@)").with_fix(fix),
                ));
                continue;
            }
            let beside = of_name.iter().find(|e| e.rtype != RecordType::CNAME);
            if let Some(other) = beside {
                let message = format!(
                    "a CNAME cannot be beside other data of its name, like {}",
                    other.label(apex)
                );
                let fix = "remove one of them, or use an alias record instead of the CNAME";
                problems.push((cname.label(apex), Problem::new(message).with_fix(fix)));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::super::raw::RawRecord;
    use super::super::records::entry;
    use super::*;

    const APEX: &str = "example.tld.";

    fn sets(records: &[&str]) -> Result<Vec<RecordSet>, Vec<Located>> {
        let entries: Vec<Entry> = records
            .iter()
            .enumerate()
            .map(|(i, json)| {
                let raw: RawRecord = serde_json::from_str(json).unwrap();
                entry(&raw, i, APEX).unwrap()
            })
            .collect();
        record_sets(entries, APEX, 300)
    }

    fn errors(records: &[&str]) -> Vec<Located> {
        sets(records).expect_err("expected errors")
    }

    #[test]
    fn values_merge_into_one_set() {
        let sets = sets(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4"}"#,
            r#"{"name":"A","type":"A","value":"1.2.3.5"}"#,
            r#"{"name":"b","type":"A","value":"1.2.3.4","ttl":60}"#,
        ])
        .unwrap();
        assert_eq!(sets.len(), 2);
        assert_eq!(
            sets[0],
            RecordSet::simple(
                "a.example.tld.",
                RecordType::A,
                300,
                vec!["1.2.3.4".into(), "1.2.3.5".into()]
            )
        );
        assert_eq!(sets[1].ttl, Some(60));
    }

    #[test]
    fn record_sets_come_in_key_order_with_values_in_config_order() {
        let sets = sets(&[
            r#"{"name":"b","type":"A","value":"1.2.3.9"}"#,
            r#"{"name":"a","type":"TXT","value":"x"}"#,
            r#"{"name":"b","type":"A","value":"1.2.3.1"}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"y","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"b","type":"A","value":"1.2.3.5"}"#,
        ])
        .unwrap();
        let keys: Vec<(&str, RecordType, Option<&str>)> = sets
            .iter()
            .map(|s| (&*s.name, s.rtype, s.set_identifier()))
            .collect();
        assert_eq!(
            keys,
            [
                ("a.example.tld.", RecordType::A, Some("x")),
                ("a.example.tld.", RecordType::A, Some("y")),
                ("a.example.tld.", RecordType::TXT, None),
                ("b.example.tld.", RecordType::A, None),
            ]
        );
        assert_eq!(sets[3].values, ["1.2.3.9", "1.2.3.1", "1.2.3.5"]);
    }

    #[test]
    fn conflicting_ttl_names_both_records() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","ttl":60}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5"}"#,
        ]);
        assert_eq!(errs[0].0, "a A (records[1])");
        assert!(errs[0]
            .1
            .message
            .contains("ttl 300 differs from ttl 60 of a A (records[0])"));
    }

    #[test]
    fn duplicate_values_are_errors() {
        let errs = errors(&[
            r#"{"name":"a","type":"AAAA","value":"2001:db8::1"}"#,
            r#"{"name":"a","type":"AAAA","value":"2001:0db8:0::1"}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("also given by a AAAA (records[0])"));
    }

    #[test]
    fn apex_ns_without_ttl_keeps_the_live_ttl() {
        let sets = sets(&[
            r#"{"name":"@","type":"NS","value":"ns1.dns.tld."}"#,
            r#"{"name":"@","type":"NS","value":"ns2.dns.tld."}"#,
            r#"{"name":"sub","type":"NS","value":"ns1.dns.tld."}"#,
        ])
        .unwrap();
        assert_eq!(sets[0].ttl, None);
        assert_eq!(sets[1].ttl, Some(300));
    }

    #[test]
    fn alias_set_has_one_target() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","alias":{"target":"lb"}}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.4"}"#,
        ]);
        assert!(errs[0].1.message.contains("alias"));
        let sets = sets(&[r#"{"name":"a","type":"A","alias":{"target":"lb"}}"#]).unwrap();
        assert_eq!(sets[0].ttl, None);
        assert!(sets[0].values.is_empty());
    }

    #[test]
    fn routing_policies_agree_per_name_and_type() {
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5","set_identifier":"y","region":"us-east-1"}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("routing policy region differs from weight"));
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5"}"#,
        ]);
        assert!(errs[0].1.message.contains("routing policy"));
        let errs = errors(&[
            r#"{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"x","weight":1}"#,
            r#"{"name":"a","type":"A","value":"1.2.3.5","set_identifier":"x","weight":2}"#,
        ]);
        assert!(errs[0]
            .1
            .message
            .contains("differs within one set_identifier"));
        let errs = errors(&[
            r#"{"name":"a","type":"CNAME","value":"b","set_identifier":"x","multivalue":true}"#,
        ]);
        assert!(errs[0].1.message.contains("not available for CNAME"));
    }

    #[test]
    fn quota_of_routed_sets() {
        let records: Vec<String> = (0..31)
            .map(|i| {
                format!(
                    r#"{{"name":"a","type":"A","value":"1.2.3.4","set_identifier":"s{i}","geoproximity":{{"aws_region":"us-east-1"}}}}"#
                )
            })
            .collect();
        let refs: Vec<&str> = records.iter().map(String::as_str).collect();
        let errs = errors(&refs);
        assert!(errs[0].1.message.contains("31 record sets"));
        assert!(sets(&refs[..30]).is_ok());
    }

    #[test]
    fn cname_rules() {
        let errs = errors(&[r#"{"name":"@","type":"CNAME","value":"www"}"#]);
        assert!(errs[0].1.message.contains("apex"));
        let errs = errors(&[
            r#"{"name":"www","type":"CNAME","value":"test"}"#,
            r#"{"name":"www","type":"TXT","value":"x"}"#,
        ]);
        assert_eq!(errs[0].0, "www CNAME (records[0])");
        assert!(errs[0].1.message.contains("beside other data"));
        assert!(errs[0].1.message.contains("www TXT (records[1])"));
    }
}
