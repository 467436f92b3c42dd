//! The command line: the table of commands and the table of flags (`cli/defs.rs`), the parser
//! here and the help texts (`cli/help.rs`) both tables drive. It only parses: running a command
//! is `main.rs`'s dispatch.
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
mod defs;
mod help;

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

pub use defs::{Command, CommandSpec, Flag, BUILTIN_FLAGS, COMMANDS, FLAGS};
pub use help::{command_help, main_help};

use defs::utf8_value;

use crate::error::Error;

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
                let value = utf8_value(Some(value))?;
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
    defs::flag(name).ok_or_else(|| {
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

impl From<lexopt::Error> for Error {
    fn from(err: lexopt::Error) -> Error {
        Error::Usage(err.to_string())
    }
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
