//! What r53ctl prints: data on stdout, errors on stderr, and how plans and record sets read.
//! Colour follows [`crate::log`]: only on a terminal without `NO_COLOR`.
//!
//! May import: `batch`, `diff`, `error`, `log`, `model`, `name`, `plan`, `rtype`.

use std::io::IsTerminal;

use serde_json::{json, Map, Value};

use crate::diff::{Change, LeftAlone, ZoneDiff};
use crate::error::Error;
use crate::log::{colour_allowed, paint, paint_stderr, printable, printable_lines, Colour};
use crate::model::{Action, RecordSet, Routing};
use crate::plan::{Target, ZonePlan};

/// Writes `text`, a run's data, to stdout. A reader that went away (`r53ctl preview | head`) is
/// no reason to stop a run, least of all a push midway: what it no longer reads is dropped.
pub fn data(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(err) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write to stdout: {err}");
        }
    }
}

/// Prints `err` to stderr and returns its exit code.
pub fn report_error(err: &Error) -> i32 {
    let label = match err {
        Error::ChangesPending(_) => "changes pending",
        Error::Refused(_) => "refused",
        _ => "error",
    };
    eprintln!(
        "{}: {}",
        paint_stderr(Colour::Red, label),
        printable_lines(&err.to_string())
    );
    err.exit_code()
}

/// `"s"` unless `n` is 1.
pub fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `text` coloured for stdout, when stdout may be coloured.
pub fn paint_stdout(colour: Colour, text: &str) -> String {
    paint(
        colour,
        text,
        colour_allowed(std::io::stdout().is_terminal()),
    )
}

/// One line that says everything about a record set: name, type, routing, TTL and values or
/// alias target.
pub fn describe(rs: &RecordSet) -> String {
    format!("{} {}", identity(rs), content(rs))
}

/// Name, type and routing: what identifies a record set.
fn identity(rs: &RecordSet) -> String {
    let mut line = format!("{} {}", crate::name::display(&rs.name), rs.rtype);
    if let Some(id) = &rs.set_identifier {
        line.push_str(&format!(" [{id}{}]", routing_label(rs.routing.as_ref())));
    }
    printable(&line)
}

/// TTL, alias target, values and health check: what a record set holds.
fn content(rs: &RecordSet) -> String {
    let mut parts: Vec<String> = rs.ttl.iter().map(u32::to_string).collect();
    if let Some(alias) = &rs.alias {
        parts.push(format!(
            "ALIAS {} (zone {}{})",
            crate::name::display(&alias.dns_name),
            alias.hosted_zone_id,
            if alias.evaluate_target_health {
                ", evaluate target health"
            } else {
                ""
            }
        ));
    }
    parts.extend(rs.values.iter().cloned());
    if let Some(hc) = &rs.health_check_id {
        parts.push(format!("health-check={hc}"));
    }
    printable(&parts.join(" "))
}

/// The human-readable preview or push report of `targets`: one line per change, grouped by
/// zone, then a total.
pub fn targets_text(targets: &[&Target]) -> String {
    let mut text = String::new();
    for target in targets {
        text.push_str(&zone_text(target));
    }
    text.push_str(&total_text(targets));
    text
}

/// The closing line of a preview or push: how many changes in how many zones.
pub fn total_text(targets: &[&Target]) -> String {
    let changes: usize = targets.iter().map(|t| t.plan.summary.total()).sum();
    let zones_changed = targets
        .iter()
        .filter(|t| t.plan.summary.total() > 0)
        .count();
    format!(
        "Total: {changes} change{} in {zones_changed} of {} zone{}\n",
        plural(changes),
        targets.len(),
        plural(targets.len())
    )
}

