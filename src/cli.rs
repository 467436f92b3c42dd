//! Command-line parsing (lexopt), help texts and dispatch to [`crate::commands`].
//!
//! Options may stand before or after the command name. Each command accepts only the options its
//! help lists; anything else is a usage error (exit code 2).

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::commands;
use crate::error::{Error, EXIT_OK};
use crate::log;
use crate::output::{self, Format};

/// The commands r53ctl knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Check,
    Preview,
    Push,
    GetZones,
    CheckCreds,
    CreateDomains,
}

impl Command {
    fn from_name(name: &str) -> Option<Command> {
        Some(match name {
            "check" => Command::Check,
            "preview" => Command::Preview,
            "push" => Command::Push,
            "get-zones" => Command::GetZones,
            "check-creds" => Command::CheckCreds,
            "create-domains" => Command::CreateDomains,
            _ => return None,
        })
    }

    fn help(self) -> &'static str {
        match self {
            Command::Check => HELP_CHECK,
            Command::Preview => HELP_PREVIEW,
            Command::Push => HELP_PUSH,
            Command::GetZones => HELP_GET_ZONES,
            Command::CheckCreds => HELP_CHECK_CREDS,
            Command::CreateDomains => HELP_CREATE_DOMAINS,
        }
    }

    /// The command-specific options it accepts (global options are always accepted).
    fn accepts(self, option: &str) -> bool {
        let allowed: &[&str] = match self {
            Command::Check => &[],
            Command::Preview => &[
                "domains",
                "expect-no-changes",
                "format",
                "out",
                "concurrency",
            ],
            Command::Push => &[
                "domains",
                "format",
                "plan",
                "force",
                "refuse-blocked",
                "wait",
                "wait-timeout",
                "concurrency",
            ],
            Command::GetZones => &["format", "out"],
            Command::CheckCreds => &[],
            Command::CreateDomains => &["domains"],
        };
        allowed.contains(&option)
    }
}

/// Everything the command line says.
#[derive(Clone, Debug)]
pub struct Args {
    pub command: Command,
    /// `--config FILE`, default `dnsconfig.json`.
    pub config: PathBuf,
    /// `--creds FILE`, default `creds.json`.
    pub creds: PathBuf,
    /// `--endpoint URL`: the Route 53 API endpoint to use instead of AWS's.
    pub endpoint: Option<String>,
    pub debug: bool,
    /// `--max-rate N`: at most N Route 53 requests per second.
    pub max_rate: Option<f64>,
    /// `--max-change-rate N`: at most N record changes per second.
    pub max_change_rate: Option<f64>,
    /// `--domains a,b`: limit the run to these domains.
    pub domains: Option<Vec<String>>,
    pub expect_no_changes: bool,
    /// `--format`; each command checks the values it supports.
    pub format: Option<String>,
    /// `--out FILE`.
    pub out: Option<PathBuf>,
    /// `--plan FILE` for push.
    pub plan: Option<PathBuf>,
    pub force: bool,
    /// `--refuse-blocked`: push no change to a zone with changes blocked by protections.
    pub refuse_blocked: bool,
    pub wait: bool,
    pub wait_timeout: Duration,
    /// How many zones are read at once.
    pub concurrency: usize,
    /// Positional arguments after the command name.
    pub positional: Vec<String>,
}

impl Args {
    fn new(command: Command) -> Args {
        Args {
            command,
            config: PathBuf::from("dnsconfig.json"),
            creds: PathBuf::from("creds.json"),
            endpoint: None,
            debug: false,
            max_rate: None,
            max_change_rate: None,
            domains: None,
            expect_no_changes: false,
            format: None,
            out: None,
            plan: None,
            force: false,
            refuse_blocked: false,
            wait: false,
            wait_timeout: Duration::from_secs(600),
            concurrency: 4,
            positional: Vec::new(),
        }
    }

