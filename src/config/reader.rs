//! Reading a config file: JSON syntax, the top-level sections, then each domain and each of its
//! records on its own, so that every problem in the file is reported in one go.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::fields::from_value;
use super::raw::{
    CompactRecord, Object, RawConfig, RawDomain, RawIgnore, RawKind, RawRecord, RawVpc, TypedConfig,
};
use super::records::{self, Entry, Problem, MAX_TTL};
use super::{
    ir, validate, Config, ConfigError, ConfigErrors, Domain, Provider, Registrar, DEFAULT_TTL,
};
use crate::model::{bare_id, IgnoreRule, Vpc};
use crate::name;
use crate::rtype::RecordType;

const REGISTRAR_KINDS: &[&str] = &["NONE", "ROUTE53"];
const PROVIDER_KINDS: &[&str] = &["ROUTE53"];

/// The errors of one file, each located by domain and record.
pub(super) struct Errors {
    file: PathBuf,
    list: Vec<ConfigError>,
}

impl Errors {
    pub(super) fn new(file: &Path) -> Errors {
        Errors {
            file: file.to_path_buf(),
            list: Vec::new(),
        }
    }

    pub(super) fn file(&self) -> &Path {
        &self.file
    }

    pub(super) fn len(&self) -> usize {
        self.list.len()
    }

    pub(super) fn push(&mut self, domain: Option<&str>, record: Option<&str>, problem: Problem) {
        self.list.push(ConfigError {
            file: self.file.clone(),
            domain: domain.map(str::to_string),
            record: record.map(str::to_string),
            message: problem.message,
            fix: problem.fix,
        });
    }
}

impl From<Errors> for ConfigErrors {
    fn from(errors: Errors) -> ConfigErrors {
        ConfigErrors(errors.list)
    }
}

/// What a domain is checked against.
struct Known<'a> {
    registrars: &'a [Registrar],
    providers: &'a [Provider],
    default_ttl: u32,
}

/// Parses and validates config `text` read from `path`: r53ctl's format, or dnscontrol's IR
/// (told apart by [`ir::is_ir`]).
pub fn parse<'t>(path: &Path, text: impl Into<Cow<'t, str>>) -> Result<Config, ConfigErrors> {
    let text = text.into();
    // A file in r53ctl's format that serde reads whole, the common case, needs no JSON value tree;
    // one serde cannot read (IR included: its sections are lists) is read again as one, so that
    // its errors say where and what.
    if let Ok(Object(raw)) = serde_json::from_str::<TypedConfig>(&text) {
        // An owned text is freed before the records are checked, not kept beside them.
        drop(text);
        return from_raw(path, raw, Errors::new(path));
    }
    parse_values(path, &text, false)
}

/// Validates config `text` read as a JSON value tree; with `only_ir`, anything but dnscontrol's
/// IR is refused.
pub(super) fn parse_values(path: &Path, text: &str, only_ir: bool) -> Result<Config, ConfigErrors> {
    let mut errors = Errors::new(path);
    let Some(value) = json(text, &mut errors) else {
        return Err(ConfigErrors(errors.list));
    };
    let is_ir = ir::is_ir(&value);
    if only_ir && !is_ir {
        let problem = Problem::new("this is not the output of `dnscontrol print-ir`")
            .with_fix("run `dnscontrol print-ir --out ir.json` and convert ir.json");
        errors.push(None, None, problem);
        return Err(ConfigErrors(errors.list));
    }
    let value = if is_ir {
        ir::to_native(value, &mut errors)
    } else {
        value
    };
    from_json(path, value, errors)
}

/// Validates a config already read as JSON, adding to the `errors` found so far.
pub(super) fn from_json(
    path: &Path,
    value: Value,
    mut errors: Errors,
) -> Result<Config, ConfigErrors> {
    let Some(raw) = top_level(value, &mut errors) else {
        return Err(ConfigErrors(errors.list));
    };
    from_raw::<Value, Value>(path, raw, errors)
}

/// An entry of `domains` or `records` as the first reading left it: a JSON value still to read as
/// `T`, or a `T` already.
trait Item<T> {
    /// The string `field` of the entry, when it has one, to name the entry in errors.
    fn text(&self, field: &str) -> Option<&str>;
    /// The entry as `T`; `what` (`a record`) names it in an error, which gives the entry back.
    fn read(self, what: &str) -> Result<T, (Problem, Self)>
    where
        Self: Sized;
}

impl<T: DeserializeOwned> Item<T> for Value {
    fn text(&self, field: &str) -> Option<&str> {
        self.get(field).and_then(Value::as_str)
    }

    fn read(self, what: &str) -> Result<T, (Problem, Value)> {
        from_value(&self, what).map_err(|p| (p, self))
    }
}

impl<R> Item<RawDomain<R>> for Object<RawDomain<R>> {
    fn text(&self, field: &str) -> Option<&str> {
        match field {
            "name" => Some(&self.0.name),
            "zone_id" => self.0.zone_id.as_deref(),
            _ => None,
        }
    }

