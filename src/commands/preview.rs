//! `r53ctl preview`: reads every selected zone (and ROUTE53 registrar) and shows what push would
//! change; with `--out` it also writes the plan for `push --plan` (zones only).

use std::path::Path;

use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::log;
use crate::output;
use crate::plan::{self, Target};

use super::{apply, planning, registrar, zones};

pub fn run(args: &Args) -> Result<i32, Error> {
    let json = args.json()?;
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args.domains.as_deref())?;
    let connection = zones::Connection::of(args);
    let clients = zones::open_clients(&connection, domains.iter().flat_map(|d| &d.providers))?;
    let (targets, failures) =
        planning::plan_all(&domains, &clients, args.concurrency, args.out.is_some());
    let registrar = registrar::plan(&config, &domains, &targets, &clients, &connection)?;
    let shown: Vec<&Target> = targets.iter().collect();
    if json {
        let changes = registrar::changes_json(&registrar, &[]);
        let report = output::targets_json(&shown, &[], &failures, changes);
        output::data(&format!("{report}\n"));
    } else {
        output::data(&output::targets_text(&shown, failures.len()));
        output::data(&registrar::changes_text(&registrar, &[]));
    }
    let refusals = planning::safety_violations(&targets);
    for violation in refusals.iter().chain(&registrar.refusals()) {
        log::warn(&format!("push will refuse {violation}"));
    }
    if let Some(path) = &args.out {
        if !registrar.changes.is_empty() {
            log::warn(&format!(
                "{} holds the zones only: push --plan leaves the registrar changes above \
                 unsent; plain push sends them",
                path.display()
            ));
        }
        if failures.is_empty() {
            write_plan_file(path, &targets)?;
        } else {
            log::warn(&format!(
                "no plan was written to {}: a plan must cover every selected zone",
                path.display()
            ));
        }
    }
    let all_read = apply::fail_if_any(&failures, targets.len() + failures.len());
    let registrars_read = registrar::fail_if_any(&registrar, &[]);
    all_read?;
    registrars_read?;
    let changes: usize = targets
        .iter()
        .map(|t| t.plan.summary.total())
        .sum::<usize>()
        + registrar.changes.len();
    if args.expect_no_changes && changes > 0 {
        return Err(Error::ChangesPending(changes));
    }
    Ok(EXIT_OK)
}

fn write_plan_file(path: &Path, targets: &[Target]) -> Result<(), Error> {
    let plans = targets.iter().map(|t| &t.plan);
    let text = serde_json::to_string_pretty(&plan::to_file(plans))
        .map_err(|e| Error::failed("writing the plan", e))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Error::failed(format!("writing the plan to {}", path.display()), e))
}
