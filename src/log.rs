//! What r53ctl tells the user on stderr: the `--debug` switch and its `debug!` lines, warnings,
//! progress lines, errors, and whether a stream may be coloured (only on a terminal, without
//! `NO_COLOR` and without `--no-colors`). A closed or full stderr drops these messages: there is
//! nowhere left to say so, and a message is never a reason to stop a run.
//!
//! May import: nothing of the crate.

use std::collections::BTreeSet;
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static DEBUG: AtomicBool = AtomicBool::new(false);
static NO_COLOURS: AtomicBool = AtomicBool::new(false);

/// The topics [`warn_once`] has warned about in this run.
static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Turns `--debug` lines on or off.
pub fn set_debug(on: bool) {
    DEBUG.store(on, Ordering::Relaxed);
}

/// Whether `--debug` is on.
pub fn debug_enabled() -> bool {
    DEBUG.load(Ordering::Relaxed)
}

/// Turns colour off on every stream, terminal or not (`--no-colors`).
pub fn set_no_colours(on: bool) {
    NO_COLOURS.store(on, Ordering::Relaxed);
}

/// Prints a `--debug` line to stderr. Callers must never pass a secret.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::log::debug_enabled() {
            $crate::log::line(&format!("debug: {}", format_args!($($arg)*)));
        }
    };
}

/// Writes `text` and a newline to stderr, or nothing when stderr is closed or full.
pub fn line(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// Prints a warning to stderr.
pub fn warn(message: &str) {
    labelled(Colour::Yellow, "warning", message);
}

/// Prints an error to stderr.
pub fn error(message: &str) {
    labelled(Colour::Red, "error", message);
}

/// Prints `message` after `label` in `colour` to stderr.
pub fn labelled(colour: Colour, label: &str, message: &str) {
    line(&format!("{}: {message}", paint_stderr(colour, label)));
}

/// Prints a warning to stderr unless one of the same `topic` was printed in this run already:
/// for conditions that hold for the whole run, however many zones or accounts meet them.
pub fn warn_once(topic: &str, message: &str) {
    if first_of(topic) {
        warn(message);
    }
}

/// Whether `topic` is new to this run (and from now on known).
fn first_of(topic: &str) -> bool {
    let mut warned = WARNED.lock().unwrap_or_else(|e| e.into_inner());
    warned.insert(topic.to_string())
}

/// Prints a line to stderr that must be seen even when stderr is not a terminal (in CI), such
/// as which credentials a run uses.
pub fn note(message: &str) {
    eprintln!("{message}");
}

/// Prints a progress line to stderr when stderr is a terminal.
pub fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        line(message);
    }
}

/// ANSI colours r53ctl uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Colour {
    Red,
    Green,
    Yellow,
}

/// Whether output to a stream that `is_terminal` may be coloured.
pub fn colour_allowed(is_terminal: bool) -> bool {
    colour_allowed_with(
        is_terminal,
        std::env::var_os("NO_COLOR").as_deref(),
        NO_COLOURS.load(Ordering::Relaxed),
    )
}

/// Colour only on a terminal, without `--no-colors`, and not when `NO_COLOR` is set to anything
/// but the empty string (no-color.org).
fn colour_allowed_with(
    is_terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    no_colours_flag: bool,
) -> bool {
    is_terminal && !no_colours_flag && no_color.is_none_or(|v| v.is_empty())
}

/// `text` in `colour` when `enabled`, else `text` as is.
pub fn paint(colour: Colour, text: &str, enabled: bool) -> String {
    if !enabled {
        return text.to_string();
    }
    let code = match colour {
        Colour::Red => 31,
        Colour::Green => 32,
        Colour::Yellow => 33,
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// `text` coloured for stderr, when stderr may be coloured.
pub fn paint_stderr(colour: Colour, text: &str) -> String {
    paint(
        colour,
        text,
        colour_allowed(std::io::stderr().is_terminal()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_follows_terminal_no_color_and_the_flag() {
        use std::ffi::OsStr;
        assert!(colour_allowed_with(true, None, false));
        assert!(colour_allowed_with(true, Some(OsStr::new("")), false));
        assert!(!colour_allowed_with(true, Some(OsStr::new("1")), false));
        assert!(!colour_allowed_with(false, None, false));
        assert!(!colour_allowed_with(true, None, true));
    }

    #[test]
    fn a_topic_is_new_once_per_run() {
        assert!(first_of("log-test-topic"));
        assert!(!first_of("log-test-topic"));
        assert!(first_of("log-test-other-topic"));
    }

    #[test]
    fn paint_only_when_enabled() {
        assert_eq!(paint(Colour::Red, "x", false), "x");
        assert_eq!(paint(Colour::Green, "x", true), "\x1b[32mx\x1b[0m");
    }
}
