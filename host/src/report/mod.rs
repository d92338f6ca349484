//! Reports: the terminal table, the stable JSON document, the HTML page and
//! the formats pipelines and security data lakes read.

pub mod asff;
pub mod csv;
pub mod html;
pub mod json;
pub mod junit;
pub mod ocsf;
pub mod results;
pub mod sarif;
pub mod table;
pub mod untrusted;

use std::io::Write;
use std::path::Path;

use anyhow::Context;

pub use results::{CheckOutcome, Score, Status};

/// Everything a report shows.
pub struct Report {
    pub account_id: String,
    pub partition: String,
    pub regions: Vec<String>,
    /// The scan's "now" (RFC 3339).
    pub evaluated_at: String,
    /// The benchmark version whose ids and verdicts the results show.
    pub benchmark_version: Option<String>,
    pub outcomes: Vec<CheckOutcome>,
    pub scores: Vec<Score>,
    /// Expired and unused waivers, when --waivers was given.
    pub waivers: Option<crate::waivers::WaiverSummary>,
}

impl Report {
    /// `waivers`, with the scan's clock, are applied before the scores:
    /// waived findings count as neither pass nor failure.
    pub fn new(
        snapshot: &crate::snapshot::Snapshot,
        evaluated_at: String,
        benchmark_version: Option<String>,
        mut outcomes: Vec<CheckOutcome>,
        waivers: Option<(&crate::waivers::Waivers, crate::bindings::types::Timestamp)>,
    ) -> Self {
        let benchmark_version =
            benchmark_version.or_else(|| results::benchmark_versions(&outcomes).pop());
        sort_for_version(&mut outcomes, benchmark_version.as_deref());
        let waivers = waivers.map(|(waivers, now)| {
            waivers.apply(
                &mut outcomes,
                &snapshot.account_id,
                now,
                benchmark_version.as_deref(),
            )
        });
        let scores = results::scores(&outcomes);
        Report {
            account_id: snapshot.account_id.clone(),
            partition: snapshot.partition.clone(),
            regions: snapshot.regions.clone(),
            evaluated_at,
            benchmark_version,
            outcomes,
            scores,
            waivers,
        }
    }

    /// The status of each check in the chosen benchmark version.
    pub fn statuses(&self) -> impl Iterator<Item = Status> + '_ {
        self.outcomes
            .iter()
            .map(|outcome| outcome.status_for(self.applicable_version(outcome)))
    }

    /// The chosen version, if the check has a recommendation in it.
    pub fn applicable_version<'a>(&'a self, outcome: &CheckOutcome) -> Option<&'a str> {
        self.benchmark_version
            .as_deref()
            .filter(|version| outcome.reference_for(version).is_some())
    }
}

/// One judged resource of one check, as the flat formats (CSV, JUnit,
/// SARIF, ASFF) list them: every finding of the chosen version, and one row
/// for a check that could not evaluate.
pub struct Row<'a> {
    pub outcome: &'a CheckOutcome,
    /// The check's recommendation in the chosen version, if it has one.
    pub reference: Option<&'a crate::bindings::types::BenchmarkRef>,
    pub resource: &'a str,
    pub region: &'a str,
    pub status: Status,
    pub message: &'a str,
    /// The waiver that accepts it, when its status is `waived`.
    pub waiver: Option<&'a crate::waivers::Waiver>,
}

impl Row<'_> {
    /// A finding's id for the formats that keep findings across scans (ASFF,
    /// OCSF): the account, check, region and resource only, so the next
    /// scan's finding updates this one instead of adding a copy.
    pub fn finding_id(&self, account: &str) -> String {
        let identity = crate::pack::manifest::sha256_hex(
            format!(
                "{account}\n{}\n{}\n{}",
                self.outcome.check, self.region, self.resource
            )
            .as_bytes(),
        );
        format!("plumbline/{account}/{}/{identity}", self.outcome.check)
    }

    /// The severity a finding format gives it: the check's, except that a
    /// pass is informational, as Security Hub's own controls report it.
    pub fn severity(&self) -> crate::bindings::types::Severity {
        if self.status == Status::Pass {
            crate::bindings::types::Severity::Informational
        } else {
            self.outcome.severity
        }
    }

    /// The resource a finding format names: the account when the check
    /// could not evaluate at all.
    pub fn resource_or_account(&self, account: &str) -> String {
        if self.resource.is_empty() {
            format!("AWS::::Account:{account}")
        } else {
            self.resource.to_string()
        }
    }
}

impl Report {
    /// Every row, in report order.
    pub fn rows(&self) -> Vec<Row<'_>> {
        let mut rows = Vec::new();
        for outcome in &self.outcomes {
            let version = self.applicable_version(outcome);
            let reference = version.and_then(|version| outcome.reference_for(version));
            if let Err(reason) = &outcome.findings {
                rows.push(Row {
                    outcome,
                    reference,
                    resource: "",
                    region: "",
                    status: Status::Error,
                    message: reason,
                    waiver: None,
                });
            }
            for judged in outcome.findings_for(version) {
                rows.push(Row {
                    outcome,
                    reference,
                    resource: &judged.finding.resource,
                    region: &judged.finding.region,
                    status: judged.status,
                    message: &judged.finding.message,
                    waiver: judged.waiver,
                });
            }
        }
        rows
    }
}

/// Orders checks by their recommendation id in `version`; checks without one
/// go last, by id.
fn sort_for_version(outcomes: &mut [CheckOutcome], version: Option<&str>) {
    outcomes.sort_by_key(|outcome| {
        let id = version
            .and_then(|v| outcome.reference_for(v))
            .map(|r| results::id_order(&r.id));
        (id.is_none(), id, outcome.check.clone())
    });
}

/// Writes a file so that readers see the old content or the new, never a
/// half-written one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .with_context(|| format!("{} is not a file path", path.display()))?;
    let temporary = directory.join(format!(
        ".{}.{}.tmp",
        file_name.to_string_lossy(),
        std::process::id()
    ));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result.with_context(|| format!("cannot write {}", path.display()))
}