/// One zone's block of a preview or push: a header line, then one line per change of its diff,
/// or, for a plan read from a file, one line per change action.
pub fn zone_text(target: &Target) -> String {
    let plan = &target.plan;
    let heading = format!(
        "{} (zone {}, provider {})\n",
        printable(&plan.domain),
        printable(&plan.zone.id),
        printable(&plan.provider)
    );
    match &target.diff {
        Some(diff) => heading + &diff_text(plan, diff),
        None => heading + &actions_text(plan),
    }
}

/// The lines of `diff`, then how many requests apply it.
fn diff_text(plan: &ZonePlan, diff: &ZoneDiff) -> String {
    let mut text = String::new();
    for change in &diff.changes {
        let colour = match change {
            Change::Create(_) => Colour::Green,
            Change::Delete(_) => Colour::Red,
            Change::Modify { .. } => Colour::Yellow,
        };
        text.push_str(&format!(
            "  {}\n",
            paint_stdout(colour, &describe_change(change))
        ));
    }
    for (rs, reason) in &diff.left_alone {
        if *reason != LeftAlone::ZoneApex {
            text.push_str(&format!(
                "  KEEP   {} ({})\n",
                identity(rs),
                left_alone_reason(reason)
            ));
        }
    }
    for (change, comment) in &diff.blocked {
        text.push_str(&format!(
            "  {} {} (protected{}; push leaves it out)\n",
            paint_stdout(Colour::Red, "BLOCKED"),
            describe_change(change),
            comment
                .as_deref()
                .map(|c| format!(": {}", printable(c)))
                .unwrap_or_default()
        ));
    }
    text.push_str(&requests_line(diff.changes.len(), plan.batches.len()));
    text
}

/// How `n` changes are sent in `requests` requests.
fn requests_line(n: usize, requests: usize) -> String {
    match (n, requests) {
        (0, _) => "  no changes\n".to_string(),
        (n, 1) => format!("  {n} change{} in 1 request (atomic)\n", plural(n)),
        (n, requests) => format!(
            "  {n} changes in {requests} requests (not atomic: a failure midway leaves the \
             earlier requests applied)\n"
        ),
    }
}

/// The change actions of every request of `plan`, one per line.
fn actions_text(plan: &ZonePlan) -> String {
    let mut text = String::new();
    for change in plan.batches.iter().flatten() {
        let colour = match change.action {
            Action::Delete => Colour::Red,
            Action::Create | Action::Upsert => Colour::Green,
        };
        let line = format!(
            "{} {}",
            change.action.as_str(),
            describe(&change.record_set)
        );
        text.push_str(&format!("  {}\n", paint_stdout(colour, &line)));
    }
    if plan.batches.is_empty() {
        text.push_str("  no changes\n");
    }
    text
}

/// `CREATE …`, `DELETE …` or `MODIFY … -> …`: one change on one line.
fn describe_change(change: &Change) -> String {
    match change {
        Change::Create(new) => format!("CREATE {}", describe(new)),
        Change::Delete(old) => format!("DELETE {}", describe(old)),
        Change::Modify { old, new } => format!(
            "MODIFY {} {} -> {}",
            identity(old),
            content(old),
            content(new)
        ),
    }
}

fn left_alone_reason(reason: &LeftAlone) -> &'static str {
    match reason {
        LeftAlone::ZoneApex => "zone apex",
        LeftAlone::TrafficPolicy => "made by a traffic policy; r53ctl never changes those",
        LeftAlone::Ignored => "matches an ignore rule",
        LeftAlone::NotInConfig => "not in the config; the domain keeps unknown record sets",
    }
}

/// The machine-readable form of `targets`, each zone object extended by `extra` when given.
pub fn targets_json(targets: &[&Target], extra: &[Map<String, Value>]) -> Value {
    let zones: Vec<Value> = targets
        .iter()
        .enumerate()
        .map(|(i, target)| {
            let mut zone = zone_json(target);
            if let Some(more) = extra.get(i) {
                zone.extend(more.clone());
            }
            Value::Object(zone)
        })
        .collect();
    let total: usize = targets.iter().map(|t| t.plan.summary.total()).sum();
    let actions: usize = targets.iter().map(|t| t.plan.change_actions()).sum();
    json!({ "zones": zones, "total_changes": total, "total_change_actions": actions })
}

