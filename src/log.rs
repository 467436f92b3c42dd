//! What r53ctl tells the user on stderr: the `--debug` switch and its `debug!` lines, warnings,
//! progress lines, errors, and whether a stream may be coloured (only on a terminal, without
//! `NO_COLOR` and without `--no-colors`). A closed or full stderr drops these messages: there is
//! nowhere left to say so, and a message is never a reason to stop a run. Text from outside
//! (servers, configs, plans) is printed through [`printable`]: control characters escaped, known
//! secrets redacted; every function here applies it to the messages it prints.
//!
//! May import: nothing of the crate.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

static DEBUG: AtomicBool = AtomicBool::new(false);
static NO_COLOURS: AtomicBool = AtomicBool::new(false);

/// The topics [`warn_once`] has warned about in this run.
static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Secrets in use (secret keys, session tokens), redacted wherever [`printable`] finds them.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What a redacted secret is shown as.
const REDACTED: &str = "[redacted]";

/// Markers whose value that follows is a secret wherever it appears, compared ignoring case:
/// a request signature, and the session token as a header or query parameter.
const SECRET_MARKERS: [&str; 3] = [
    "signature=",
    "x-amz-security-token:",
    "x-amz-security-token=",
];

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
            $crate::log::line(&$crate::log::printable_lines(&format!(
                "debug: {}",
                format_args!($($arg)*)
            )));
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
    line(&format!(
        "{}: {}",
        paint_stderr(colour, label),
        printable_lines(message)
    ));
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
    let mut warned = WARNED.lock().unwrap_or_else(PoisonError::into_inner);
    warned.insert(topic.to_string())
}

/// Prints a line to stderr that must be seen even when stderr is not a terminal (in CI), such
/// as which credentials a run uses.
pub fn note(message: &str) {
    line(&printable_lines(message));
}

/// Prints a progress line to stderr when stderr is a terminal.
pub fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        line(&printable_lines(message));
    }
}

/// Makes [`printable`] redact `secret` from now on. Strings shorter than AWS's secrets could be
/// (its secret keys have 40 characters) are not: redacting `abc` from every message would make
/// them unreadable, and such a string authenticates nothing.
pub fn hide_secret(secret: &str) {
    const SHORTEST_SECRET: usize = 8;
    if secret.len() < SHORTEST_SECRET {
        return;
    }
    let mut secrets = SECRETS.lock().unwrap_or_else(PoisonError::into_inner);
    if !secrets.iter().any(|known| known == secret) {
        secrets.push(secret.to_string());
    }
}

/// `text`, which may come from outside (a server's answer, a config, a plan file), safe to
/// print: known secrets, signatures and session tokens redacted; control characters (C0, DEL,
/// C1) and bidirectional overrides escaped as `\x1b` or `\u{202e}`, so no text can drive the
/// terminal or disguise itself. Line breaks are escaped too: see [`printable_lines`].
pub fn printable(text: &str) -> String {
    let text = redact(text);
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0'..='\x1f' | '\x7f' => {
                let _ = write!(shown, "\\x{:02x}", u32::from(c));
            }
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                let _ = write!(shown, "\\u{{{:x}}}", u32::from(c));
            }
            c => shown.push(c),
        }
    }
    shown
}

/// A message of several lines, each made [`printable`], its line breaks kept.
pub fn printable_lines(message: &str) -> String {
    message
        .split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` with known secrets and the values after [`SECRET_MARKERS`] replaced by [`REDACTED`].
fn redact(text: &str) -> Cow<'_, str> {
    let mut text = Cow::Borrowed(text);
    for secret in SECRETS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        if text.contains(secret.as_str()) {
            text = Cow::Owned(text.replace(secret.as_str(), REDACTED));
        }
    }
    // Most text holds no secret and no marker: it is then not copied at all.
    for marker in SECRET_MARKERS {
        if find_ignoring_case(&text, marker).is_some() {
            text = Cow::Owned(redact_after(&text, marker));
        }
    }
    text
}

/// Where `text` first holds the ASCII `marker`, ignoring ASCII case.
fn find_ignoring_case(text: &str, marker: &str) -> Option<usize> {
    text.as_bytes()
        .windows(marker.len())
        .position(|window| window.eq_ignore_ascii_case(marker.as_bytes()))
}

/// `text` with the value after each `marker` (matched ignoring ASCII case, spaces after it
/// skipped) up to the next space, `&`, `,`, `"` or `<` replaced by [`REDACTED`].
fn redact_after(text: &str, marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(found) = find_ignoring_case(&text[rest..], marker) {
        let value_start = rest + found + marker.len();
        let after_spaces = value_start + text[value_start..].len()
            - text[value_start..].trim_start_matches(' ').len();
        let value_end = text[after_spaces..]
            .find(|c: char| c.is_whitespace() || matches!(c, '&' | ',' | '"' | '<' | '\''))
            .map_or(text.len(), |end| after_spaces + end);
        out.push_str(&text[rest..after_spaces]);
        if value_end > after_spaces {
            out.push_str(REDACTED);
        }
        rest = value_end;
    }
    out.push_str(&text[rest..]);
    out
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

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped() {
        assert_eq!(printable("\x1b[31mred\x07"), "\\x1b[31mred\\x07");
        assert_eq!(printable("a\nb\tc\r\x7f"), "a\\x0ab\\x09c\\x0d\\x7f");
        assert_eq!(printable("\u{9b}2J \u{202e}txt"), "\\u{9b}2J \\u{202e}txt");
        assert_eq!(printable("bücher.example ok"), "bücher.example ok");
        assert_eq!(printable_lines("one\x1b\ntwo"), "one\\x1b\ntwo");
    }

    #[test]
    fn secrets_are_redacted() {
        hide_secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRET");
        let echoed = "secret=wJalrXUtnFEMI/K7MDENG+bPxRfiCYzzSECRET\n\
                      authorization: AWS4-HMAC-SHA256 Credential=AKID/x, SignedHeaders=host, \
                      Signature=0123abcd\nX-Amz-Security-Token: FQoGZXIvYXdzE&x=1 \
                      ?X-Amz-Security-Token=abc%2F";
        let shown = printable_lines(echoed);
        for secret in ["wJalrXUtnFEMI", "0123abcd", "FQoGZXIvYXdzE", "abc%2F"] {
            assert!(!shown.contains(secret), "{secret} in {shown}");
        }
        assert!(shown.contains("Signature=[redacted]"), "{shown}");
        assert!(
            shown.contains("X-Amz-Security-Token: [redacted]&x=1"),
            "{shown}"
        );
        assert!(shown.contains("Credential=AKID/x"), "{shown}");
        assert_eq!(printable("x-amz-security-token:"), "x-amz-security-token:");
        hide_secret("short");
        assert_eq!(printable("a short note"), "a short note");
    }
}
