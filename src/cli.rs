//! The command line: the table of commands, the table of flags, and the parser and help texts
//! both tables drive. It only parses: running a command is `main.rs`'s dispatch.
//!
//! To add a flag: add one row to [`FLAGS`] (its setter fills a field of [`Args`]), list it in
//! the [`COMMANDS`] rows that take it, and use the field. To add a command: add a [`Command`]
//! variant, a row to [`COMMANDS`], a file in `src/commands/`, and its arm in `main.rs`.
//!
//! Options may stand before or after the command name. Each command accepts the global flags and
//! the flags its row lists; anything else is a usage error (exit code 2).
//!
//! May import: `error`, `route53`, `suggest`.

pub mod completion;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::Error;
use crate::route53::Limits;

/// The commands r53ctl knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    Check,
    Preview,
    Push,
    GetZones,
    CheckCreds,
    CreateDomains,
    Convert,
    Version,
    Completion,
}

/// One row of the command table: everything parsing and help need to know of a command.
#[derive(Debug)]
pub struct CommandSpec {
    pub command: Command,
    pub name: &'static str,
    /// One line for the command list.
    pub summary: &'static str,
    /// What stands after `r53ctl NAME` in the usage line.
    pub usage: &'static str,
    /// The help text's opening paragraph.
    pub about: &'static str,
    /// The command-specific flags it accepts, by long name; global flags are always accepted.
    pub flags: &'static [&'static str],
    /// The `--format` values it supports, the default first; empty when it has no `--format`.
    pub formats: &'static [&'static str],
    /// The help text's closing paragraph on exit codes; empty for the general ones.
    pub exit_codes: &'static str,
    /// One to three real invocations, shown at the end of its help.
    pub examples: &'static [&'static str],
}

