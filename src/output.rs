//! What r53ctl prints on stdout: a run's data, how plans, changes and record sets read as text,
//! and the JSON documents of preview and push (`docs/json.md` is their contract). Messages go to
//! stderr through [`crate::log`]; colour follows it: only on a terminal without `NO_COLOR`.
//!
//! May import: `batch`, `diff`, `error`, `log`, `model`, `name`, `plan`, `rtype`.

use std::cmp::Ordering;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{self, AtomicBool};

use serde_json::{json, Map, Value};

use crate::diff::{Change, KeyRef, LeftAlone, Untouched};
use crate::error::{Error, EXIT_ERROR, EXIT_OK};
use crate::log::{self, colour_allowed, paint, printable, Colour};
use crate::model::{Action, RecordSet, Routing};
use crate::plan::{ChangeCounts, Target, UnreadableZone, ZonePlan};

/// The version of the JSON documents of preview and push, their `"schema"` member.
pub const JSON_SCHEMA: u32 = 1;

/// Set once some of the run's data could not be written to stdout.
static DATA_INCOMPLETE: AtomicBool = AtomicBool::new(false);

/// Writes `text`, a run's data, to stdout. A failed write never stops a run, least of all a push
/// midway: the first one is said on stderr, unless the reader went away (`r53ctl preview | head`
/// asks for no message), and the run then exits 1 instead of 0 (see [`exit_code`]).
pub fn data(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Err(err) = written {
        let first = !DATA_INCOMPLETE.swap(true, atomic::Ordering::Relaxed);
        if first && err.kind() != std::io::ErrorKind::BrokenPipe {
            log::error(&format!(
                "cannot write to stdout: {err}; the output is incomplete"
            ));
        }
    }
}

/// Writes `text` to the file `out` (`--out`), which must not exist unless `force`, or else to
/// stdout.
pub fn data_to(out: Option<&std::path::Path>, force: bool, text: &str) -> Result<(), Error> {
    use std::io::Write;
    let Some(path) = out else {
        data(text);
        return Ok(());
    };
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => Error::Usage(format!(
            "{} exists; nothing was written (pass --force to overwrite it)",
            path.display()
        )),
        _ => Error::failed(format!("writing {}", path.display()), e),
    });
    file?
        .write_all(text.as_bytes())
        .map_err(|e| Error::failed(format!("writing {}", path.display()), e))
}

/// The exit code of a run that ended with `code`: a success whose data did not all reach stdout
/// is an error, so that a script never takes a cut-off output for the whole of it.
pub fn exit_code(code: i32) -> i32 {
    if code == EXIT_OK && DATA_INCOMPLETE.load(atomic::Ordering::Relaxed) {
        EXIT_ERROR
    } else {
        code
    }
}