    fn read(self, _: &str) -> Result<RawDomain<R>, (Problem, Self)> {
        Ok(self.0)
    }
}

impl Item<RawRecord> for CompactRecord {
    fn text(&self, field: &str) -> Option<&str> {
        let (name, rtype) = match self {
            CompactRecord::Plain { name, rtype, .. } => (name, rtype),
            CompactRecord::Full(raw) => (&raw.name, &raw.rtype),
        };
        match field {
            "name" => Some(name),
            "type" => Some(rtype),
            _ => None,
        }
    }

    fn read(self, _: &str) -> Result<RawRecord, (Problem, Self)> {
        Ok(self.into())
    }
}

/// Validates a config whose top level is read, adding to the `errors` found so far.
fn from_raw<D, R>(
    path: &Path,
    raw: RawConfig<D>,
    mut errors: Errors,
) -> Result<Config, ConfigErrors>
where
    D: Item<RawDomain<R>>,
    R: Item<RawRecord>,
{
    let default_ttl = raw.default_ttl.unwrap_or(DEFAULT_TTL);
    if let Err(p) = check_ttl(default_ttl, "default_ttl") {
        errors.push(None, None, p);
    }
    let registrars: Vec<Registrar> =
        kinds(&raw.registrars, "registrar", REGISTRAR_KINDS, &mut errors)
            .map(|(name, kind)| Registrar { name, kind })
            .collect();
    let providers: Vec<Provider> = kinds(
        &raw.dns_providers,
        "DNS provider",
        PROVIDER_KINDS,
        &mut errors,
    )
    .map(|(name, kind)| Provider { name, kind })
    .collect();
    let known = Known {
        registrars: &registrars,
        providers: &providers,
        default_ttl,
    };
    let mut domains = Vec::new();
    let mut seen = Vec::new();
    for (index, entry) in raw.domains.into_iter().enumerate() {
        check_repeat(index, &entry, &mut seen, &mut errors);
        domains.extend(domain(index, entry, &known, &mut errors));
    }
    if !errors.list.is_empty() {
        return Err(ConfigErrors(errors.list));
    }
    Ok(Config {
        path: path.to_path_buf(),
        providers,
        registrars,
        domains,
    })
}

/// Reports a domain whose name (and zone_id, when both give one) an earlier entry already has.
fn check_repeat<R>(
    index: usize,
    entry: &impl Item<RawDomain<R>>,
    seen: &mut Vec<(String, Option<String>, usize)>,
    errors: &mut Errors,
) {
    let field = |f: &str| entry.text(f);
    let Some(display) = field("name") else { return };
    let wire = name::normalize(display);
    let zone = field("zone_id").map(str::to_string);
    let earlier = seen.iter().find(|(name, other_zone, _)| {
        *name == wire && (zone.is_none() || other_zone.is_none() || *other_zone == zone)
    });
    if let Some((_, _, earlier)) = earlier {
        let message = format!("domains[{index}] repeats domains[{earlier}]");
        let fix = "merge the two entries, or give each a different zone_id to pick between zones of one name";
        errors.push(Some(display), None, Problem::new(message).with_fix(fix));
    }
    seen.push((wire, zone, index));
}

/// The JSON syntax; `None` when nothing more can be checked.
fn json(text: &str, errors: &mut Errors) -> Option<Value> {
    match serde_json::from_str(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let fix = format!(
                "correct the JSON near line {} column {} (JSON allows no comments and no trailing commas)",
                e.line(),
                e.column()
            );
            errors.push(
                None,
                None,
                Problem::new(format!("invalid JSON: {e}")).with_fix(fix),
            );
            None
        }
    }
}

/// The top-level object; `None` when nothing more can be checked.
fn top_level(value: Value, errors: &mut Errors) -> Option<RawConfig> {
    let fix = "the file holds one object with default_ttl, registrars, dns_providers and domains";
    from_value(&value, "the config")
        .map_err(|p| errors.push(None, None, p.or_fix(fix)))
        .ok()
}

/// The entries of `registrars` or `dns_providers`, with their types checked.
fn kinds<'a>(
    entries: &'a BTreeMap<String, RawKind>,
    what: &'a str,
    allowed: &'a [&str],
    errors: &mut Errors,
) -> impl Iterator<Item = (String, String)> + 'a {
    for (name, entry) in entries {
        if !allowed.contains(&entry.kind.as_str()) {
            let message = format!("{what} {name:?} has type {:?}", entry.kind);
            let fix = format!("use type {}", allowed.join(" or "));
            errors.push(None, None, Problem::new(message).with_fix(fix));
        }
    }
    entries
        .iter()
        .map(|(name, entry)| (name.clone(), entry.kind.clone()))
}