fn zone_json(target: &Target) -> Map<String, Value> {
    let plan = &target.plan;
    let mut object = as_map(json!({
        "domain": plan.domain,
        "provider": plan.provider,
        "zone_id": plan.zone.id,
        "zone_name": plan.zone.name,
        "counts": {
            "create": plan.summary.creates,
            "modify": plan.summary.modifies,
            "delete": plan.summary.deletes,
        },
        "requests": plan.batches.len(),
        "change_actions": plan.change_actions(),
        "atomic": plan.is_atomic(),
    }));
    if let Some(diff) = &target.diff {
        object.extend(diff_json(diff));
    }
    object
}

/// The changes, record sets left alone and blocked changes of `diff`.
fn diff_json(diff: &ZoneDiff) -> Map<String, Value> {
    let changes: Vec<Value> = diff.changes.iter().map(change_json).collect();
    let left_alone: Vec<Value> = diff
        .left_alone
        .iter()
        .map(|(rs, reason)| json!({"record_set": rs, "reason": left_alone_reason(reason)}))
        .collect();
    let blocked: Vec<Value> = diff
        .blocked
        .iter()
        .map(|(change, comment)| json!({"change": change_json(change), "protection_comment": comment}))
        .collect();
    as_map(json!({ "changes": changes, "left_alone": left_alone, "blocked": blocked }))
}

