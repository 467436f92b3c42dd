//! `r53ctl check`: validates the config offline.

use crate::cli::Args;
use crate::error::{Error, EXIT_OK};
use crate::output::plural;

pub fn run(args: &Args) -> Result<i32, Error> {
    let config = crate::config::load(&args.config)?;
    let records: usize = config.domains.iter().map(|d| d.records.len()).sum();
    crate::output::data(&format!(
        "{}: valid ({} domain{}, {} record set{})\n",
        args.config.display(),
        config.domains.len(),
        plural(config.domains.len()),
        records,
        plural(records)
    ));
    Ok(EXIT_OK)
}
