//! Waivers (`host scan --waivers FILE`): accepted risks. A waiver names a
//! check (or a CIS id), optionally a resource pattern, region and account,
//! and always a reason, an owner and an expiry date. A failing finding it
//! matches reports `waived` with the reason and no longer counts as a
//! failure in scores or the exit code. Past its expiry date a waiver no
//! longer applies and the report says so; a waiver that matched nothing is
//! listed as unused, so stale ones get cleaned up.
//!
//! The file is TOML, or YAML when its name ends in `.yaml` or `.yml` (the
//! same fields, under a `waiver:` sequence):
//!
//! ```toml
//! [[waiver]]
//! check = "iam-user-console-mfa"          # or: cis = "2.10" (in the report's CIS version)
//! resource = "arn:aws:iam::*:user/break-glass-*"   # `*` matches anything; default: every resource
//! region = "global"                        # optional
//! account = "123456789012"                 # optional
//! reason = "Break-glass user; its hardware MFA token is in the safe"
//! owner = "secops@example.com"
//! expires = 2027-03-31                     # through this day (UTC)
//! ```

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

use crate::bindings::types::{FindingStatus, Timestamp};
use crate::report::CheckOutcome;

/// A waiver as the file states it.
#[derive(Debug, Clone, Serialize)]
pub struct Waiver {
    /// 1-based line of its `[[waiver]]` table in the file.
    pub line: usize,
    pub check: Option<String>,
    pub cis: Option<String>,
    pub resource: Option<String>,
    pub region: Option<String>,
    pub account: Option<String>,
    pub reason: String,
    pub owner: String,
    pub expires: String,
    #[serde(skip)]
    expiry: time::Date,
}

/// The file: a list of waivers under `waiver` (TOML `[[waiver]]` tables, a
/// YAML `waiver:` sequence), each spanned so errors can name its line.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "Entry: Deserialize<'de>"))]
struct WaiverFile<Entry> {
    #[serde(default)]
    waiver: Vec<Entry>,
}

/// One waiver as written; `Date` is how the format writes a date.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WaiverEntry<Date> {
    check: Option<String>,
    cis: Option<String>,
    resource: Option<String>,
    region: Option<String>,
    account: Option<String>,
    reason: String,
    owner: String,
    expires: Date,
}

/// An `expires` value: TOML has dates of its own; YAML writes them as text.
trait ExpiryDate {
    /// The calendar date, or what is wrong with it.
    fn date(&self) -> Result<time::Date, &'static str>;
}

const NOT_A_DATE: &str = "`expires` must be a date such as 2027-03-31, without a time";

impl ExpiryDate for toml::value::Datetime {
    fn date(&self) -> Result<time::Date, &'static str> {
        let (Some(date), None) = (self.date, self.time) else {
            return Err(NOT_A_DATE);
        };
        time::Month::try_from(date.month)
            .ok()
            .and_then(|month| {
                time::Date::from_calendar_date(i32::from(date.year), month, date.day).ok()
            })
            .ok_or("`expires` is not a calendar date")
    }
}

impl ExpiryDate for String {
    fn date(&self) -> Result<time::Date, &'static str> {
        crate::timefmt::parse_date(self).map_err(|_| NOT_A_DATE)
    }
}

/// What applying the waivers found, for the report.
#[derive(Debug, Default, Serialize)]
pub struct WaiverSummary {
    /// Past their expiry date: not applied.
    pub expired: Vec<Arc<Waiver>>,
    /// In force, but matched no failing finding.
    pub unused: Vec<Arc<Waiver>>,
}

pub struct Waivers {
    waivers: Vec<Arc<Waiver>>,
}