/// Every command, in the order `r53ctl --help` lists them.
pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        command: Command::Check,
        name: "check",
        summary: "Validate the config offline (no network, no credentials)",
        usage: "[--config FILE]",
        about: "Validate the config offline: JSON syntax, domains, providers, registrars and \
                every record.",
        flags: &[],
        formats: &[],
        exit_codes: "0 the config is valid, 2 it is not (every problem is listed on stderr).",
        examples: &["r53ctl check", "r53ctl check --config zones/dnsconfig.json"],
    },
    CommandSpec {
        command: Command::Preview,
        name: "preview",
        summary: "Show exactly what push would change",
        usage: "[OPTIONS]",
        about: "Show exactly what push would change, zone by zone, then a total, then the name \
                servers\nto register for domains whose registrar is of type ROUTE53.",
        flags: &[
            "domains",
            "expect-no-changes",
            "format",
            "out",
            "concurrency",
        ],
        formats: &["text", "json"],
        exit_codes: "0 success, 1 error, 2 usage or config error, 3 changes pending with\n\
                     --expect-no-changes.",
        examples: &[
            "r53ctl preview --domains '*.example.com'",
            "r53ctl preview --expect-no-changes --format json",
            "r53ctl preview --out plan.json",
        ],
    },
    CommandSpec {
        command: Command::Push,
        name: "push",
        summary: "Apply the changes to Route 53",
        usage: "[OPTIONS]",
        about: "Apply the changes preview shows. Each zone's changes go in one atomic request \
                whenever they\nfit Route 53's limits. A request deletes the exact live record \
                set before creating the new\none, so a record set someone changed since it was \
                read makes the request fail whole.",
        flags: &[
            "domains",
            "format",
            "plan",
            "force",
            "refuse-blocked",
            "wait",
            "wait-timeout",
            "concurrency",
        ],
        formats: &["text", "json"],
        exit_codes: "0 success, 1 error, 2 usage, config or plan file error, 4 refused by a \
                     safety\nlimit, 130 stopped by SIGINT (Ctrl-C), 143 by SIGTERM: no new \
                     request is sent, the\none in flight finishes, and the report lists what \
                     was applied.",
        examples: &[
            "r53ctl push --domains example.com",
            "r53ctl push --plan plan.json --wait",
        ],
    },
    CommandSpec {
        command: Command::GetZones,
        name: "get-zones",
        summary: "Write live zones as r53ctl config or as a BIND zone file",
        usage: "[OPTIONS] CREDS_ENTRY [ROUTE53|-] ZONE... | all",
        about: "Write live zones as r53ctl config (JSON) or as a BIND zone file.",
        flags: &["format", "include-apex-ns", "out", "force"],
        formats: &["json", "bind", "nameonly"],
        exit_codes: "",
        examples: &[
            "r53ctl get-zones r53_main ROUTE53 example.com",
            "r53ctl get-zones --format bind --out example.com.zone r53_main - example.com",
            "r53ctl get-zones --format nameonly r53_main - all",
        ],
    },
    CommandSpec {
        command: Command::CheckCreds,
        name: "check-creds",
        summary: "Prove that a creds.json entry's credentials work",
        usage: "[OPTIONS] CREDS_ENTRY [ROUTE53|ROUTE53DOMAINS]",
        about: "Prove that the credentials of a creds.json entry work, with one cheap read.\n\
                Prints the creds file read (or that none was and the AWS chain gave the \
                credentials), where the credentials came from and how many hosted zones the \
                account has;\nwith ROUTE53DOMAINS (the entry of a ROUTE53 registrar), how many \
                domains it has registered.",
        flags: &[],
        formats: &[],
        exit_codes: "0 the credentials work, 1 they do not, 2 usage error.",
        examples: &["r53ctl check-creds r53_main"],
    },
    CommandSpec {
        command: Command::CreateDomains,
        name: "create-domains",
        summary: "Create the hosted zones the config names that do not exist yet",
        usage: "[OPTIONS]",
        about: "Create a hosted zone for each domain in the config that has none yet: public, or \
                private\nin the domain's VPCs (`private`), in a reusable delegation set when the \
                domain\n(`delegation_set_id`) or its creds entry (`DelegationSet`) names one.",
        flags: &["domains"],
        formats: &[],
        exit_codes: "",
        examples: &["r53ctl create-domains --domains example.com,example.org"],
    },
    CommandSpec {
        command: Command::Version,
        name: "version",
        summary: "Print the version (as --version does)",
        usage: "",
        about: "Print r53ctl's version, the same line as 'r53ctl --version'.",
        flags: &[],
        formats: &[],
        exit_codes: "",
        examples: &["r53ctl version"],
    },
    CommandSpec {
        command: Command::Completion,
        name: "completion",
        summary: "Write a shell completion script (bash, zsh or fish)",
        usage: "bash|zsh|fish",
        about: "Write a completion script for bash, zsh or fish on stdout: commands, their \
                options and the\nvalues of --format, and file names where an option takes a \
                FILE.",
        flags: &[],
        formats: &[],
        exit_codes: "",
        examples: &[
            "r53ctl completion bash > /etc/bash_completion.d/r53ctl",
            "r53ctl completion zsh > ~/.zfunc/_r53ctl",
            "r53ctl completion fish > ~/.config/fish/completions/r53ctl.fish",
        ],
    },
    CommandSpec {
        command: Command::Convert,
        name: "convert",
        summary: "Write a config from dnscontrol's IR or a BIND zone file",
        usage: "--from dnscontrol-ir|bind [--domain NAME] [OPTIONS] FILE",
        about: "Write an r53ctl config (dnsconfig.json) from the output of 'dnscontrol print-ir' \
                or from a\nBIND zone file. Offline: no credentials, no network.",
        flags: &["from", "domain", "include-apex-ns", "out", "force"],
        formats: &[],
        exit_codes: "0 written, 2 usage error or an input r53ctl cannot express (every problem \
                     is\nlisted on stderr).",
        examples: &[
            "r53ctl convert --from dnscontrol-ir ir.json --out dnsconfig.json",
            "r53ctl convert --from bind --domain example.com example.com.zone",
        ],
    },
];

/// One row of the flag table: how a flag is parsed, what help says of it, and its default.
pub struct Flag {
    pub long: &'static str,
    /// The value's placeholder in help (`FILE`, `N`); `None` for a switch.
    pub value: Option<&'static str>,
    /// Help text; a line break starts a continuation line.
    pub help: &'static str,
    /// The value [`Args`] starts with, fed through `set` (it is also shown in help).
    pub default: Option<&'static str>,
    /// Whether every command takes it.
    pub global: bool,
    /// Stores the flag in [`Args`]: the value for a flag with one, `None` for a switch.
    pub set: fn(&mut Args, Option<OsString>) -> Result<(), Error>,
}

