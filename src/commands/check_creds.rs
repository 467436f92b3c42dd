//! `r53ctl check-creds NAME`: proves a creds entry's credentials work with one cheap read.

use crate::cli::Args;
use crate::commands::zones;
use crate::error::{Error, EXIT_OK};

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
    let client = zones::open_client(args, entry)?;
    let count = client
        .hosted_zone_count()
        .map_err(|e| Error::failed(format!("checking creds entry \"{entry}\""), e))?;
    println!(
        "creds entry \"{entry}\" works: credentials from {}; the account has {count} hosted zone{}",
        client.credentials_source(),
        crate::output::plural(count as usize)
    );
    Ok(EXIT_OK)
}
