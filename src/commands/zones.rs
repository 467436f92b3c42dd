//! What the commands share to reach Route 53: a client per creds entry (and a Route 53 Domains
//! client per ROUTE53 registrar), the domains a run covers, the hosted zone each domain maps to,
//! and reading zones a few at a time.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, Once, PoisonError};

use crate::cli::Args;
use crate::config::{Config, Domain};
use crate::creds::{self, Account, Overrides};
use crate::domains;
use crate::error::Error;
use crate::http::Transport;
use crate::model::{bare_id, glob_matches, HostedZone};
use crate::name;
use crate::route53::{Caller, Client, ClientOptions, Limits, ZONES_PAGE_SIZE};

/// What opening a client takes from the command line.
#[derive(Debug)]
pub struct Connection {
    /// The creds.json file.
    pub creds: PathBuf,
    /// Whether `--creds` named it (then it must exist).
    pub creds_named: bool,
    /// `--endpoint`.
    pub endpoint: Option<String>,
    /// `--max-rate`: requests per second, below Route 53's limit.
    pub max_rate: Option<f64>,
    /// `--max-change-rate`: change tokens per second, below Route 53's limit.
    pub max_change_rate: Option<f64>,
    /// The creds entries opened so far: an entry that is both a DNS provider and a registrar is
    /// read, its commands run and its chain notice shown once.
    opened: Mutex<BTreeMap<String, Account>>,
}

impl Connection {
    pub fn of(args: &Args) -> Connection {
        Connection {
            creds: args.creds.clone(),
            creds_named: args.creds_named,
            endpoint: args.endpoint.clone(),
            max_rate: args.max_rate,
            max_change_rate: args.max_change_rate,
            opened: Mutex::default(),
        }
    }

    fn opened(&self) -> MutexGuard<'_, BTreeMap<String, Account>> {
        self.opened.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The options of a client of `account`: Route 53's limits in its partition, lowered by
    /// `--max-rate` and `--max-change-rate`.
    fn client_options(&self, account: &Account) -> ClientOptions {
        let limits = Limits::of(account.partition).at_most(self.max_rate, self.max_change_rate);
        crate::debug!(
            "creds entry \"{}\": partition {}, pacing to {limits:?}",
            account.name,
            account.partition.name()
        );
        ClientOptions {
            limits,
            ..ClientOptions::default()
        }
    }
}

/// Opens a Route 53 client with the credentials and endpoint of creds entry `entry`. When the
/// AWS chain gives the credentials, says so on stderr, with the source and the key id. With
/// `--debug`, `creds::open_account` says where the credentials and the endpoint come from.
pub fn open_client(connection: &Connection, entry: &str) -> Result<Client, Error> {
    let account = open_announced(connection, entry)?;
    client_of(connection, account)
}

/// The Route 53 client of an opened creds entry.
pub fn client_of(connection: &Connection, account: Account) -> Result<Client, Error> {
    let transport = transport_of(&account)?;
    let options = connection.client_options(&account);
    Ok(Client::with_options(
        transport,
        account.endpoint,
        account.credentials,
        options,
    ))
}

/// Opens a Route 53 Domains client as creds entry `entry` (a ROUTE53 registrar's name).
pub fn open_registrar(connection: &Connection, entry: &str) -> Result<domains::Client, Error> {
    let account = open_announced(connection, entry)?;
    registrar_of(connection, account)
}

/// The Route 53 Domains client of an opened creds entry.
pub fn registrar_of(connection: &Connection, account: Account) -> Result<domains::Client, Error> {
    let transport = transport_of(&account)?;
    // Its own limiter: the registrar API's requests do not count against Route 53's.
    let options = connection.client_options(&account);
    let caller = Caller::new(
        transport,
        account.domains_endpoint,
        account.credentials,
        options,
    );
    Ok(domains::Client::new(caller))
}

/// Creds entry `entry`, saying on stderr when the AWS chain gives its credentials; an entry
/// opened before in this run is not opened again.
fn open_announced(connection: &Connection, entry: &str) -> Result<Account, Error> {
    if let Some(account) = connection.opened().get(entry) {
        return Ok(account.clone());
    }
    let account = open_account(connection, entry)?;
    if let Some(notice) = account.chain_notice().map_err(creds_error)? {
        crate::log::note(&notice);
    }
    connection
        .opened()
        .insert(entry.to_string(), account.clone());
    Ok(account)
}

/// Creds entry `entry`: its credentials, endpoints and settings; no request is made.
pub fn open_account(connection: &Connection, entry: &str) -> Result<Account, Error> {
    warn_once_if_creds_readable(connection);
    let overrides = Overrides {
        endpoint: connection.endpoint.clone(),
        creds_named: connection.creds_named,
    };
    creds::open_account(&connection.creds, entry, &creds::process_env, &overrides)
        .map_err(creds_error)
}

/// A credentials error as the run ends with it: a creds file `--creds` names but that does not
/// exist is a usage error, anything else a failure.
fn creds_error(err: creds::CredsError) -> Error {
    if err.is_usage() {
        Error::Usage(err.to_string())
    } else {
        Error::Failed(err.to_string())
    }
}

fn transport_of(account: &Account) -> Result<Transport, Error> {
    Transport::new(&account.transport)
        .map_err(|err| Error::failed(format!("creds entry \"{}\"", account.name), err))
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

/// The client of `provider`, opened with the others before any zone is read.
pub fn client_for<'c>(
    clients: &'c BTreeMap<String, Client>,
    provider: &str,
) -> Result<&'c Client, String> {
    clients
        .get(provider)
        .ok_or_else(|| format!("no client was opened for provider {provider}"))
}