/// Every flag, in the order help lists them.
pub const FLAGS: &[Flag] = &[
    Flag {
        long: "config",
        value: Some("FILE"),
        help: "The config",
        default: Some("dnsconfig.json"),
        global: true,
        set: |args, v| {
            args.config = path(v);
            Ok(())
        },
    },
    Flag {
        long: "creds",
        value: Some("FILE"),
        help: "The credentials file",
        default: Some("creds.json"),
        global: true,
        set: |args, v| {
            args.creds = path(v);
            Ok(())
        },
    },
    Flag {
        long: "endpoint",
        value: Some("URL"),
        help: "Route 53 API endpoint to use instead of AWS's\n(also AWS_ENDPOINT_URL_ROUTE_53)",
        default: None,
        global: true,
        set: |args, v| {
            args.endpoint = Some(string(v)?);
            Ok(())
        },
    },
    Flag {
        long: "debug",
        value: None,
        help: "Say where credentials came from, which endpoint and region are\nused, and each \
               request made; never prints a secret",
        default: None,
        global: true,
        set: |args, _| {
            args.debug = true;
            Ok(())
        },
    },
    Flag {
        long: "no-colors",
        value: None,
        help: "Never colour the output, even on a terminal (as NO_COLOR does)",
        default: None,
        global: true,
        set: |args, _| {
            args.no_colors = true;
            Ok(())
        },
    },
    Flag {
        long: "max-rate",
        value: Some("N"),
        help: "At most N Route 53 requests per second (default and highest:\nRoute 53's account \
               limit, 10); lower it when other tools share\nthe account",
        default: None,
        global: true,
        set: |args, v| {
            args.max_rate = Some(request_rate(v)?);
            Ok(())
        },
    },
    Flag {
        long: "max-change-rate",
        value: Some("N"),
        help:
            "At most N record changes per second (default: Route 53's\nlimit, 100 after a \
               burst of 1500; an UPSERT counts twice);\nlower it when other tools share the account",
        default: None,
        global: true,
        set: |args, v| {
            args.max_change_rate = Some(rate("max-change-rate", v)?);
            Ok(())
        },
    },
    Flag {
        long: "domains",
        value: Some("A,B"),
        help: "Only these domains; '*' matches any characters, as in\n'*.example.com,example.*'",
        default: None,
        global: false,
        set: |args, v| {
            args.domains = Some(domain_list(&string(v)?)?);
            Ok(())
        },
    },
    Flag {
        long: "expect-no-changes",
        value: None,
        help: "Exit 3 when any change is pending",
        default: None,
        global: false,
        set: |args, _| {
            args.expect_no_changes = true;
            Ok(())
        },
    },
    Flag {
        long: "format",
        value: Some("FORMAT"),
        help: "Output format on stdout",
        default: None,
        global: false,
        set: |args, v| {
            args.format = Some(string(v)?);
            Ok(())
        },
    },
    Flag {
        long: "from",
        value: Some("FORMAT"),
        help: "What FILE is: dnscontrol-ir (the output of 'dnscontrol print-ir')\nor bind (a \
               zone file)",
        default: None,
        global: false,
        set: |args, v| {
            args.from = Some(string(v)?);
            Ok(())
        },
    },
    Flag {
        long: "domain",
        value: Some("NAME"),
        help: "The zone a BIND file holds (its origin)",
        default: None,
        global: false,
        set: |args, v| {
            args.domain = Some(string(v)?);
            Ok(())
        },
    },
    Flag {
        long: "include-apex-ns",
        value: None,
        help: "Also write each zone's apex NS records (left out by default,\nwhich leaves them \
               alone)",
        default: None,
        global: false,
        set: |args, _| {
            args.include_apex_ns = true;
            Ok(())
        },
    },
    Flag {
        long: "out",
        value: Some("FILE"),
        help: "preview: also write the plan (exact changes and the zone state\nthey were \
               computed against) for 'push --plan FILE';\nget-zones, convert: write to FILE \
               instead of stdout (an\nexisting FILE only with --force)",
        default: None,
        global: false,
        set: |args, v| {
            args.out = Some(path(v));
            Ok(())
        },
    },
    Flag {
        long: "plan",
        value: Some("FILE"),
        help: "Apply exactly the plan 'preview --out FILE' wrote, without the\nconfig; a zone \
               that changed since is not touched (exit 1)",
        default: None,
        global: false,
        set: |args, v| {
            args.plan = Some(path(v));
            Ok(())
        },
    },
    Flag {
        long: "force",
        value: None,
        help: "push: push even when a zone would change or delete more than\nits \
               max_change_share of record sets (default 0.3);\nget-zones, convert: overwrite \
               the --out file",
        default: None,
        global: false,
        set: |args, _| {
            args.force = true;
            Ok(())
        },
    },
    Flag {
        long: "refuse-blocked",
        value: None,
        help: "Send nothing to a zone when some of its changes are blocked by a\nrecord set \
               protection (default: push the rest, list the blocked)",
        default: None,
        global: false,
        set: |args, _| {
            args.refuse_blocked = true;
            Ok(())
        },
    },
    Flag {
        long: "wait",
        value: None,
        help: "Wait until Route 53 reports each change INSYNC",
        default: None,
        global: false,
        set: |args, _| {
            args.wait = true;
            Ok(())
        },
    },
    Flag {
        long: "wait-timeout",
        value: Some("SECS"),
        help: "How long --wait waits",
        default: Some("600"),
        global: false,
        set: |args, v| {
            args.wait_timeout = Duration::from_secs(number("wait-timeout", v)?);
            Ok(())
        },
    },
    Flag {
        long: "concurrency",
        value: Some("N"),
        help: "Zones read at once, 1 to 64",
        default: Some("4"),
        global: false,
        set: |args, v| {
            args.concurrency = concurrency(v)?;
            Ok(())
        },
    },
];

