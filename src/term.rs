//! Writes to stdout and stderr that never panic.
//!
//! The contract, also in the README: when a reader closes the pipe (EPIPE),
//! that stream goes quiet for the rest of the run and the exit status is the
//! command's own (the reader chose to stop: `check --format json | head`
//! still exits 1 for a site with errors, 0 for a good one). Any other failed
//! write (a full disk, an I/O error) drops the rest of that stream, says so
//! on stderr when it can, and makes a run that would have exited 0 exit 1:
//! what was asked for was not delivered. The command itself always runs to
//! its end (a build's output is swapped in either way).

use std::fmt::Arguments;
use std::io::{self, Write};
use std::sync::atomic::{AtomicU8, Ordering};

#[derive(Clone, Copy)]
pub enum Stream {
    Out = 0,
    Err = 1,
}

const OPEN: u8 = 0;
/// The reader went away: nothing more is written, the status is kept.
const CLOSED: u8 = 1;
/// The write failed for another reason: the status becomes at least 1.
const FAILED: u8 = 2;
static STATE: [AtomicU8; 2] = [AtomicU8::new(OPEN), AtomicU8::new(OPEN)];

pub fn write(stream: Stream, args: Arguments<'_>) {
    let state = &STATE[stream as usize];
    if state.load(Ordering::Relaxed) != OPEN {
        return;
    }
    // Flushed at once, so a failure is seen here and not lost at exit.
    let result = match stream {
        Stream::Out => {
            let mut out = io::stdout().lock();
            out.write_fmt(args).and_then(|()| out.flush())
        }
        Stream::Err => io::stderr().lock().write_fmt(args),
    };
    let Err(e) = result else { return };
    if e.kind() == io::ErrorKind::BrokenPipe {
        state.store(CLOSED, Ordering::Relaxed);
        return;
    }
    state.store(FAILED, Ordering::Relaxed);
    if let Stream::Out = stream {
        write(Stream::Err, format_args!("error: cannot write to stdout: {e}\n"));
    }
}

/// The exit status for a command that wanted `code`.
pub fn status(code: u8) -> u8 {
    let failed = STATE.iter().any(|s| s.load(Ordering::Relaxed) == FAILED);
    if code == 0 && failed {
        1
    } else {
        code
    }
}

/// Prints `format!` arguments and a newline on stdout (see [`crate::term`]).
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => { $crate::term::write($crate::term::Stream::Out, format_args!("{}\n", format_args!($($arg)*))) };
}

/// Prints `format!` arguments and a newline on stderr (see [`crate::term`]).
#[macro_export]
macro_rules! tell {
    ($($arg:tt)*) => { $crate::term::write($crate::term::Stream::Err, format_args!("{}\n", format_args!($($arg)*))) };
}
