//! What r53ctl prints: data on stdout, messages on stderr, colour only on a terminal without
//! `NO_COLOR`, debug lines only with `--debug`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{json, Map, Value};

use crate::diff::{Change, LeftAlone};
use crate::error::Error;
use crate::model::{RecordSet, Routing};
use crate::plan::ZonePlan;

static DEBUG: AtomicBool = AtomicBool::new(false);

/// How preview and push print their results on stdout.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Turns `--debug` lines on or off.
pub fn set_debug(on: bool) {
    DEBUG.store(on, Ordering::Relaxed);
}

/// Whether `--debug` is on.
pub fn debug_enabled() -> bool {
    DEBUG.load(Ordering::Relaxed)
}

/// Prints a `--debug` line to stderr. Callers must never pass a secret.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::output::debug_enabled() {
            eprintln!("debug: {}", format_args!($($arg)*));
        }
    };
}

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

/// Prints a warning to stderr.
pub fn warn(message: &str) {
    eprintln!("{}: {message}", paint_stderr(Colour::Yellow, "warning"));
}

/// Prints a progress line to stderr when stderr is a terminal.
pub fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{message}");
    }
}

/// Prints `err` to stderr and returns its exit code.
pub fn report_error(err: &Error) -> i32 {
    let label = match err {
        Error::ChangesPending(_) => "changes pending",
        Error::Refused(_) => "refused",
        _ => "error",
    };
    eprintln!("{}: {err}", paint_stderr(Colour::Red, label));
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

/// ANSI colours r53ctl uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    Red,
    Green,
    Yellow,
}

