//! `r53ctl push --plan FILE`: applies exactly the requests of a plan `preview --out` wrote, with no
//! config. Every zone is read first; a zone whose record sets no longer match the plan's
//! fingerprint is sent nothing and reported, the others are applied.
//!
//! A plan file that cannot be read, is not JSON, or is not a plan this version writes is a usage
//! error (exit 2), as a bad config is: the input is wrong and nothing was sent.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::cli::Args;
use crate::commands::push::{self, ZoneOutcome};
use crate::commands::zones;
use crate::error::Error;
use crate::model::Action;
use crate::output::{self, Colour, Format};
use crate::plan::{self, PlannedZone};
use crate::route53::Client;

/// A planned zone that may be written to: it holds what the plan was computed against.
struct Ready<'c> {
    client: &'c Client,
    /// Record sets the zone holds now.
    live_count: usize,
}

/// Applies the plan file at `path` and returns the exit code of a run that did not fail.
pub fn run(args: &Args, path: &Path) -> Result<i32, Error> {
    let format = args.output_format()?;
    let planned = selected(read_plan(path)?, args)?;
    let clients = open_clients(args, &planned)?;
    let readiness = zones::map_concurrently(&planned, args.concurrency, |zone| {
        check_zone(&clients, zone)
    });
    if !args.force {
        push::refuse_if_any(&safety_violations(&planned, &readiness))?;
    }
    let mut outcomes = Vec::new();
    for (zone, ready) in planned.iter().zip(readiness) {
        if format == Format::Text {
            crate::output::data(&zone_text(zone));
        }
        let outcome = match ready {
            Ok(ready) => push::apply_zone(ready.client, &zone.zone.id, &zone.batches, args),
            Err(reason) => ZoneOutcome::not_applied(reason),
        };
        if format == Format::Text {
            crate::output::data(&push::outcome_text(zone.batches.len(), &outcome));
        }
        outcomes.push(outcome);
    }
    if format == Format::Json {
        crate::output::data(&format!("{}\n", plan_outcomes_json(&planned, &outcomes)));
    }
    let domains: Vec<&str> = planned.iter().map(|z| z.domain.as_str()).collect();
    push::summarise(
        &domains,
        &outcomes,
        "for those, preview again with --out and review the new plan",
    )
}

/// The zones of the plan file at `path`.
fn read_plan(path: &Path) -> Result<Vec<PlannedZone>, Error> {
    let context = format!("plan file {}", path.display());
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::Usage(format!(
            "{context}: cannot read it: {e}; write a plan with 'r53ctl preview --out FILE'"
        ))
    })?;
    let document: Value = serde_json::from_str(&text).map_err(|e| {
        Error::Usage(format!(
            "{context}: not JSON ({e}); write the plan again with 'r53ctl preview --out FILE'"
        ))
    })?;
    plan::from_json(&document).map_err(|e| Error::Usage(format!("{context}: {e}")))
}

