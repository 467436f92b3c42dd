//! `r53ctl get-zones`: writes live zones as r53ctl config, as a BIND zone file, or their names.

use super::zones;
use crate::cli::Args;
use crate::config::{Config, Domain, Provider, Registrar};
use crate::error::{Error, EXIT_OK};
use crate::model::{HostedZone, RecordSet};
use crate::route53::Client;

pub fn run(args: &Args) -> Result<i32, Error> {
    let format = args.format_of()?;
    let (entry, wanted) = parse_positional(&args.positional)?;
    let client = zones::open_client(&zones::Connection::of(args), entry)?;
    let zones = pick_zones(&client, &wanted)?;
    let text = match format {
        "nameonly" => zones
            .iter()
            .map(|z| {
                format!(
                    "{}\n",
                    crate::log::printable(&crate::name::display(&z.name))
                )
            })
            .collect(),
        "bind" => {
            let mut text = String::new();
            for zone in &zones {
                text.push_str(&crate::bind::zone_file(zone, &read(&client, zone)?));
            }
            text
        }
        _ => {
            let config = live_config(&client, entry, &zones)?;
            crate::config::export::config_text(&config, args.include_apex_ns)
        }
    };
    crate::output::data_to(args.out.as_deref(), args.force, &text)?;
    Ok(EXIT_OK)
}

/// `CREDS_ENTRY [ROUTE53|-] ZONE... | all`, as dnscontrol's get-zones takes them.
fn parse_positional(positional: &[String]) -> Result<(&str, Vec<String>), Error> {
    let usage =
        || Error::Usage("usage: r53ctl get-zones CREDS_ENTRY [ROUTE53|-] ZONE... | all".into());
    let (entry, rest) = positional.split_first().ok_or_else(usage)?;
    let rest = match rest.split_first() {
        Some((kind, zones)) if kind == "-" || kind.eq_ignore_ascii_case("ROUTE53") => zones,
        _ => rest,
    };
    if rest.is_empty() {
        return Err(usage());
    }
    Ok((entry, rest.to_vec()))
}

/// The zones named in `wanted`, or every zone of the account for `all`.
fn pick_zones(client: &Client, wanted: &[String]) -> Result<Vec<HostedZone>, Error> {
    if wanted.iter().any(|w| w == "all") {
        return client
            .list_hosted_zones()
            .map_err(|e| Error::failed("listing hosted zones", e));
    }
    let mut zones = Vec::new();
    for name in wanted {
        let found = client
            .hosted_zones_named(&crate::name::normalize(name))
            .map_err(|e| Error::failed(format!("zone {name}"), e))?;
        if found.is_empty() {
            return Err(Error::Failed(format!(
                "zone {name}: this account has no hosted zone of that name"
            )));
        }
        zones.extend(found);
    }
    Ok(zones)
}

fn read(client: &Client, zone: &HostedZone) -> Result<Vec<RecordSet>, Error> {
    client
        .list_record_sets(&zone.id, zone.record_set_count)
        .map_err(|e| Error::failed(format!("zone {}", crate::name::display(&zone.name)), e))
}

/// A whole config that, pushed back, changes nothing.
fn live_config(client: &Client, entry: &str, zones: &[HostedZone]) -> Result<Config, Error> {
    let mut domains = Vec::new();
    for zone in zones {
        let shares_name = zones.iter().filter(|z| z.name == zone.name).count() > 1;
        domains.push(Domain {
            display_name: crate::name::display(&zone.name),
            name: zone.name.clone(),
            registrar: "none".into(),
            providers: vec![entry.to_string()],
            zone_id: shares_name.then(|| zone.id.clone()),
            records: read(client, zone)?,
            ignore: Vec::new(),
            keep_unknown: false,
            max_change_share: None,
            nameservers: Vec::new(),
            private: Vec::new(),
            delegation_set_id: None,
            comment: None,
        });
    }
    Ok(Config {
        path: Default::default(),
        providers: vec![Provider {
            name: entry.to_string(),
            kind: "ROUTE53".into(),
        }],
        registrars: vec![Registrar {
            name: "none".into(),
            kind: "NONE".into(),
        }],
        domains,
    })
}
