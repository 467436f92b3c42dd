//! What the commands share to reach Route 53: a client per creds entry, the domains a run
//! covers, the hosted zone each domain maps to, and reading zones a few at a time.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

use crate::cli::Args;
use crate::config::{Config, Domain};
use crate::creds::{self, Overrides};
use crate::error::Error;
use crate::http::Transport;
use crate::model::{bare_id, HostedZone};
use crate::route53::{Client, ClientOptions, Limits, ZONES_PAGE_SIZE};

/// What opening a client takes from the command line.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The creds.json file.
    pub creds: PathBuf,
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--max-rate`: requests per second, below Route 53's limit.
    pub max_rate: Option<f64>,
    /// `--max-change-rate`: change tokens per second, below Route 53's limit.
    pub max_change_rate: Option<f64>,
}

impl Connection {
    pub fn of(args: &Args) -> Connection {
        Connection {
            creds: args.creds.clone(),
            endpoint: args.endpoint.clone(),
            max_rate: args.max_rate,
            max_change_rate: args.max_change_rate,
        }
    }
}

/// Opens a Route 53 client with the credentials and endpoint of creds entry `entry`. With
/// `--debug`, `creds::open_account` says where the credentials and the endpoint come from.
pub fn open_client(connection: &Connection, entry: &str) -> Result<Client, Error> {
    warn_once_if_creds_readable(connection);
    let overrides = Overrides {
        endpoint: connection.endpoint.clone(),
    };
    let account = creds::open_account(&connection.creds, entry, &creds::process_env, &overrides)
        .map_err(|err| Error::Failed(err.to_string()))?;
    let transport = Transport::new(&account.transport)
        .map_err(|err| Error::failed(format!("creds entry \"{entry}\""), err))?;
    let limits =
        Limits::of(account.partition).at_most(connection.max_rate, connection.max_change_rate);
    crate::debug!(
        "creds entry \"{entry}\": partition {}, pacing to {limits:?}",
        account.partition.name()
    );
    let options = ClientOptions {
        limits,
        ..ClientOptions::default()
    };
    Ok(Client::with_options(
        transport,
        account.endpoint,
        account.credentials,
        options,
    ))
}

/// Warns once per run, however many clients are opened, when creds.json is readable by others.
fn warn_once_if_creds_readable(connection: &Connection) {
    static CHECKED: Once = Once::new();
    CHECKED.call_once(|| {
        if let Some(warning) = creds::permission_warning(&connection.creds) {
            crate::log::warn(&warning);
        }
    });
}

/// One client per provider (creds entry) name of `providers`, keyed by that name.
pub fn open_clients<'p>(
    connection: &Connection,
    providers: impl IntoIterator<Item = &'p String>,
) -> Result<BTreeMap<String, Client>, Error> {
    let mut clients = BTreeMap::new();
    for provider in providers {
        if !clients.contains_key(provider) {
            clients.insert(provider.clone(), open_client(connection, provider)?);
        }
    }
    Ok(clients)
}

/// The config's domains that `wanted` (`--domains`) selects (all without it), in config order.
pub fn selected_domains<'c>(
    config: &'c Config,
    wanted: Option<&[String]>,
) -> Result<Vec<&'c Domain>, Error> {
    let Some(wanted) = wanted else {
        return Ok(config.domains.iter().collect());
    };
    let mut selected = Vec::new();
    for name in wanted {
        let wire = crate::name::normalize(name);
        let domain = config
            .domains
            .iter()
            .find(|d| d.name == wire)
            .ok_or_else(|| {
                let known: Vec<&str> = config
                    .domains
                    .iter()
                    .map(|d| d.display_name.as_str())
                    .collect();
                Error::Usage(format!(
                    "--domains names {name}, which {} does not define; it defines: {}",
                    config.path.display(),
                    known.join(", ")
                ))
            })?;
        if !selected.iter().any(|d: &&Domain| d.name == domain.name) {
            selected.push(domain);
        }
    }
    Ok(selected)
}

/// Every hosted zone of the account behind `client`, when listing them all takes fewer requests
/// than looking up each of `lookups` domains by name; `None` when it does not, or when the
/// account's zone count cannot be read (the lookups by name then say what is wrong).
pub fn list_zones_if_cheaper(client: &Client, lookups: usize) -> Option<Vec<HostedZone>> {
    // Counting and listing take at least two requests: never cheaper for fewer lookups.
    if lookups < 3 {
        return None;
    }
    let count = client.hosted_zone_count().ok()?;
    let pages = usize::try_from(count.div_ceil(u64::from(ZONES_PAGE_SIZE))).ok()?;
    if pages + 1 >= lookups {
        return None;
    }
    crate::debug!("listing all {count} hosted zones once instead of {lookups} lookups by name");
    client.list_hosted_zones().ok()
}

/// The hosted zone `domain` maps to: the one its `zone_id` names, else the only zone of its name.
/// `listed`, every zone of the account when the caller has them, saves the lookup request.
pub fn find_zone(
    client: &Client,
    domain: &Domain,
    listed: Option<&[HostedZone]>,
) -> Result<HostedZone, Error> {
    let context = format!("domain {}", domain.display_name);
    if let Some(id) = &domain.zone_id {
        let known = listed.and_then(|all| all.iter().find(|z| z.id == bare_id(id)));
        let zone = match known {
            Some(zone) => zone.clone(),
            None => client
                .get_hosted_zone(id)
                .map_err(|err| Error::failed(&context, err))?,
        };
        if crate::name::normalize(&zone.name) != domain.name {
            return Err(Error::Failed(format!(
                "{context}: zone_id {id} is the hosted zone of {}, not of {}",
                crate::name::display(&zone.name),
                domain.display_name
            )));
        }
        return Ok(zone);
    }
    let zones = match listed {
        Some(all) => all
            .iter()
            .filter(|z| crate::name::normalize(&z.name) == domain.name)
            .cloned()
            .collect(),
        None => client
            .hosted_zones_named(&domain.name)
            .map_err(|err| Error::failed(&context, err))?,
    };
    match zones.as_slice() {
        [] => Err(Error::Failed(format!(
            "{context}: this account has no hosted zone named {}; create it with \
             'r53ctl create-domains --domains {}' (or check the creds entry and endpoint)",
            domain.display_name, domain.display_name
        ))),
        [zone] => Ok(zone.clone()),
        several => Err(Error::Failed(format!(
            "{context}: {} hosted zones share this name: {}; set \"zone_id\" in the domain's \
             config to pick one",
            several.len(),
            several
                .iter()
                .map(|z| format!(
                    "{} ({})",
                    z.id,
                    if z.private { "private" } else { "public" }
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// `f` applied to every item, at most `concurrency` at a time on std threads; results in the
/// order of `items`.
pub fn map_concurrently<T: Sync, R: Send>(
    items: &[T],
    concurrency: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let slots: Vec<Mutex<Option<R>>> = items.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..concurrency.clamp(1, items.len().max(1)) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                let result = f(item);
                *slots[index].lock().unwrap_or_else(|e| e.into_inner()) = Some(result);
            });
        }
    });
    slots
        .into_iter()
        .filter_map(|slot| slot.into_inner().unwrap_or_else(|e| e.into_inner()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_concurrently_keeps_order_and_covers_every_item() {
        let items: Vec<u32> = (0..100).collect();
        let doubled = map_concurrently(&items, 7, |n| n * 2);
        assert_eq!(doubled, (0..100).map(|n| n * 2).collect::<Vec<_>>());
        assert!(map_concurrently(&[] as &[u32], 4, |n| *n).is_empty());
    }
}
