//! `r53ctl preview`: reads every selected zone and shows what push would change. Push builds its
//! plans with [`plan_all`] too, so both always agree.

use std::collections::BTreeMap;

use crate::batch::Limits;
use crate::cli::Args;
use crate::commands::zones;
use crate::config::{Config, Domain};
use crate::diff::{self, DiffOptions};
use crate::error::{Error, EXIT_OK};
use crate::log;
use crate::model::{HostedZone, RecordSet, RecordSetProtection};
use crate::output::{self, plural, Format};
use crate::plan::{SafetyLimits, ZonePlan};
use crate::route53::Client;

/// A domain's zone under one DNS provider (`plan.provider`), read and planned.
pub struct Target {
    /// The live record sets the plan was computed against.
    pub live: Vec<RecordSet>,
    pub plan: ZonePlan,
}

/// Plans for every selected (domain, provider) pair, read `args.concurrency` at a time, in config
/// order; plus a message for each pair that could not be planned.
pub fn plan_all(
    args: &Args,
    config: &Config,
    clients: &BTreeMap<String, Client>,
) -> Result<(Vec<Target>, Vec<String>), Error> {
    let domains = zones::selected_domains(config, args)?;
    warn_registrars_left_alone(config, &domains);
    let work: Vec<(&Domain, &str)> = domains
        .iter()
        .flat_map(|d| d.providers.iter().map(move |p| (*d, p.as_str())))
        .collect();
    let listings = zone_listings(clients, &work);
    let results = zones::map_concurrently(&work, args.concurrency, |(domain, provider)| {
        let client = clients
            .get(*provider)
            .ok_or_else(|| format!("no client was opened for provider {provider}"))?;
        let listed = listings.get(provider).and_then(Option::as_deref);
        plan_one(client, domain, provider, listed)
    });
    let mut targets = Vec::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(target) => targets.push(target),
            Err(message) => failures.push(message),
        }
    }
    Ok((targets, failures))
}

/// Says which domains name a ROUTE53 registrar: r53ctl accepts it, as dnscontrol configs use it,
/// but does not manage delegation at the registrar, and must not let that pass unsaid.
fn warn_registrars_left_alone(config: &Config, domains: &[&Domain]) {
    let at_route53: Vec<&str> = domains
        .iter()
        .filter(|d| {
            config
                .registrars
                .iter()
                .any(|r| r.name == d.registrar && r.kind == "ROUTE53")
        })
        .map(|d| d.display_name.as_str())
        .collect();
    if !at_route53.is_empty() {
        log::warn(&format!(
            "registrar ROUTE53 ({}): r53ctl manages the hosted zones only; the name servers \
             registered for these domains are neither checked nor changed",
            at_route53.join(", ")
        ));
    }
}

/// Every zone of each provider's account, where listing them once is cheaper than looking up
/// its domains one by one.
fn zone_listings<'w>(
    clients: &BTreeMap<String, Client>,
    work: &[(&Domain, &'w str)],
) -> BTreeMap<&'w str, Option<Vec<HostedZone>>> {
    let mut lookups: BTreeMap<&str, usize> = BTreeMap::new();
    for (_, provider) in work {
        *lookups.entry(provider).or_default() += 1;
    }
    lookups
        .into_iter()
        .filter_map(|(provider, n)| {
            let client = clients.get(provider)?;
            Some((provider, zones::list_zones_if_cheaper(client, n)))
        })
        .collect()
}

/// Reads one zone and plans its changes; `listed` holds every zone of the account when known.
pub fn plan_one(
    client: &Client,
    domain: &Domain,
    provider: &str,
    listed: Option<&[HostedZone]>,
) -> Result<Target, String> {
    let zone = zones::find_zone(client, domain, listed).map_err(|e| e.to_string())?;
    log::progress(&format!("reading {} ({})", domain.display_name, zone.id));
    let live = client
        .list_record_sets(&zone.id)
        .map_err(|e| format!("domain {}: {e}", domain.display_name))?;
    let plan = plan_against(domain, provider, zone.clone(), &live, &[])?;
    // Protections only matter to changes: a zone already in line costs no extra request.
    if plan.diff.changes.is_empty() {
        return Ok(Target { live, plan });
    }
    let protections = read_protections(client, domain, &zone.id)?;
    if protections.is_empty() {
        return Ok(Target { live, plan });
    }
    let plan = plan_against(domain, provider, zone, &live, &protections)?;
    Ok(Target { live, plan })
}

