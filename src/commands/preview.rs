//! `r53ctl preview`: reads every selected zone and shows what push would change. Push builds its
//! plans with [`plan_all`] too, so both always agree.

use std::collections::BTreeMap;

use crate::batch::Limits;
use crate::cli::Args;
use crate::commands::zones;
use crate::config::{Config, Domain};
use crate::diff::{self, DiffOptions};
use crate::error::{Error, EXIT_OK};
use crate::model::{RecordSet, RecordSetProtection};
use crate::output::{self, plural, Format};
use crate::plan::ZonePlan;
use crate::route53::Client;

/// A domain's zone under one DNS provider, read and planned.
pub struct Target {
    /// The DNS provider (creds entry) name.
    pub provider: String,
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
    let work: Vec<(&Domain, &str)> = domains
        .iter()
        .flat_map(|d| d.providers.iter().map(move |p| (*d, p.as_str())))
        .collect();
    let results = zones::map_concurrently(&work, args.concurrency, |(domain, provider)| {
        let client = clients
            .get(*provider)
            .ok_or_else(|| format!("no client was opened for provider {provider}"))?;
        plan_one(client, domain, provider)
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

/// Reads one zone and plans its changes.
pub fn plan_one(client: &Client, domain: &Domain, provider: &str) -> Result<Target, String> {
    let zone = zones::find_zone(client, domain).map_err(|e| e.to_string())?;
    output::progress(&format!("reading {} ({})", domain.display_name, zone.id));
    let live = client
        .list_record_sets(&zone.id)
        .map_err(|e| format!("domain {}: {e}", domain.display_name))?;
    let protections = read_protections(client, domain, &zone.id)?;
    let plan = plan_against(domain, zone, &live, &protections)?;
    Ok(Target {
        provider: provider.to_string(),
        live,
        plan,
    })
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
            output::warn(&format!(
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

/// The plan that brings `zone`, holding `live` under `protections`, in line with `domain`.
pub fn plan_against(
    domain: &Domain,
    zone: crate::model::HostedZone,
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
    ZonePlan::new(&domain.display_name, zone, diff, &Limits::default(), live)
        .map_err(|e| format!("domain {}: {e}", domain.display_name))
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
        Format::Text => print!("{}", output::plans_text(&targets_view(&targets))),
        Format::Json => println!("{}", output::plans_json(&targets_view(&targets), &[])),
    }
    if let Some(path) = &args.out {
        write_plan_file(path, &targets)?;
    }
    fail_if_any(&failures, targets.len() + failures.len())?;
    if args.expect_no_changes && changes > 0 {
        return Err(Error::ChangesPending(changes));
    }
    Ok(EXIT_OK)
}

/// What output needs of each target.
pub fn targets_view(targets: &[Target]) -> Vec<(&str, &ZonePlan)> {
    targets
        .iter()
        .map(|t| (t.provider.as_str(), &t.plan))
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
