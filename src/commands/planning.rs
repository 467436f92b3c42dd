//! The planning steps preview, push and `push --plan` share: reading each selected zone and
//! planning its changes from the config (with its record set protections), or reading a plan
//! file and checking each of its zones still holds what the plan was computed against; and the
//! safety check push makes before sending anything.

use std::collections::BTreeMap;
use std::path::Path;

use crate::batch::Limits;
use crate::config::Domain;
use crate::diff::{self, DiffOptions, Untouched};
use crate::error::Error;
use crate::log;
use crate::model::{HostedZone, RecordSet, RecordSetProtection};
use crate::plan::{self, Target, UnreadableZone, ZonePlan};
use crate::route53::{self, ApiError, Client};

use super::apply::PushZone;
use super::zones;

/// The targets of every (domain, provider) pair of `domains`, read `concurrency` at a time, in
/// config order; plus each pair that could not be planned. Only plans `for_file` get the
/// fingerprint of the zone they were computed against (see [`ZonePlan::with_live_fingerprint`]).
pub fn plan_all<'d>(
    domains: &[&'d Domain],
    clients: &BTreeMap<String, Client>,
    concurrency: usize,
    for_file: bool,
) -> (Vec<Target<'d>>, Vec<UnreadableZone>) {
    let work: Vec<(&'d Domain, &str)> = domains
        .iter()
        .flat_map(|d| d.providers.iter().map(move |p| (*d, p.as_str())))
        .collect();
    let listings = zone_listings(clients, &work);
    let results = zones::map_concurrently(&work, concurrency, |(domain, provider)| {
        let client = zones::client_for(clients, provider)?;
        let listed = listings.get(provider).and_then(Option::as_deref);
        plan_one(client, domain, provider, listed, for_file)
    });
    let mut targets = Vec::new();
    let mut failures = Vec::new();
    for (result, (domain, provider)) in results.into_iter().zip(&work) {
        match result {
            Ok(target) => targets.push(target),
            Err(error) => failures.push(UnreadableZone {
                domain: domain.display_name.clone(),
                provider: provider.to_string(),
                error,
            }),
        }
    }
    (targets, failures)
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

/// Reads one zone and plans its changes, `for_file` or not; `listed` holds every zone of the
/// account when known.
fn plan_one<'d>(
    client: &Client,
    domain: &'d Domain,
    provider: &str,
    listed: Option<&[HostedZone]>,
    for_file: bool,
) -> Result<Target<'d>, String> {
    let zone = zones::find_zone(client, domain, listed).map_err(|e| e.to_string())?;
    log::progress(&format!("reading {} ({})", domain.display_name, zone.id));
    let live = client
        .list_record_sets(&zone.id, zone.record_set_count)
        .map_err(|e| format!("domain {}: {e}", domain.display_name))?;
    let live_count = live.len();
    let live_fingerprint = if for_file {
        plan::fingerprint(&live)
    } else {
        String::new()
    };
    let (plan, untouched) = plan_changes(client, domain, provider, zone, live)?;
    Ok(Target {
        plan: plan.with_live_fingerprint(live_fingerprint),
        untouched: Some(untouched),
        live_count,
    })
}

/// The plan that brings `zone` of `provider`, holding `live`, in line with `domain`, and what its
/// diff leaves untouched.
fn plan_changes<'d>(
    client: &Client,
    domain: &'d Domain,
    provider: &str,
    zone: HostedZone,
    live: Vec<RecordSet>,
) -> Result<(ZonePlan<'d>, Untouched<'d>), String> {
    let options = DiffOptions {
        apex: &domain.name,
        ignore: &domain.ignore,
        keep_unknown: domain.keep_unknown,
        zone_id: &zone.id,
    };
    let mut diff = diff::diff_zone(&domain.records, live, &options);
    // Protections only matter to changes: a zone already in line costs no extra request.
    if !diff.changes.is_empty() {
        diff.block_protected(&read_protections(client, domain, &zone.id)?);
    }
    let limits = batch_limits(client.limits());
    let plan = ZonePlan::new(&domain.display_name, provider, zone, diff.changes, &limits)
        .map_err(|e| format!("domain {}: {e}", domain.display_name))?;
    Ok((plan.with_max_share(domain.max_change_share), diff.untouched))
}

/// Route 53's request limits, with the paced tail measured in `pacing`'s change bucket.
fn batch_limits(pacing: &route53::Limits) -> Limits {
    // A refill rate is a whole number of tokens in practice; a fraction only shortens the tail.
    let per_second = pacing.changes.per_second.max(0.0) as usize;
    Limits {
        paced_tail_tokens: per_second,
        ..Limits::default()
    }
}