/// Everything the command line says.
#[derive(Clone, Debug)]
pub struct Args {
    pub command: Command,
    /// `--config FILE`.
    pub config: PathBuf,
    /// `--creds FILE`.
    pub creds: PathBuf,
    /// Whether `--creds` was given: a creds file the user named must exist, only the default
    /// may be missing.
    pub creds_named: bool,
    /// `--endpoint URL`: the Route 53 API endpoint to use instead of AWS's.
    pub endpoint: Option<String>,
    pub debug: bool,
    /// `--no-colors`: no colour even on a terminal.
    pub no_colors: bool,
    /// `--max-rate N`: at most N Route 53 requests per second.
    pub max_rate: Option<f64>,
    /// `--max-change-rate N`: at most N record changes per second.
    pub max_change_rate: Option<f64>,
    /// `--domains a,b`: limit the run to these domains.
    pub domains: Option<Vec<String>>,
    pub expect_no_changes: bool,
    /// `--format`; [`Args::format_of`] checks it against the command's formats.
    pub format: Option<String>,
    /// `--out FILE`.
    pub out: Option<PathBuf>,
    /// `--from FORMAT` for convert.
    pub from: Option<String>,
    /// `--domain NAME` for convert.
    pub domain: Option<String>,
    pub include_apex_ns: bool,
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
    /// The arguments of `command` before the command line is read: every flag at its default.
    fn new(command: Command) -> Result<Args, Error> {
        let mut args = Args {
            command,
            config: PathBuf::new(),
            creds: PathBuf::new(),
            creds_named: false,
            endpoint: None,
            debug: false,
            no_colors: false,
            max_rate: None,
            max_change_rate: None,
            domains: None,
            expect_no_changes: false,
            format: None,
            out: None,
            from: None,
            domain: None,
            include_apex_ns: false,
            plan: None,
            force: false,
            refuse_blocked: false,
            wait: false,
            wait_timeout: Duration::ZERO,
            concurrency: 0,
            positional: Vec::new(),
        };
        for flag in FLAGS {
            if let Some(default) = flag.default {
                (flag.set)(&mut args, Some(default.into()))?;
            }
        }
        Ok(args)
    }

    /// The `--format` value among the command's formats (the first is the default).
    pub fn format_of(&self) -> Result<&'static str, Error> {
        let allowed = spec(self.command).formats;
        let Some(given) = &self.format else {
            return Ok(allowed.first().copied().unwrap_or_default());
        };
        allowed.iter().copied().find(|a| a == given).ok_or_else(|| {
            Error::Usage(format!(
                "--format {given} is not supported here; use one of: {}",
                allowed.join(", ")
            ))
        })
    }

    /// Whether `--format json` was asked for (and is supported).
    pub fn json(&self) -> Result<bool, Error> {
        Ok(self.format_of()? == "json")
    }
}

/// The table row of `command`.
pub fn spec(command: Command) -> &'static CommandSpec {
    COMMANDS
        .iter()
        .find(|s| s.command == command)
        .expect("every command has a row in COMMANDS")
}

