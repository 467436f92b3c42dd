//! `r53ctl check-creds NAME`: proves a creds entry's credentials work with one cheap read.

use super::zones;
use crate::cli::Args;
use crate::creds::Account;
use crate::error::{Error, EXIT_OK};

/// Sends GetHostedZoneCount as creds entry `NAME`; prints the creds file read, where the
/// credentials came from, the endpoint and the account's zone count. A failure names the same,
/// so that a user can tell which key was refused by which endpoint.
pub fn run(args: &Args) -> Result<i32, Error> {
    let entry = match args.positional.as_slice() {
        [entry] => entry,
        [entry, kind] if kind.eq_ignore_ascii_case("ROUTE53") => entry,
        _ => {
            return Err(Error::Usage(
                "usage: r53ctl check-creds CREDS_ENTRY [ROUTE53]".into(),
            ))
        }
    };
    let connection = zones::Connection::of(args);
    let account = zones::open_account(&connection, entry)?;
    let creds_file = creds_file_line(&account);
    let client = zones::client_of(&connection, account)?;
    let source = client.credentials_source();
    let endpoint = client.endpoint();
    let count = client.hosted_zone_count().map_err(|err| {
        Error::Failed(format!(
            "creds entry \"{entry}\" does not work: {err}\n  creds file: {creds_file}\n  \
             credentials: {source}\n  endpoint: {} (signing region {})",
            endpoint.url, endpoint.region
        ))
    })?;
    crate::output::data(&format!("creds entry \"{entry}\" works\n"));
    crate::output::data(&format!("  creds file:   {creds_file}\n"));
    crate::output::data(&format!("  credentials:  {source}\n"));
    crate::output::data(&format!(
        "  endpoint:     {} (signing region {})\n",
        endpoint.url, endpoint.region
    ));
    crate::output::data(&format!("  hosted zones: {count}\n"));
    Ok(EXIT_OK)
}

/// The creds file read (or that none was), and whether the AWS chain gave the credentials.
fn creds_file_line(account: &Account) -> String {
    let file = account.creds_file.as_ref().map_or_else(
        || "none read".to_string(),
        |path| path.display().to_string(),
    );
    match &account.chain_reason {
        Some(reason) => format!("{file}; the AWS chain gave the credentials ({reason})"),
        None => file,
    }
}
