//! Progress and diagnostics on stderr, so stdout stays the report.

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Progress {
    quiet: bool,
    verbose: bool,
}

impl Progress {
    pub fn new(quiet: bool, verbose: bool) -> Self {
        Progress { quiet, verbose }
    }

    /// A step of the scan (loading, collecting, evaluating).
    pub fn step(&self, message: impl AsRef<str>) {
        if !self.quiet {
            eprintln!("{}", message.as_ref());
        }
    }

    /// Detail shown with `--verbose` only.
    pub fn detail(&self, message: impl AsRef<str>) {
        if self.verbose && !self.quiet {
            eprintln!("  {}", message.as_ref());
        }
    }

    /// A problem the user should see even with `--quiet`.
    pub fn warn(&self, message: impl AsRef<str>) {
        eprintln!("warning: {}", message.as_ref());
    }

    pub fn is_verbose(&self) -> bool {
        self.verbose
    }
}

pub fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}
