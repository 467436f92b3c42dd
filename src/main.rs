//! The `r53ctl` binary: parses the command line and runs the command it names.

use r53ctl::cli::{self, Args, Command, Parsed};
use r53ctl::commands::{
    check, check_creds, completion, convert, create_domains, get_zones, preview, push, push_plan,
    version,
};
use r53ctl::error::{Error, EXIT_OK};
use r53ctl::{log, output};

fn main() {
    std::process::exit(output::exit_code(run()));
}

/// Runs r53ctl with the process's arguments and returns the exit code.
fn run() -> i32 {
    let result = cli::parse(std::env::args_os().skip(1)).and_then(|parsed| match parsed {
        Parsed::Help(text) => {
            output::data(&text);
            Ok(EXIT_OK)
        }
        Parsed::Run(args) => {
            log::set_debug(args.debug);
            log::set_no_colours(args.no_colors);
            dispatch(&args)
        }
    });
    result.unwrap_or_else(|err| output::report_error(&err))
}

/// Runs the command `args` names and returns the exit code of a run that did not fail.
fn dispatch(args: &Args) -> Result<i32, Error> {
    match args.command {
        Command::Check => check::run(args),
        Command::Preview => preview::run(args),
        Command::Push => match &args.plan {
            Some(path) => push_plan::run(args, path),
            None => push::run(args),
        },
        Command::GetZones => get_zones::run(args),
        Command::CheckCreds => check_creds::run(args),
        Command::CreateDomains => create_domains::run(args),
        Command::Convert => convert::run(args),
        Command::Version => version::run(args),
        Command::Completion => completion::run(args),
    }
}