/// The planned zones `--domains` selects (all without it), in plan order.
fn selected(planned: Vec<PlannedZone>, args: &Args) -> Result<Vec<PlannedZone>, Error> {
    let Some(wanted) = &args.domains else {
        return Ok(planned);
    };
    let wanted: Vec<String> = wanted.iter().map(|d| crate::name::normalize(d)).collect();
    let planned_names: Vec<String> = planned
        .iter()
        .map(|z| crate::name::normalize(&z.zone.name))
        .collect();
    if let Some(missing) = wanted.iter().find(|w| !planned_names.contains(w)) {
        return Err(Error::Usage(format!(
            "--domains names {}, which the plan does not cover; it covers: {}",
            crate::name::display(missing),
            planned
                .iter()
                .map(|z| z.domain.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(planned
        .into_iter()
        .zip(planned_names)
        .filter(|(_, name)| wanted.contains(name))
        .map(|(zone, _)| zone)
        .collect())
}

/// One client per DNS provider the plan's zones name.
fn open_clients(args: &Args, planned: &[PlannedZone]) -> Result<BTreeMap<String, Client>, Error> {
    let mut clients = BTreeMap::new();
    for zone in planned {
        if !clients.contains_key(&zone.provider) {
            clients.insert(
                zone.provider.clone(),
                zones::open_client(args, &zone.provider)?,
            );
        }
    }
    Ok(clients)
}

/// Reads `zone` and checks it still holds what the plan was computed against; the error says why
/// nothing may be written to it.
fn check_zone<'c>(
    clients: &'c BTreeMap<String, Client>,
    zone: &PlannedZone,
) -> Result<Ready<'c>, String> {
    let client = clients
        .get(&zone.provider)
        .ok_or_else(|| format!("no client was opened for provider {}", zone.provider))?;
    if zone.batches.is_empty() {
        // Nothing will be sent, so there is nothing to protect.
        return Ok(Ready {
            client,
            live_count: 0,
        });
    }
    output::progress(&format!("reading {} ({})", zone.domain, zone.zone.id));
    let live = client.list_record_sets(&zone.zone.id).map_err(|e| {
        format!(
            "reading zone {} ({}): {e}; nothing was written to it",
            zone.domain, zone.zone.id
        )
    })?;
    zone.check_live(&live).map_err(|e| e.to_string())?;
    Ok(Ready {
        client,
        live_count: live.len(),
    })
}

/// One line per ready zone the plan would change or delete too large a share of.
fn safety_violations(planned: &[PlannedZone], readiness: &[Result<Ready, String>]) -> Vec<String> {
    planned
        .iter()
        .zip(readiness)
        .filter_map(|(zone, ready)| {
            let live_count = ready.as_ref().ok()?.live_count;
            zone.safety_violation(live_count)
                .map(|v| format!("{}: {v}", zone.domain))
        })
        .collect()
}

/// The zone's heading and the change actions of its requests.
fn zone_text(zone: &PlannedZone) -> String {
    let mut text = format!(
        "{} (zone {}, provider {})\n",
        zone.domain, zone.zone.id, zone.provider
    );
    for change in zone.batches.iter().flatten() {
        let colour = match change.action {
            Action::Delete => Colour::Red,
            Action::Create | Action::Upsert => Colour::Green,
        };
        let line = output::paint_stdout(
            colour,
            &format!(
                "{} {}",
                change.action.as_str(),
                output::describe(&change.record_set)
            ),
        );
        text.push_str(&format!("  {line}\n"));
    }
    if zone.batches.is_empty() {
        text.push_str("  no changes\n");
    }
    text
}

/// The machine-readable report: per zone what the plan held and what was applied.
fn plan_outcomes_json(planned: &[PlannedZone], outcomes: &[ZoneOutcome]) -> Value {
    let zones: Vec<Value> = planned
        .iter()
        .zip(outcomes)
        .map(|(zone, outcome)| {
            let mut object = Map::new();
            object.insert("domain".into(), json!(zone.domain));
            object.insert("provider".into(), json!(zone.provider));
            object.insert("zone_id".into(), json!(zone.zone.id));
            object.insert("zone_name".into(), json!(zone.zone.name));
            object.insert("requests".into(), json!(zone.batches.len()));
            object.insert("change_actions".into(), json!(change_actions(zone)));
            object.extend(push::outcome_json(outcome));
            Value::Object(object)
        })
        .collect();
    let total: usize = planned.iter().map(change_actions).sum();
    json!({ "zones": zones, "total_change_actions": total })
}

fn change_actions(zone: &PlannedZone) -> usize {
    zone.batches.iter().map(Vec::len).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChangeAction, HostedZone, RecordSet};
    use crate::plan::SafetyLimits;
    use crate::rtype::RecordType;

    fn planned(batches: Vec<Vec<ChangeAction>>) -> PlannedZone {
        PlannedZone {
            domain: "example.tld".into(),
            provider: "r53_main".into(),
            zone: HostedZone::example(),
            live_fingerprint: "sha256:00".into(),
            batches,
            safety: SafetyLimits::default(),
        }
    }

    fn change(action: Action, value: &str) -> ChangeAction {
        ChangeAction {
            action,
            record_set: RecordSet::simple(
                "www.example.tld.",
                RecordType::A,
                300,
                vec![value.into()],
            ),
        }
    }

    #[test]
    fn zone_text_lists_every_action_of_every_request() {
        let zone = planned(vec![
            vec![change(Action::Delete, "192.0.2.1")],
            vec![change(Action::Create, "192.0.2.2")],
        ]);
        let text = zone_text(&zone);
        assert!(text.starts_with("example.tld (zone Z1, provider r53_main)\n"));
        let delete = text.find("DELETE www.example.tld A 300 192.0.2.1");
        let create = text.find("CREATE www.example.tld A 300 192.0.2.2");
        assert!(
            delete.is_some() && create.is_some() && delete < create,
            "{text}"
        );
        assert!(zone_text(&planned(Vec::new())).ends_with("  no changes\n"));
    }

    #[test]
    fn json_report_names_the_zone_and_why_it_was_not_applied() {
        let zone = planned(vec![vec![
            change(Action::Delete, "192.0.2.1"),
            change(Action::Create, "192.0.2.2"),
        ]]);
        let outcome = ZoneOutcome::not_applied("zone changed".into());
        let report = plan_outcomes_json(std::slice::from_ref(&zone), &[outcome]);
        let object = &report["zones"][0];
        assert_eq!(object["zone_id"], "Z1");
        assert_eq!(object["provider"], "r53_main");
        assert_eq!(object["change_actions"], 2);
        assert_eq!(object["applied_requests"], 0);
        assert_eq!(object["error"], "zone changed");
        assert_eq!(report["total_change_actions"], 2);
    }
}
