//! `r53ctl check-creds NAME`: proves a creds entry's credentials work with one cheap read.

use super::zones;
use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::log;

/// Sends GetHostedZoneCount as creds entry `NAME`; prints where the credentials came from, the
/// endpoint and the account's zone count. A failure names the same, so that a user can tell
/// which key was refused by which endpoint.
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
    let client = zones::open_client(&zones::Connection::of(args), entry)?;
    let source = client.credentials_source();
    let endpoint = client.endpoint();
    let count = client.hosted_zone_count().map_err(|err| {
        Error::Failed(format!(
            "creds entry \"{entry}\" does not work: {err}\n  credentials: {source}\n  endpoint: \
             {} (signing region {})",
            endpoint.url, endpoint.region
        ))
    })?;
    crate::output::data(&format!("creds entry \"{entry}\" works\n"));
    crate::output::data(&format!("  credentials:  {}\n", log::printable(&source)));
    crate::output::data(&format!(
        "  endpoint:     {} (signing region {})\n",
        log::printable(&endpoint.url),
        log::printable(&endpoint.region)
    ));
    crate::output::data(&format!("  hosted zones: {count}\n"));
    Ok(EXIT_OK)
}
