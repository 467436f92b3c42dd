//! `r53ctl check-creds NAME [ROUTE53|ROUTE53DOMAINS]`: proves a creds entry's credentials work
//! with one cheap read, of Route 53 (a DNS provider's entry) or of Route 53 Domains (a ROUTE53
//! registrar's entry: creds.json gives both the same TYPE, so the second word tells them apart).

use super::zones;
use crate::cli::Args;
use crate::creds::Account;
use crate::error::{Error, EXIT_OK};
use crate::log::printable;
use crate::output;
use crate::sigv4::Endpoint;

/// Which API the entry is checked against.
enum Api {
    Route53,
    Domains,
}

/// Sends GetHostedZoneCount (or, for `ROUTE53DOMAINS`, ListDomains) as creds entry `NAME`;
/// prints the creds file read, where the credentials came from, the endpoint and what the
/// account holds. A failure names the same, so that a user can tell which key was refused by
/// which endpoint.
pub fn run(args: &Args) -> Result<i32, Error> {
    let (entry, api) = match args.positional.as_slice() {
        [entry] => (entry, Api::Route53),
        [entry, kind] if kind.eq_ignore_ascii_case("ROUTE53") => (entry, Api::Route53),
        [entry, kind] if kind.eq_ignore_ascii_case("ROUTE53DOMAINS") => (entry, Api::Domains),
        _ => {
            return Err(Error::Usage(
                "usage: r53ctl check-creds CREDS_ENTRY [ROUTE53|ROUTE53DOMAINS]".into(),
            ))
        }
    };
    let connection = zones::Connection::of(args);
    let account = zones::open_account(&connection, entry)?;
    let creds_file = creds_file_line(&account);
    let (source, endpoint, held) = match api {
        Api::Route53 => {
            let client = zones::client_of(&connection, account)?;
            let held = client
                .hosted_zone_count()
                .map(|count| format!("hosted zones: {count}"));
            (client.credentials_source(), client.endpoint().clone(), held)
        }
        Api::Domains => {
            let client = zones::registrar_of(&connection, account)?;
            let held = client.list_domains_page().map(|page| {
                let more = if page.more { " or more" } else { "" };
                format!("registered domains: {}{more}", page.count)
            });
            let caller = client.caller();
            (caller.credentials_source(), caller.endpoint().clone(), held)
        }
    };
    let held = held.map_err(|err| {
        Error::Failed(format!(
            "creds entry \"{entry}\" does not work: {err}\n  creds file: {creds_file}\n  \
             credentials: {source}\n  {}",
            endpoint_line(&endpoint)
        ))
    })?;
    output::data(&format!("creds entry \"{entry}\" works\n"));
    output::data(&format!("  creds file:   {}\n", printable(&creds_file)));
    output::data(&format!("  credentials:  {}\n", printable(&source)));
    output::data(&format!("  {}\n", printable(&endpoint_line(&endpoint))));
    output::data(&format!("  {}\n", printable(&held)));
    Ok(EXIT_OK)
}

fn endpoint_line(endpoint: &Endpoint) -> String {
    format!(
        "endpoint:     {} (signing region {})",
        endpoint.url, endpoint.region
    )
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
