//! The error a run ends with, and the exit code each kind maps to. Exit codes are part of
//! r53ctl's interface (README lists them): change them only with a major version.
//!
//! May import: `config`, `interrupt`.

use std::fmt;

use crate::config::ConfigErrors;
use crate::interrupt::Signal;

/// The run did what was asked.
pub const EXIT_OK: i32 = 0;
/// Something failed at run time: credentials, network, Route 53, a push that did not complete.
pub const EXIT_ERROR: i32 = 1;
/// The command line or the config is wrong; nothing was sent.
pub const EXIT_USAGE: i32 = 2;
/// `preview --expect-no-changes` found changes.
pub const EXIT_CHANGES_PENDING: i32 = 3;
/// `push` refused because a zone would lose or change more than its safety share.
pub const EXIT_REFUSED: i32 = 4;
/// `push` stopped by SIGINT (128 + 2, the shell's convention).
pub const EXIT_SIGINT: i32 = 130;
/// `push` stopped by SIGTERM (128 + 15).
pub const EXIT_SIGTERM: i32 = 143;

/// Why a run did not succeed. Messages are complete sentences with their context.
#[derive(Debug)]
pub enum Error {
    Usage(String),
    /// Every problem found in the config.
    Config(ConfigErrors),
    /// A run-time failure, its message naming what was being done.
    Failed(String),
    /// `--expect-no-changes` and this many changes are pending.
    ChangesPending(usize),
    /// A safety limit stopped the push.
    Refused(String),
    /// A signal stopped the push; the message says what was left undone.
    Interrupted(Signal, String),
}

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) | Error::Config(_) => EXIT_USAGE,
            Error::Failed(_) => EXIT_ERROR,
            Error::ChangesPending(_) => EXIT_CHANGES_PENDING,
            Error::Refused(_) => EXIT_REFUSED,
            Error::Interrupted(Signal::Int, _) => EXIT_SIGINT,
            Error::Interrupted(Signal::Term, _) => EXIT_SIGTERM,
        }
    }

    /// A run-time failure while doing `what`.
    pub fn failed(what: impl fmt::Display, cause: impl fmt::Display) -> Error {
        Error::Failed(format!("{what}: {cause}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Usage(msg)
            | Error::Failed(msg)
            | Error::Refused(msg)
            | Error::Interrupted(_, msg) => f.write_str(msg),
            Error::Config(err) => write!(f, "{err}"),
            Error::ChangesPending(n) => write!(
                f,
                "{n} change{} pending (--expect-no-changes)",
                if *n == 1 { "" } else { "s" }
            ),
        }
    }
}

impl std::error::Error for Error {}

impl From<ConfigErrors> for Error {
    fn from(err: ConfigErrors) -> Error {
        Error::Config(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interrupt_exits_as_a_shell_expects_of_its_signal() {
        for signal in [Signal::Int, Signal::Term] {
            let code = Error::Interrupted(signal, String::new()).exit_code();
            assert_eq!(code, 128 + signal.number());
        }
    }
}
