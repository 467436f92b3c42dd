//! `r53ctl push`: applies the plans preview shows, request by request, and says exactly what was
//! and was not applied when anything fails.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::cli::Args;
use crate::commands::preview::{self, Target};
use crate::commands::zones;
use crate::error::{Error, EXIT_OK};
use crate::model::{Action, ChangeAction, ChangeInfo, RecordSet};
use crate::output::{self, plural, Format};
use crate::plan::SafetyLimits;
use crate::route53::{ApiError, Client};

/// How many times one request whose outcome was unknown is checked and sent again.
const MAX_RECONCILES: usize = 3;

/// What happened to one zone.
#[derive(Debug, Default)]
struct ZoneOutcome {
    /// Changes Route 53 accepted, one per applied request.
    accepted: Vec<ChangeInfo>,
    /// Record changes in the accepted requests.
    applied_changes: usize,
    /// Why the zone's push stopped early.
    error: Option<String>,
}

pub fn run(args: &Args) -> Result<i32, Error> {
    let format = args.output_format()?;
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args)?;
    let clients = zones::open_clients(args, &domains)?;
    let (targets, failures) = preview::plan_all(args, &config, &clients)?;
    check_safety(&targets, args.force)?;

    let mut outcomes = Vec::new();
    for target in &targets {
        let Some(client) = clients.get(&target.provider) else {
            continue;
        };
        if format == Format::Text {
            print!("{}", output::zone_plan_text(&target.provider, &target.plan));
        }
        let outcome = apply_zone(client, target, args);
        if format == Format::Text {
            print!("{}", outcome_text(target, &outcome));
        }
        outcomes.push(outcome);
    }
    if format == Format::Text {
        print!("{}", output::total_text(&preview::targets_view(&targets)));
    }
    if format == Format::Json {
        let extra: Vec<Map<String, Value>> = outcomes.iter().map(outcome_json).collect();
        println!(
            "{}",
            output::plans_json(&preview::targets_view(&targets), &extra)
        );
    }
    preview::fail_if_any(&failures, targets.len() + failures.len())?;
    summarise(&targets, &outcomes)
}

/// Refuses the whole push, before anything is sent, when a zone would lose or change more than
/// its safety share.
fn check_safety(targets: &[Target], force: bool) -> Result<(), Error> {
    if force {
        return Ok(());
    }
    let violations: Vec<String> = targets
        .iter()
        .filter_map(|t| {
            t.plan
                .safety_violation(t.live.len(), &SafetyLimits::default())
                .map(|v| format!("{}: {v}", t.plan.domain))
        })
        .collect();
    if violations.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "nothing was pushed:\n  {}",
        violations.join("\n  ")
    )))
}

/// Sends a zone's requests in order; stops at the first that fails.
fn apply_zone(client: &Client, target: &Target, args: &Args) -> ZoneOutcome {
    let mut outcome = ZoneOutcome::default();
    let total = target.plan.batches.len();
    for (index, batch) in target.plan.batches.iter().enumerate() {
        match send_batch(client, &target.plan.zone.id, batch) {
            Ok(info) => {
                outcome.accepted.push(info);
                outcome.applied_changes += batch.len();
            }
            Err(err) => {
                outcome.error = Some(format!(
                    "request {} of {total} failed: {err}{}",
                    index + 1,
                    not_applied_note(&target.plan.batches[index..])
                ));
                return outcome;
            }
        }
    }
    if args.wait {
        if let Some(last) = outcome.accepted.last() {
            if let Err(err) = wait_insync(client, &last.id, args.wait_timeout) {
                outcome.error = Some(err);
            }
        }
    }
    outcome
}

fn not_applied_note(remaining: &[Vec<ChangeAction>]) -> String {
    let changes: usize = remaining.iter().map(Vec::len).sum();
    format!(
        "\n  not applied: {} request{} ({changes} change actions), listed above from this one on",
        remaining.len(),
        plural(remaining.len())
    )
}

/// Sends one request. When its outcome is unknown (the connection broke after sending), reads
/// the zone to learn whether it was applied, and sends it again only if it certainly was not.
fn send_batch(
    client: &Client,
    zone_id: &str,
    batch: &[ChangeAction],
) -> Result<ChangeInfo, String> {
    for _ in 0..MAX_RECONCILES {
        match client.change_record_sets(zone_id, batch, "r53ctl push") {
            Ok(info) => return Ok(info),
            Err(ApiError::OutcomeUnknown { .. }) => {
                output::warn(&format!(
                    "zone {zone_id}: the outcome of a request is unknown; reading the zone to \
                     find out whether it was applied"
                ));
                let live = client
                    .list_record_sets(zone_id)
                    .map_err(|e| e.to_string())?;
                match batch_state(&live, batch) {
                    BatchState::Applied => {
                        return Ok(ChangeInfo {
                            id: String::new(),
                            status: "APPLIED".into(),
                            submitted_at: String::new(),
                        })
                    }
                    BatchState::NotApplied => continue,
                    BatchState::Unclear => {
                        return Err("the outcome was unknown and the zone now matches neither \
                                    the state before nor after the request (someone else is \
                                    changing it); run preview to see where it stands"
                            .into())
                    }
                }
            }
            Err(err) => return Err(err.to_string()),
        }
    }
    Err(format!(
        "the outcome stayed unknown after {MAX_RECONCILES} attempts; nothing of this request was \
         applied"
    ))
}

