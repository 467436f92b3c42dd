//! `r53ctl push`: plans every selected zone (and ROUTE53 registrar) from the config as preview
//! does, then applies the plans, request by request, and says exactly what was and was not
//! applied; a registrar change is sent once its domain's zones applied.

use crate::cli::Args;
use crate::error::Error;

use super::apply::{self, PushOptions, PushZone};
use super::{planning, registrar, zones};

pub fn run(args: &Args) -> Result<i32, Error> {
    let options = PushOptions::of(args, "running push again converges")?;
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args.domains.as_deref())?;
    let connection = zones::Connection::of(args);
    let clients = zones::open_clients(&connection, domains.iter().flat_map(|d| &d.providers))?;
    let (targets, failures) = planning::plan_all(&domains, &clients, args.concurrency, false);
    let registrar = registrar::plan(&config, &domains, &targets, &clients, &connection)?;
    let zones = targets.into_iter().map(PushZone::from).collect();
    apply::push(zones, &failures, &clients, &registrar, &options)
}
