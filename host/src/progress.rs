//! Progress and diagnostics on stderr, so stdout stays the report.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::report::untrusted::escape;

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

    /// A bar over `total` steps of long work (`what`: "data sets",
    /// "checks"), drawn only on a terminal: with stderr piped, `--quiet` or
    /// `--verbose` (whose lines would tear through it) the step lines are
    /// all there is.
    pub fn bar(&self, total: usize, what: &str) -> Bar {
        if self.quiet || self.verbose || !std::io::stderr().is_terminal() {
            return Bar(ProgressBar::hidden());
        }
        let style = ProgressStyle::with_template(&format!(
            "  [{{bar:30}}] {{pos}}/{{len}} {what} {{wide_msg}}"
        ))
        .expect("a valid progress template")
        .progress_chars("=> ");
        let bar = ProgressBar::new(total as u64).with_style(style);
        bar.tick();
        Bar(bar)
    }
}

/// See [`Progress::bar`]; cleared from the terminal when dropped.
pub struct Bar(ProgressBar);

impl Bar {
    /// One step done; `item` (a check id, a data set) is shown beside the bar.
    pub fn advance(&self, item: &str) {
        self.0.set_message(escape(item).into_owned());
        self.0.inc(1);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.0.finish_and_clear();
    }
}

pub fn seconds(duration: Duration) -> String {
    format!("{:.1} s", duration.as_secs_f64())
}