/// What the command line asks for.
#[derive(Debug)]
pub enum Parsed {
    Run(Box<Args>),
    Help(String),
}

/// What `r53ctl version` and `r53ctl --version` print.
pub fn version_line() -> String {
    format!("r53ctl {}\n", env!("CARGO_PKG_VERSION"))
}

/// Reads the command line (without the program name).
pub fn parse(raw: impl IntoIterator<Item = OsString>) -> Result<Parsed, Error> {
    use lexopt::prelude::*;

    let mut parser = lexopt::Parser::from_args(raw);
    let mut command: Option<&CommandSpec> = None;
    let mut args = Args::new(Command::Check)?;
    let mut given: Vec<&Flag> = Vec::new();
    let mut help = false;
    let mut seen = 0;
    while let Some(arg) = parser.next()? {
        seen += 1;
        match arg {
            Short('h') | Long("help") => help = true,
            Short('V') | Long("version") => {
                return Ok(Parsed::Run(Box::new(Args::new(Command::Version)?)))
            }
            Long(name) => {
                let flag = flag_named(name)?;
                let value = match flag.value {
                    Some(_) => Some(parser.value()?),
                    None => None,
                };
                (flag.set)(&mut args, value)?;
                given.push(flag);
            }
            Value(value) => {
                let value = string(Some(value))?;
                match command {
                    Some(_) => args.positional.push(value),
                    None if value == "help" => help = true,
                    None => command = Some(command_named(&value)?),
                }
            }
            _ => return Err(Error::Usage(arg.unexpected().to_string())),
        }
    }
    let Some(command) = command else {
        return if help || seen == 0 {
            Ok(Parsed::Help(main_help()))
        } else {
            Err(Error::Usage(
                "no command given; run 'r53ctl --help' for the list".into(),
            ))
        };
    };
    if help {
        return Ok(Parsed::Help(command_help(command)));
    }
    if let Some(flag) = given
        .iter()
        .find(|f| !f.global && !command.flags.contains(&f.long))
    {
        return Err(Error::Usage(format!(
            "'{0}' does not take --{1}; see 'r53ctl {0} --help'",
            command.name, flag.long
        )));
    }
    args.command = command.command;
    args.creds_named = given.iter().any(|f| f.long == "creds");
    Ok(Parsed::Run(Box::new(args)))
}

fn flag_named(name: &str) -> Result<&'static Flag, Error> {
    FLAGS.iter().find(|f| f.long == name).ok_or_else(|| {
        let longs = FLAGS.iter().map(|f| f.long);
        let longs = longs.chain(BUILTIN_FLAGS.iter().map(|(_, long, _)| *long));
        let hint = did_you_mean(crate::suggest::closest(name, longs).map(|f| format!("--{f}")));
        Error::Usage(format!(
            "unknown option --{name}{hint}; run 'r53ctl --help' for the list"
        ))
    })
}

fn command_named(name: &str) -> Result<&'static CommandSpec, Error> {
    COMMANDS.iter().find(|s| s.name == name).ok_or_else(|| {
        let names = COMMANDS.iter().map(|s| s.name);
        let hint = did_you_mean(crate::suggest::closest(name, names).map(|c| format!("'{c}'")));
        Error::Usage(format!(
            "unknown command '{name}'{hint}; run 'r53ctl --help' for the list"
        ))
    })
}

/// ` (did you mean X?)` for a suggestion, nothing without one.
fn did_you_mean(suggestion: Option<String>) -> String {
    suggestion.map_or_else(String::new, |s| format!(" (did you mean {s}?)"))
}

/// `a.tld, *.b.tld,,` as `["a.tld", "*.b.tld"]`. An empty list (an unset CI variable) would
/// select nothing and let a run pass that checked nothing, so it is refused.
fn domain_list(list: &str) -> Result<Vec<String>, Error> {
    let domains: Vec<String> = list
        .split(',')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(String::from)
        .collect();
    if domains.is_empty() {
        return Err(Error::Usage(format!(
            "--domains {list:?} names no domain; name at least one (or leave --domains out to \
             cover every domain)"
        )));
    }
    Ok(domains)
}

fn path(value: Option<OsString>) -> PathBuf {
    value.unwrap_or_default().into()
}