/// The zone's record set protections. Without permission to list them (an IAM policy written
/// before the API existed) a warning is shown and none are assumed: Route 53 still refuses a
/// request that touches a protected record set, whole, so nothing is changed by mistake.
fn read_protections(
    client: &Client,
    domain: &Domain,
    zone_id: &str,
) -> Result<Vec<RecordSetProtection>, String> {
    match client.list_record_set_protections(zone_id) {
        Ok(protections) => Ok(protections),
        Err(err) if err.code() == Some("AccessDenied") => {
            log::warn(&format!(
                "domain {}: cannot list record set protections ({err}); allow \
                 route53:ListResourceRecordSetProtections to see protected record sets in \
                 the preview",
                domain.display_name
            ));
            Ok(Vec::new())
        }
        Err(err) => Err(format!("domain {}: {err}", domain.display_name)),
    }
}

/// The plan that brings `zone` of `provider`, holding `live` under `protections`, in line with
/// `domain`.
pub fn plan_against(
    domain: &Domain,
    provider: &str,
    zone: HostedZone,
    live: &[RecordSet],
    protections: &[RecordSetProtection],
) -> Result<ZonePlan, String> {
    let diff = diff::diff_zone(
        &domain.records,
        live,
        &DiffOptions {
            apex: &domain.name,
            ignore: &domain.ignore,
            keep_unknown: domain.keep_unknown,
            zone_id: &zone.id,
            protections,
        },
    );
    let plan = ZonePlan::new(
        &domain.display_name,
        provider,
        zone,
        diff,
        &Limits::default(),
        live,
    )
    .map_err(|e| format!("domain {}: {e}", domain.display_name))?;
    Ok(plan.with_safety(SafetyLimits::with_max_share(domain.max_change_share)))
}

pub fn run(args: &Args) -> Result<i32, Error> {
    let format = args.output_format()?;
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args)?;
    let clients = zones::open_clients(args, &domains)?;
    let (targets, failures) = plan_all(args, &config, &clients)?;
    let changes: usize = targets.iter().map(|t| t.plan.diff.changes.len()).sum();
    match format {
        Format::Text if targets.is_empty() => {}
        Format::Text => output::data(&output::plans_text(&targets_view(&targets))),
        Format::Json => output::data(&format!(
            "{}\n",
            output::plans_json(&targets_view(&targets), &[])
        )),
    }
    for violation in safety_violations(&targets) {
        log::warn(&format!("push will refuse {violation}"));
    }
    if let Some(path) = &args.out {
        if failures.is_empty() {
            write_plan_file(path, &targets)?;
        } else {
            log::warn(&format!(
                "no plan was written to {}: a plan must cover every selected zone",
                path.display()
            ));
        }
    }
    fail_if_any(&failures, targets.len() + failures.len())?;
    if args.expect_no_changes && changes > 0 {
        return Err(Error::ChangesPending(changes));
    }
    Ok(EXIT_OK)
}

/// One line per target whose plan changes or deletes more of its zone than its safety limits
/// allow: what push refuses without `--force`.
pub fn safety_violations(targets: &[Target]) -> Vec<String> {
    targets
        .iter()
        .filter_map(|t| {
            t.plan
                .safety_violation(t.live.len())
                .map(|v| format!("{}: {v}", t.plan.domain))
        })
        .collect()
}

/// What output needs of each target.
pub fn targets_view(targets: &[Target]) -> Vec<(&str, &ZonePlan)> {
    targets
        .iter()
        .map(|t| (t.plan.provider.as_str(), &t.plan))
        .collect()
}

/// Reports every failure on stderr and turns them into one error.
pub fn fail_if_any(failures: &[String], total: usize) -> Result<(), Error> {
    if failures.is_empty() {
        return Ok(());
    }
    for failure in failures {
        eprintln!("error: {failure}");
    }
    Err(Error::Failed(format!(
        "{} of {total} zone{} could not be read",
        failures.len(),
        plural(total)
    )))
}

fn write_plan_file(path: &std::path::Path, targets: &[Target]) -> Result<(), Error> {
    let plans: Vec<ZonePlan> = targets.iter().map(|t| t.plan.clone()).collect();
    let document = crate::plan::to_json(&plans);
    let text = serde_json::to_string_pretty(&document)
        .map_err(|e| Error::failed("writing the plan", e))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Error::failed(format!("writing the plan to {}", path.display()), e))
}
