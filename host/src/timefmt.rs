//! RFC 3339 times on the command line and in files, epoch seconds in the WIT
//! data model.

use anyhow::Context;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::bindings::types::Timestamp;

/// Parses RFC 3339 (`2026-11-28T10:00:00Z`), a plain date (`2026-11-28`,
/// midnight UTC) or Unix seconds (`@1795862400`).
pub fn parse(text: &str) -> anyhow::Result<Timestamp> {
    if let Some(seconds) = text.strip_prefix('@') {
        return seconds
            .parse()
            .with_context(|| format!("{text:?}: expected Unix seconds after '@'"));
    }
    if let Ok(moment) = OffsetDateTime::parse(text, &Rfc3339) {
        return Ok(moment.unix_timestamp());
    }
    let date = parse_date(text).with_context(|| {
        format!(
            "{text:?} is not a time: use RFC 3339 (2026-11-28T10:00:00Z) or a date (2026-11-28)"
        )
    })?;
    Ok(date.midnight().assume_utc().unix_timestamp())
}

/// A plain calendar date, `2026-11-28`, and nothing after it.
pub fn parse_date(text: &str) -> Result<time::Date, time::error::Parse> {
    time::Date::parse(
        text,
        time::macros::format_description!("[year]-[month]-[day]"),
    )
}

pub fn format(timestamp: Timestamp) -> String {
    OffsetDateTime::from_unix_timestamp(timestamp)
        .ok()
        .and_then(|moment| moment.format(&Rfc3339).ok())
        .unwrap_or_else(|| timestamp.to_string())
}

pub fn now() -> Timestamp {
    OffsetDateTime::now_utc().unix_timestamp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_and_plain_dates() {
        assert_eq!(parse("1970-01-02T00:00:00Z").unwrap(), 86_400);
        assert_eq!(parse("1970-01-02T01:00:00+01:00").unwrap(), 86_400);
        assert_eq!(parse("1970-01-03").unwrap(), 2 * 86_400);
        assert_eq!(parse("@86400").unwrap(), 86_400);
        assert_eq!(format(86_400), "1970-01-02T00:00:00Z");
    }

    #[test]
    fn rejects_other_shapes_with_a_hint() {
        let error = parse("yesterday").unwrap_err().to_string();
        assert!(error.contains("RFC 3339"), "{error}");
    }
}
