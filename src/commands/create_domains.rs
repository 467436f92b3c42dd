//! `r53ctl create-domains`: creates a hosted zone for each selected domain that has none: public,
//! or private in the domain's VPCs, in a reusable delegation set when the domain or its creds
//! entry names one, with the domain's comment.

use super::zones;
use crate::cli::Args;
use crate::config::Domain;
use crate::error::{Error, EXIT_OK};
use crate::route53::{Client, NewZone};
use crate::{log, output};

/// The comment of a zone whose domain gives none.
const DEFAULT_COMMENT: &str = "created by r53ctl";

pub fn run(args: &Args) -> Result<i32, Error> {
    let config = crate::config::load(&args.config)?;
    let domains = zones::selected_domains(&config, args.domains.as_deref())?;
    let connection = zones::Connection::of(args);
    let mut providers: Vec<&String> = domains.iter().flat_map(|d| &d.providers).collect();
    providers.sort();
    providers.dedup();
    for provider in providers {
        let account = zones::open_account(&connection, provider)?;
        let delegation_set = account.delegation_set.clone();
        let client = zones::client_of(&connection, account)?;
        for domain in domains.iter().filter(|d| d.providers.contains(provider)) {
            let context = format!("domain {} (provider {provider})", domain.display_name);
            let creds_set = delegation_set.as_deref().filter(|_| !domain.is_private());
            let line = create_if_missing(&client, domain, creds_set)
                .map_err(|e| Error::failed(&context, e))?;
            output::data(&log::printable_lines(&line));
        }
    }
    Ok(EXIT_OK)
}

/// Creates the zone of `domain` unless one of its name and kind (public, private) exists;
/// returns the line that says which. `creds_set` is the creds entry's `DelegationSet`.
fn create_if_missing(
    client: &Client,
    domain: &Domain,
    creds_set: Option<&str>,
) -> Result<String, String> {
    let existing = client
        .hosted_zones_named(&domain.name)
        .map_err(|e| e.to_string())?;
    let same_kind = existing.iter().find(|z| match &domain.zone_id {
        Some(id) => z.id == crate::model::bare_id(id),
        None => z.private == domain.is_private(),
    });
    if let Some(zone) = same_kind {
        return Ok(format!("{}: exists ({})\n", domain.display_name, zone.id));
    }
    let vpcs = &domain.private;
    let caller_reference = format!("r53ctl-{}-{}", domain.name, unix_nanos());
    let request = NewZone {
        name: &domain.name,
        caller_reference: &caller_reference,
        comment: Some(domain.comment.as_deref().unwrap_or(DEFAULT_COMMENT)),
        vpc: vpcs.first(),
        delegation_set_id: domain.delegation_set_id.as_deref().or(creds_set),
    };
    let created = client.create_zone(&request).map_err(|e| e.to_string())?;
    let id = &created.zone.id;
    if vpcs.is_empty() {
        return Ok(format!(
            "{}: created ({id}); delegate it to: {}\n",
            domain.display_name,
            created.name_servers.join(" ")
        ));
    }
    for other in &vpcs[1..] {
        client.associate_vpc(id, other).map_err(|e| {
            format!(
                "private zone {id} was created, but associating VPC {} failed: {e}; associate \
                 it by hand (create-domains sees the zone exists and does not retry)",
                other.id
            )
        })?;
    }
    let listed: Vec<&str> = vpcs.iter().map(|v| v.id.as_str()).collect();
    Ok(format!(
        "{}: created private zone ({id}) in {}\n",
        domain.display_name,
        listed.join(" ")
    ))
}

/// A CallerReference must be unique per request; the time in nanoseconds is.
fn unix_nanos() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}
