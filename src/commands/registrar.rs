//! The registrar step of preview and push, for domains whose registrar is of type ROUTE53: the
//! name servers registered for the domain (Route 53 Domains) against those it should have (the
//! config's `nameservers`, else the delegation set of its hosted zone), compared as sets so that
//! nothing is re-sent when they match; the outage guard; and, once the domain's zones applied,
//! UpdateDomainNameservers and, with `--wait`, the operation followed to its end.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use serde_json::{json, Value};

use crate::config::{Config, Domain};
use crate::diff::LeftAlone;
use crate::domains;
use crate::error::Error;
use crate::interrupt::{self, Poll};
use crate::log;
use crate::plan::Target;
use crate::route53::{ApiError, Client};
use crate::rtype::RecordType;

use super::zones::{self, Connection};

/// The registrar changes of a run, and the domains whose registrar could not be checked.
#[derive(Default)]
pub struct RegistrarPlan {
    /// One client per registrar (creds entry) name.
    clients: BTreeMap<String, domains::Client>,
    pub changes: Vec<NsChange>,
    /// Why a domain's registrar could not be checked, one message each.
    pub failures: Vec<String>,
}

/// Name servers to register for one domain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NsChange {
    /// As the config names the domain.
    pub domain: String,
    /// As Route 53 Domains names it: wire form without the trailing dot.
    api_name: String,
    /// The registrar's creds entry.
    pub registrar: String,
    /// As the registrar has them, in the form [`server_name`] gives.
    pub registered: Vec<String>,
    pub wanted: Vec<String>,
    /// Why registering `wanted` could cut the domain off, when it could: the outage guard.
    pub risk: Option<String>,
}

/// What became of one [`NsChange`] in a push.
pub struct NsOutcome {
    pub domain: String,
    /// The operation id and its last known status, or why it did not complete.
    pub result: Result<String, String>,
}