/// Whether output to a stream that `is_terminal` may be coloured.
fn colour_allowed(is_terminal: bool) -> bool {
    colour_allowed_with(is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// Colour only on a terminal, and not when `NO_COLOR` is set to anything but the empty string
/// (no-color.org).
fn colour_allowed_with(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
}

fn paint(colour: Colour, text: &str, enabled: bool) -> String {
    if !enabled {
        return text.to_string();
    }
    let code = match colour {
        Colour::Red => 31,
        Colour::Green => 32,
        Colour::Yellow => 33,
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `text` coloured for stdout, when stdout may be coloured.
pub fn paint_stdout(colour: Colour, text: &str) -> String {
    paint(
        colour,
        text,
        colour_allowed(std::io::stdout().is_terminal()),
    )
}

fn paint_stderr(colour: Colour, text: &str) -> String {
    paint(
        colour,
        text,
        colour_allowed(std::io::stderr().is_terminal()),
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
    line
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
    parts.join(" ")
}

/// The human-readable preview or push report of `plans`: one line per change, grouped by zone,
/// then a total.
pub fn plans_text(plans: &[(&str, &ZonePlan)]) -> String {
    let mut text = String::new();
    for (provider, plan) in plans {
        text.push_str(&zone_plan_text(provider, plan));
    }
    text.push_str(&total_text(plans));
    text
}

/// The closing line of a preview or push: how many changes in how many zones.
pub fn total_text(plans: &[(&str, &ZonePlan)]) -> String {
    let changes: usize = plans.iter().map(|(_, p)| p.diff.changes.len()).sum();
    let zones_changed = plans
        .iter()
        .filter(|(_, p)| !p.diff.changes.is_empty())
        .count();
    format!(
        "Total: {changes} change{} in {zones_changed} of {} zone{}\n",
        plural(changes),
        plans.len(),
        plural(plans.len())
    )
}

/// One zone's block of a preview or push: a header line, then one line per change.
pub fn zone_plan_text(provider: &str, plan: &ZonePlan) -> String {
    let mut text = format!(
        "{} (zone {}, provider {provider})\n",
        plan.domain, plan.zone.id
    );
    for change in &plan.diff.changes {
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
    for (rs, reason) in &plan.diff.left_alone {
        if *reason != LeftAlone::ZoneApex {
            text.push_str(&format!(
                "  KEEP   {} ({})\n",
                identity(rs),
                left_alone_reason(reason)
            ));
        }
    }
    for (change, comment) in &plan.diff.blocked {
        text.push_str(&format!(
            "  {} {} (protected{}; push leaves it out)\n",
            paint_stdout(Colour::Red, "BLOCKED"),
            describe_change(change),
            comment
                .as_deref()
                .map(|c| format!(": {c}"))
                .unwrap_or_default()
        ));
    }
    let n = plan.diff.changes.len();
    if n == 0 {
        text.push_str("  no changes\n");
    } else if plan.batches.len() == 1 {
        text.push_str(&format!(
            "  {n} change{} in 1 request (atomic)\n",
            plural(n)
        ));
    } else {
        text.push_str(&format!(
            "  {n} changes in {} requests (not atomic: a failure midway leaves the earlier \
             requests applied)\n",
            plan.batches.len()
        ));
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

/// The machine-readable form of `plans`, each zone object extended by `extra` when given.
pub fn plans_json(plans: &[(&str, &ZonePlan)], extra: &[Map<String, Value>]) -> Value {
    let zones: Vec<Value> = plans
        .iter()
        .enumerate()
        .map(|(i, (provider, plan))| {
            let mut zone = zone_plan_json(provider, plan);
            if let Some(more) = extra.get(i) {
                zone.extend(more.clone());
            }
            Value::Object(zone)
        })
        .collect();
    let total: usize = plans.iter().map(|(_, p)| p.diff.changes.len()).sum();
    json!({ "zones": zones, "total_changes": total })
}

fn zone_plan_json(provider: &str, plan: &ZonePlan) -> Map<String, Value> {
    let record = crate::plan::record_set_to_json;
    let changes: Vec<Value> = plan.diff.changes.iter().map(change_json).collect();
    let left_alone: Vec<Value> = plan
        .diff
        .left_alone
        .iter()
        .map(|(rs, reason)| json!({"record_set": record(rs), "reason": left_alone_reason(reason)}))
        .collect();
    let blocked: Vec<Value> = plan
        .diff
        .blocked
        .iter()
        .map(|(change, comment)| json!({"change": change_json(change), "protection_comment": comment}))
        .collect();
    let count = |f: fn(&Change) -> bool| plan.diff.changes.iter().filter(|c| f(c)).count();
    let object = json!({
        "domain": plan.domain,
        "provider": provider,
        "zone_id": plan.zone.id,
        "zone_name": plan.zone.name,
        "changes": changes,
        "left_alone": left_alone,
        "blocked": blocked,
        "counts": {
            "create": count(|c| matches!(c, Change::Create(_))),
            "modify": count(|c| matches!(c, Change::Modify { .. })),
            "delete": count(|c| matches!(c, Change::Delete(_))),
        },
        "requests": plan.batches.len(),
        "atomic": plan.batches.len() <= 1,
    });
    match object {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn change_json(change: &Change) -> Value {
    let record = crate::plan::record_set_to_json;
    match change {
        Change::Create(new) => json!({"action": "create", "new": record(new)}),
        Change::Delete(old) => json!({"action": "delete", "old": record(old)}),
        Change::Modify { old, new } => {
            json!({"action": "modify", "old": record(old), "new": record(new)})
        }
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

    #[test]
    fn colour_follows_terminal_and_no_color() {
        use std::ffi::OsStr;
        assert!(colour_allowed_with(true, None));
        assert!(colour_allowed_with(true, Some(OsStr::new(""))));
        assert!(!colour_allowed_with(true, Some(OsStr::new("1"))));
        assert!(!colour_allowed_with(false, None));
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
        let limits = crate::batch::Limits::default();
        let plan =
            ZonePlan::new("example.tld", "r53_main", zone, diff, &limits, &[]).expect("plan");
        let text = plans_text(&[("r53_main", &plan)]);
        assert!(
            text.contains(
                "  BLOCKED CREATE www.example.tld A 300 192.0.2.1 (protected: frozen; push leaves \
                 it out)\n"
            ),
            "{text}"
        );
        assert!(text.contains("Total: 0 changes"), "{text}");
        let json = plans_json(&[("r53_main", &plan)], &[]);
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
        let limits = crate::batch::Limits::default();
        let plan =
            ZonePlan::new("example.tld", "r53_main", zone, diff, &limits, &[live]).expect("plan");
        let text = plans_text(&[("r53_main", &plan)]);
        assert!(
            text.contains("  KEEP   tp.example.tld A (made by a traffic policy"),
            "{text}"
        );
        assert!(text.contains("no changes"), "{text}");
    }

    #[test]
    fn paint_only_when_enabled() {
        assert_eq!(paint(Colour::Red, "x", false), "x");
        assert_eq!(paint(Colour::Green, "x", true), "\x1b[32mx\x1b[0m");
    }
}
