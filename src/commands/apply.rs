//! Applying planned zones and reporting what became of them, for push from the config and from
//! a plan file alike: the safety check, each zone's requests in order (stopping at the first that
//! does not certainly apply), reconciling a request whose answer was lost by re-reading the zone,
//! `--wait`, and the report of exactly what was and was not applied, each request's line as
//! soon as its outcome is known. SIGINT or SIGTERM stops it between requests (see `interrupt`).

use std::collections::{BTreeMap, HashSet};
use std::io::IsTerminal;
use std::time::Duration;

use serde_json::{json, Map, Value};

use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::interrupt::{self, Poll};
use crate::log;
use crate::model::{Action, ChangeAction, ChangeInfo, RecordSet};
use crate::output::{self, plural};
use crate::plan::{Target, UnreadableZone, ZonePlan};
use crate::route53::{ApiError, Client};

use super::registrar::{self, RegistrarPlan};
use super::{planning, zones};

/// How a push goes about its zones.
#[derive(Clone, Debug)]
pub struct PushOptions {
    /// `--format json`.
    pub json: bool,
    /// `--force`: push past the safety limits.
    pub force: bool,
    /// `--refuse-blocked`: send nothing to a zone with changes blocked by protections.
    pub refuse_blocked: bool,
    /// `--wait` with its timeout.
    pub wait: Option<Duration>,
    /// What the user should do about zones that did not complete.
    pub next_step: &'static str,
}

impl PushOptions {
    /// The options push's flags give, with `next_step` for zones that did not complete.
    pub fn of(args: &Args, next_step: &'static str) -> Result<PushOptions, Error> {
        Ok(PushOptions {
            json: args.json()?,
            force: args.force,
            refuse_blocked: args.refuse_blocked,
            wait: args.wait.then_some(args.wait_timeout),
            next_step,
        })
    }
}

/// A zone push was asked to apply: its target, and why nothing may be written to it when that
/// is so.
pub struct PushZone<'d> {
    pub target: Target<'d>,
    pub not_ready: Option<String>,
}

impl<'d> From<Target<'d>> for PushZone<'d> {
    fn from(target: Target<'d>) -> PushZone<'d> {
        PushZone {
            target,
            not_ready: None,
        }
    }
}

/// Pushes `zones` through `clients`: refuses the whole push when a zone is over its safety limit
/// or a `registrar` change could cut its domain off, applies the others zone by zone, prints
/// each zone and its outcome as it goes (text) or all at the end (JSON), then sends the
/// registrar changes of domains whose zones applied; fails for `unreadable` zones (messages of
/// zones that could not be planned), zones that did not complete and registrar failures, or,
/// when a signal stopped it, for that.
pub fn push(
    zones: Vec<PushZone<'_>>,
    unreadable: &[UnreadableZone],
    clients: &BTreeMap<String, Client>,
    registrar: &RegistrarPlan,
    options: &PushOptions,
) -> Result<i32, Error> {
    catch_signals();
    if !options.force {
        let ready = zones.iter().filter(|z| z.not_ready.is_none());
        let mut refusals = planning::safety_violations(ready.map(|z| &z.target));
        refusals.extend(registrar.refusals());
        refuse_if_any(&refusals)?;
    }
    let mut outcomes = Vec::new();
    for zone in &zones {
        if !options.json {
            output::data(&output::zone_text(&zone.target));
        }
        let requests = RequestLog::of(&zone.target.plan, !options.json);
        let outcome = push_zone(zone, clients, options, &requests);
        if !options.json {
            output::data(&summary_text(requests.total, &outcome));
        }
        outcomes.push(outcome);
    }
    let shown: Vec<&Target> = zones.iter().map(|z| &z.target).collect();
    let domains: Vec<&str> = shown.iter().map(|t| t.plan.domain.as_str()).collect();
    let failed: Vec<&str> = domains
        .iter()
        .zip(&outcomes)
        .filter(|(_, o)| o.error.is_some())
        .map(|(d, _)| *d)
        .collect();
    let registered = registrar.apply(&failed, options.wait);
    if options.json {
        let extra: Vec<Map<String, Value>> = outcomes.iter().map(outcome_json).collect();
        let changes = registrar::changes_json(registrar, &registered);
        let report = output::targets_json(&shown, &extra, unreadable, changes);
        output::data(&format!("{report}\n"));
    } else {
        output::data(&output::closing_text(&shown, unreadable.len()));
        output::data(&registrar::changes_text(registrar, &registered));
    }
    report_throttles(clients);
    let unread = fail_if_any(unreadable, zones.len() + unreadable.len());
    let registrars_done = registrar::fail_if_any(registrar, &registered);
    match summarise(&failed, options.next_step) {
        Err(interrupted @ Error::Interrupted(..)) => Err(interrupted),
        summary => unread.and(summary).and(registrars_done).map(|()| EXIT_OK),
    }
}

