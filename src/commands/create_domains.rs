//! `r53ctl create-domains`: creates a public hosted zone for each selected domain that has none.

use super::zones;
use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::{log, output};

pub fn run(args: &Args) -> Result<i32, Error> {
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args.domains.as_deref())?;
    let clients = zones::open_clients(
        &zones::Connection::of(args),
        domains.iter().flat_map(|d| &d.providers),
    )?;
    for domain in &domains {
        for provider in &domain.providers {
            let Some(client) = clients.get(provider) else {
                continue;
            };
            let context = format!("domain {} (provider {provider})", domain.display_name);
            let existing = client
                .hosted_zones_named(&domain.name)
                .map_err(|e| Error::failed(&context, e))?;
            if let Some(zone) = existing.first() {
                output::data(&format!(
                    "{}: exists ({})\n",
                    log::printable(&domain.display_name),
                    log::printable(&zone.id)
                ));
                continue;
            }
            let caller_reference = format!("r53ctl-{}-{}", domain.name, unix_nanos());
            let created = client
                .create_hosted_zone(&domain.name, &caller_reference, Some("created by r53ctl"))
                .map_err(|e| Error::failed(&context, e))?;
            output::data(&format!(
                "{}: created ({}); delegate it to: {}\n",
                log::printable(&domain.display_name),
                log::printable(&created.zone.id),
                log::printable(&created.name_servers.join(" "))
            ));
        }
    }
    Ok(EXIT_OK)
}

/// A CallerReference must be unique per request; the time in nanoseconds is.
fn unix_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}
