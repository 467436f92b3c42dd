//! Command-line parsing (lexopt) and dispatch.

/// Runs r53ctl with the process's arguments and returns the exit code.
pub fn main() -> i32 {
    0
}
