//! SIGINT and SIGTERM during push: the first one only sets a flag (push sends no new request and
//! reports what was applied), a second one ends the process at once. Other commands never
//! install the handler and keep the default: exit at once.
//!
//! No libc crate: `signal`, `write` and `_exit` are declared here, with the values POSIX systems
//! share (SIGINT 2, SIGTERM 15, SIG_IGN 1). `signal` installs a handler with BSD semantics on
//! glibc, musl and macOS: it stays installed, and interrupted reads and writes restart, so a
//! request in flight finishes normally.
//!
//! May import: nothing of the crate.

use std::os::raw::c_int;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::{Duration, Instant};

/// A signal that asks r53ctl to stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Int,
    Term,
}

impl Signal {
    const ALL: [Signal; 2] = [Signal::Int, Signal::Term];

    /// Its number, the same on Linux and macOS.
    pub fn number(self) -> i32 {
        match self {
            Signal::Int => 2,
            Signal::Term => 15,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Signal::Int => "SIGINT",
            Signal::Term => "SIGTERM",
        }
    }

    fn of(number: i32) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.number() == number)
    }
}

/// The number of the first signal received since [`catch`]; 0 while none was.
static RECEIVED: AtomicI32 = AtomicI32::new(0);

/// `SIG_ERR` and `SIG_IGN` as `signal` takes and returns them.
const SIG_ERR: usize = usize::MAX;
const SIG_IGN: usize = 1;

extern "C" {
    fn signal(signum: c_int, handler: usize) -> usize;
    fn write(fd: c_int, buf: *const u8, count: usize) -> isize;
    fn _exit(status: c_int) -> !;
}

/// Written to stderr by the handler; fixed text, as the handler may not format.
const FIRST_NOTE: &[u8] = b"\nr53ctl: interrupted: no new request is sent; the request in flight \
    finishes, then push reports what was applied (interrupt again to exit at once)\n";
const SECOND_NOTE: &[u8] = b"\nr53ctl: interrupted again: exiting at once; a request in flight \
    may or may not be applied: run preview to see where the zones stand\n";

/// Runs inside the signal handler, so it does only async-signal-safe work: an atomic swap,
/// `write(2)` of a fixed text, and `_exit` on the second signal.
extern "C" fn on_signal(number: c_int) {
    let first = RECEIVED.swap(number, Ordering::SeqCst) == 0;
    let note = if first { FIRST_NOTE } else { SECOND_NOTE };
    // SAFETY: `note` is a valid static buffer of `note.len()` bytes; `write` and `_exit` are
    // async-signal-safe (POSIX) and touch no Rust state. A failed write changes nothing.
    unsafe {
        write(2, note.as_ptr(), note.len());
        if !first {
            _exit(128 + number);
        }
    }
}

/// From now on, SIGINT and SIGTERM are caught as the module header says, unless the process
/// was started with them ignored (e.g. `nohup`), which stays so.
pub fn catch() -> std::io::Result<()> {
    for signal_kind in Signal::ALL {
        let number = signal_kind.number();
        let handler = on_signal as extern "C" fn(c_int) as usize;
        // SAFETY: `on_signal` has the signature a handler needs and does only async-signal-safe
        // work; `signal` changes no memory of ours. Restoring SIG_IGN is the same call.
        let previous = unsafe { signal(number, handler) };
        if previous == SIG_ERR {
            return Err(std::io::Error::last_os_error());
        }
        if previous == SIG_IGN {
            // SAFETY: as above; SIG_IGN is a valid disposition.
            unsafe { signal(number, SIG_IGN) };
        }
    }
    Ok(())
}

/// The first signal received since [`catch`], if any.
pub fn received() -> Option<Signal> {
    Signal::of(RECEIVED.load(Ordering::SeqCst))
}

/// Sleeps for `duration`, or until a signal is received: a sleep is not cut short by a signal,
/// so it is taken in slices.
pub fn sleep(duration: Duration) {
    const SLICE: Duration = Duration::from_millis(100);
    let end = Instant::now() + duration;
    while received().is_none() {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return;
        }
        std::thread::sleep(left.min(SLICE));
    }
}

/// What one look at a long operation found.
pub enum Poll<T> {
    /// It is over, with this result.
    Done(T),
    /// It goes on; its status now.
    Pending(String),
}

/// Looks at a long operation with `poll` until it is over, backing off from 1 s to 10 s between
/// looks (on a terminal, `waiting for {what}: {status}`), until `timeout` passes or a signal
/// comes: then the error says why the wait for `what` ended, then what becomes of the operation
/// (`meanwhile`). The error of `poll` ends the wait at once.
pub fn poll_until<T>(
    what: &str,
    meanwhile: &str,
    timeout: Duration,
    mut poll: impl FnMut() -> Result<Poll<T>, String>,
    progress: impl Fn(&str),
) -> Result<T, String> {
    let start = Instant::now();
    let mut delay = Duration::from_secs(1);
    loop {
        let status = match poll()? {
            Poll::Done(result) => return Ok(result),
            Poll::Pending(status) => status,
        };
        if let Some(signal) = received() {
            let signal = signal.name();
            return Err(format!(
                "{signal} stopped the wait for {what} ({status}); {meanwhile}"
            ));
        }
        if start.elapsed() + delay > timeout {
            let waited = start.elapsed().as_secs();
            return Err(format!(
                "{what} is still {status} after {waited}s (--wait-timeout); {meanwhile}"
            ));
        }
        progress(&format!("waiting for {what}: {status}"));
        sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_name_their_signal() {
        for signal_kind in Signal::ALL {
            assert_eq!(Signal::of(signal_kind.number()), Some(signal_kind));
        }
        assert_eq!(Signal::of(0), None);
        assert_eq!(Signal::Term.name(), "SIGTERM");
    }
}