/// A name server as it is compared and sent: lower case, no trailing dot.
fn server_name(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

fn server_set<'n, N: AsRef<str> + 'n>(names: impl IntoIterator<Item = &'n N>) -> BTreeSet<String> {
    names.into_iter().map(|n| server_name(n.as_ref())).collect()
}

/// The registrar changes for `domains`, whose zones were planned into `targets` through
/// `clients`. Domains without a ROUTE53 registrar, and those none of whose zones could be
/// read (already reported), have none.
pub fn plan(
    config: &Config,
    domains: &[&Domain],
    targets: &[Target],
    clients: &BTreeMap<String, Client>,
    connection: &Connection,
) -> Result<RegistrarPlan, Error> {
    let mut plan = RegistrarPlan::default();
    for domain in domains {
        if !crate::config::is_route53_registrar(&config.registrars, &domain.registrar) {
            continue;
        }
        let zones: Vec<&Target> = targets
            .iter()
            .filter(|t| t.plan.domain == domain.display_name)
            .collect();
        if zones.is_empty() {
            continue;
        }
        if !plan.clients.contains_key(&domain.registrar) {
            let client = zones::open_registrar(connection, &domain.registrar)?;
            plan.clients.insert(domain.registrar.clone(), client);
        }
        match plan.check(domain, &zones, clients) {
            Ok(Some(change)) => plan.changes.push(change),
            Ok(None) => {}
            Err(message) => plan.failures.push(message),
        }
    }
    Ok(plan)
}

impl RegistrarPlan {
    /// The change `domain` needs at its registrar, if any.
    fn check(
        &self,
        domain: &Domain,
        zones: &[&Target],
        clients: &BTreeMap<String, Client>,
    ) -> Result<Option<NsChange>, String> {
        let context = format!(
            "domain {} (registrar {})",
            domain.display_name, domain.registrar
        );
        let explicit = !domain.nameservers.is_empty();
        let wanted = match explicit {
            true => server_set(&domain.nameservers),
            false => delegation_of(zones, clients).map_err(|e| format!("{context}: {e}"))?,
        };
        let registrar = &self.clients[&domain.registrar];
        let api_name = domain.name.trim_end_matches('.');
        log::progress(&format!(
            "reading the registration of {}",
            domain.display_name
        ));
        let registered = match registrar.name_servers(api_name) {
            Ok(servers) => servers,
            Err(err) if err.is_unsupported_operation() => {
                log::warn(&format!(
                    "{context}: the endpoint {} does not offer Route 53 Domains ({err}); the \
                     name servers at the registrar are neither checked nor changed",
                    registrar.caller().endpoint().url
                ));
                return Ok(None);
            }
            Err(err) => return Err(format!("{context}: {}", explain(&err, domain))),
        };
        let registered = server_set(&registered);
        if registered == wanted {
            return Ok(None);
        }
        let risk = match explicit {
            true => None,
            false => outage_risk(domain, zones, &wanted),
        };
        Ok(Some(NsChange {
            domain: domain.display_name.clone(),
            api_name: api_name.to_string(),
            registrar: domain.registrar.clone(),
            registered: registered.into_iter().collect(),
            wanted: wanted.into_iter().collect(),
            risk,
        }))
    }

    /// One line per change that could cut its domain off: what push refuses without `--force`.
    pub fn refusals(&self) -> Vec<String> {
        self.changes
            .iter()
            .filter_map(|c| c.risk.as_ref().map(|risk| format!("{}: {risk}", c.domain)))
            .collect()
    }

    /// Sends each change whose domain is not in `failed` (domains whose zone changes did not
    /// all apply), and with `wait` follows its operation to the end.
    pub fn apply(&self, failed: &[&str], wait: Option<Duration>) -> Vec<NsOutcome> {
        self.changes
            .iter()
            .map(|change| NsOutcome {
                domain: change.domain.clone(),
                result: if crate::interrupt::received().is_some() {
                    Err("not sent: push was interrupted".into())
                } else if failed.contains(&change.domain.as_str()) {
                    Err("not sent: the zone's own changes did not all apply".into())
                } else {
                    self.send(change, wait)
                },
            })
            .collect()
    }

    fn send(&self, change: &NsChange, wait: Option<Duration>) -> Result<String, String> {
        let registrar = &self.clients[&change.registrar];
        let id = registrar
            .update_name_servers(&change.api_name, &change.wanted)
            .map_err(|err| with_none_hint(&err))?;
        match wait {
            None => Ok(format!("operation {id} submitted")),
            Some(timeout) => wait_for_operation(registrar, &id, timeout),
        }
    }
}

/// The name servers of the delegation sets of `zones` (a domain served by several providers is
/// registered with all of theirs).
fn delegation_of(
    zones: &[&Target],
    clients: &BTreeMap<String, Client>,
) -> Result<BTreeSet<String>, String> {
    let mut servers = BTreeSet::new();
    for target in zones {
        let zone = &target.plan.zone;
        if zone.private {
            return Err(format!(
                "hosted zone {} is private: no registrar can delegate to it; use a registrar of \
                 type NONE or give \"nameservers\"",
                zone.id
            ));
        }
        let client = zones::client_for(clients, &target.plan.provider)?;
        let delegation = client
            .delegation_name_servers(&zone.id)
            .map_err(|e| e.to_string())?;
        if delegation.is_empty() {
            return Err(format!(
                "GetHostedZone named no name servers for zone {}; nothing to register",
                zone.id
            ));
        }
        servers.extend(delegation.iter().map(|n| server_name(n)));
    }
    Ok(servers)
}

/// Why registering `wanted` could cut `domain` off: the apex NS record sets its zones will hold
/// after the push (the config's, else the live ones) do not name the same servers. Registering
/// servers that do not consider themselves authoritative, or a zone being moved between
/// accounts, is how such outages happen.
fn outage_risk(domain: &Domain, zones: &[&Target], wanted: &BTreeSet<String>) -> Option<String> {
    let is_apex_ns = |rs: &&crate::model::RecordSet| {
        rs.rtype == RecordType::NS && crate::name::normalize(&rs.name) == domain.name
    };
    let configured = domain.records.iter().find(is_apex_ns);
    let mut apex = BTreeSet::new();
    for target in zones {
        let live = target.untouched.as_ref().and_then(|untouched| {
            untouched
                .left_alone
                .iter()
                .filter(|(_, why)| *why == LeftAlone::ZoneApex)
                .map(|(rs, _)| rs)
                .find(is_apex_ns)
        });
        if let Some(record_set) = configured.or(live) {
            apex.extend(server_set(&record_set.values));
        }
    }
    (apex != *wanted).then(|| {
        format!(
            "its hosted zone's apex NS record set names {}, not the name servers it would be \
             registered with ({}); pointing the domain there could take it offline. Fix the \
             apex NS, give \"nameservers\" explicitly, or push with --force",
            listing(&apex),
            listing(wanted)
        )
    })
}

fn listing<'n>(names: impl IntoIterator<Item = &'n String>) -> String {
    let names: Vec<&str> = names.into_iter().map(String::as_str).collect();
    match names.is_empty() {
        true => "none".to_string(),
        false => names.join(" "),
    }
}