    /// The `--format` value among `allowed` (the first is the default).
    pub fn format_of(&self, allowed: &[&'static str]) -> Result<&'static str, Error> {
        let Some(given) = &self.format else {
            return Ok(allowed[0]);
        };
        allowed.iter().copied().find(|a| a == given).ok_or_else(|| {
            Error::Usage(format!(
                "--format {given} is not supported here; use one of: {}",
                allowed.join(", ")
            ))
        })
    }

    /// The output format of preview and push.
    pub fn output_format(&self) -> Result<Format, Error> {
        Ok(match self.format_of(&["text", "json"])? {
            "json" => Format::Json,
            _ => Format::Text,
        })
    }
}

/// What the command line asks for.
#[derive(Debug)]
enum Parsed {
    Run(Box<Args>),
    Help(&'static str),
    Version,
}

/// Runs r53ctl with the process's arguments and returns the exit code.
pub fn main() -> i32 {
    match parse(std::env::args_os().skip(1)) {
        Ok(Parsed::Help(text)) => {
            crate::output::data(text);
            EXIT_OK
        }
        Ok(Parsed::Version) => {
            crate::output::data(&format!("r53ctl {}\n", env!("CARGO_PKG_VERSION")));
            EXIT_OK
        }
        Ok(Parsed::Run(args)) => {
            log::set_debug(args.debug);
            match commands::run(&args) {
                Ok(code) => code,
                Err(err) => output::report_error(&err),
            }
        }
        Err(err) => output::report_error(&err),
    }
}

fn parse(raw: impl IntoIterator<Item = OsString>) -> Result<Parsed, Error> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_args(raw);
    let mut command: Option<Command> = None;
    let mut args = Args::new(Command::Check);
    let mut pending: Vec<String> = Vec::new();
    let mut help = false;
    let mut seen = 0;
    while let Some(arg) = parser.next()? {
        seen += 1;
        match arg {
            Short('h') | Long("help") => help = true,
            Short('V') | Long("version") => return Ok(Parsed::Version),
            Long("config") => args.config = parser.value()?.into(),
            Long("creds") => args.creds = parser.value()?.into(),
            Long("endpoint") => args.endpoint = Some(string(parser.value()?)?),
            Long("debug") => args.debug = true,
            Long("max-rate") => args.max_rate = Some(rate(&mut parser, "max-rate")?),
            Long("max-change-rate") => {
                args.max_change_rate = Some(rate(&mut parser, "max-change-rate")?)
            }
            Long(name) => {
                let name = name.to_string();
                set_command_option(&mut args, &name, &mut parser)?;
                pending.push(name);
            }
            Value(value) => {
                let value = string(value)?;
                if command.is_some() {
                    args.positional.push(value);
                } else if value == "help" {
                    help = true;
                } else {
                    command = Some(Command::from_name(&value).ok_or_else(|| {
                        Error::Usage(format!(
                            "unknown command '{value}'; run 'r53ctl --help' for the list"
                        ))
                    })?);
                }
            }
            _ => return Err(Error::Usage(arg.unexpected().to_string())),
        }
    }
    let Some(command) = command else {
        return if help || seen == 0 {
            Ok(Parsed::Help(HELP_MAIN))
        } else {
            Err(Error::Usage(
                "no command given; run 'r53ctl --help' for the list".into(),
            ))
        };
    };
    if help {
        return Ok(Parsed::Help(command.help()));
    }
    if let Some(option) = pending.iter().find(|o| !command.accepts(o)) {
        return Err(Error::Usage(format!(
            "'{}' does not take --{option}; see 'r53ctl {} --help'",
            command_name(command),
            command_name(command)
        )));
    }
    args.command = command;
    Ok(Parsed::Run(Box::new(args)))
}

/// Reads the value of a command-specific option into `args`.
fn set_command_option(
    args: &mut Args,
    name: &str,
    parser: &mut lexopt::Parser,
) -> Result<(), Error> {
    match name {
        "domains" => {
            let list = string(parser.value()?)?;
            args.domains = Some(
                list.split(',')
                    .map(str::trim)
                    .filter(|d| !d.is_empty())
                    .map(String::from)
                    .collect(),
            );
        }
        "expect-no-changes" => args.expect_no_changes = true,
        "format" => args.format = Some(string(parser.value()?)?),
        "out" => args.out = Some(parser.value()?.into()),
        "plan" => args.plan = Some(parser.value()?.into()),
        "force" => args.force = true,
        "refuse-blocked" => args.refuse_blocked = true,
        "wait" => args.wait = true,
        "wait-timeout" => args.wait_timeout = Duration::from_secs(number(parser, name)?),
        "concurrency" => {
            args.concurrency = number(parser, name)?.clamp(1, 64) as usize;
        }
        _ => {
            return Err(Error::Usage(format!(
                "unknown option --{name}; run 'r53ctl --help' for the list"
            )))
        }
    }
    Ok(())
}

fn number(parser: &mut lexopt::Parser, name: &str) -> Result<u64, Error> {
    let value = string(parser.value()?)?;
    value
        .parse()
        .map_err(|_| Error::Usage(format!("--{name} takes a whole number, not '{value}'")))
}

/// The slowest rate r53ctl accepts: slower ones would make waits overflow.
const MIN_RATE: f64 = 0.01;

/// A rate per second of at least [`MIN_RATE`].
fn rate(parser: &mut lexopt::Parser, name: &str) -> Result<f64, Error> {
    let value = string(parser.value()?)?;
    match value.parse::<f64>() {
        Ok(rate) if (MIN_RATE..f64::INFINITY).contains(&rate) => Ok(rate),
        _ => Err(Error::Usage(format!(
            "--{name} takes a number of operations per second from {MIN_RATE} up, not '{value}'"
        ))),
    }
}

fn string(value: OsString) -> Result<String, Error> {
    value
        .into_string()
        .map_err(|v| Error::Usage(format!("argument is not valid UTF-8: {v:?}")))
}

fn command_name(command: Command) -> &'static str {
    match command {
        Command::Check => "check",
        Command::Preview => "preview",
        Command::Push => "push",
        Command::GetZones => "get-zones",
        Command::CheckCreds => "check-creds",
        Command::CreateDomains => "create-domains",
    }
}

impl From<lexopt::Error> for Error {
    fn from(err: lexopt::Error) -> Error {
        Error::Usage(err.to_string())
    }
}

const HELP_MAIN: &str = "\
r53ctl: keep Amazon Route 53 hosted zones in line with a JSON config.

Usage: r53ctl <COMMAND> [OPTIONS]

Commands:
  check           Validate the config offline (no network, no credentials)
  preview         Show exactly what push would change
  push            Apply the changes to Route 53
  get-zones       Write live zones as r53ctl config or as a BIND zone file
  check-creds     Prove that a creds.json entry's credentials work
  create-domains  Create the hosted zones the config names that do not exist yet

Options for every command:
  --config FILE     The config (default: dnsconfig.json)
  --creds FILE      The credentials file (default: creds.json)
  --endpoint URL    Route 53 API endpoint to use instead of AWS's
                    (also AWS_ENDPOINT_URL_ROUTE_53)
  --debug           Say where credentials came from, which endpoint and region are
                    used, and each request made; never prints a secret
  --max-rate N      At most N Route 53 requests per second (default: Route 53's
                    account limit, 10); lower it when other tools share the account
  --max-change-rate N
                    At most N record changes per second (default: 100, a cautious
                    guess at Route 53's change-throughput limit; raise it if your
                    account allows more)
  -h, --help        This help; 'r53ctl COMMAND --help' for a command's options
  -V, --version     Print the version

Exit codes: 0 success, 1 error, 2 usage or config error,
            3 changes pending (preview --expect-no-changes), 4 push refused by a safety limit.
";

const HELP_CHECK: &str = "\
Validate the config offline: JSON syntax, domains, providers, registrars and every record.

Usage: r53ctl check [--config FILE]

Exit codes: 0 the config is valid, 2 it is not (every problem is listed on stderr).
";

const HELP_PREVIEW: &str = "\
Show exactly what push would change, zone by zone, then a total.

Usage: r53ctl preview [OPTIONS]

Options:
  --domains A,B         Only these domains
  --expect-no-changes   Exit 3 when any change is pending
  --format text|json    Output format on stdout (default: text)
  --out FILE            Also write the plan (exact changes and the zone state they were
                        computed against) for 'push --plan FILE'
  --concurrency N       Zones read at once (default: 4)
  --config, --creds, --endpoint, --debug as for every command

Exit codes: 0 success, 1 error, 2 usage or config error, 3 changes pending with
--expect-no-changes.
";

const HELP_PUSH: &str = "\
Apply the changes preview shows. Each zone's changes go in one atomic request whenever they
fit Route 53's limits. A request deletes the exact live record set before creating the new
one, so a record set someone changed since it was read makes the request fail whole.

Usage: r53ctl push [OPTIONS]

Options:
  --domains A,B         Only these domains
  --format text|json    Output format on stdout (default: text)
  --plan FILE           Apply exactly the plan 'preview --out FILE' wrote, without the
                        config; a zone that changed since is not touched (exit 1)
  --force               Push even when a zone would change or delete more than its
                        max_change_share of record sets (default 0.3)
  --refuse-blocked      Send nothing to a zone when some of its changes are blocked by a
                        record set protection (default: push the rest, list the blocked)
  --wait                Wait until Route 53 reports each change INSYNC
  --wait-timeout SECS   How long --wait waits (default: 600)
  --concurrency N       Zones read at once (default: 4)
  --config, --creds, --endpoint, --debug as for every command

Exit codes: 0 success, 1 error, 2 usage, config or plan file error, 4 refused by a safety
limit.
";

const HELP_GET_ZONES: &str = "\
Write live zones as r53ctl config (JSON) or as a BIND zone file.

Usage: r53ctl get-zones [OPTIONS] CREDS_ENTRY [ROUTE53|-] ZONE... | all

Options:
  --format json|bind|nameonly   Output format (default: json)
  --out FILE                    Write to FILE instead of stdout
  --creds, --endpoint, --debug as for every command
";

const HELP_CHECK_CREDS: &str = "\
Prove that the credentials of a creds.json entry work, with one cheap read.
Prints where the credentials came from and how many hosted zones the account has.

Usage: r53ctl check-creds [OPTIONS] CREDS_ENTRY [ROUTE53]

Options:
  --creds, --endpoint, --debug as for every command

Exit codes: 0 the credentials work, 1 they do not, 2 usage error.
";

const HELP_CREATE_DOMAINS: &str = "\
Create a public hosted zone for each domain in the config that has none yet.

Usage: r53ctl create-domains [OPTIONS]

Options:
  --domains A,B   Only these domains
  --config, --creds, --endpoint, --debug as for every command
";

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_strs(args: &[&str]) -> Result<Parsed, Error> {
        parse(args.iter().map(OsString::from))
    }