/// The zone's record set protections. Without permission to list them (an IAM policy written
/// before the API existed) a warning is shown and none are assumed: Route 53 still refuses a
/// request that touches a protected record set, whole, so nothing is changed by mistake. A
/// Route 53-compatible server without the API gets one warning per run: it has no protections
/// to enforce.
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
        Err(err) if err.is_unsupported_operation() => {
            log::warn_once(
                "no ListResourceRecordSetProtections",
                &format!(
                    "the endpoint does not offer ListResourceRecordSetProtections ({}); planning \
                     without record set protections",
                    answer_of(&err)
                ),
            );
            Ok(Vec::new())
        }
        Err(err) => Err(format!("domain {}: {err}", domain.display_name)),
    }
}

/// `HTTP 404 InvalidArgument`: the status and code of an error answer, without the message and
/// hint meant for a failure.
fn answer_of(err: &ApiError) -> String {
    let status = err
        .status()
        .map_or_else(|| "no answer".to_string(), |s| format!("HTTP {s}"));
    match err.code() {
        Some(code) => format!("{status} {}", code.escape_debug()),
        None => status,
    }
}

/// The zone plans of the plan file at `path`. A file that cannot be read or is not a plan of
/// this version is a usage error, as a bad config is: the input is wrong and nothing was sent.
pub fn read_plan_file(path: &Path) -> Result<Vec<ZonePlan<'static>>, Error> {
    let context = format!("plan file {}", path.display());
    let text = crate::input::read_text(path).map_err(|e| {
        Error::Usage(format!(
            "{context}: cannot read it: {e}; write a plan with 'r53ctl preview --out FILE'"
        ))
    })?;
    plan::from_json(&text).map_err(|e| Error::Usage(format!("{context}: {e}")))
}

/// The zone plans `wanted` (`--domains`) selects (all without it), in plan order.
pub fn selected_plans<'d>(
    plans: Vec<ZonePlan<'d>>,
    wanted: Option<&[String]>,
) -> Result<Vec<ZonePlan<'d>>, Error> {
    zones::select_by_domain(
        plans,
        wanted,
        |p| crate::name::normalize(&p.zone.name),
        |unmatched, all| {
            let covered: Vec<&str> = all.iter().map(|p| p.domain.as_str()).collect();
            format!(
                "--domains names {unmatched}, which the plan does not cover; it covers: {}",
                covered.join(", ")
            )
        },
    )
}

/// Reads the zone of each of `plans`, `concurrency` at a time, and checks it still holds what
/// the plan was computed against; when it does not, its zone says why nothing may be written to
/// it.
pub fn check_plans<'d>(
    clients: &BTreeMap<String, Client>,
    plans: Vec<ZonePlan<'d>>,
    concurrency: usize,
) -> Vec<PushZone<'d>> {
    let checks = zones::map_concurrently(&plans, concurrency, |plan| read_unchanged(clients, plan));
    plans
        .into_iter()
        .zip(checks)
        .map(|(plan, check)| PushZone {
            target: Target {
                plan,
                untouched: None,
                live_count: *check.as_ref().unwrap_or(&0),
            },
            not_ready: check.err(),
        })
        .collect()
}

/// How many record sets the zone of `plan` holds, if they are still those it was planned against.
fn read_unchanged(
    clients: &BTreeMap<String, Client>,
    plan: &ZonePlan<'_>,
) -> Result<usize, String> {
    if plan.request_count() == 0 {
        // Nothing will be sent, so there is nothing to protect.
        return Ok(0);
    }
    let client = zones::client_for(clients, &plan.provider)?;
    log::progress(&format!("reading {} ({})", plan.domain, plan.zone.id));
    let reading = |e| {
        format!(
            "reading zone {} ({}): {e}; nothing was written to it",
            plan.domain, plan.zone.id
        )
    };
    let zone = client.get_hosted_zone(&plan.zone.id).map_err(reading)?;
    if crate::name::normalize(&zone.name) != crate::name::normalize(&plan.zone.name) {
        return Err(format!(
            "the plan says zone {} is {}, but in Route 53 zone {} is {}; nothing was written to \
             it; write the plan again with 'r53ctl preview --out FILE'",
            plan.zone.id,
            crate::name::display(&plan.zone.name),
            zone.id,
            crate::name::display(&zone.name)
        ));
    }
    let live = client
        .list_record_sets(&plan.zone.id, zone.record_set_count)
        .map_err(reading)?;
    plan.check_live(&live).map_err(|e| e.to_string())?;
    Ok(live.len())
}

/// One line per target whose plan changes or deletes more of its zone than its safety limits
/// allow: what push refuses without `--force`.
pub fn safety_violations<'t, 'd: 't>(
    targets: impl IntoIterator<Item = &'t Target<'d>>,
) -> Vec<String> {
    targets
        .into_iter()
        .filter_map(Target::safety_violation)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creds::Partition;

    #[test]
    fn the_paced_tail_is_one_second_of_the_clients_change_bucket() {
        let tail = |limits: route53::Limits| batch_limits(&limits).paced_tail_tokens;
        assert_eq!(tail(route53::Limits::default()), 100);
        assert_eq!(
            tail(route53::Limits::default().at_most(None, Some(10.0))),
            10
        );
        assert_eq!(tail(route53::Limits::of(Partition::AwsUsGov)), 0);
    }
}