fn check_ttl(ttl: u32, what: &str) -> Result<(), Problem> {
    if ttl > MAX_TTL {
        return Err(Problem::new(format!("{what} {ttl} is too large"))
            .with_fix(format!("use 0 to {MAX_TTL}")));
    }
    Ok(())
}

/// One entry of `domains`, with every problem pushed to `errors`.
fn domain<R: Item<RawRecord>>(
    index: usize,
    entry: impl Item<RawDomain<R>>,
    known: &Known<'_>,
    errors: &mut Errors,
) -> Option<Domain> {
    let label = entry
        .text("name")
        .map_or_else(|| format!("domains[{index}]"), str::to_string);
    let raw = entry
        .read("a domain")
        .map_err(|(p, _)| errors.push(Some(&label), None, p.or_fix("correct the domain's fields")))
        .ok()?;
    let before = errors.list.len();
    let mut push = |p: Problem| errors.push(Some(&label), None, p);
    let apex = match name::to_wire(&raw.name) {
        Ok(apex) if apex != "." => Some(apex),
        Ok(_) => {
            push(
                Problem::new("the domain name is empty")
                    .with_fix("write the zone's name, e.g. \"example.tld\""),
            );
            None
        }
        Err(e) => {
            push(Problem::new(e).with_fix("write the zone's name, e.g. \"example.tld\""));
            None
        }
    };
    check_references(&raw, known)
        .into_iter()
        .chain(check_zone_settings(&raw, known))
        .for_each(&mut push);
    let nameservers = name_servers(&raw.nameservers)
        .map_err(|ps| ps.into_iter().for_each(&mut push))
        .ok();
    let default_ttl = raw.default_ttl.unwrap_or(known.default_ttl);
    if let Err(p) = check_ttl(default_ttl, "default_ttl") {
        push(p);
    }
    let ignore = ignore_rules(&raw.ignore)
        .map_err(|ps| ps.into_iter().for_each(&mut push))
        .ok();
    let apex = apex?;
    let records = domain_records(raw.records, &apex, default_ttl, &label, errors);
    if errors.list.len() > before {
        return None;
    }
    Some(Domain {
        display_name: raw.name,
        name: apex,
        registrar: raw.registrar,
        providers: raw.dns_providers,
        zone_id: raw.zone_id,
        records: records?,
        ignore: ignore?,
        keep_unknown: raw.keep_unknown,
        max_change_share: raw.max_change_share,
        nameservers: nameservers?,
        private: raw.private.into_iter().map(Vpc::from).collect(),
        delegation_set_id: raw.delegation_set_id,
        comment: raw.comment,
    })
}

impl From<RawVpc> for Vpc {
    fn from(raw: RawVpc) -> Vpc {
        Vpc {
            id: raw.vpc_id,
            region: raw.vpc_region,
        }
    }
}

/// Route 53's longest hosted zone comment.
const MAX_COMMENT_CHARS: usize = 256;

/// The domain's `private`, `delegation_set_id` and `comment` are well formed and fit together:
/// a private zone has no delegation set, and no name servers a registrar could point at.
fn check_zone_settings<R>(raw: &RawDomain<R>, known: &Known<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (index, vpc) in raw.private.iter().enumerate() {
        let id_ok = vpc.vpc_id.starts_with("vpc-")
            && vpc
                .vpc_id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-');
        let region_ok = !vpc.vpc_region.is_empty()
            && vpc
                .vpc_region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok || !region_ok {
            let message = format!(
                "private[{index}] is not a VPC: vpc_id {:?}, vpc_region {:?}",
                vpc.vpc_id, vpc.vpc_region
            );
            let fix = "write {\"vpc_id\": \"vpc-1a2b3c4d\", \"vpc_region\": \"eu-west-1\"}";
            problems.push(Problem::new(message).with_fix(fix));
        }
        if raw.private[..index].iter().any(|v| v.vpc_id == vpc.vpc_id) {
            let message = format!("private[{index}] repeats VPC {}", vpc.vpc_id);
            problems.push(Problem::new(message).with_fix("name each VPC once"));
        }
    }
    let private = !raw.private.is_empty();
    if private && raw.delegation_set_id.is_some() {
        let fix = "leave delegation_set_id out: reusable delegation sets are for public zones";
        problems.push(Problem::new("a private zone has no delegation set").with_fix(fix));
    }
    let at_route53 = super::is_route53_registrar(known.registrars, &raw.registrar);
    if private && at_route53 && raw.nameservers.is_empty() {
        let message = format!(
            "registrar {:?} is of type ROUTE53, but a private zone has no name servers it could \
             register",
            raw.registrar
        );
        let fix = "use a registrar of type NONE, or give \"nameservers\" explicitly";
        problems.push(Problem::new(message).with_fix(fix));
    }
    if raw
        .delegation_set_id
        .as_deref()
        .is_some_and(|id| !is_bare_id(bare_id(id)))
    {
        let fix = "give the reusable delegation set's id, e.g. \"N1PA6795SAMPLE\"";
        problems.push(Problem::new("delegation_set_id is not a delegation set id").with_fix(fix));
    }
    if let Some(comment) = raw
        .comment
        .as_deref()
        .filter(|c| c.chars().count() > MAX_COMMENT_CHARS)
    {
        let message = format!(
            "comment is {} characters long; Route 53 allows {MAX_COMMENT_CHARS}",
            comment.chars().count()
        );
        problems.push(Problem::new(message).with_fix("shorten the comment"));
    }
    problems
}

