//! What the benches share: timing and the table they print.

use std::time::{Duration, Instant};

pub fn time_once(f: impl FnOnce()) -> Duration {
    let started = Instant::now();
    f();
    started.elapsed()
}

/// The fastest of `rounds` runs: the least disturbed by the machine.
pub fn best_of(rounds: u32, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| time_once(&mut f))
        .min()
        .unwrap_or_default()
}

pub fn fmt(duration: Duration) -> String {
    format!("{:.1} ms", duration.as_secs_f64() * 1000.0)
}

/// One line of a bench's table.
pub fn row(step: impl std::fmt::Display, value: impl std::fmt::Display) {
    println!("{:<64} {:>12}", step, value);
}