/// From here on, SIGINT and SIGTERM stop push between requests instead of ending it at once.
fn catch_signals() {
    if let Err(err) = interrupt::catch() {
        log::warn(&format!(
            "cannot catch SIGINT and SIGTERM ({err}): they end push at once"
        ));
    }
}

/// Tells the user about each request of one zone as it goes: a progress line on stderr (on a
/// terminal) as it is sent, and its outcome once known: its report line on stdout in text
/// format, and a progress line too unless that report line already shows on the terminal.
struct RequestLog<'a> {
    domain: &'a str,
    total: usize,
    text: bool,
    outcome_as_progress: bool,
}

impl RequestLog<'_> {
    fn of<'p>(plan: &'p ZonePlan<'_>, text: bool) -> RequestLog<'p> {
        RequestLog {
            domain: &plan.domain,
            total: plan.request_count(),
            text,
            outcome_as_progress: !text || !std::io::stdout().is_terminal(),
        }
    }

    fn sending(&self, number: usize, changes: usize) {
        log::progress(&self.progress_line(number, changes));
    }

    fn finished(&self, number: usize, request: &RequestReport<'_>) {
        if self.text {
            output::data(&request_line(number, self.total, request));
        }
        if self.outcome_as_progress {
            log::progress(&format!(
                "{} {}",
                self.progress_line(number, request.changes.len()),
                request_status_text(&request.outcome)
            ));
        }
    }

    fn progress_line(&self, number: usize, changes: usize) -> String {
        format!(
            "{}: request {number} of {}: {changes} change action{} …",
            self.domain,
            self.total,
            plural(changes)
        )
    }
}

/// Applies one zone, unless it is not ready or `--refuse-blocked` holds it back.
fn push_zone<'z>(
    zone: &'z PushZone<'_>,
    clients: &BTreeMap<String, Client>,
    options: &PushOptions,
    requests: &RequestLog,
) -> ZoneOutcome<'z> {
    if let Some(reason) = &zone.not_ready {
        return ZoneOutcome::not_applied(reason.clone());
    }
    let target = &zone.target;
    if let Some(reason) = refusal_for_blocked(target, options.refuse_blocked) {
        return ZoneOutcome::not_applied(reason);
    }
    match zones::client_for(clients, &target.plan.provider) {
        Ok(client) => apply_zone(client, &target.plan, options.wait, requests),
        Err(reason) => ZoneOutcome::not_applied(reason),
    }
}

/// Says on stderr how often Route 53 throttled this run, if it did.
fn report_throttles(clients: &BTreeMap<String, Client>) {
    let throttled: usize = clients.values().map(Client::throttles).sum();
    if throttled > 0 {
        log::warn(&format!(
            "Route 53 throttled {throttled} request{}; r53ctl slowed down (other tools may be \
             using the account's request quota)",
            plural(throttled)
        ));
    }
}

/// Reports every zone that could not be read on stderr and turns them into one error.
pub fn fail_if_any(failures: &[UnreadableZone], total: usize) -> Result<(), Error> {
    if failures.is_empty() {
        return Ok(());
    }
    for failure in failures {
        log::error(&failure.error);
    }
    Err(Error::Failed(format!(
        "{} of {total} zone{} could not be read",
        failures.len(),
        plural(total)
    )))
}