/// `err` of GetDomainDetail, with what the user can do about it.
fn explain(err: &ApiError, domain: &Domain) -> String {
    if domains::is_not_registered(err) {
        return format!(
            "{err}\n  hint: {} is not registered with Route 53 Domains in the account of creds \
             entry \"{}\"; check the entry, or use a registrar of type NONE when the domain is \
             registered elsewhere",
            domain.display_name, domain.registrar
        );
    }
    with_none_hint(err)
}

/// `err`, and for a refusal by IAM the way around it that needs no permission.
fn with_none_hint(err: &ApiError) -> String {
    match err.code() {
        Some("AccessDenied" | "AccessDeniedException") => format!(
            "{err}\n  hint: a registrar of type NONE needs no route53domains permission: r53ctl \
             then leaves the name servers at the registrar alone"
        ),
        _ => err.to_string(),
    }
}

/// Polls GetOperationDetail until the operation is final, `timeout` passes or a signal comes.
fn wait_for_operation(
    registrar: &domains::Client,
    id: &str,
    timeout: Duration,
) -> Result<String, String> {
    let what = format!("operation {id}");
    let poll = || {
        let state = registrar.operation_status(id).map_err(|e| e.to_string())?;
        let message = state.message.as_deref().unwrap_or("no message");
        match state.status.as_str() {
            "SUCCESSFUL" => Ok(Poll::Done(format!("{what} SUCCESSFUL"))),
            _ if state.is_final() => Err(format!("{what} {}: {message}", state.status)),
            _ => Ok(Poll::Pending(state.status)),
        }
    };
    let meanwhile = "the registrar goes on with it";
    interrupt::poll_until(&what, meanwhile, timeout, poll, log::progress)
}

/// The change as one line of preview and push output.
fn change_text(change: &NsChange) -> String {
    format!(
        "REGISTRAR {} name servers {} -> {}\n",
        change.domain,
        listing(&change.registered),
        listing(&change.wanted)
    )
}

/// Every change as text, each with the outcome of its push when `outcomes` has one.
pub fn changes_text(plan: &RegistrarPlan, outcomes: &[NsOutcome]) -> String {
    let mut text = String::new();
    for change in &plan.changes {
        text.push_str(&change_text(change));
        if let Some(outcome) = outcomes.iter().find(|o| o.domain == change.domain) {
            match &outcome.result {
                Ok(done) => text.push_str(&format!("  registrar: {done}\n")),
                Err(why) => text.push_str(&format!("  registrar: FAILED: {why}\n")),
            }
        }
    }
    text
}

/// Every change as JSON, each with the outcome of its push when `outcomes` has one.
pub fn changes_json(plan: &RegistrarPlan, outcomes: &[NsOutcome]) -> Value {
    let changes: Vec<Value> = plan
        .changes
        .iter()
        .map(|change| {
            let outcome = outcomes.iter().find(|o| o.domain == change.domain);
            json!({
                "domain": change.domain,
                "registrar": change.registrar,
                "registered": change.registered,
                "wanted": change.wanted,
                "risk": change.risk,
                "done": outcome.and_then(|o| o.result.as_ref().ok()),
                "error": outcome.and_then(|o| o.result.as_ref().err()),
            })
        })
        .collect();
    Value::Array(changes)
}

/// The error for registrar checks and updates that failed, after reporting each on stderr.
pub fn fail_if_any(plan: &RegistrarPlan, outcomes: &[NsOutcome]) -> Result<(), Error> {
    let failed: Vec<&str> = outcomes
        .iter()
        .filter(|o| o.result.is_err())
        .map(|o| o.domain.as_str())
        .collect();
    for failure in &plan.failures {
        log::error(failure);
    }
    let count = plan.failures.len() + failed.len();
    if count == 0 {
        return Ok(());
    }
    Err(Error::Failed(format!(
        "the registrar of {count} domain{} could not be checked or updated{}",
        crate::output::plural(count),
        match failed.is_empty() {
            true => String::new(),
            false => format!(" (not updated: {})", failed.join(", ")),
        }
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_servers_compare_without_case_or_trailing_dot() {
        let registered = ["NS-1.Example.NET.".to_string(), "ns-2.example.org".into()];
        let wanted = ["ns-2.example.org.".to_string(), "ns-1.example.net".into()];
        assert_eq!(server_set(&registered), server_set(&wanted));
        let change = NsChange {
            domain: "example.tld".into(),
            api_name: "example.tld".into(),
            registrar: "r53reg".into(),
            registered: vec!["a.example".into(), "b.example".into()],
            wanted: vec!["c.example".into()],
            risk: None,
        };
        assert_eq!(
            change_text(&change),
            "REGISTRAR example.tld name servers a.example b.example -> c.example\n"
        );
    }
}
