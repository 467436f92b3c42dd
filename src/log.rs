//! What r53ctl tells the user on stderr: the `--debug` switch and its `debug!` lines, warnings,
//! progress lines, and whether a stream may be coloured (only on a terminal without `NO_COLOR`).
//! Text from outside (servers, configs, plans) is printed through [`printable`]: control
//! characters escaped, known secrets redacted.
//!
//! May import: nothing of the crate.

use std::fmt::Write;
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};

static DEBUG: AtomicBool = AtomicBool::new(false);

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

/// Prints a `--debug` line to stderr. Callers must never pass a secret.
#[macro_export]
macro_rules! debug {
    ($($arg:tt)*) => {
        if $crate::log::debug_enabled() {
            eprintln!("debug: {}", $crate::log::printable_lines(&format!($($arg)*)));
        }
    };
}

/// Prints a warning to stderr.
pub fn warn(message: &str) {
    eprintln!(
        "{}: {}",
        paint_stderr(Colour::Yellow, "warning"),
        printable_lines(message)
    );
}

/// Prints a progress line to stderr when stderr is a terminal.
pub fn progress(message: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("{}", printable_lines(message));
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
fn redact(text: &str) -> String {
    let mut text = text.to_string();
    for secret in SECRETS
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .iter()
    {
        text = text.replace(secret.as_str(), REDACTED);
    }
    for marker in SECRET_MARKERS {
        text = redact_after(&text, marker);
    }
    text
}

/// `text` with the value after each `marker` (matched ignoring ASCII case, spaces after it
/// skipped) up to the next space, `&`, `,`, `"` or `<` replaced by [`REDACTED`].
fn redact_after(text: &str, marker: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    while let Some(found) = lower[rest..].find(marker) {
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
    colour_allowed_with(is_terminal, std::env::var_os("NO_COLOR").as_deref())
}

/// Colour only on a terminal, and not when `NO_COLOR` is set to anything but the empty string
/// (no-color.org).
fn colour_allowed_with(is_terminal: bool, no_color: Option<&std::ffi::OsStr>) -> bool {
    is_terminal && no_color.is_none_or(|v| v.is_empty())
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
    fn colour_follows_terminal_and_no_color() {
        use std::ffi::OsStr;
        assert!(colour_allowed_with(true, None));
        assert!(colour_allowed_with(true, Some(OsStr::new(""))));
        assert!(!colour_allowed_with(true, Some(OsStr::new("1"))));
        assert!(!colour_allowed_with(false, None));
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