fn number(name: &str, value: Option<OsString>) -> Result<u64, Error> {
    let value = string(value)?;
    value
        .parse()
        .map_err(|_| Error::Usage(format!("--{name} takes a whole number, not '{value}'")))
}

/// Most zones read at once: more threads would only queue on the request rate limit.
const MAX_CONCURRENCY: u64 = 64;

/// `--concurrency`: 1 to [`MAX_CONCURRENCY`]; anything else is refused rather than clamped.
fn concurrency(value: Option<OsString>) -> Result<usize, Error> {
    let n = number("concurrency", value)?;
    match n {
        1..=MAX_CONCURRENCY => Ok(n as usize),
        _ => Err(Error::Usage(format!(
            "--concurrency takes 1 to {MAX_CONCURRENCY} zones at once, not {n}"
        ))),
    }
}

/// `--max-rate`: a rate no higher than Route 53's own request limit (standard partition), which
/// the flag can only lower; a higher one is refused rather than silently capped.
fn request_rate(value: Option<OsString>) -> Result<f64, Error> {
    let rate = rate("max-rate", value)?;
    let ceiling = Limits::default().requests.per_second;
    if rate > ceiling {
        return Err(Error::Usage(format!(
            "--max-rate {rate} is above Route 53's limit of {ceiling} requests per second per \
             account; use {ceiling} or less"
        )));
    }
    Ok(rate)
}

/// The slowest rate r53ctl accepts: slower ones would make waits overflow.
const MIN_RATE: f64 = 0.01;

/// A rate per second of at least [`MIN_RATE`].
fn rate(name: &str, value: Option<OsString>) -> Result<f64, Error> {
    let value = string(value)?;
    match value.parse::<f64>() {
        Ok(rate) if (MIN_RATE..f64::INFINITY).contains(&rate) => Ok(rate),
        _ => Err(Error::Usage(format!(
            "--{name} takes a number of operations per second from {MIN_RATE} up, not '{value}'"
        ))),
    }
}

fn string(value: Option<OsString>) -> Result<String, Error> {
    value
        .unwrap_or_default()
        .into_string()
        .map_err(|v| Error::Usage(format!("argument is not valid UTF-8: {v:?}")))
}

impl From<lexopt::Error> for Error {
    fn from(err: lexopt::Error) -> Error {
        Error::Usage(err.to_string())
    }
}

const EXIT_CODES: &str = "0 success, 1 error, 2 usage or config error,\n            3 changes \
                          pending (preview --expect-no-changes), 4 push refused by a safety \
                          limit.";

/// The switches parsing handles itself, before any command: short name, long name, help.
pub const BUILTIN_FLAGS: [(char, &str, &str); 2] = [
    (
        'h',
        "help",
        "This help; 'r53ctl COMMAND --help' for a command's options",
    ),
    ('V', "version", "Print the version"),
];

/// `r53ctl --help`: the commands and the global flags.
pub fn main_help() -> String {
    let mut text = String::from(
        "r53ctl: keep Amazon Route 53 hosted zones in line with a JSON config.\n\n\
         Usage: r53ctl <COMMAND> [OPTIONS]\n\nCommands:\n",
    );
    let width = COMMANDS.iter().map(|s| s.name.len()).max().unwrap_or(0) + 2;
    for spec in COMMANDS {
        text.push_str(&format!("  {:width$}{}\n", spec.name, spec.summary));
    }
    text.push_str("\nOptions for every command:\n");
    let global: Vec<&Flag> = global_flags().collect();
    text.push_str(&flag_lines(&global, None));
    for (short, long, help) in BUILTIN_FLAGS {
        let head = format!("-{short}, --{long}");
        text.push_str(&format!("  {head:width$}{help}\n", width = HELP_COLUMN - 2));
    }
    text.push_str(&format!("\nExit codes: {EXIT_CODES}\n"));
    text
}

/// `r53ctl COMMAND --help`: what it does, its usage, its flags and exit codes.
pub fn command_help(spec: &CommandSpec) -> String {
    let usage = format!("r53ctl {} {}", spec.name, spec.usage);
    let mut text = format!("{}\n\nUsage: {}\n", spec.about, usage.trim_end());
    let own = own_flags(spec);
    if !own.is_empty() {
        text.push_str("\nOptions:\n");
        text.push_str(&flag_lines(&own, Some(spec)));
    }
    text.push_str("  --config, --creds, --debug, ...: as for every command (r53ctl --help)\n");
    if !spec.exit_codes.is_empty() {
        text.push_str(&format!("\nExit codes: {}\n", spec.exit_codes));
    }
    text.push_str("\nExamples:\n");
    for example in spec.examples {
        text.push_str(&format!("  {example}\n"));
    }
    text
}

