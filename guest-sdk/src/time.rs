//! Ages measured against the scan's own "now" (never the wall clock), so a
//! snapshot evaluated twice gives the same verdicts.

use crate::bindings::plumbline::check::types::Timestamp;

pub const SECONDS_PER_DAY: i64 = 86_400;

/// Whole days from `then` to `now` (negative when `then` is in the future).
pub fn days_between(then: Timestamp, now: Timestamp) -> i64 {
    (now - then).div_euclid(SECONDS_PER_DAY)
}

/// `YYYY-MM-DD` for a timestamp, for messages.
pub fn date(timestamp: Timestamp) -> String {
    let (year, month, day) = civil_from_days(timestamp.div_euclid(SECONDS_PER_DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
/// algorithm), to avoid pulling a calendar crate into every component.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u32;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_dates_across_leap_years_and_the_epoch() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date(1_796_083_200), "2026-12-01");
        assert_eq!(date(-86_400), "1969-12-31");
    }

    #[test]
    fn counts_whole_days() {
        assert_eq!(days_between(0, 45 * SECONDS_PER_DAY), 45);
        assert_eq!(days_between(0, 45 * SECONDS_PER_DAY - 1), 44);
        assert_eq!(days_between(SECONDS_PER_DAY, 0), -1);
    }
}
