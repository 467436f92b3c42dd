//! The JSON config: its model, how it is read and checked before any network call, and
//! ([`export`]) how live record sets are written back in its format. Records come out as
//! [`RecordSet`]s in wire form, grouped by name, type and set identifier.
//!
//! The format (every object denies unknown fields):
//! ```json
//! { "default_ttl": 300,
//!   "registrars": { "none": { "type": "NONE" } },
//!   "dns_providers": { "r53_main": { "type": "ROUTE53" } },
//!   "domains": [ { "name": "example.tld", "registrar": "none", "dns_providers": ["r53_main"],
//!                  "zone_id": "Z…", "default_ttl": 600, "keep_unknown": false,
//!                  "max_change_share": 0.5, "nameservers": ["ns1.example.net"],
//!                  "private": [ { "vpc_id": "vpc-1a2b", "vpc_region": "eu-west-1" } ],
//!                  "delegation_set_id": "N1PA…", "comment": "…",
//!                  "ignore": [ { "name": "_acme-challenge*", "types": ["TXT"] } ],
//!                  "records": [ { "name": "test", "type": "A", "value": "1.2.3.4" } ] } ] }
//! ```
//! A record has `name` and `type`, then one of `value`, `strings` (TXT, SPF) or `alias`
//! (`target`, `zone_id`, `evaluate_target_health`), an optional `ttl`, and optionally
//! `set_identifier` with one routing policy (`weight`, `region`, `failover`, `geolocation`,
//! `geoproximity`, `multivalue`, `cidr`) and `health_check_id`.
//!
//! May import: `input`, `log`, `model`, `name`, `rdata`, `rtype`, `suggest`.

pub mod bind_import;
pub mod export;
mod fields;
mod ir;
mod raw;
mod reader;
mod records;
mod validate;

use std::fmt;
use std::path::{Path, PathBuf};

use crate::model::{IgnoreRule, RecordSet, Vpc};

/// A validated config.
#[derive(Clone, Debug)]
pub struct Config {
    pub path: PathBuf,
    pub providers: Vec<Provider>,
    pub registrars: Vec<Registrar>,
    pub domains: Vec<Domain>,
}

/// A DNS provider: a name that matches a creds.json entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Provider {
    pub name: String,
    /// Only `ROUTE53` for now.
    pub kind: String,
}

/// A registrar: `NONE` or `ROUTE53`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registrar {
    pub name: String,
    pub kind: String,
}

/// Whether the registrar named `name` among `registrars` is of type `ROUTE53`.
pub fn is_route53_registrar(registrars: &[Registrar], name: &str) -> bool {
    registrars
        .iter()
        .any(|r| r.name == name && r.kind == "ROUTE53")
}

/// One domain (hosted zone) and the record sets it should hold.
#[derive(Clone, Debug)]
pub struct Domain {
    /// As the user wrote it (UTF-8 allowed), for messages.
    pub display_name: String,
    /// Wire-form zone name, e.g. `example.tld.`.
    pub name: String,
    pub registrar: String,
    pub providers: Vec<String>,
    /// Picks the hosted zone when several share the name.
    pub zone_id: Option<String>,
    /// Desired record sets. An apex NS without a TTL in the config has `ttl: None`: keep the live one.
    pub records: Vec<RecordSet>,
    /// Live record sets matching these are never touched.
    pub ignore: Vec<IgnoreRule>,
    /// Keep live record sets the config does not name (dnscontrol's NO_PURGE).
    pub keep_unknown: bool,
    /// The share (0 to 1) of the zone's record sets a push may change or delete without
    /// `--force`; `None` means the default.
    pub max_change_share: Option<f64>,
    /// Name servers a ROUTE53 registrar registers instead of the hosted zone's (wire form);
    /// empty means the zone's.
    pub nameservers: Vec<String>,
    /// The VPCs a private zone answers in; empty for a public zone.
    pub private: Vec<Vpc>,
    /// The reusable delegation set create-domains puts a new public zone in.
    pub delegation_set_id: Option<String>,
    /// The comment create-domains gives a new zone.
    pub comment: Option<String>,
}

impl Domain {
    /// Whether the domain is a private zone.
    pub fn is_private(&self) -> bool {
        !self.private.is_empty()
    }
}

/// Config-wide default TTL when the file gives none.
pub const DEFAULT_TTL: u32 = 300;

/// Reads and validates the config at `path`, reporting every problem found, not just the first.
pub fn load(path: &Path) -> Result<Config, ConfigErrors> {
    reader::parse(path, read(path, "the config file")?)
}

/// The text of `what`, the file at `path`, or the error naming it.
fn read(path: &Path, what: &str) -> Result<String, ConfigErrors> {
    crate::input::read_text(path).map_err(|e| {
        let mut errors = reader::Errors::new(path);
        let problem = records::Problem::new(format!("cannot read {what}: {e}"))
            .with_fix("check the path and the file's permissions");
        errors.push(None, None, problem);
        errors.into()
    })
}

/// Reads the output of `dnscontrol print-ir` at `path` as a config; any other file is refused.
pub fn load_ir(path: &Path) -> Result<Config, ConfigErrors> {
    reader::parse_values(path, &read(path, "the config file")?, true)
}

/// Validates the config text `text`, read from `path` (named in errors).
pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigErrors> {
    reader::parse(path, text)
}

/// Every problem found in a config file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let [only] = self.0.as_slice() {
            return write!(f, "{only}");
        }
        write!(f, "{} problems in the config:", self.0.len())?;
        for error in &self.0 {
            write!(f, "\n- {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

/// A problem in the config, located as precisely as possible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub domain: Option<String>,
    /// The record, as `name TYPE` or the entry's position.
    pub record: Option<String>,
    pub message: String,
    /// How to mend it.
    pub fix: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(d) = &self.domain {
            write!(f, ": domain {d}")?;
        }
        if let Some(r) = &self.record {
            write!(f, ": record {r}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {fix}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}
