//! Credentials and endpoints: the creds.json entry a DNS provider names, the AWS environment
//! variables, the shared config files and the other sources AWS users rely on.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use crate::http::TransportOptions;
use crate::route53::Endpoint;
use crate::sigv4::Credentials;

/// A source of credentials that may renew them.
pub trait ProvideCredentials: Send + Sync {
    /// The credentials to sign with now, renewed first when they are about to expire.
    fn credentials(&self) -> Result<Credentials, CredsError>;
    /// Where the credentials come from, for `--debug` and `check-creds`; never a secret.
    fn source(&self) -> String;
}

/// Reads one environment variable; tests pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Everything needed to talk to Route 53 as one creds.json entry.
pub struct Account {
    /// The creds.json entry name, e.g. `r53_main`.
    pub name: String,
    pub credentials: Arc<dyn ProvideCredentials>,
    pub endpoint: Endpoint,
    pub transport: TransportOptions,
}

/// Options from the command line that override what the creds entry and environment say.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--endpoint URL`.
    pub endpoint: Option<String>,
}

/// Resolves creds.json entry `name` from the file at `creds_path` (which may be missing when the
/// environment has keys) into an [`Account`].
pub fn open_account(
    creds_path: &Path,
    name: &str,
    env: Env<'_>,
    overrides: &Overrides,
) -> Result<Account, CredsError> {
    let _ = (creds_path, name, env, overrides);
    todo!("creds::open_account")
}

#[derive(Debug)]
pub enum CredsError {
    Todo,
}

impl fmt::Display for CredsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for CredsError {}