    fn run_args(args: &[&str]) -> Args {
        match parse_strs(args) {
            Ok(Parsed::Run(args)) => *args,
            other => panic!("expected a run, got {other:?}"),
        }
    }

    #[test]
    fn options_stand_before_or_after_the_command() {
        let a = run_args(&["--config", "a.json", "preview", "--creds", "c.json"]);
        assert_eq!(a.command, Command::Preview);
        assert_eq!(a.config, PathBuf::from("a.json"));
        assert_eq!(a.creds, PathBuf::from("c.json"));
    }

    #[test]
    fn domains_are_split_on_commas() {
        let a = run_args(&["push", "--domains", "a.tld, b.tld,,"]);
        assert_eq!(a.domains, Some(vec!["a.tld".into(), "b.tld".into()]));
    }

    #[test]
    fn every_command_has_help() {
        for name in [
            "check",
            "preview",
            "push",
            "get-zones",
            "check-creds",
            "create-domains",
        ] {
            let command = Command::from_name(name).expect("known command");
            match parse_strs(&[name, "--help"]) {
                Ok(Parsed::Help(text)) => {
                    assert_eq!(text, command.help());
                    assert!(text.contains(&format!("r53ctl {name}")), "{name}");
                }
                other => panic!("{name}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_option_of_another_command_is_a_usage_error() {
        let err = parse_strs(&["preview", "--force"]).unwrap_err();
        assert!(err.to_string().contains("does not take --force"), "{err}");
        assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
    }

    #[test]
    fn unknown_commands_and_options_are_usage_errors() {
        assert!(parse_strs(&["deploy"]).is_err());
        let err = parse_strs(&["preview", "--colour"]).unwrap_err();
        assert!(err.to_string().contains("unknown option --colour"), "{err}");
    }

    #[test]
    fn rates_are_positive_numbers() {
        let a = run_args(&["preview", "--max-rate", "2.5", "--max-change-rate", "50"]);
        assert_eq!((a.max_rate, a.max_change_rate), (Some(2.5), Some(50.0)));
        for bad in ["0", "-1", "1e-300", "fast", "inf", "NaN"] {
            let err = parse_strs(&["preview", "--max-rate", bad]).unwrap_err();
            assert!(err.to_string().contains("from 0.01 up"), "{bad}: {err}");
        }
    }

    #[test]
    fn numbers_are_checked() {
        let err = parse_strs(&["push", "--wait-timeout", "soon"]).unwrap_err();
        assert!(err.to_string().contains("whole number"), "{err}");
    }

    #[test]
    fn format_is_checked_per_command() {
        let a = run_args(&["preview", "--format", "yaml"]);
        assert!(a.output_format().is_err());
        let a = run_args(&["preview", "--format", "json"]);
        assert_eq!(a.output_format().unwrap(), Format::Json);
    }

    #[test]
    fn no_arguments_prints_help() {
        assert!(matches!(parse_strs(&[]), Ok(Parsed::Help(HELP_MAIN))));
    }
}