/// Prints `err` to stderr and returns its exit code.
pub fn report_error(err: &Error) -> i32 {
    let label = match err {
        Error::ChangesPending(_) => "changes pending",
        Error::Refused(_) => "refused",
        Error::Interrupted(..) => "interrupted",
        _ => "error",
    };
    log::labelled(Colour::Red, label, &err.to_string());
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
fn paint_stdout(colour: Colour, text: &str) -> String {
    paint(
        colour,
        text,
        colour_allowed(std::io::stdout().is_terminal()),
    )
}

/// One line that says everything about a record set: name, type, routing, TTL, alias target,
/// health check and values.
pub fn describe(rs: &RecordSet) -> String {
    words(
        [identity(rs)]
            .into_iter()
            .chain(settings(rs))
            .chain(rs.values.iter().map(|v| v.to_string())),
    )
}

/// Name, type and routing: what identifies a record set.
fn identity(rs: &RecordSet) -> String {
    words([name_and_type(rs)].into_iter().chain(routing_text(rs)))
}

fn name_and_type(rs: &RecordSet) -> String {
    format!("{} {}", crate::name::display(&rs.name), rs.rtype)
}

/// `[set-identifier routing]`, for a record set under a routing policy.
fn routing_text(rs: &RecordSet) -> Option<String> {
    let id = rs.set_identifier()?;
    Some(format!("[{id}{}]", routing_label(rs.routing())))
}

/// What a record set holds besides its values: TTL, alias target, health check.
fn settings(rs: &RecordSet) -> Vec<String> {
    let mut parts: Vec<String> = rs.ttl.iter().map(u32::to_string).collect();
    if let Some(alias) = rs.alias() {
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
    if let Some(hc) = rs.health_check_id() {
        parts.push(format!("health-check={hc}"));
    }
    parts
}

/// `parts`, text from outside made [`printable`], separated by spaces.
fn words(parts: impl IntoIterator<Item = String>) -> String {
    parts
        .into_iter()
        .map(|part| printable(&part))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The human-readable preview of `targets`: each zone's changes, then the closing lines, which
/// count `unreadable` zones too.
pub fn targets_text(targets: &[&Target], unreadable: usize) -> String {
    let mut text: String = targets.iter().map(|target| zone_text(target)).collect();
    text.push_str(&closing_text(targets, unreadable));
    text
}

/// How a MODIFY is sent, said once per run that shows one.
const MODIFY_NOTE: &str = "Note: each MODIFY is sent as a DELETE of the record set as read and \
    a CREATE of the new one,\n  in one request: it fails whole if someone changed the record set \
    since (the apex NS: one UPSERT).\n";

/// The closing lines of a preview or push: how a MODIFY is sent (when one was shown), then the
/// total of the zones read and how many more could not be read. Nothing when no zone was read:
/// a total of nothing is no result, and the errors say why.
pub fn closing_text(targets: &[&Target], unreadable: usize) -> String {
    if targets.is_empty() && unreadable > 0 {
        return String::new();
    }
    let mut text = String::new();
    // A plan read from a file holds no modification: its actions are shown instead.
    let shows_modify = |t: &&Target| {
        t.plan
            .changes()
            .iter()
            .any(|c| matches!(c, Change::Modify { .. }))
    };
    if targets.iter().any(shows_modify) {
        text.push_str(MODIFY_NOTE);
    }
    let changes: usize = targets.iter().map(|t| t.plan.summary.total()).sum();
    let zones_changed = targets
        .iter()
        .filter(|t| t.plan.summary.total() > 0)
        .count();
    text.push_str(&format!(
        "Total: {changes} change{} in {zones_changed} of {} zone{}",
        plural(changes),
        targets.len(),
        plural(targets.len())
    ));
    if unreadable > 0 {
        text.push_str(&format!(
            "; {unreadable} more zone{} could not be read",
            plural(unreadable)
        ));
    }
    text.push('\n');
    text
}

/// One zone's block of a preview or push: a header line, then its numbered changes (or, for a
/// plan read from a file, its change actions in request order), then its counts and requests.
pub fn zone_text(target: &Target) -> String {
    let plan = &target.plan;
    let mut text = format!(
        "{} (zone {}, provider {})\n",
        printable(&plan.domain),
        printable(&plan.zone.id),
        printable(&plan.provider)
    );
    text.push_str(&match &target.untouched {
        Some(untouched) => diff_text(plan.changes(), untouched),
        None => actions_text(plan),
    });
    text.push_str(&requests_line(plan));
    text
}

/// The `changes` of a diff, numbered, then the record sets it keeps and the changes it may not
/// make.
fn diff_text(changes: &[Change], untouched: &Untouched) -> String {
    let mut text = String::new();
    for (index, change) in in_display_order(changes, Change::key_ref)
        .into_iter()
        .enumerate()
    {
        let mut lines = change_lines(change);
        lines[0] = format!("#{} {}", index + 1, lines[0]);
        text.push_str(&block(&lines, change_colour(change)));
    }
    for (rs, reason) in in_display_order(&untouched.left_alone, |(rs, _)| KeyRef::of(rs)) {
        if *reason != LeftAlone::ZoneApex {
            text.push_str(&format!(
                "  KEEP   {} ({})\n",
                identity(rs),
                left_alone_reason(reason)
            ));
        }
    }
    for (change, comment) in in_display_order(&untouched.blocked, |(change, _)| change.key_ref()) {
        let mut lines = change_lines(change);
        lines[0] = format!(
            "{} {} (protected{}; push leaves it out)",
            paint_stdout(Colour::Red, "BLOCKED"),
            lines[0],
            comment
                .as_deref()
                .map(|c| format!(": {}", printable(c)))
                .unwrap_or_default()
        );
        text.push_str(&block(&lines, None));
    }
    text
}

/// The change actions of every request of `plan`, one per record set, in the order they are sent.
fn actions_text(plan: &ZonePlan) -> String {
    let mut text = String::new();
    for change in plan.actions() {
        let colour = match change.action {
            Action::Delete => Colour::Red,
            Action::Create | Action::Upsert => Colour::Green,
        };
        let lines = record_set_lines(change.action.as_str(), change.record_set);
        text.push_str(&block(&lines, Some(colour)));
    }
    text
}

/// `lines` indented, each in `colour` when given.
fn block(lines: &[String], colour: Option<Colour>) -> String {
    let paint = |line: &String| match colour {
        Some(colour) => paint_stdout(colour, line),
        None => line.clone(),
    };
    lines
        .iter()
        .map(|line| format!("  {}\n", paint(line)))
        .collect()
}

fn change_colour(change: &Change) -> Option<Colour> {
    Some(match change {
        Change::Create(_) => Colour::Green,
        Change::Delete(_) => Colour::Red,
        Change::Modify { .. } => Colour::Yellow,
    })
}

/// The count of the changes of `plan` by kind and how many requests send them.
fn requests_line(plan: &ZonePlan) -> String {
    let n = plan.summary.total();
    let what = format!("{}: {n} change{}", kinds_text(&plan.summary), plural(n));
    match (n, plan.request_count()) {
        (0, _) => "  no changes\n".to_string(),
        (_, 1) => format!("  {what} in 1 request (atomic)\n"),
        (_, requests) => format!(
            "  {what} in {requests} requests (not atomic: a failure midway leaves the earlier \
             requests applied)\n"
        ),
    }
}

/// `2 to create, 1 to modify, 3 to delete`, leaving out kinds with none.
fn kinds_text(counts: &ChangeCounts) -> String {
    let kinds = [
        (counts.creates, "create"),
        (counts.modifies, "modify"),
        (counts.deletes, "delete"),
    ];
    let parts = kinds
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, kind)| format!("{n} to {kind}"));
    parts.collect::<Vec<_>>().join(", ")
}

/// The lines of one change, unindented. A MODIFY shows what changes: both sides of its routing,
/// settings and lone value, or the values it removes (`-`), keeps and adds (`+`).
fn change_lines(change: &Change) -> Vec<String> {
    match change {
        Change::Create(new) => record_set_lines("CREATE", new),
        Change::Delete(old) => record_set_lines("DELETE", old),
        Change::Modify { old, new } => modify_lines(old, new),
    }
}

/// `VERB name type [routing] settings`, then the values of `rs` (see [`with_values`]).
fn record_set_lines(verb: &str, rs: &RecordSet) -> Vec<String> {
    let head = words(
        [verb.to_string(), identity(rs)]
            .into_iter()
            .chain(settings(rs)),
    );
    let values: Vec<(char, &str)> = rs.values.iter().map(|v| (' ', &**v)).collect();
    with_values(head, &values)
}

fn modify_lines(old: &RecordSet, new: &RecordSet) -> Vec<String> {
    let routing_changed = old.routing() != new.routing();
    let inline = old.values.len() <= 1 && new.values.len() <= 1;
    let side = |rs: &RecordSet| {
        let routing = routing_changed.then(|| routing_text(rs)).flatten();
        let values = rs.values.iter().filter(|_| inline).map(|v| v.to_string());
        words(routing.into_iter().chain(settings(rs)).chain(values))
    };
    let subject = match routing_changed {
        true => name_and_type(old),
        false => identity(old),
    };
    let head = format!("MODIFY {subject} {} -> {}", side(old), side(new));
    if inline {
        return vec![head];
    }
    let removed = old.values.iter().filter(|v| !new.values.contains(v));
    let marked = removed
        .map(|v| ('-', &**v))
        .chain(new.values.iter().map(|v| {
            let marker = if old.values.contains(v) { ' ' } else { '+' };
            (marker, &**v)
        }));
    with_values(head, &marked.collect::<Vec<_>>())
}

/// `head` and `values`, each value after its marker (`-`, `+` or a space): a lone unmarked value
/// on the head line, any other one per line under it, so that one TXT value of two strings
/// (`"a" "b"`) never reads as two values.
fn with_values(head: String, values: &[(char, &str)]) -> Vec<String> {
    if let [(' ', only)] = values {
        return vec![format!("{head} {}", printable(only))];
    }
    let lines = values
        .iter()
        .map(|(marker, v)| format!("    {marker} {}", printable(v)));
    std::iter::once(head).chain(lines).collect()
}

/// `items` sorted for display by the record set each is about: names in natural order
/// (`host2` before `host10`), then type and set identifier.
fn in_display_order<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> KeyRef<'a>) -> Vec<&'a T> {
    let mut keyed: Vec<(KeyRef<'a>, &T)> = items.iter().map(|item| (key(item), item)).collect();
    keyed.sort_by(|(a, _), (b, _)| natural_cmp(&a.name, &b.name).then_with(|| a.cmp(b)));
    keyed.into_iter().map(|(_, item)| item).collect()
}

/// Orders `a` and `b` as people read them: a run of digits by its number.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    while let (Some(&x), Some(&y)) = (a.first(), b.first()) {
        let ordering = if x.is_ascii_digit() && y.is_ascii_digit() {
            let (number_a, rest_a) = split_number(a);
            let (number_b, rest_b) = split_number(b);
            (a, b) = (rest_a, rest_b);
            number_a
                .len()
                .cmp(&number_b.len())
                .then(number_a.cmp(number_b))
        } else {
            (a, b) = (&a[1..], &b[1..]);
            x.cmp(&y)
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    a.len().cmp(&b.len())
}

/// The number `text` starts with (its digits without leading zeros) and the rest of `text`.
fn split_number(text: &[u8]) -> (&[u8], &[u8]) {
    let end = text
        .iter()
        .position(|c| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, rest) = text.split_at(end);
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    (&digits[zeros..], rest)
}

fn left_alone_reason(reason: &LeftAlone) -> &'static str {
    match reason {
        LeftAlone::ZoneApex => "zone apex",
        LeftAlone::TrafficPolicy => "made by a traffic policy; r53ctl never changes those",
        LeftAlone::Ignored => "matches an ignore rule",
        LeftAlone::NotInConfig => "not in the config; the domain keeps unknown record sets",
    }
}

/// The JSON document of a preview or push (`docs/json.md`): `targets`, each zone object extended
/// by `extra` when given, the `unreadable` zones, the `registrar_changes` and the totals of the
/// zones read. Null members are left out.
pub fn targets_json(
    targets: &[&Target],
    extra: &[Map<String, Value>],
    unreadable: &[UnreadableZone],
    registrar_changes: Value,
) -> Value {
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
    let actions: usize = targets.iter().map(|t| t.plan.change_action_count()).sum();
    let mut document = json!({
        "schema": JSON_SCHEMA,
        "zones": zones,
        "unreadable": unreadable,
        "registrar_changes": registrar_changes,
        "total_changes": total,
        "total_change_actions": actions,
    });
    strip_nulls(&mut document);
    document
}

/// Removes the null members of every object in `value`: the documents leave out what a zone or
/// record set does not have.
fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

fn zone_json(target: &Target) -> Map<String, Value> {
    let plan = &target.plan;
    let violation = plan.safety_violation(target.live_count);
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
        "requests": plan.request_count(),
        "change_actions": plan.change_action_count(),
        "atomic": plan.is_atomic(),
        "safety_violation": violation.map(|v| v.to_string()),
    }));
    if let Some(untouched) = &target.untouched {
        object.extend(diff_json(plan.changes(), untouched));
    }
    object
}

