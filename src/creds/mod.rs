//! Credentials and endpoints: the creds.json entry a DNS provider names, the AWS environment
//! variables, the shared config files and the other sources AWS users rely on.
//!
//! Sources, first that has credentials wins: the creds.json entry (KeyId/SecretKey/Token or
//! Profile), AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, the shared files (AWS_PROFILE or
//! `default`), web identity, container credentials, and last EC2 instance metadata. A `RoleArn`
//! in the entry is assumed on top of whichever gave the base credentials.
//!
//! A creds file named with `--creds` must exist, and an existing one must have the entry; only
//! without a file at the default path, or with an entry that has no keys, does the AWS chain
//! give the credentials, and the caller is told so ([`Account::chain_reason`]).
//!
//! May import: `http`, `input`, `log`, `sigv4`, `time`, `xml_tree`.

mod cache;
mod chain;
mod container;
mod endpoint;
mod env;
mod error;
mod file;
mod imds;
mod net;
mod process;
mod shared;
mod sts;
mod transport;
mod web_identity;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::http::TransportOptions;
use crate::sigv4::{Credentials, Endpoint};

pub use cache::{system_clock, CachingProvider, Clock, RENEW_BEFORE};
pub use endpoint::{domains_endpoint, route53_endpoint, EndpointSettings, Partition};
pub use error::{CredsError, StsFailure};
pub use file::permission_warning;
pub use transport::transport_options;

/// The readers the fuzz targets in `fuzz/` drive (`cargo fuzz` builds with `--cfg fuzzing`).
#[cfg(fuzzing)]
pub use {
    file::CredsFile,
    shared::parse_ini,
    sts::{parse_credentials as parse_sts_credentials, parse_error as parse_sts_error},
};

/// A source of credentials that may renew them.
pub trait ProvideCredentials: Send + Sync {
    /// The credentials to sign with now, renewed first when they are about to expire.
    fn credentials(&self) -> Result<Credentials, CredsError>;
    /// Where the credentials come from, for `--debug` and `check-creds`; never a secret.
    fn source(&self) -> String;
}

/// Reads one environment variable; tests pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// The process environment, as an [`Env`].
pub fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// Everything needed to talk to Route 53 as one creds.json entry.
#[derive(Clone)]
pub struct Account {
    /// The creds.json entry name, e.g. `r53_main`.
    pub name: String,
    pub credentials: Arc<dyn ProvideCredentials>,
    pub endpoint: Endpoint,
    /// Route 53 Domains, for an entry a ROUTE53 registrar names.
    pub domains_endpoint: Endpoint,
    /// The entry's `DelegationSet`: the reusable delegation set of new public zones.
    pub delegation_set: Option<String>,
    /// The partition the account is in: its Route 53 limits differ.
    pub partition: Partition,
    pub transport: TransportOptions,
    /// The creds file read; `None` when there is none at the default path.
    pub creds_file: Option<PathBuf>,
    /// Why the AWS chain gave the credentials (no creds file, or an entry without keys);
    /// `None` when the entry's keys or profile did.
    pub chain_reason: Option<String>,
}

impl Account {
    /// When the AWS chain gave the credentials, the line that says so: their source and masked
    /// key id, e.g. `credentials for "r53_main": environment (AWS_ACCESS_KEY_ID) AKIA…XYZ1, from
    /// the AWS chain (creds file creds.json does not exist)`. Obtains the credentials to learn
    /// the key id (sources that renew keep them for the requests that follow).
    pub fn chain_notice(&self) -> Result<Option<String>, CredsError> {
        let Some(reason) = &self.chain_reason else {
            return Ok(None);
        };
        let credentials = self.credentials.credentials()?;
        Ok(Some(format!(
            "credentials for \"{}\": {} {}, from the AWS chain ({reason})",
            self.name,
            self.credentials.source(),
            masked_key_id(&credentials.access_key_id)
        )))
    }
}

/// An access key id shortened to its first and last four characters, `AKIA…XYZ1`: enough to tell
/// keys apart in a log, not to copy one. Characters that are not printable ASCII show as `?`.
fn masked_key_id(key_id: &str) -> String {
    let chars: Vec<char> = key_id
        .chars()
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect();
    let head: String = chars.iter().take(4).collect();
    let tail: String = chars.iter().skip(4).rev().take(4).rev().collect();
    format!("{head}…{tail}")
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("name", &self.name)
            .field("credentials", &self.credentials.source())
            .field("endpoint", &self.endpoint)
            .field("domains_endpoint", &self.domains_endpoint)
            .field("delegation_set", &self.delegation_set)
            .field("partition", &self.partition)
            .field("transport", &self.transport)
            .field("creds_file", &self.creds_file)
            .field("chain_reason", &self.chain_reason)
            .finish()
    }
}

/// What the command line says beyond the creds file's path.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--endpoint URL`.
    pub endpoint: Option<String>,
    /// Whether `--creds` named the creds file: then it must exist. Only the default path may be
    /// missing.
    pub creds_named: bool,
}