impl Waivers {
    /// Reads a waivers file: YAML for `.yaml` and `.yml`, TOML otherwise.
    pub fn read(path: &Path) -> anyhow::Result<Waivers> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the waivers file {}", path.display()))?;
        let yaml = path
            .extension()
            .is_some_and(|extension| extension == "yaml" || extension == "yml");
        let parsed = if yaml {
            Waivers::parse_yaml(&text)
        } else {
            Waivers::parse(&text)
        };
        parsed.with_context(|| format!("waivers file {}", path.display()))
    }

    /// Parses the TOML form.
    pub fn parse(text: &str) -> anyhow::Result<Waivers> {
        // toml's own message names the line and column of a syntax error,
        // a missing field or an unknown one.
        let file: WaiverFile<toml::Spanned<WaiverEntry<toml::value::Datetime>>> =
            toml::from_str(text).map_err(|error| anyhow::anyhow!("{error}"))?;
        let waivers = file.waiver.into_iter().map(|spanned| {
            let line = text[..spanned.span().start].matches('\n').count() + 1;
            (line, spanned.into_inner())
        });
        Waivers::validated(waivers)
    }

    /// Parses the YAML form: the same fields, under a `waiver:` sequence.
    pub fn parse_yaml(text: &str) -> anyhow::Result<Waivers> {
        // serde-saphyr's message names the line and column; without its
        // source excerpt it fits on a line, like toml's.
        let file: WaiverFile<serde_saphyr::Spanned<WaiverEntry<String>>> =
            serde_saphyr::from_str(text).map_err(|error| {
                let message = error.without_snippet().to_string();
                anyhow::anyhow!("{}", message.trim_start_matches("error: "))
            })?;
        let waivers = file.waiver.into_iter().map(|spanned| {
            let line = usize::try_from(spanned.referenced.line()).unwrap_or(usize::MAX);
            (line, spanned.value)
        });
        Waivers::validated(waivers)
    }

    /// Checks what the format's parser cannot: one of `check` or `cis`, a
    /// reason and an owner, a plain date.
    fn validated<Date: ExpiryDate>(
        entries: impl Iterator<Item = (usize, WaiverEntry<Date>)>,
    ) -> anyhow::Result<Waivers> {
        let mut waivers = Vec::new();
        for (line, entry) in entries {
            let at = format!("the waiver at line {line}");
            if entry.check.is_none() == entry.cis.is_none() {
                bail!("{at} must name exactly one of `check` (a check id) or `cis` (a CIS id)");
            }
            for (field, value) in [("reason", &entry.reason), ("owner", &entry.owner)] {
                if value.trim().is_empty() {
                    bail!(
                        "{at} has an empty `{field}`: say why the risk is accepted and who owns it"
                    );
                }
            }
            let expiry = entry
                .expires
                .date()
                .map_err(|problem| anyhow::anyhow!("{at}: {problem}"))?;
            waivers.push(Arc::new(Waiver {
                line,
                check: entry.check,
                cis: entry.cis,
                resource: entry.resource,
                region: entry.region,
                account: entry.account,
                reason: entry.reason,
                owner: entry.owner,
                expires: expiry.to_string(),
                expiry,
            }));
        }
        Ok(Waivers { waivers })
    }

    /// Marks each failing finding a waiver in force matches, as of `now`
    /// (the scan's clock), judging CIS ids in `benchmark_version`.
    pub fn apply(
        &self,
        outcomes: &mut [CheckOutcome],
        account: &str,
        now: Timestamp,
        benchmark_version: Option<&str>,
    ) -> WaiverSummary {
        let today = time::OffsetDateTime::from_unix_timestamp(now)
            .map_or(time::Date::MIN, |now| now.date());
        let mut summary = WaiverSummary::default();
        let mut used = vec![false; self.waivers.len()];
        for (index, waiver) in self.waivers.iter().enumerate() {
            if waiver.expiry < today {
                summary.expired.push(waiver.clone());
                used[index] = true;
            }
        }
        for outcome in outcomes.iter_mut() {
            let cis_id = benchmark_version
                .and_then(|version| outcome.reference_for(version))
                .map(|reference| reference.id.clone());
            let Ok(findings) = &outcome.findings else {
                continue;
            };
            let mut applied = vec![None; findings.len()];
            for (finding_index, finding) in findings.iter().enumerate() {
                if finding.status != FindingStatus::Fail {
                    continue;
                }
                let matching = self.waivers.iter().enumerate().find(|(_, waiver)| {
                    waiver.expiry >= today
                        && waiver
                            .check
                            .as_ref()
                            .is_none_or(|check| *check == outcome.check)
                        && waiver
                            .cis
                            .as_ref()
                            .is_none_or(|cis| Some(cis) == cis_id.as_ref())
                        && waiver.account.as_ref().is_none_or(|id| id == account)
                        && waiver
                            .region
                            .as_ref()
                            .is_none_or(|region| *region == finding.region)
                        && waiver
                            .resource
                            .as_ref()
                            .is_none_or(|pattern| wildcard_match(pattern, &finding.resource))
                });
                if let Some((waiver_index, waiver)) = matching {
                    used[waiver_index] = true;
                    applied[finding_index] = Some(waiver.clone());
                }
            }
            outcome.waivers = applied;
        }
        summary.unused = self
            .waivers
            .iter()
            .zip(used)
            .filter(|(_, used)| !used)
            .map(|(waiver, _)| waiver.clone())
            .collect();
        summary
    }
}

