//! `r53ctl push --plan FILE`: applies exactly the requests of a plan `preview --out` wrote, with no
//! config. Every zone is read first; a zone whose record sets no longer match the plan's
//! fingerprint is sent nothing and reported, the others are applied.

use std::path::Path;

use crate::cli::Args;
use crate::error::Error;

use super::apply::{self, PushOptions};
use super::registrar::RegistrarPlan;
use super::{planning, zones};

/// Applies the plan file at `path` and returns the exit code of a run that did not fail.
pub fn run(args: &Args, path: &Path) -> Result<i32, Error> {
    let next_step = "for those, preview again with --out and review the new plan";
    let options = PushOptions::of(args, next_step)?;
    let plans = planning::selected_plans(planning::read_plan_file(path)?, args.domains.as_deref())?;
    let connection = zones::Connection::of(args);
    let clients = zones::open_clients(&connection, plans.iter().map(|p| &p.provider))?;
    let zones = planning::check_plans(&clients, plans, args.concurrency);
    // A plan file holds zones only: registrars are pushed from the config.
    apply::push(zones, &[], &clients, &RegistrarPlan::default(), &options)
}
