//! `r53ctl preview`: reads every selected zone and shows what push would change; with `--out`
//! it also writes the plan for `push --plan`.

use std::path::Path;

use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::log;
use crate::output;
use crate::plan::{self, Target, ZonePlan};

use super::{apply, planning, zones};

pub fn run(args: &Args) -> Result<i32, Error> {
    let json = args.json()?;
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args.domains.as_deref())?;
    let connection = zones::Connection::of(args);
    let clients = zones::open_clients(&connection, domains.iter().flat_map(|d| &d.providers))?;
    let (targets, failures) = planning::plan_all(&config, &domains, &clients, args.concurrency);
    let shown: Vec<&Target> = targets.iter().collect();
    if json {
        output::data(&format!(
            "{}\n",
            output::targets_json(&shown, &[], &failures)
        ));
    } else {
        output::data(&output::targets_text(&shown, failures.len()));
    }
    for violation in planning::safety_violations(&targets) {
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
    apply::fail_if_any(&failures, targets.len() + failures.len())?;
    let changes: usize = targets.iter().map(|t| t.plan.summary.total()).sum();
    if args.expect_no_changes && changes > 0 {
        return Err(Error::ChangesPending(changes));
    }
    Ok(EXIT_OK)
}

fn write_plan_file(path: &Path, targets: &[Target]) -> Result<(), Error> {
    let plans: Vec<ZonePlan> = targets.iter().map(|t| t.plan.clone()).collect();
    let text = serde_json::to_string_pretty(&plan::to_file(&plans))
        .map_err(|e| Error::failed("writing the plan", e))?;
    std::fs::write(path, text + "\n")
        .map_err(|e| Error::failed(format!("writing the plan to {}", path.display()), e))
}