/// The config's domains that `wanted` (`--domains`) selects (all without it), in config order.
pub fn selected_domains<'c>(
    config: &'c Config,
    wanted: Option<&[String]>,
) -> Result<Vec<&'c Domain>, Error> {
    let domains: Vec<&Domain> = config.domains.iter().collect();
    select_by_domain(
        domains,
        wanted,
        |d| d.name.clone(),
        |unmatched, all| {
            let known: Vec<&str> = all.iter().map(|d| d.display_name.as_str()).collect();
            format!(
                "--domains names {unmatched}, which {} does not define; it defines: {}",
                config.path.display(),
                known.join(", ")
            )
        },
    )
}

/// The `items` whose domain (`wire_name`, in wire form) a pattern of `wanted` (`--domains`)
/// matches, in their order; all of them without `--domains`. A pattern that matches none is a
/// usage error, `unmatched(pattern, items)` its message: a typo must not shrink a run silently.
pub fn select_by_domain<T>(
    items: Vec<T>,
    wanted: Option<&[String]>,
    wire_name: impl Fn(&T) -> String,
    unmatched: impl Fn(&str, &[T]) -> String,
) -> Result<Vec<T>, Error> {
    let Some(wanted) = wanted else {
        return Ok(items);
    };
    let names: Vec<String> = items.iter().map(wire_name).collect();
    if let Some(pattern) = wanted
        .iter()
        .find(|p| !names.iter().any(|name| domain_matches(p, name)))
    {
        return Err(Error::Usage(unmatched(pattern, &items)));
    }
    Ok(items
        .into_iter()
        .zip(names)
        .filter(|(_, name)| wanted.iter().any(|p| domain_matches(p, name)))
        .map(|(item, _)| item)
        .collect())
}

/// Whether the `--domains` entry `pattern` names the domain `wire` (in wire form): the same name
/// in any spelling (case, trailing dot, UTF-8 or punycode), or, when it holds `*` (any run of
/// characters, dots included), a glob over the name in either its punycode or its UTF-8 form,
/// ignoring case.
fn domain_matches(pattern: &str, wire: &str) -> bool {
    if !pattern.contains('*') {
        return name::normalize(pattern) == wire;
    }
    let pattern = pattern.trim_end_matches('.').to_lowercase();
    glob_matches(&pattern, wire.trim_end_matches('.'))
        || glob_matches(&pattern, &name::display(wire).to_lowercase())
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
/// order of `items`. One at a time runs on the calling thread: a second thread would make glibc
/// open a second malloc arena, which raises the peak memory of reading one zone by a quarter.
pub fn map_concurrently<T: Sync, R: Send>(
    items: &[T],
    concurrency: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.len() <= 1 || concurrency <= 1 {
        return items.iter().map(f).collect();
    }
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
    fn domains_match_by_name_or_glob_in_either_form() {
        let wire = crate::name::normalize("bücher.example.com");
        assert!(wire.starts_with("xn--"), "{wire}");
        for pattern in [
            "Bücher.Example.com.",
            "xn--bcher-kva.example.com",
            "*.example.com",
            "*.EXAMPLE.COM",
            "bü*",
            "xn--b*",
            "*",
        ] {
            assert!(domain_matches(pattern, &wire), "{pattern}");
        }
        for pattern in ["example.com", "*.example.org", "*.bücher.example.com", "bü"] {
            assert!(!domain_matches(pattern, &wire), "{pattern}");
        }
        assert!(!domain_matches("*.example.com", "example.com."));
        assert!(domain_matches("foo.*", "foo.co.uk."));
    }

    #[test]
    fn selection_keeps_order_and_refuses_a_pattern_matching_nothing() {
        let names = vec!["a.tld.", "b.tld.", "a.other."];
        let select = |wanted: &[&str]| {
            let wanted: Vec<String> = wanted.iter().map(|w| w.to_string()).collect();
            select_by_domain(
                names.clone(),
                Some(&wanted),
                |n| n.to_string(),
                |p, all| format!("{p} not in {}", all.join(" ")),
            )
        };
        assert_eq!(select(&["*.tld", "a.other"]).unwrap(), names);
        assert_eq!(
            select(&["b.tld", "a.*"]).unwrap(),
            vec!["a.tld.", "b.tld.", "a.other."]
        );
        assert_eq!(select(&["A.TLD", "a.tld."]).unwrap(), vec!["a.tld."]);
        let err = select(&["a.tld", "*.nowhere"]).unwrap_err();
        assert_eq!(err.to_string(), "*.nowhere not in a.tld. b.tld. a.other.");
        let all = select_by_domain(names.clone(), None, |n| n.to_string(), |_, _| String::new());
        assert_eq!(all.unwrap(), names);
    }

    #[test]
    fn map_concurrently_keeps_order_and_covers_every_item() {
        let items: Vec<u32> = (0..100).collect();
        let doubled = map_concurrently(&items, 7, |n| n * 2);
        assert_eq!(doubled, (0..100).map(|n| n * 2).collect::<Vec<_>>());
        assert!(map_concurrently(&[] as &[u32], 4, |n| *n).is_empty());
    }

    #[test]
    fn map_concurrently_runs_one_at_a_time_on_the_calling_thread() {
        let caller = std::thread::current().id();
        let on = |_: &u32| std::thread::current().id();
        assert_eq!(map_concurrently(&[1], 4, on), vec![caller]);
        assert_eq!(map_concurrently(&[1, 2], 1, on), vec![caller; 2]);
        assert!(map_concurrently(&[1, 2], 2, on)
            .iter()
            .all(|id| *id != caller));
    }
}
