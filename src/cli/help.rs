//! The help texts, written from the command and flag tables.

use super::defs::{global_flags, own_flags, CommandSpec, Flag, BUILTIN_FLAGS, COMMANDS};

const EXIT_CODES: &str = "0 success, 1 error, 2 usage or config error,\n            3 changes \
                          pending (preview --expect-no-changes), 4 push refused by a safety \
                          limit.";

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
