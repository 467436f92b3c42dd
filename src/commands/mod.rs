//! One module per command; [`zones`] holds what they share: opening clients and finding zones.

mod check;
mod check_creds;
mod create_domains;
mod get_zones;
mod preview;
mod push;
mod push_plan;
mod zones;

use crate::cli::{Args, Command};
use crate::error::Error;

/// Runs the command `args` names and returns the exit code of a run that did not fail.
pub fn run(args: &Args) -> Result<i32, Error> {
    match args.command {
        Command::Check => check::run(args),
        Command::Preview => preview::run(args),
        Command::Push => push::run(args),
        Command::GetZones => get_zones::run(args),
        Command::CheckCreds => check_creds::run(args),
        Command::CreateDomains => create_domains::run(args),
    }
}