/// How many times one request whose outcome was unknown is checked and sent again.
const MAX_RECONCILES: usize = 3;

/// What happened to one zone.
#[derive(Debug, Default)]
pub struct ZoneOutcome<'p> {
    /// One per request sent or left unsent, in order; shorter than the zone's requests only
    /// when the zone was given up before any was sent.
    requests: Vec<RequestReport<'p>>,
    /// Why the zone's push did not complete.
    error: Option<String>,
}

/// One request of a zone and what became of it.
#[derive(Debug)]
struct RequestReport<'p> {
    changes: Vec<ChangeAction<'p>>,
    outcome: RequestOutcome,
}

/// What became of one ChangeResourceRecordSets request.
#[derive(Debug)]
enum RequestOutcome {
    /// It is applied.
    Applied(Sent),
    /// It failed and is certainly not applied.
    NotApplied(String),
    /// It may or may not be applied.
    Unknown(String),
    /// It was not sent because an earlier request of the zone did not apply.
    NotSent,
}

/// How an applied request came to be known as applied.
#[derive(Debug)]
enum Sent {
    /// Route 53 accepted it and answered with this change.
    Accepted(ChangeInfo),
    /// Its answer was lost, and re-reading the zone showed every change of it in place.
    FoundApplied,
}

impl<'p> ZoneOutcome<'p> {
    /// A zone nothing was sent to, for `reason`.
    fn not_applied(reason: String) -> ZoneOutcome<'p> {
        ZoneOutcome {
            requests: Vec::new(),
            error: Some(reason),
        }
    }

    fn applied(&self) -> impl Iterator<Item = &RequestReport<'p>> {
        self.requests
            .iter()
            .filter(|r| matches!(r.outcome, RequestOutcome::Applied(_)))
    }

    fn accepted_changes(&self) -> impl Iterator<Item = &ChangeInfo> {
        self.requests.iter().filter_map(|r| match &r.outcome {
            RequestOutcome::Applied(Sent::Accepted(info)) => Some(info),
            _ => None,
        })
    }
}

/// Why a zone is not pushed at all under `--refuse-blocked`: some of its changes are blocked by
/// record set protections, and the user wants all of a zone's changes or none.
fn refusal_for_blocked(target: &Target, refuse_blocked: bool) -> Option<String> {
    let blocked = target.untouched.as_ref().map_or(0, |u| u.blocked.len());
    (refuse_blocked && blocked > 0).then(|| {
        format!(
            "{blocked} change{} blocked by record set protections (see BLOCKED above) and \
             --refuse-blocked asks for all of the zone's changes or none: nothing was sent",
            plural(blocked)
        )
    })
}

/// The refusal of a push for `violations` (one line per zone), if there are any.
fn refuse_if_any(violations: &[String]) -> Result<(), Error> {
    if violations.is_empty() {
        return Ok(());
    }
    Err(Error::Refused(format!(
        "nothing was pushed:\n  {}",
        violations.join("\n  ")
    )))
}

/// Sends the requests of `plan` in order, telling `request_log` about each; stops at the first
/// that does not certainly apply, or at a signal, and leaves the rest unsent.
fn apply_zone<'p>(
    client: &Client,
    plan: &'p ZonePlan<'_>,
    wait: Option<Duration>,
    request_log: &RequestLog,
) -> ZoneOutcome<'p> {
    let zone_id = &plan.zone.id;
    let mut requests = Vec::with_capacity(plan.request_count());
    let mut stopped = false;
    for (index, batch) in plan.requests().enumerate() {
        stopped |= interrupt::received().is_some();
        let outcome = match stopped {
            true => RequestOutcome::NotSent,
            false => {
                request_log.sending(index + 1, batch.len());
                send_batch(client, zone_id, &batch)
            }
        };
        stopped |= !matches!(outcome, RequestOutcome::Applied(_));
        let report = RequestReport {
            changes: batch,
            outcome,
        };
        request_log.finished(index + 1, &report);
        requests.push(report);
    }
    let mut outcome = ZoneOutcome {
        error: first_failure(&requests),
        requests,
    };
    if let (Some(timeout), None) = (wait, &outcome.error) {
        outcome.error = wait_for_applied(client, &outcome, timeout).err();
    }
    outcome
}