/// The domain's `nameservers` in wire form, each a host name given once.
fn name_servers(raw: &[String]) -> Result<Vec<String>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut servers: Vec<String> = Vec::new();
    for (index, server) in raw.iter().enumerate() {
        match name::to_wire(server) {
            Ok(wire) if wire != "." && !servers.contains(&wire) => servers.push(wire),
            Ok(wire) if wire != "." => problems.push(
                Problem::new(format!("nameservers[{index}] repeats {server}"))
                    .with_fix("name each name server once"),
            ),
            Ok(_) => problems.push(
                Problem::new(format!("nameservers[{index}] is empty"))
                    .with_fix("write a host name, e.g. \"ns1.example.net\""),
            ),
            Err(e) => problems.push(
                Problem::new(format!("nameservers[{index}]: {e}"))
                    .with_fix("write a host name, e.g. \"ns1.example.net\""),
            ),
        }
    }
    match problems.is_empty() {
        true => Ok(servers),
        false => Err(problems),
    }
}

/// The domain's registrar and DNS providers exist, there is at least one provider, and its
/// `zone_id` and `max_change_share` are well formed.
fn check_references<R>(raw: &RawDomain<R>, known: &Known<'_>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let registrar_names: Vec<&str> = known.registrars.iter().map(|r| r.name.as_str()).collect();
    if !registrar_names.contains(&raw.registrar.as_str()) {
        let message = format!(
            "unknown registrar {:?}; known: {}",
            raw.registrar,
            listing(&registrar_names)
        );
        let fix = "use a registrar named in `registrars`, or add it there, e.g. \"none\": {\"type\": \"NONE\"}";
        problems.push(Problem::new(message).with_fix(fix));
    }
    let provider_names: Vec<&str> = known.providers.iter().map(|p| p.name.as_str()).collect();
    if raw.dns_providers.is_empty() {
        let fix = format!(
            "add \"dns_providers\": [\"name\"] naming one of: {}",
            listing(&provider_names)
        );
        problems.push(Problem::new("the domain has no dns_providers").with_fix(fix));
    }
    for provider in &raw.dns_providers {
        if !provider_names.contains(&provider.as_str()) {
            let message = format!(
                "unknown DNS provider {provider:?}; known: {}",
                listing(&provider_names)
            );
            let fix = "use a provider named in `dns_providers` at the top level, or add it there";
            problems.push(Problem::new(message).with_fix(fix));
        }
    }
    if raw.zone_id.as_deref().is_some_and(|z| !is_bare_id(z)) {
        let fix =
            "give the bare hosted zone id, e.g. \"Z0123456789ABCDEFGHIJ\", or leave zone_id out";
        problems.push(Problem::new("zone_id is not a hosted zone id").with_fix(fix));
    }
    if let Some(share) = raw
        .max_change_share
        .filter(|share| !(0.0..=1.0).contains(share))
    {
        let message = format!("max_change_share {share} is not a share from 0 to 1");
        let fix =
            "write e.g. 0.5 to let a push change or delete up to half of the zone's record sets";
        problems.push(Problem::new(message).with_fix(fix));
    }
    problems
}

fn listing(names: &[&str]) -> String {
    if names.is_empty() {
        "(none)".to_string()
    } else {
        names.join(", ")
    }
}

/// The problem of a type name in `ignore[index]` that is no record type.
fn unknown_ignored_type(index: usize, name: &str) -> Problem {
    Problem::new(format!(
        "ignore[{index}] names unknown type {:?}",
        name.to_ascii_uppercase()
    ))
    .with_fix(records::unknown_type_fix(name))
}

fn ignore_rules(raw: &[RawIgnore]) -> Result<Vec<IgnoreRule>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut rules = Vec::new();
    for (i, rule) in raw.iter().enumerate() {
        if rule.name.is_empty() {
            problems.push(
                Problem::new(format!("ignore[{i}] has an empty name"))
                    .with_fix("use a glob like \"_acme-challenge*\", or \"@\" for the apex"),
            );
        }
        let mut types = Vec::new();
        for t in &rule.types {
            match t.parse::<RecordType>() {
                Ok(rtype) => types.push(rtype),
                Err(_) => problems.push(unknown_ignored_type(i, t)),
            }
        }
        rules.push(IgnoreRule {
            name: rule.name.clone(),
            types,
        });
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(problems)
    }
}

