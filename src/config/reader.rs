//! Reading a config file: JSON syntax, the top-level sections, then each domain and each of its
//! records on its own, so that every problem in the file is reported in one go.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::raw::{RawConfig, RawDomain, RawIgnore, RawKind, RawRecord};
use super::records::{self, Entry, Problem, MAX_TTL};
use super::{
    validate, Config, ConfigError, ConfigErrors, Domain, Provider, Registrar, DEFAULT_TTL,
};
use crate::diff::IgnoreRule;
use crate::{name, rdata};

const REGISTRAR_KINDS: &[&str] = &["NONE", "ROUTE53"];
const PROVIDER_KINDS: &[&str] = &["ROUTE53"];

/// The errors of one file, each located by domain and record.
struct Errors {
    file: PathBuf,
    list: Vec<ConfigError>,
}

impl Errors {
    fn push(&mut self, domain: Option<&str>, record: Option<&str>, problem: Problem) {
        self.list.push(ConfigError {
            file: self.file.clone(),
            domain: domain.map(str::to_string),
            record: record.map(str::to_string),
            message: problem.message,
            fix: problem.fix,
        });
    }
}

/// What a domain is checked against.
struct Known<'a> {
    registrars: &'a [Registrar],
    providers: &'a [Provider],
    default_ttl: u32,
}

/// Parses and validates config `text` read from `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigErrors> {
    let mut errors = Errors {
        file: path.to_path_buf(),
        list: Vec::new(),
    };
    let Some(raw) = top_level(text, &mut errors) else {
        return Err(ConfigErrors(errors.list));
    };
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
    let mut seen: HashMap<String, Vec<(Option<String>, usize)>> = HashMap::new();
    for (index, value) in raw.domains.into_iter().enumerate() {
        let Some(domain) = domain(index, value, &known, &mut errors) else {
            continue;
        };
        let same_name = seen.entry(domain.name.clone()).or_default();
        if let Some((_, earlier)) = same_name
            .iter()
            .find(|(zone, _)| zone.is_none() || domain.zone_id.is_none() || *zone == domain.zone_id)
        {
            let message = format!("domains[{index}] repeats domains[{earlier}]");
            let fix = "merge the two entries, or give each a different zone_id to pick between zones of one name";
            errors.push(
                Some(&domain.display_name),
                None,
                Problem::new(message).with_fix(fix),
            );
        }
        same_name.push((domain.zone_id.clone(), index));
        domains.push(domain);
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

/// The JSON syntax and the top-level object; `None` when nothing more can be checked.
fn top_level(text: &str, errors: &mut Errors) -> Option<RawConfig> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
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
            return None;
        }
    };
    let fix = "the file holds one object with default_ttl, registrars, dns_providers and domains";
    from_value(value, "the config")
        .map_err(|p| errors.push(None, None, p.with_fix(fix)))
        .ok()
}

/// A JSON object as `T`; serde's message names an unknown field and the ones allowed.
fn from_value<T: DeserializeOwned>(value: Value, what: &str) -> Result<T, Problem> {
    if !value.is_object() {
        return Err(Problem::new(format!("{what} must be a JSON object {{…}}")));
    }
    serde_json::from_value(value).map_err(|e| Problem::new(e.to_string()))
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
fn domain(index: usize, value: Value, known: &Known<'_>, errors: &mut Errors) -> Option<Domain> {
    let label = value
        .get("name")
        .and_then(Value::as_str)
        .map_or_else(|| format!("domains[{index}]"), str::to_string);
    let raw: RawDomain = from_value(value, "a domain")
        .map_err(|p| errors.push(Some(&label), None, p))
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
        .for_each(&mut push);
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
    })
}

/// The domain's registrar and DNS providers exist, and there is at least one provider.
fn check_references(raw: &RawDomain, known: &Known<'_>) -> Vec<Problem> {
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
    if raw
        .zone_id
        .as_deref()
        .is_some_and(|z| z.is_empty() || !z.bytes().all(|b| b.is_ascii_alphanumeric()))
    {
        let fix =
            "give the bare hosted zone id, e.g. \"Z0123456789ABCDEFGHIJ\", or leave zone_id out";
        problems.push(Problem::new("zone_id is not a hosted zone id").with_fix(fix));
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
        let types: Vec<String> = rule.types.iter().map(|t| t.to_ascii_uppercase()).collect();
        for t in types
            .iter()
            .filter(|t| *t != "SOA" && !rdata::SUPPORTED_TYPES.contains(&t.as_str()))
        {
            let fix = format!("use types among {}", rdata::SUPPORTED_TYPES.join(", "));
            problems
                .push(Problem::new(format!("ignore[{i}] names unknown type {t:?}")).with_fix(fix));
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
    values: Vec<Value>,
    apex: &str,
    default_ttl: u32,
    domain: &str,
    errors: &mut Errors,
) -> Option<Vec<crate::model::RecordSet>> {
    let mut entries: Vec<Entry> = Vec::new();
    let mut failed = false;
    for (index, value) in values.into_iter().enumerate() {
        let field = |f: &str| value.get(f).and_then(Value::as_str).map(str::to_string);
        let label = records::label(index, field("name").as_deref(), field("type").as_deref());
        let converted = from_value::<RawRecord>(value, "a record")
            .map_err(|p| vec![p.with_fix("correct the record's fields")])
            .and_then(|raw| records::entry(&raw, index, apex));
        match converted {
            Ok(entry) => entries.push(entry),
            Err(problems) => {
                failed = true;
                for p in problems {
                    errors.push(Some(domain), Some(&label), p);
                }
            }
        }
    }
    match validate::record_sets(&entries, apex, default_ttl) {
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