/// The `changes` of a diff, the record sets it left alone and its blocked changes, in display
/// order.
fn diff_json(changes: &[Change], untouched: &Untouched) -> Map<String, Value> {
    let changes: Vec<Value> = in_display_order(changes, Change::key_ref)
        .into_iter()
        .map(change_json)
        .collect();
    let left_alone: Vec<Value> = in_display_order(&untouched.left_alone, |(rs, _)| KeyRef::of(rs))
        .into_iter()
        .map(|(rs, reason)| json!({"record_set": rs, "reason": left_alone_reason(reason)}))
        .collect();
    let blocked: Vec<Value> = in_display_order(&untouched.blocked, |(change, _)| change.key_ref())
        .into_iter()
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
    use crate::diff::ZoneDiff;
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
        let target = AliasTarget {
            hosted_zone_id: "Z1".into(),
            dns_name: "lb.example.tld.".into(),
            evaluate_target_health: true,
        };
        let rs = RecordSet::aliased("app.example.tld.", RecordType::A, target)
            .with_set_identifier("eu")
            .with_routing(Routing::Weighted { weight: 10 });
        assert_eq!(
            describe(&rs),
            "app.example.tld A [eu weight=10] ALIAS lb.example.tld (zone Z1, evaluate target health)"
        );
    }

    fn target<'d>(
        zone: crate::model::HostedZone,
        diff: ZoneDiff<'d>,
        live: &[RecordSet],
    ) -> Target<'d> {
        let limits = crate::batch::Limits::default();
        let plan =
            ZonePlan::new("example.tld", "r53_main", zone, diff.changes, &limits).expect("plan");
        Target {
            plan,
            untouched: Some(diff.untouched),
            live_count: live.len(),
        }
    }

    #[test]
    fn a_plan_read_from_a_file_lists_every_action_of_every_request() {
        let zone = crate::model::HostedZone::example();
        // One record a request.
        let limits = crate::batch::Limits {
            max_records: 1,
            ..crate::batch::Limits::default()
        };
        let plan =
            |changes| ZonePlan::new("example.tld", "r53_main", zone.clone(), changes, &limits);
        let empty = Target {
            plan: plan(Vec::new()).unwrap(),
            untouched: None,
            live_count: 0,
        };
        assert!(zone_text(&empty).ends_with("  no changes\n"));
        let changes = vec![
            Change::delete(a("www.example.tld.", "192.0.2.1")),
            Change::create(a("www.example.tld.", "192.0.2.2")),
        ];
        let plan = plan(changes).unwrap();
        assert_eq!(plan.request_count(), 2);
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
        let diff = ZoneDiff {
            untouched: Untouched {
                blocked: vec![(Change::create(www), Some("frozen".into()))],
                ..Default::default()
            },
            ..Default::default()
        };
        let target = target(zone, diff, &[]);
        let text = targets_text(&[&target], 0);
        assert!(
            text.contains(
                "  BLOCKED CREATE www.example.tld A 300 192.0.2.1 (protected: frozen; push leaves \
                 it out)\n"
            ),
            "{text}"
        );
        assert!(text.contains("Total: 0 changes"), "{text}");
        let json = targets_json(&[&target], &[], &[], json!([]));
        assert_eq!(
            json["zones"][0]["blocked"][0]["protection_comment"],
            "frozen"
        );
    }

    #[test]
    fn traffic_policy_record_sets_are_kept_and_said_so() {
        let zone = crate::model::HostedZone::example();
        let live = RecordSet::simple(
            "tp.example.tld.",
            RecordType::A,
            60,
            vec!["192.0.2.8".into()],
        )
        .with_traffic_policy_instance_id("tpi-1");
        let options = crate::diff::DiffOptions {
            apex: "example.tld.",
            zone_id: "Z1",
            ignore: &[],
            keep_unknown: false,
        };
        let diff = crate::diff::diff_zone(&[], vec![live.clone()], &options);
        let target = target(zone, diff, &[live]);
        let text = targets_text(&[&target], 0);
        assert!(
            text.contains("  KEEP   tp.example.tld A (made by a traffic policy"),
            "{text}"
        );
        assert!(text.contains("no changes"), "{text}");
    }

    fn a(name: &str, ip: &str) -> RecordSet {
        RecordSet::simple(name, RecordType::A, 300, vec![ip.into()])
    }

    fn txt(values: &[&str]) -> RecordSet {
        let values = values.iter().map(|v| v.to_string()).collect();
        RecordSet::simple("txt.example.tld.", RecordType::TXT, 300, values)
    }

    fn weighted(id: &str, weight: u32) -> RecordSet {
        a("app.example.tld.", "192.0.2.1")
            .with_set_identifier(id)
            .with_routing(Routing::Weighted { weight })
    }

    fn diff_of(changes: Vec<Change>) -> ZoneDiff {
        ZoneDiff {
            changes,
            ..Default::default()
        }
    }

    fn text_of(changes: Vec<Change>) -> String {
        let live = live_for(&changes);
        targets_text(
            &[&target(HostedZone::example(), diff_of(changes), &live)],
            0,
        )
    }

    /// The live record sets `changes` delete or modify.
    fn live_for(changes: &[Change]) -> Vec<RecordSet> {
        let old = |c: &Change| match c {
            Change::Delete(old) => Some((**old).clone()),
            Change::Modify { old, .. } => Some((**old).clone()),
            Change::Create(_) => None,
        };
        changes.iter().filter_map(old).collect()
    }

    use crate::model::HostedZone;

    #[test]
    fn a_modify_shows_routing_on_both_sides_when_it_changes() {
        let text = text_of(vec![Change::modify(weighted("a", 10), weighted("a", 20))]);
        assert!(
            text.contains(
                "#1 MODIFY app.example.tld A [a weight=10] 300 192.0.2.1 -> [a weight=20] 300 \
                 192.0.2.1\n"
            ),
            "{text}"
        );
        let mut new = weighted("a", 10);
        new.ttl = Some(60);
        let same_routing = Change::modify(weighted("a", 10), new);
        let text = text_of(vec![same_routing]);
        assert!(
            text.contains("MODIFY app.example.tld A [a weight=10] 300 192.0.2.1 -> 60 192.0.2.1"),
            "{text}"
        );
    }

    #[test]
    fn several_values_go_one_per_line_so_one_txt_of_two_strings_reads_as_one() {
        let one_value = text_of(vec![Change::create(txt(&["\"a\" \"b\""]))]);
        assert!(
            one_value.contains("  #1 CREATE txt.example.tld TXT 300 \"a\" \"b\"\n"),
            "{one_value}"
        );
        let two_values = text_of(vec![Change::create(txt(&["\"a\"", "\"b\""]))]);
        assert!(
            two_values
                .contains("  #1 CREATE txt.example.tld TXT 300\n        \"a\"\n        \"b\"\n"),
            "{two_values}"
        );
        let modified = text_of(vec![Change::modify(
            txt(&["\"a\"", "\"b\""]),
            txt(&["\"b\"", "\"c\""]),
        )]);
        assert!(
            modified.contains(
                "  #1 MODIFY txt.example.tld TXT 300 -> 300\n      - \"a\"\n        \"b\"\n      + \"c\"\n"
            ),
            "{modified}"
        );
    }

    #[test]
    fn changes_are_numbered_in_natural_order_and_counted_by_kind() {
        let text = text_of(vec![
            Change::create(a("host10.example.tld.", "192.0.2.10")),
            Change::delete(a("host2.example.tld.", "192.0.2.2")),
            Change::create(a("host1.example.tld.", "192.0.2.1")),
        ]);
        let numbered = [
            "#1 CREATE host1.example.tld",
            "#2 DELETE host2.example.tld",
            "#3 CREATE host10.example.tld",
        ];
        let positions: Vec<Option<usize>> = numbered.iter().map(|l| text.find(l)).collect();
        assert!(
            positions.windows(2).all(|w| w[0].is_some() && w[0] < w[1]),
            "{text}"
        );
        assert!(
            text.contains("  2 to create, 1 to delete: 3 changes in 1 request (atomic)\n"),
            "{text}"
        );
    }

    #[test]
    fn natural_order_compares_runs_of_digits_as_numbers() {
        assert_eq!(natural_cmp("host2", "host10"), Ordering::Less);
        assert_eq!(natural_cmp("host10", "host9a"), Ordering::Greater);
        assert_eq!(natural_cmp("a", "ab"), Ordering::Less);
        assert_eq!(natural_cmp("b1", "a2"), Ordering::Greater);
        assert_eq!(natural_cmp("x007", "x7"), Ordering::Equal);
    }

    #[test]
    fn the_modify_note_is_said_once_per_run() {
        let modify = || {
            Change::modify(
                a("www.example.tld.", "192.0.2.1"),
                a("www.example.tld.", "192.0.2.2"),
            )
        };
        let live = live_for(&[modify()]);
        let zone = || HostedZone::example();
        let first = target(zone(), diff_of(vec![modify()]), &live);
        let second = target(zone(), diff_of(vec![modify()]), &live);
        let text = targets_text(&[&first, &second], 0);
        assert_eq!(text.matches("each MODIFY is sent as").count(), 1, "{text}");
        let creates_only = text_of(vec![Change::create(a("new.example.tld.", "192.0.2.3"))]);
        assert!(!creates_only.contains("MODIFY"), "{creates_only}");
    }

    #[test]
    fn totals_count_zones_read_and_say_how_many_were_not() {
        let read = target(HostedZone::example(), diff_of(vec![]), &[]);
        assert_eq!(
            closing_text(&[&read], 2),
            "Total: 0 changes in 0 of 1 zone; 2 more zones could not be read\n"
        );
        assert_eq!(closing_text(&[], 1), "", "no total when no zone was read");
        let unreadable = UnreadableZone {
            domain: "gone.tld".into(),
            provider: "r53_main".into(),
            error: "domain gone.tld: no hosted zone".into(),
        };
        let with_change = target(
            HostedZone::example(),
            diff_of(vec![Change::create(a("www.example.tld.", "192.0.2.1"))]),
            &[],
        );
        let json = targets_json(
            &[&with_change],
            &[],
            std::slice::from_ref(&unreadable),
            json!([]),
        );
        assert_eq!(json["schema"], 1);
        assert_eq!(json["total_changes"], 1);
        assert_eq!(json["unreadable"], json!([unreadable]));
    }

    #[test]
    fn json_leaves_out_nulls_and_carries_the_safety_violation() {
        let live: Vec<RecordSet> = (0..10)
            .map(|i| a(&format!("h{i}.example.tld."), "192.0.2.1"))
            .collect();
        let deletes = live[..4].iter().cloned().map(Change::delete).collect();
        let over = target(HostedZone::example(), diff_of(deletes), &live);
        let json = targets_json(&[&over], &[], &[], json!([]));
        let zone = &json["zones"][0];
        let violation = zone["safety_violation"].as_str().expect("violation");
        assert!(
            violation.contains("4 of 10 record sets (40%)"),
            "{violation}"
        );
        let old = zone["changes"][0]["old"].as_object().expect("record set");
        assert!(
            !old.contains_key("alias") && !old.contains_key("set_identifier"),
            "{old:?}"
        );
        let within = target(HostedZone::example(), diff_of(vec![]), &live);
        let json = targets_json(&[&within], &[], &[], json!([]));
        assert!(json["zones"][0].get("safety_violation").is_none(), "{json}");
    }
}