/// Resolves creds.json entry `name` from the file at `creds_path` into an [`Account`].
///
/// No network request is made here: sources that need one (STS, container, instance metadata,
/// `credential_process`) are asked on the first `credentials()` call and again before their
/// credentials expire.
pub fn open_account(
    creds_path: &Path,
    name: &str,
    env: Env<'_>,
    overrides: &Overrides,
) -> Result<Account, CredsError> {
    open_account_with_clock(creds_path, name, env, overrides, system_clock())
}

/// [`open_account`] judging credential expiry by `clock`.
pub fn open_account_with_clock(
    creds_path: &Path,
    name: &str,
    env: Env<'_>,
    overrides: &Overrides,
    clock: Clock,
) -> Result<Account, CredsError> {
    let mut transport = transport_options(env)?;
    let creds_file = file::CredsFile::load(creds_path, overrides.creds_named)?;
    let entry = creds_file.entry(name, env)?;
    if let Some(warning) = entry
        .as_ref()
        .and_then(file::CredsEntry::unknown_keys_warning)
    {
        crate::log::warn_once(&warning, &warning);
    }
    if let Some(ca_bundle) = entry.as_ref().and_then(|e| e.ca_bundle.clone()) {
        transport.ca_bundle = Some(ca_bundle);
    }
    let partition = partition_of(entry.as_ref())?;
    let settings = EndpointSettings {
        command_line: overrides.endpoint.as_deref(),
        entry_endpoint: entry
            .as_ref()
            .and_then(|e| e.endpoint.as_deref().map(|url| (e.name.as_str(), url))),
        entry_region: entry.as_ref().and_then(|e| e.region.as_deref()),
    };
    let (endpoint, origin) = route53_endpoint(partition, settings, env)?;
    warn_if_cleartext(&endpoint);
    let entry_domains_endpoint = entry.as_ref().and_then(|e| {
        e.domains_endpoint
            .as_deref()
            .map(|url| (e.name.as_str(), url))
    });
    let (domains_endpoint, domains_origin) = domains_endpoint(entry_domains_endpoint, env)?;
    warn_if_cleartext(&domains_endpoint);
    let chain = chain::Chain {
        env,
        transport: &transport,
        partition,
        clock,
    };
    let (credentials, chain_reason) =
        chain.account_credentials(name, &creds_file, entry.as_ref())?;
    crate::debug!(
        "creds entry \"{name}\": credentials from {}",
        credentials.source()
    );
    crate::debug!(
        "creds entry \"{name}\": Route 53 endpoint {} (from {origin}), signing region {}",
        endpoint.url,
        endpoint.region
    );
    crate::debug!(
        "creds entry \"{name}\": Route 53 Domains endpoint {} (from {domains_origin})",
        domains_endpoint.url
    );
    Ok(Account {
        name: name.to_string(),
        credentials,
        endpoint,
        domains_endpoint,
        delegation_set: entry.as_ref().and_then(|e| e.delegation_set.clone()),
        partition,
        transport,
        creds_file: creds_file.path().map(Path::to_path_buf),
        chain_reason,
    })
}

/// Warns, once per run, when requests to `endpoint` would cross the network in clear text.
fn warn_if_cleartext(endpoint: &Endpoint) {
    if let Some(warning) = endpoint::cleartext_warning(endpoint) {
        crate::log::warn_once("cleartext endpoint", &warning);
    }
}

/// The entry's `Partition`, else the partition of its `Region`, else `aws`.
fn partition_of(entry: Option<&file::CredsEntry>) -> Result<Partition, CredsError> {
    let Some(entry) = entry else {
        return Ok(Partition::Aws);
    };
    match (&entry.partition, &entry.region) {
        (Some(name), _) => Partition::parse(name).ok_or_else(|| CredsError::UnknownPartition {
            origin: format!("creds.json entry \"{}\" (Partition)", entry.name),
            value: name.clone(),
        }),
        (None, Some(region)) => Ok(Partition::of_region(region)),
        (None, None) => Ok(Partition::Aws),
    }
}

/// A variable's value; empty counts as unset.
fn var(env: Env<'_>, name: &str) -> Option<String> {
    env(name).filter(|value| !value.is_empty())
}

/// Credentials that do not change: keys from creds.json, the environment or a shared file.
struct StaticProvider {
    credentials: Credentials,
    source: String,
}

impl ProvideCredentials for StaticProvider {
    fn credentials(&self) -> Result<Credentials, CredsError> {
        Ok(self.credentials.clone())
    }

    fn source(&self) -> String {
        self.source.clone()
    }
}

/// fixtures/creds, where the unit tests of the credential sources keep real-shaped files.
#[cfg(test)]
fn fixtures_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/creds")
}

/// The bytes of a file in fixtures/creds.
#[cfg(test)]
fn read_fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_are_masked_to_their_ends() {
        assert_eq!(masked_key_id("AKIAIOSFODNN7EXAMPLE"), "AKIA…MPLE");
        assert_eq!(masked_key_id("ASIA12345"), "ASIA…2345");
        assert_eq!(masked_key_id("AK"), "AK…");
        assert_eq!(masked_key_id("AKIA\u{1b}[31mX"), "AKIA…31mX");
        assert_eq!(masked_key_id("AK\nIAXY"), "AK?I…AXY");
    }
}