impl Waiver {
    /// What it matches, in one line.
    pub fn scope(&self) -> String {
        let mut parts = Vec::new();
        if let Some(check) = &self.check {
            parts.push(format!("check {check}"));
        }
        if let Some(cis) = &self.cis {
            parts.push(format!("CIS {cis}"));
        }
        for (name, value) in [
            ("resource", &self.resource),
            ("region", &self.region),
            ("account", &self.account),
        ] {
            if let Some(value) = value {
                parts.push(format!("{name} {value}"));
            }
        }
        parts.join(", ")
    }
}

/// `*` matches any run of characters (none included); everything else
/// matches itself.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let [first, middle @ .., last] = parts.as_slice() else {
        return pattern == text;
    };
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.len() >= last.len() && rest.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_runs_of_characters() {
        assert!(wildcard_match(
            "arn:aws:iam::*:user/break-glass-*",
            "arn:aws:iam::1:user/break-glass-2"
        ));
        assert!(wildcard_match("*", "anything"));
        assert!(wildcard_match("exact", "exact"));
        assert!(!wildcard_match("exact", "exactly"));
        assert!(!wildcard_match("a*b*c", "a-c-b"));
        assert!(wildcard_match("a*b*c", "a-b-c"));
        assert!(!wildcard_match("ab*ba", "aba"));
    }

    #[test]
    fn a_bad_waiver_is_refused_with_its_line() {
        let missing_reason =
            "\n[[waiver]]\ncheck = \"root-mfa\"\nowner = \"me\"\nexpires = 2027-01-01\n";
        let error = Waivers::parse(missing_reason).err().unwrap().to_string();
        assert!(
            error.contains("line 2") && error.contains("reason"),
            "{error}"
        );

        let both = "[[waiver]]\ncheck = \"a\"\ncis = \"1.1\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01\n\n[[waiver]]\ncheck = \"b\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01T10:00:00Z\n";
        let error = Waivers::parse(both).err().unwrap().to_string();
        assert!(
            error.contains("the waiver at line 1 must name exactly one"),
            "{error}"
        );

        let with_time = "[[waiver]]\ncheck = \"b\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01T10:00:00Z\n";
        let error = Waivers::parse(with_time).err().unwrap().to_string();
        assert!(error.contains("`expires` must be a date"), "{error}");

        let typo = "[[waiver]]\ncheck = \"b\"\nreasons = \"r\"\n";
        let error = Waivers::parse(typo).err().unwrap().to_string();
        assert!(
            error.contains("line 3") && error.contains("reasons"),
            "{error}"
        );
    }

    #[test]
    fn yaml_waivers_read_like_toml_ones() {
        let toml = Waivers::parse(
            "[[waiver]]\ncheck = \"root-mfa\"\nresource = \"arn:*\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-31\n",
        )
        .unwrap();
        let yaml = Waivers::parse_yaml(
            "waiver:\n  - check: root-mfa\n    resource: \"arn:*\"\n    reason: r\n    owner: o\n    expires: 2027-01-31\n",
        )
        .unwrap();
        let describe = |waivers: &Waivers| -> Vec<(String, String)> {
            waivers
                .waivers
                .iter()
                .map(|waiver| (waiver.scope(), waiver.expires.clone()))
                .collect()
        };
        assert_eq!(describe(&yaml), describe(&toml));
        assert_eq!(yaml.waivers[0].line, 2);

        let with_time = "waiver:\n  - cis: \"2.10\"\n    reason: r\n    owner: o\n    expires: 2027-01-31T10:00:00Z\n";
        let error = Waivers::parse_yaml(with_time).err().unwrap().to_string();
        assert!(
            error.contains("the waiver at line 2: `expires` must be a date"),
            "{error}"
        );
        let unknown = "waiver:\n  - cis: \"2.10\"\n    reasons: r\n";
        let error = Waivers::parse_yaml(unknown).err().unwrap().to_string();
        assert!(error.contains("reasons") && error.contains('3'), "{error}");
    }
}