/// The record sets of a domain; `None` if any record has a problem (pushed to `errors`).
fn domain_records(
    items: Vec<impl Item<RawRecord>>,
    apex: &str,
    default_ttl: u32,
    domain: &str,
    errors: &mut Errors,
) -> Option<Vec<crate::model::RecordSet>> {
    let mut entries: Vec<Entry> = Vec::with_capacity(items.len());
    let mut failed = false;
    for (index, item) in items.into_iter().enumerate() {
        let converted = match item.read("a record") {
            Ok(raw) => records::entry(&raw, index, apex).map_err(|problems| {
                (
                    records::label(index, Some(&raw.name), Some(&raw.rtype)),
                    problems,
                )
            }),
            Err((problem, item)) => {
                let rtype = item.text("type");
                let mut problems = vec![problem.or_fix("correct the record's fields")];
                // Otherwise a misspelt field would hide a bad type until the field is mended.
                problems.extend(rtype.and_then(|t| records::record_type(t).err()));
                Err((records::label(index, item.text("name"), rtype), problems))
            }
        };
        match converted {
            Ok(entry) => entries.push(entry),
            Err((label, problems)) => {
                failed = true;
                for p in problems {
                    errors.push(Some(domain), Some(&label), p);
                }
            }
        }
    }
    match validate::record_sets(entries, apex, default_ttl) {
        Ok(sets) if !failed => Some(sets),
        Ok(_) => None,
        Err(located) => {
            for (label, p) in located {
                errors.push(Some(domain), Some(&label), p);
            }
            None
        }
    }
}

