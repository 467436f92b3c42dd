//! `r53ctl version` (and `--version`): prints the version line.

use crate::cli::Args;
use crate::error::{Error, EXIT_OK};

pub fn run(_args: &Args) -> Result<i32, Error> {
    crate::output::data(&crate::cli::version_line());
    Ok(EXIT_OK)
}
