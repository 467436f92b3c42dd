//! The tables the command line is made of: every command ([`COMMANDS`]), every flag
//! ([`FLAGS`]) and the switches parsing handles itself ([`BUILTIN_FLAGS`]), one row each, with the
//! readers of flag values the rows use.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use super::Args;
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

/// The switches parsing handles itself, before any command: short name, long name, help.
pub const BUILTIN_FLAGS: [(char, &str, &str); 2] = [
    (
        'h',
        "help",
        "This help; 'r53ctl COMMAND --help' for a command's options",
    ),
    ('V', "version", "Print the version"),
];

/// The flag named `long` (without its dashes).
pub fn flag(long: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.long == long)
}

/// The flags every command takes.
pub fn global_flags() -> impl Iterator<Item = &'static Flag> {
    FLAGS.iter().filter(|f| f.global)
}

/// The flags of the command `spec` beyond the global ones, in its row's order.
pub fn own_flags(spec: &CommandSpec) -> Vec<&'static Flag> {
    spec.flags.iter().filter_map(|name| flag(name)).collect()
}

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
            args.endpoint = Some(utf8_value(v)?);
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
            args.domains = Some(domain_list(&utf8_value(v)?)?);
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
            args.format = Some(utf8_value(v)?);
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
            args.from = Some(utf8_value(v)?);
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
            args.domain = Some(utf8_value(v)?);
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
    let value = utf8_value(value)?;
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
    let value = utf8_value(value)?;
    match value.parse::<f64>() {
        Ok(rate) if (MIN_RATE..f64::INFINITY).contains(&rate) => Ok(rate),
        _ => Err(Error::Usage(format!(
            "--{name} takes a number of operations per second from {MIN_RATE} up, not '{value}'"
        ))),
    }
}

pub(super) fn utf8_value(value: Option<OsString>) -> Result<String, Error> {
    value
        .unwrap_or_default()
        .into_string()
        .map_err(|v| Error::Usage(format!("argument is not valid UTF-8: {v:?}")))
}