/// Whether `id` has the shape of a Route 53 id without its `/hostedzone/` or `/delegationset/`
/// prefix: letters and digits only.
fn is_bare_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric())
}
#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::{load, parse};
    use crate::model::{RecordSet, Routing};

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/config")
            .join(name)
    }

    fn errors_of(name: &str) -> Vec<ConfigError> {
        load(&fixture(name)).expect_err(name).0
    }

    fn errors_in(text: &str) -> Vec<ConfigError> {
        parse(Path::new("inline.json"), text).expect_err(text).0
    }

    /// The one error whose record (or, without one, message) contains `needle`.
    fn find<'a>(errors: &'a [ConfigError], needle: &str) -> &'a ConfigError {
        errors
            .iter()
            .find(|e| e.record.as_deref().unwrap_or(&e.message).contains(needle))
            .unwrap_or_else(|| panic!("no error about {needle:?} in {errors:#?}"))
    }

    fn set<'a>(records: &'a [RecordSet], name: &str, rtype: RecordType) -> &'a RecordSet {
        records
            .iter()
            .find(|s| &*s.name == name && s.rtype == rtype)
            .unwrap_or_else(|| panic!("no {name} {rtype}"))
    }

    const HEADER: &str = r#""registrars": {"none": {"type": "NONE"}},
        "dns_providers": {"r53_main": {"type": "ROUTE53"}}"#;

    fn with_records(records: &str) -> String {
        format!(
            r#"{{ {HEADER}, "domains": [{{"name": "example.tld", "registrar": "none",
            "dns_providers": ["r53_main"], "records": [{records}] }}] }}"#
        )
    }

    /// The config `text` read through JSON values only, as a file serde cannot read whole is.
    fn parse_as_values(text: &str) -> Result<Config, ConfigErrors> {
        let path = Path::new("inline.json");
        from_json(path, serde_json::from_str(text).unwrap(), Errors::new(path))
    }

    #[test]
    fn a_config_read_whole_is_the_config_read_value_by_value() {
        let text = std::fs::read_to_string(fixture("example.json")).unwrap();
        let whole = parse(Path::new("inline.json"), &text);
        assert!(whole.is_ok(), "{whole:?}");
        assert_eq!(
            format!("{whole:?}"),
            format!("{:?}", parse_as_values(&text))
        );
    }

    #[test]
    fn domains_and_records_written_as_lists_are_refused() {
        // serde reads a struct from a list of its fields; the config takes objects only.
        let nulls = vec!["null"; 14].join(", ");
        let record = format!(r#"["www", "A", "192.0.2.1", {nulls}]"#);
        let errors = errors_in(&with_records(&record));
        assert_eq!(errors[0].message, "a record must be a JSON object {…}");
        let domain = r#"["example.tld", "none", ["r53_main"], null, null, false, null, [], [],
            [], [], null, null]"#;
        let errors = errors_in(&format!(r#"{{ {HEADER}, "domains": [{domain}] }}"#));
        assert_eq!(errors[0].message, "a domain must be a JSON object {…}");
        let errors = errors_in(r#"[null, {}, {}, []]"#);
        assert_eq!(errors[0].message, "the config must be a JSON object {…}");
    }

    #[test]
    fn example_config_loads() {
        let config = load(&fixture("example.json")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            config.registrars,
            [Registrar {
                name: "none".into(),
                kind: "NONE".into()
            }]
        );
        assert_eq!(
            config.providers,
            [Provider {
                name: "r53_main".into(),
                kind: "ROUTE53".into()
            }]
        );
        let [tld, org] = config.domains.as_slice() else {
            panic!("two domains")
        };
        assert_eq!(
            (tld.display_name.as_str(), tld.name.as_str()),
            ("example.tld", "example.tld.")
        );
        let records = &tld.records;
        assert_eq!(
            set(records, "test.example.tld.", RecordType::A),
            &RecordSet::simple(
                "test.example.tld.",
                RecordType::A,
                600,
                vec!["1.2.3.4".into()]
            )
        );
        assert_eq!(
            set(records, "www.example.tld.", RecordType::CNAME).values,
            ["test.example.tld."]
        );
        assert_eq!(
            set(records, "www.example.tld.", RecordType::CNAME).ttl,
            Some(60)
        );
        assert_eq!(set(records, "example.tld.", RecordType::NS).ttl, None);
        assert_eq!(set(records, "example.tld.", RecordType::MX).values.len(), 2);
        assert_eq!(
            set(records, "\\052.example.tld.", RecordType::A).values,
            ["1.2.3.5"]
        );
        assert_eq!(
            set(records, "v6.example.tld.", RecordType::AAAA).values,
            ["2001:db8::1"]
        );
        assert_eq!(
            set(records, "xn--bcher-kva.example.tld.", RecordType::A).values,
            ["1.2.3.6"]
        );
        assert_eq!(
            set(records, "dkim._domainkey.example.tld.", RecordType::TXT).values,
            ["\"v=DKIM1; k=rsa; p=AAAA\" \"BBBB\""]
        );
        let app = set(records, "app.example.tld.", RecordType::A);
        assert_eq!(
            (app.ttl, app.alias().map(|a| &*a.hosted_zone_id)),
            (None, Some(""))
        );
        let api: Vec<_> = records
            .iter()
            .filter(|s| &*s.name == "api.example.tld.")
            .collect();
        assert_eq!(api.len(), 2);
        assert_eq!(api[0].routing(), Some(&Routing::Weighted { weight: 10 }));
        assert_eq!(
            tld.ignore,
            [IgnoreRule {
                name: "_acme-challenge*".into(),
                types: vec![RecordType::TXT]
            }]
        );
        assert!(!tld.keep_unknown && org.keep_unknown);
        assert_eq!(org.zone_id.as_deref(), Some("Z0123456789ABCDEFGHIJ"));
        assert_eq!(
            set(&org.records, "www.example.org.", RecordType::A).ttl,
            Some(3600)
        );
    }

    #[test]
    fn ttl_defaults_chain() {
        let config = parse(
            Path::new("x.json"),
            &with_records(r#"{"name": "a", "type": "A", "value": "1.2.3.4"}"#),
        );
        assert_eq!(config.unwrap().domains[0].records[0].ttl, Some(DEFAULT_TTL));
        let text = format!(
            r#"{{ "default_ttl": 1800, {HEADER}, "domains": [{{"name": "example.tld", "registrar": "none",
            "dns_providers": ["r53_main"], "records": [{{"name": "a", "type": "A", "value": "1.2.3.4"}}] }}] }}"#
        );
        let config = parse(Path::new("x.json"), &text).unwrap();
        assert_eq!(config.domains[0].records[0].ttl, Some(1800));
    }

    #[test]
    fn cut_config_files_parse_or_fail_without_panicking() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/config");
        for entry in std::fs::read_dir(&dir).expect("fixtures/config") {
            let text = std::fs::read_to_string(entry.expect("directory entry").path()).unwrap();
            let cut_points = text.char_indices().map(|(at, _)| at).chain([text.len()]);
            for end in cut_points {
                // Ok or Err; a panic fails the test.
                let _ = parse(Path::new("x.json"), &text[..end]);
            }
        }
    }

    #[test]
    fn missing_file() {
        let errors = errors_of("does-not-exist.json");
        assert_eq!(errors[0].file, fixture("does-not-exist.json"));
        assert!(errors[0].message.starts_with("cannot read the config file"));
        assert!(errors[0].fix.is_some());
    }

    #[test]
    fn invalid_json_gives_line_and_column() {
        let errors = errors_of("bad-json.json");
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .message
                .starts_with("invalid JSON: trailing comma"),
            "{}",
            errors[0].message
        );
        assert!(
            errors[0]
                .fix
                .as_deref()
                .unwrap()
                .contains("line 4 column 1"),
            "{:?}",
            errors[0].fix
        );
    }

    #[test]
    fn unknown_fields_name_the_allowed_ones() {
        let errors = errors_in(r#"{"domain": []}"#);
        assert!(errors[0]
            .message
            .contains("unknown field `domain`, expected one of `default_ttl`"));
        let errors = errors_in(&with_records(
            r#"{"name": "a", "type": "A", "value": "1.2.3.4", "tll": 60}"#,
        ));
        assert_eq!(errors[0].record.as_deref(), Some("a A (records[0])"));
        assert!(errors[0].message.contains("unknown field `tll`"));
        assert!(errors[0].message.contains("`ttl`"));
        let errors = errors_in(&with_records(
            r#"{"name": "a", "type": "AAA", "value": "1.2.3.4", "tll": 60}"#,
        ));
        assert_eq!(errors.len(), 2, "{errors:#?}");
        assert!(errors[0].message.contains("unknown field `tll`"));
        assert_eq!(errors[1].message, "type \"AAA\" is not supported");
        assert_eq!(errors[1].record.as_deref(), Some("a AAA (records[0])"));
        assert!(errors[1]
            .fix
            .as_deref()
            .unwrap()
            .starts_with("did you mean A"));
        let errors = errors_in(&with_records(
            r#"{"name": "a", "type": "A", "value": "1.2.3.4", "ttl": "60"}"#,
        ));
        assert_eq!(
            errors[0].message,
            "ttl: expected a number, found the string \"60\""
        );
        assert!(errors_in(r#"[]"#)[0]
            .message
            .contains("must be a JSON object"));
    }

    #[test]
    fn bad_references_are_all_reported() {
        let errors = errors_of("bad-references.json");
        assert_eq!(errors.len(), 5, "{errors:#?}");
        assert!(errors.iter().all(|e| e.fix.is_some()));
        let kind = find(&errors, "registrar \"gandi\" has type");
        assert_eq!(kind.fix.as_deref(), Some("use type NONE or ROUTE53"));
        let registrar = find(&errors, "unknown registrar");
        assert_eq!(registrar.domain.as_deref(), Some("example.tld"));
        assert!(registrar
            .message
            .contains("\"godaddy\"; known: gandi, none"));
        assert!(find(&errors, "unknown DNS provider")
            .message
            .contains("\"r53_other\"; known: r53_main"));
        assert_eq!(
            find(&errors, "no dns_providers").domain.as_deref(),
            Some("example.net")
        );
        let repeat = find(&errors, "repeats");
        assert_eq!(repeat.domain.as_deref(), Some("EXAMPLE.tld."));
        assert_eq!(repeat.message, "domains[2] repeats domains[0]");
    }

    #[test]
    fn bad_records_are_all_reported() {
        let errors = errors_of("bad-records.json");
        assert_eq!(errors.len(), 8, "{errors:#?}");
        assert!(errors.iter().all(|e| e.fix.is_some()));
        assert!(errors.iter().all(|e| e.file == fixture("bad-records.json")));
        assert!(errors
            .iter()
            .all(|e| e.domain.as_deref() == Some("example.tld")));
        assert!(find(&errors, "test A (records[0])")
            .message
            .contains("unknown field `valeu`"));
        let relative = find(&errors, "www.example.tld A (records[1])");
        assert!(relative.fix.as_deref().unwrap().contains("drop the domain"));
        assert_eq!(
            find(&errors, "mail MX (records[2])").message,
            "target \"mail.other.tld\" must end with a dot (or be a single label relative to the zone)"
        );
        assert!(find(&errors, "@ CNAME (records[3])")
            .message
            .contains("apex"));
        assert!(find(&errors, "lb A (records[4])")
            .message
            .contains("alias record set has no TTL"));
        assert!(find(&errors, "x A (records[6])")
            .message
            .contains("x A (records[5])"));
        assert!(find(&errors, "@ SOA (records[7])").message.contains("SOA"));
        assert!(find(&errors, "out.other.tld. A (records[8])")
            .message
            .contains("outside the zone"));
    }

    #[test]
    fn ignore_and_zone_id_are_checked() {
        let text = format!(
            r#"{{ {HEADER}, "domains": [{{"name": "example.tld", "registrar": "none", "dns_providers": ["r53_main"],
            "zone_id": "/hostedzone/Z1", "ignore": [{{"name": "x*", "types": ["TXXT"]}}] }}] }}"#
        );
        let errors = errors_in(&text);
        assert!(find(&errors, "unknown type \"TXXT\"").fix.is_some());
        assert!(find(&errors, "zone_id")
            .fix
            .as_deref()
            .unwrap()
            .contains("bare hosted zone id"));
    }

    #[test]
    fn max_change_share_is_a_share() {
        let domain = |share: &str| {
            format!(
                r#"{{ {HEADER}, "domains": [{{"name": "example.tld", "registrar": "none",
                "dns_providers": ["r53_main"], "max_change_share": {share} }}] }}"#
            )
        };
        let config = parse(Path::new("x.json"), &domain("0.5")).unwrap();
        assert_eq!(config.domains[0].max_change_share, Some(0.5));
        assert_eq!(
            parse(Path::new("x.json"), &domain("1")).unwrap().domains[0].max_change_share,
            Some(1.0)
        );
        for bad in ["1.5", "-0.1"] {
            let errors = errors_in(&domain(bad));
            assert!(find(&errors, "is not a share from 0 to 1").fix.is_some());
        }
    }

    #[test]
    fn zones_of_one_name_need_distinct_zone_ids() {
        let domain = |zone: &str| {
            format!(
                r#"{{"name": "example.tld", "registrar": "none", "dns_providers": ["r53_main"], "zone_id": "{zone}"}}"#
            )
        };
        let text = format!(
            r#"{{ {HEADER}, "domains": [{}, {}] }}"#,
            domain("Z1"),
            domain("Z2")
        );
        assert_eq!(parse(Path::new("x.json"), &text).unwrap().domains.len(), 2);
        let text = format!(
            r#"{{ {HEADER}, "domains": [{}, {}] }}"#,
            domain("Z1"),
            domain("Z1")
        );
        assert!(find(&errors_in(&text), "repeats").fix.is_some());
    }

    #[test]
    fn errors_display_every_problem() {
        let errors = load(&fixture("bad-records.json")).unwrap_err();
        let text = errors.to_string();
        assert!(text.starts_with("8 problems in the config:"), "{text}");
        assert!(
            text.contains("bad-records.json: domain example.tld: record x A (records[6]): ttl 120")
        );
        assert_eq!(text.matches("\n  fix: ").count(), 8);
    }

    /// A config of one domain whose registrar `r53reg` is of type ROUTE53, with `fields` added.
    fn registrar_domain(fields: &str) -> String {
        format!(
            r#"{{ "registrars": {{"r53reg": {{"type": "ROUTE53"}}}},
            "dns_providers": {{"r53_main": {{"type": "ROUTE53"}}}},
            "domains": [{{"name": "example.tld", "registrar": "r53reg",
            "dns_providers": ["r53_main"] {fields} }}] }}"#
        )
    }

    #[test]
    fn registrar_and_zone_creation_fields() {
        let text = registrar_domain(
            r#", "nameservers": ["NS1.Example.net", "ns2.example.org."],
            "delegation_set_id": "/delegationset/N1PA6795SAMPLE", "comment": "team dns""#,
        );
        let domain = &parse(Path::new("x.json"), &text).unwrap().domains[0];
        assert_eq!(domain.nameservers, ["ns1.example.net.", "ns2.example.org."]);
        assert_eq!(
            domain.delegation_set_id.as_deref(),
            Some("/delegationset/N1PA6795SAMPLE")
        );
        assert_eq!(domain.comment.as_deref(), Some("team dns"));
        assert!(!domain.is_private());

        let private = r#"{ "registrars": {"none": {"type": "NONE"}},
            "dns_providers": {"r53_main": {"type": "ROUTE53"}},
            "domains": [{"name": "in.example", "registrar": "none", "dns_providers": ["r53_main"],
            "private": [{"vpc_id": "vpc-1a2b", "vpc_region": "eu-west-1"},
                        {"vpc_id": "vpc-3c4d", "vpc_region": "us-east-1"}]}] }"#;
        let domain = &parse(Path::new("x.json"), private).unwrap().domains[0];
        assert!(domain.is_private());
        assert_eq!(domain.private[1].id, "vpc-3c4d");
        assert_eq!(domain.private[1].region, "us-east-1");
    }

    #[test]
    fn registrar_and_zone_creation_mistakes_say_how_to_fix_them() {
        let cases = [
            (
                r#", "nameservers": ["a..b"]"#,
                "nameservers[0]",
                "host name",
            ),
            (
                r#", "nameservers": ["ns1.x.net", "NS1.x.net."]"#,
                "repeats",
                "once",
            ),
            (
                r#", "private": [{"vpc_id": "vpc-1", "vpc_region": "eu-west-1"}]"#,
                "private zone has no name servers",
                "type NONE",
            ),
            (
                r#", "private": [{"vpc_id": "1", "vpc_region": "eu-west-1"}], "nameservers": ["ns.x.net"]"#,
                "is not a VPC",
                "vpc-1a2b3c4d",
            ),
            (
                r#", "private": [{"vpc_id": "vpc-1", "vpc_region": "eu-west-1"}], "nameservers": ["ns.x.net"], "delegation_set_id": "N1""#,
                "has no delegation set",
                "public zones",
            ),
            (
                r#", "delegation_set_id": "N 1""#,
                "not a delegation set id",
                "N1PA",
            ),
        ];
        for (fields, message, fix) in cases {
            let errors = errors_in(&registrar_domain(fields));
            let error = find(&errors, message);
            assert_eq!(error.domain.as_deref(), Some("example.tld"));
            assert!(
                error.fix.as_deref().unwrap_or_default().contains(fix),
                "{fields}: {error}"
            );
        }
        let long = format!(r#", "comment": "{}""#, "x".repeat(257));
        find(&errors_in(&registrar_domain(&long)), "257 characters");
    }
}
