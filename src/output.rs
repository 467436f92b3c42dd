//! What r53ctl prints: data on stdout, messages on stderr, colour only on a terminal without
//! `NO_COLOR`, debug lines only with `--debug`.

use std::sync::atomic::{AtomicBool, Ordering};

static DEBUG: AtomicBool = AtomicBool::new(false);

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
        if $crate::output::debug_enabled() {
            eprintln!("debug: {}", format_args!($($arg)*));
        }
    };
}