/// Where a zone stands relative to one request.
#[derive(Debug, PartialEq, Eq)]
enum BatchState {
    Applied,
    NotApplied,
    Unclear,
}

/// Whether `live` shows every effect of `batch`, none of them, or something else.
fn batch_state(live: &[RecordSet], batch: &[ChangeAction]) -> BatchState {
    let live: Vec<RecordSet> = live.iter().map(RecordSet::comparable).collect();
    let present = |rs: &RecordSet| live.contains(&rs.comparable());
    let effects: Vec<bool> = batch
        .iter()
        .map(|change| match change.action {
            Action::Create | Action::Upsert => present(&change.record_set),
            Action::Delete => !present(&change.record_set),
        })
        .collect();
    if effects.iter().all(|&done| done) {
        BatchState::Applied
    } else if effects.iter().all(|&done| !done) {
        BatchState::NotApplied
    } else {
        BatchState::Unclear
    }
}

/// Polls GetChange until Route 53 reports the change INSYNC, or `timeout` passes.
fn wait_insync(client: &Client, change_id: &str, timeout: Duration) -> Result<(), String> {
    if change_id.is_empty() {
        return Ok(());
    }
    let start = Instant::now();
    let mut delay = Duration::from_secs(1);
    loop {
        let info = client.get_change(change_id).map_err(|e| e.to_string())?;
        if info.status == "INSYNC" {
            return Ok(());
        }
        if start.elapsed() + delay > timeout {
            return Err(format!(
                "change {change_id} is still {} after {}s (--wait-timeout); it was applied and \
                 will finish propagating on its own",
                info.status,
                start.elapsed().as_secs()
            ));
        }
        output::progress(&format!("waiting for change {change_id}: {}", info.status));
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

fn outcome_text(target: &Target, outcome: &ZoneOutcome) -> String {
    let total = target.plan.batches.len();
    let mut text = String::new();
    if total > 0 {
        text.push_str(&format!(
            "  applied {} of {total} request{} ({} change actions)\n",
            outcome.accepted.len(),
            plural(total),
            outcome.applied_changes
        ));
    }
    if let Some(err) = &outcome.error {
        text.push_str(&format!("  FAILED: {err}\n"));
    }
    text
}

fn outcome_json(outcome: &ZoneOutcome) -> Map<String, Value> {
    let value = json!({
        "applied_requests": outcome.accepted.len(),
        "applied_change_actions": outcome.applied_changes,
        "change_ids": outcome.accepted.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
        "error": outcome.error,
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn summarise(targets: &[Target], outcomes: &[ZoneOutcome]) -> Result<i32, Error> {
    let failed: Vec<&str> = targets
        .iter()
        .zip(outcomes)
        .filter(|(_, o)| o.error.is_some())
        .map(|(t, _)| t.plan.domain.as_str())
        .collect();
    if failed.is_empty() {
        return Ok(EXIT_OK);
    }
    Err(Error::Failed(format!(
        "push did not complete for {}: {}; what was applied is listed above, and running push \
         again converges",
        plural_zones(failed.len()),
        failed.join(", ")
    )))
}

fn plural_zones(n: usize) -> String {
    format!("{n} zone{}", plural(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: &str, ip: &str) -> RecordSet {
        RecordSet::simple(name, "A", 300, vec![ip.into()])
    }

    fn change(action: Action, rs: RecordSet) -> ChangeAction {
        ChangeAction {
            action,
            record_set: rs,
        }
    }

    #[test]
    fn batch_state_tells_applied_from_not_applied() {
        let old = a("www.example.tld.", "1.1.1.1");
        let new = a("www.example.tld.", "2.2.2.2");
        let batch = vec![
            change(Action::Delete, old.clone()),
            change(Action::Create, new.clone()),
        ];
        assert_eq!(
            batch_state(std::slice::from_ref(&new), &batch),
            BatchState::Applied
        );
        assert_eq!(
            batch_state(std::slice::from_ref(&old), &batch),
            BatchState::NotApplied
        );
        let other = a("www.example.tld.", "3.3.3.3");
        assert_eq!(batch_state(&[other], &batch), BatchState::Unclear);
        assert_eq!(batch_state(&[old, new], &batch), BatchState::Unclear);
    }
}