/// Why the zone's push did not complete: the first request that did not apply, and how many
/// were left unsent after it; or, when a signal stopped the push, the first request not sent.
fn first_failure(requests: &[RequestReport<'_>]) -> Option<String> {
    let total = requests.len();
    let (index, failed) = requests
        .iter()
        .enumerate()
        .find(|(_, r)| !matches!(r.outcome, RequestOutcome::Applied(_)))?;
    let what = match &failed.outcome {
        RequestOutcome::NotSent => {
            let unsent = not_sent(total - index, "");
            return Some(format!(
                "interrupted before request {} of {total}: {unsent}",
                index + 1
            ));
        }
        RequestOutcome::Unknown(_) => "may or may not have been applied",
        _ => "was not applied",
    };
    let unsent = total - index - 1;
    let mut text = format!("request {} of {total} {what}", index + 1);
    if unsent > 0 {
        text.push_str(&format!("; the {}", not_sent(unsent, " after it")));
    }
    Some(text)
}

/// `count` requests (`which`) were not sent, in words.
fn not_sent(count: usize, which: &str) -> String {
    let verb = if count == 1 { "was" } else { "were" };
    format!("{count} request{}{which} {verb} not sent", plural(count))
}

/// Waits for the last change Route 53 accepted; an applied request whose answer was lost has
/// no change id to wait for.
fn wait_for_applied(
    client: &Client,
    outcome: &ZoneOutcome<'_>,
    timeout: Duration,
) -> Result<(), String> {
    if let Some(last) = outcome.accepted_changes().last() {
        wait_insync(client, &last.id, timeout)?;
    }
    if outcome
        .applied()
        .any(|r| matches!(r.outcome, RequestOutcome::Applied(Sent::FoundApplied)))
    {
        log::warn(
            "--wait: a request confirmed by re-reading the zone has no change id to wait for; \
             it propagates on its own",
        );
    }
    Ok(())
}

/// Sends one request. When its outcome is unknown (the answer was lost), reads the zone to learn
/// whether it was applied, and sends it again only if it certainly was not. A resend Route 53
/// refuses is checked the same way: the earlier attempt may have landed meanwhile.
fn send_batch(client: &Client, zone_id: &str, batch: &[ChangeAction]) -> RequestOutcome {
    let mut answer_lost_before = false;
    for _ in 0..MAX_RECONCILES {
        let err = match client.change_record_sets(zone_id, batch, "r53ctl push") {
            Ok(info) => return RequestOutcome::Applied(Sent::Accepted(info)),
            Err(ApiError::Interrupted { .. }) => return kept_back(answer_lost_before),
            Err(err) => err,
        };
        let answer_lost = matches!(err, ApiError::OutcomeUnknown { .. });
        if !answer_lost && !answer_lost_before {
            return RequestOutcome::NotApplied(err.to_string());
        }
        log::warn(&reconcile_note(zone_id, &err));
        let live = match client.list_record_sets(zone_id, None) {
            Ok(live) => live,
            Err(read_err) => {
                return RequestOutcome::Unknown(format!(
                    "{err}; reading the zone to find out failed too: {read_err}"
                ))
            }
        };
        match batch_state(&live, batch) {
            BatchState::Applied => return RequestOutcome::Applied(Sent::FoundApplied),
            BatchState::NotApplied if answer_lost => answer_lost_before = true,
            BatchState::NotApplied => return RequestOutcome::NotApplied(err.to_string()),
            BatchState::Unclear => {
                return RequestOutcome::Unknown(
                    "the answer was lost and the zone now matches neither the state before nor \
                     after the request (someone else is changing it); run preview to see where \
                     it stands"
                        .into(),
                )
            }
        }
    }
    RequestOutcome::NotApplied(format!(
        "sent {MAX_RECONCILES} times and every answer was lost; re-reading the zone showed none \
         of it applied"
    ))
}

/// A request a signal kept from being sent, or (`answer_lost_before`) from being sent again.
fn kept_back(answer_lost_before: bool) -> RequestOutcome {
    match answer_lost_before {
        false => RequestOutcome::NotSent,
        true => RequestOutcome::NotApplied(
            "its answer was lost and re-reading the zone showed it not applied; it was not sent \
             again as push was interrupted"
                .into(),
        ),
    }
}

/// Why the zone is read again after `err`.
fn reconcile_note(zone_id: &str, err: &ApiError) -> String {
    match err {
        ApiError::OutcomeUnknown { cause, .. } => format!(
            "zone {zone_id}: the answer to a change request was lost ({cause}); reading the zone \
             to find out whether it was applied"
        ),
        _ => format!(
            "zone {zone_id}: the change request, sent again after its answer was lost, was \
             refused ({err}); reading the zone to find out whether the first attempt applied"
        ),
    }
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
    let live: HashSet<RecordSet> = live.iter().map(RecordSet::comparable).collect();
    let present = |rs: &RecordSet| live.contains(&rs.comparable());
    let effects: Vec<bool> = batch
        .iter()
        .map(|change| match change.action {
            Action::Create | Action::Upsert => present(change.record_set),
            Action::Delete => !present(change.record_set),
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

/// Polls GetChange until Route 53 reports the change INSYNC, `timeout` passes or a signal comes.
fn wait_insync(client: &Client, change_id: &str, timeout: Duration) -> Result<(), String> {
    let what = format!("change {change_id}");
    let poll = || {
        let info = client.get_change(change_id).map_err(|e| e.to_string())?;
        Ok(match info.status.as_str() {
            "INSYNC" => Poll::Done(()),
            _ => Poll::Pending(info.status),
        })
    };
    let meanwhile = "it was applied and will finish propagating on its own";
    interrupt::poll_until(&what, meanwhile, timeout, poll, log::progress)
}

/// The report line of request `number` of `total`.
fn request_line(number: usize, total: usize, request: &RequestReport<'_>) -> String {
    format!(
        "  request {number} of {total} ({} change action{}): {}\n",
        request.changes.len(),
        plural(request.changes.len()),
        request_status_text(&request.outcome)
    )
}

/// What came of a zone of `total` requests, as text, after its request lines: a total, and
/// why it did not complete.
fn summary_text(total: usize, outcome: &ZoneOutcome<'_>) -> String {
    let mut text = String::new();
    if total > 0 {
        let applied: Vec<&RequestReport<'_>> = outcome.applied().collect();
        let changes: usize = applied.iter().map(|r| r.changes.len()).sum();
        text.push_str(&format!(
            "  applied {} of {total} request{} ({changes} change actions)\n",
            applied.len(),
            plural(total),
        ));
    }
    if let Some(err) = &outcome.error {
        text.push_str(&format!("  FAILED: {}\n", log::printable_lines(err)));
    }
    text
}

fn request_status_text(outcome: &RequestOutcome) -> String {
    match outcome {
        RequestOutcome::Applied(Sent::Accepted(info)) => format!("applied (change {})", info.id),
        RequestOutcome::Applied(Sent::FoundApplied) => {
            "applied (confirmed by re-reading the zone)".into()
        }
        RequestOutcome::NotApplied(err) => format!("NOT applied: {}", log::printable_lines(err)),
        RequestOutcome::Unknown(err) => {
            format!("UNKNOWN whether applied: {}", log::printable_lines(err))
        }
        RequestOutcome::NotSent => "not sent, NOT applied".into(),
    }
}

/// What happened to a zone, as fields of its JSON object.
fn outcome_json(outcome: &ZoneOutcome<'_>) -> Map<String, Value> {
    let requests: Vec<Value> = outcome
        .requests
        .iter()
        .enumerate()
        .map(|(index, request)| request_json(index + 1, request))
        .collect();
    output::as_map(json!({
        "applied_requests": outcome.applied().count(),
        "applied_change_actions": outcome.applied().map(|r| r.changes.len()).sum::<usize>(),
        "change_ids": outcome.accepted_changes().map(|c| c.id.clone()).collect::<Vec<_>>(),
        "request_outcomes": requests,
        "error": outcome.error,
    }))
}

fn request_json(number: usize, request: &RequestReport<'_>) -> Value {
    let (status, detail, change_id) = match &request.outcome {
        RequestOutcome::Applied(Sent::Accepted(info)) => ("applied", None, Some(info.id.as_str())),
        RequestOutcome::Applied(Sent::FoundApplied) => {
            ("applied", Some("confirmed by re-reading the zone"), None)
        }
        RequestOutcome::NotApplied(err) => ("not_applied", Some(err.as_str()), None),
        RequestOutcome::Unknown(err) => ("unknown", Some(err.as_str()), None),
        RequestOutcome::NotSent => ("not_sent", None, None),
    };
    let changes: Vec<Value> = request
        .changes
        .iter()
        .map(|c| {
            json!({
                "action": c.action.as_str(),
                "name": c.record_set.name,
                "type": c.record_set.rtype,
                "set_identifier": c.record_set.set_identifier(),
            })
        })
        .collect();
    json!({
        "request": number,
        "status": status,
        "detail": detail,
        "change_id": change_id,
        "changes": changes,
    })
}

/// Success, or the error naming the `failed` domains and saying what to do next; when a signal
/// stopped the push, the error saying so.
fn summarise(failed: &[&str], next_step: &str) -> Result<(), Error> {
    let zones = format!(
        "{} zone{}: {}",
        failed.len(),
        plural(failed.len()),
        failed.join(", ")
    );
    if let Some(signal) = interrupt::received() {
        let what = match failed.is_empty() {
            true => "every zone had completed".to_string(),
            false => format!(
                "it did not complete for {zones}; what was applied and what was not sent is \
                 listed above; {next_step}"
            ),
        };
        return Err(Error::Interrupted(
            signal,
            format!("{} stopped push; {what}", signal.name()),
        ));
    }
    if failed.is_empty() {
        return Ok(());
    }
    Err(Error::Failed(format!(
        "push did not complete for {zones}; what was applied is listed above; {next_step}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rtype::RecordType;
    use std::sync::LazyLock;

    fn a(name: &str, ip: &str) -> RecordSet {
        RecordSet::simple(name, RecordType::A, 300, vec![ip.into()])
    }

    fn change(action: Action, record_set: &RecordSet) -> ChangeAction<'_> {
        ChangeAction { action, record_set }
    }

    /// A request of one create, which came to `outcome`.
    fn report(outcome: RequestOutcome) -> RequestReport<'static> {
        static WWW: LazyLock<RecordSet> = LazyLock::new(|| a("www.example.tld.", "1.1.1.1"));
        RequestReport {
            changes: vec![change(Action::Create, &WWW)],
            outcome,
        }
    }

    fn accepted(id: &str) -> RequestOutcome {
        RequestOutcome::Applied(Sent::Accepted(ChangeInfo {
            id: id.into(),
            status: "PENDING".into(),
            submitted_at: String::new(),
        }))
    }

    fn target_with_blocked(blocked: usize) -> Target<'static> {
        let zone = crate::model::HostedZone {
            id: "Z1".into(),
            name: "example.tld.".into(),
            private: false,
            record_set_count: None,
            comment: None,
        };
        let changes = vec![crate::diff::Change::create(a(
            "www.example.tld.",
            "1.1.1.1",
        ))];
        let mut untouched = crate::diff::Untouched::default();
        for i in 0..blocked {
            let rs = a(&format!("locked{i}.example.tld."), "2.2.2.2");
            untouched
                .blocked
                .push((crate::diff::Change::create(rs), None));
        }
        let limits = crate::batch::Limits::default();
        let plan = crate::plan::ZonePlan::new("example.tld", "r53_main", zone, changes, &limits)
            .expect("plan");
        Target {
            plan,
            untouched: Some(untouched),
            live_count: 0,
        }
    }

    #[test]
    fn refuse_blocked_holds_back_only_zones_with_blocked_changes() {
        assert_eq!(refusal_for_blocked(&target_with_blocked(0), true), None);
        assert_eq!(refusal_for_blocked(&target_with_blocked(2), false), None);
        let reason = refusal_for_blocked(&target_with_blocked(2), true).expect("refused");
        assert!(reason.starts_with("2 changes blocked"), "{reason}");
        assert!(reason.contains("nothing was sent"), "{reason}");
    }

    #[test]
    fn the_report_names_each_request_and_how_it_is_known_to_be_applied() {
        let requests = vec![
            report(accepted("C1")),
            report(RequestOutcome::Applied(Sent::FoundApplied)),
            report(RequestOutcome::NotApplied("InvalidChangeBatch: no".into())),
            report(RequestOutcome::NotSent),
        ];
        let outcome = ZoneOutcome {
            error: first_failure(&requests),
            requests,
        };
        let lines = outcome.requests.iter().enumerate();
        let mut text: String = lines.map(|(i, r)| request_line(i + 1, 4, r)).collect();
        text.push_str(&summary_text(4, &outcome));
        let expected = [
            "request 1 of 4 (1 change action): applied (change C1)",
            "request 2 of 4 (1 change action): applied (confirmed by re-reading the zone)",
            "request 3 of 4 (1 change action): NOT applied: InvalidChangeBatch: no",
            "request 4 of 4 (1 change action): not sent, NOT applied",
            "applied 2 of 4 requests (2 change actions)",
            "FAILED: request 3 of 4 was not applied; the 1 request after it was not sent",
        ];
        for line in expected {
            assert!(text.contains(line), "{line:?} missing from:\n{text}");
        }
        let json = outcome_json(&outcome);
        assert_eq!(json["applied_requests"], 2);
        assert_eq!(json["change_ids"], serde_json::json!(["C1"]));
        let statuses: Vec<&Value> = (0..4)
            .map(|i| &json["request_outcomes"][i]["status"])
            .collect();
        assert_eq!(
            statuses,
            ["applied", "applied", "not_applied", "not_sent"]
                .map(Value::from)
                .iter()
                .collect::<Vec<_>>()
        );
        assert_eq!(
            json["request_outcomes"][1]["detail"],
            "confirmed by re-reading the zone"
        );
    }

    #[test]
    fn json_report_names_the_zone_and_why_it_was_not_applied() {
        let mut target = target_with_blocked(0);
        target.untouched = None;
        let outcome = ZoneOutcome::not_applied("zone changed".into());
        let report = output::targets_json(
            &[&target],
            &[outcome_json(&outcome)],
            &[],
            serde_json::json!([]),
        );
        let object = &report["zones"][0];
        assert_eq!(object["zone_id"], "Z1");
        assert_eq!(object["provider"], "r53_main");
        assert_eq!(object["change_actions"], 1);
        assert_eq!(object["applied_requests"], 0);
        assert_eq!(object["error"], "zone changed");
        assert_eq!(report["total_change_actions"], 1);
    }

    #[test]
    fn an_unknown_outcome_is_never_called_not_applied() {
        let requests = vec![report(RequestOutcome::Unknown("lost".into()))];
        let failure = first_failure(&requests).unwrap();
        assert_eq!(failure, "request 1 of 1 may or may not have been applied");
        assert_eq!(first_failure(&[report(accepted("C1"))]), None);
    }

    #[test]
    fn a_zone_stopped_by_a_signal_names_the_first_request_not_sent() {
        let requests = vec![
            report(accepted("C1")),
            report(RequestOutcome::NotSent),
            report(RequestOutcome::NotSent),
        ];
        let failure = first_failure(&requests).unwrap();
        assert_eq!(
            failure,
            "interrupted before request 2 of 3: 2 requests were not sent"
        );
    }

    #[test]
    fn batch_state_tells_applied_from_not_applied() {
        let old = a("www.example.tld.", "1.1.1.1");
        let new = a("www.example.tld.", "2.2.2.2");
        let batch = vec![change(Action::Delete, &old), change(Action::Create, &new)];
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
        assert_eq!(
            batch_state(&[old.clone(), new.clone()], &batch),
            BatchState::Unclear
        );
    }
}