/// The fields of a JSON object.
pub fn as_map(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn change_json(change: &Change) -> Value {
    match change {
        Change::Create(new) => json!({"action": "create", "new": new}),
        Change::Delete(old) => json!({"action": "delete", "old": old}),
        Change::Modify { old, new } => json!({"action": "modify", "old": old, "new": new}),
    }
}

fn routing_label(routing: Option<&Routing>) -> String {
    let Some(routing) = routing else {
        return String::new();
    };
    match routing {
        Routing::Weighted { weight } => format!(" weight={weight}"),
        Routing::Latency { region } => format!(" region={region}"),
        Routing::Failover { role } => format!(" failover={role}"),
        Routing::Geolocation {
            continent,
            country,
            subdivision,
        } => {
            let parts: Vec<&str> = [continent, country, subdivision]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            format!(" geo={}", parts.join("/"))
        }
        Routing::Geoproximity {
            aws_region,
            local_zone_group,
            coordinates,
            bias,
        } => {
            let place = aws_region
                .clone()
                .or_else(|| local_zone_group.clone())
                .or_else(|| {
                    coordinates
                        .as_ref()
                        .map(|(lat, lon)| format!("{lat},{lon}"))
                })
                .unwrap_or_default();
            let bias = bias.map(|b| format!(" bias={b}")).unwrap_or_default();
            format!(" geoproximity={place}{bias}")
        }
        Routing::MultiValue => " multivalue".to_string(),
        Routing::Cidr {
            collection_id,
            location_name,
        } => format!(" cidr={collection_id}/{location_name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AliasTarget;
    use crate::rtype::RecordType;

    #[test]
    fn describes_plain_record_sets() {
        let rs = RecordSet::simple(
            "\\052.example.tld.",
            RecordType::A,
            300,
            vec!["1.2.3.4".into()],
        );
        assert_eq!(describe(&rs), "*.example.tld A 300 1.2.3.4");
    }

    #[test]
    fn describes_alias_and_routing() {
        let mut rs = RecordSet::simple("app.example.tld.", RecordType::A, 0, vec![]);
        rs.ttl = None;
        rs.set_identifier = Some("eu".into());
        rs.routing = Some(Routing::Weighted { weight: 10 });
        rs.alias = Some(AliasTarget {
            hosted_zone_id: "Z1".into(),
            dns_name: "lb.example.tld.".into(),
            evaluate_target_health: true,
        });
        assert_eq!(
            describe(&rs),
            "app.example.tld A [eu weight=10] ALIAS lb.example.tld (zone Z1, evaluate target health)"
        );
    }

    fn target(zone: crate::model::HostedZone, diff: ZoneDiff, live: &[RecordSet]) -> Target {
        let limits = crate::batch::Limits::default();
        let plan = ZonePlan::new(
            "example.tld",
            "r53_main",
            zone,
            &diff.changes,
            &limits,
            live,
        )
        .expect("plan");
        Target {
            plan,
            diff: Some(diff),
            live_count: live.len(),
        }
    }

    #[test]
    fn a_plan_read_from_a_file_lists_every_action_of_every_request() {
        let change = |action, value: &str| crate::model::ChangeAction {
            action,
            record_set: RecordSet::simple(
                "www.example.tld.",
                crate::rtype::RecordType::A,
                300,
                vec![value.into()],
            ),
        };
        let zone = crate::model::HostedZone::example();
        let limits = crate::batch::Limits::default();
        let mut plan = ZonePlan::new("example.tld", "r53_main", zone, &[], &limits, &[]).unwrap();
        let empty = Target {
            plan: plan.clone(),
            diff: None,
            live_count: 0,
        };
        assert!(zone_text(&empty).ends_with("  no changes\n"));
        plan.batches = vec![
            vec![change(Action::Delete, "192.0.2.1")],
            vec![change(Action::Create, "192.0.2.2")],
        ];
        let text = zone_text(&Target { plan, ..empty });
        assert!(text.starts_with("example.tld (zone Z1, provider r53_main)\n"));
        let delete = text.find("DELETE www.example.tld A 300 192.0.2.1");
        let create = text.find("CREATE www.example.tld A 300 192.0.2.2");
        assert!(
            delete.is_some() && create.is_some() && delete < create,
            "{text}"
        );
    }

    #[test]
    fn blocked_changes_are_shown_and_not_counted() {
        let zone = crate::model::HostedZone::example();
        let www = RecordSet::simple(
            "www.example.tld.",
            RecordType::A,
            300,
            vec!["192.0.2.1".into()],
        );
        let diff = crate::diff::ZoneDiff {
            blocked: vec![(Change::Create(www), Some("frozen".into()))],
            ..Default::default()
        };
        let target = target(zone, diff, &[]);
        let text = targets_text(&[&target]);
        assert!(
            text.contains(
                "  BLOCKED CREATE www.example.tld A 300 192.0.2.1 (protected: frozen; push leaves \
                 it out)\n"
            ),
            "{text}"
        );
        assert!(text.contains("Total: 0 changes"), "{text}");
        let json = targets_json(&[&target], &[]);
        assert_eq!(
            json["zones"][0]["blocked"][0]["protection_comment"],
            "frozen"
        );
    }

    #[test]
    fn traffic_policy_record_sets_are_kept_and_said_so() {
        let zone = crate::model::HostedZone::example();
        let live = RecordSet {
            traffic_policy_instance_id: Some("tpi-1".into()),
            ..RecordSet::simple(
                "tp.example.tld.",
                RecordType::A,
                60,
                vec!["192.0.2.8".into()],
            )
        };
        let options = crate::diff::DiffOptions {
            apex: "example.tld.",
            zone_id: "Z1",
            ignore: &[],
            keep_unknown: false,
            protections: &[],
        };
        let diff = crate::diff::diff_zone(&[], std::slice::from_ref(&live), &options);
        let target = target(zone, diff, &[live]);
        let text = targets_text(&[&target]);
        assert!(
            text.contains("  KEEP   tp.example.tld A (made by a traffic policy"),
            "{text}"
        );
        assert!(text.contains("no changes"), "{text}");
    }
}