/// The flags every command takes.
fn global_flags() -> impl Iterator<Item = &'static Flag> {
    FLAGS.iter().filter(|f| f.global)
}

/// The flags of the command `spec` beyond the global ones, in its row's order.
fn own_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
    spec.flags
        .iter()
        .filter_map(|name| FLAGS.iter().find(|f| f.long == *name))
        .collect()
}

/// Column where flag help starts.
const HELP_COLUMN: usize = 24;

/// Help lines of `flags`; `spec` fills in the formats of `--format`.
fn flag_lines(flags: &[&Flag], spec: Option<&CommandSpec>) -> String {
    let mut text = String::new();
    for flag in flags {
        let value = match (flag.long, spec) {
            ("format", Some(spec)) => spec.formats.join("|"),
            _ => flag.value.unwrap_or_default().to_string(),
        };
        let head = format!("  --{} {value}", flag.long);
        let mut help = flag.help.replace('\n', &format!("\n{:HELP_COLUMN$}", ""));
        match (flag.default, flag.long, spec) {
            (Some(default), ..) => help.push_str(&format!(" (default: {default})")),
            (None, "format", Some(spec)) => {
                help.push_str(&format!(" (default: {})", spec.formats[0]))
            }
            _ => {}
        }
        if head.len() + 2 > HELP_COLUMN {
            text.push_str(&format!("{head}\n{:HELP_COLUMN$}{help}\n", ""));
        } else {
            text.push_str(&format!("{head:HELP_COLUMN$}{help}\n"));
        }
    }
    text
}

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
        assert!(a.creds_named);
    }

    #[test]
    fn defaults_come_from_the_flag_table() {
        let a = run_args(&["push"]);
        assert_eq!(a.config, PathBuf::from("dnsconfig.json"));
        assert_eq!(a.creds, PathBuf::from("creds.json"));
        assert!(!a.creds_named, "the default is not named by the user");
        assert_eq!(a.wait_timeout, Duration::from_secs(600));
        assert_eq!(a.concurrency, 4);
    }

    #[test]
    fn domains_are_split_on_commas() {
        let a = run_args(&["push", "--domains", "a.tld, b.tld,,"]);
        assert_eq!(a.domains, Some(vec!["a.tld".into(), "b.tld".into()]));
    }

    #[test]
    fn every_command_has_help() {
        for spec in COMMANDS {
            match parse_strs(&[spec.name, "--help"]) {
                Ok(Parsed::Help(text)) => {
                    assert_eq!(text, command_help(spec));
                    assert!(text.contains(&format!("r53ctl {}", spec.name)), "{text}");
                    for flag in spec.flags {
                        assert!(text.contains(&format!("--{flag} ")), "{flag}: {text}");
                    }
                }
                other => panic!("{}: {other:?}", spec.name),
            }
        }
    }

    #[test]
    fn every_listed_flag_is_in_the_flag_table() {
        for spec in COMMANDS {
            for name in spec.flags {
                let flag = flag_named(name).expect(name);
                assert!(!flag.global, "{name} is global and listed by {}", spec.name);
            }
            assert_eq!(
                spec.flags.contains(&"format"),
                !spec.formats.is_empty(),
                "{}",
                spec.name
            );
        }
    }

    #[test]
    fn main_help_lists_every_command_and_global_flag() {
        let text = main_help();
        for spec in COMMANDS {
            assert!(text.contains(&format!("  {} ", spec.name)), "{}", spec.name);
        }
        for flag in FLAGS.iter().filter(|f| f.global) {
            assert!(text.contains(&format!("--{}", flag.long)), "{}", flag.long);
        }
        assert!(text.contains("Exit codes"));
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
        assert!(a.json().is_err());
        let a = run_args(&["preview", "--format", "json"]);
        assert!(a.json().unwrap());
        let a = run_args(&["get-zones", "--format", "bind"]);
        assert_eq!(a.format_of().unwrap(), "bind");
        assert_eq!(run_args(&["get-zones"]).format_of().unwrap(), "json");
    }

    #[test]
    fn version_is_a_command_and_a_flag() {
        assert_eq!(run_args(&["version"]).command, Command::Version);
        assert_eq!(run_args(&["-V"]).command, Command::Version);
        assert_eq!(
            run_args(&["preview", "--version"]).command,
            Command::Version
        );
        assert!(version_line().starts_with("r53ctl "));
    }

    #[test]
    fn no_colors_is_a_global_switch() {
        for command in COMMANDS {
            assert!(run_args(&[command.name, "--no-colors"]).no_colors);
        }
        assert!(!run_args(&["check"]).no_colors);
    }

    #[test]
    fn an_empty_domain_list_is_a_usage_error() {
        for empty in ["", " ", ",,"] {
            let err = parse_strs(&["preview", "--domains", empty]).unwrap_err();
            assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
            assert!(err.to_string().contains("names no domain"), "{err}");
        }
        let a = run_args(&["push", "--domains", "*.a.tld,b.*"]);
        assert_eq!(a.domains, Some(vec!["*.a.tld".into(), "b.*".into()]));
    }

    #[test]
    fn max_rate_above_route53s_limit_is_refused() {
        assert_eq!(run_args(&["push", "--max-rate", "10"]).max_rate, Some(10.0));
        let err = parse_strs(&["push", "--max-rate", "10.5"]).unwrap_err();
        assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
        assert!(
            err.to_string().contains("limit of 10 requests per second"),
            "{err}"
        );
        let a = run_args(&["push", "--max-change-rate", "5000"]);
        assert_eq!(a.max_change_rate, Some(5000.0));
    }

    #[test]
    fn concurrency_outside_1_to_64_is_refused() {
        assert_eq!(run_args(&["push", "--concurrency", "64"]).concurrency, 64);
        assert_eq!(run_args(&["push", "--concurrency", "1"]).concurrency, 1);
        for bad in ["0", "65", "100000000000"] {
            let err = parse_strs(&["preview", "--concurrency", bad]).unwrap_err();
            assert_eq!(err.exit_code(), crate::error::EXIT_USAGE);
            assert!(err.to_string().contains("1 to 64"), "{bad}: {err}");
        }
    }

    #[test]
    fn mistyped_commands_and_flags_get_a_suggestion() {
        let err = parse_strs(&["preveiw"]).unwrap_err();
        assert!(err.to_string().contains("did you mean 'preview'?"), "{err}");
        let err = parse_strs(&["preview", "--dommains", "a"]).unwrap_err();
        assert!(err.to_string().contains("did you mean --domains?"), "{err}");
        let err = parse_strs(&["check", "--no-color"]).unwrap_err();
        assert!(
            err.to_string().contains("did you mean --no-colors?"),
            "{err}"
        );
        let err = parse_strs(&["check", "--verison"]).unwrap_err();
        assert!(err.to_string().contains("did you mean --version?"), "{err}");
        let err = parse_strs(&["deploy"]).unwrap_err();
        assert!(!err.to_string().contains("did you mean"), "{err}");
    }

    /// The words of an example as a shell would pass them (no quotes; up to a redirection).
    fn example_words(example: &str) -> Vec<String> {
        example
            .split_whitespace()
            .skip(1)
            .take_while(|w| !w.starts_with('>'))
            .map(|w| w.replace('\'', ""))
            .collect()
    }

    #[test]
    fn every_command_has_examples_that_parse() {
        for spec in COMMANDS {
            assert!((1..=3).contains(&spec.examples.len()), "{}", spec.name);
            for example in spec.examples {
                assert!(
                    example.starts_with(&format!("r53ctl {} ", spec.name))
                        || *example == format!("r53ctl {}", spec.name),
                    "{example}"
                );
                let words = example_words(example);
                let words: Vec<&str> = words.iter().map(String::as_str).collect();
                let args = run_args(&words);
                assert_eq!(args.command, spec.command, "{example}");
                assert!(args.format_of().is_ok(), "{example}");
                assert!(command_help(spec).contains(example), "{example}");
            }
        }
    }

    #[test]
    fn completion_usage_lists_the_shells() {
        assert_eq!(
            spec(Command::Completion).usage,
            completion::SHELLS.join("|")
        );
    }

    #[test]
    fn no_arguments_prints_help() {
        assert!(matches!(parse_strs(&[]), Ok(Parsed::Help(text)) if text == main_help()));
    }
}
