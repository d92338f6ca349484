//! The terminal report: one row per check with its CIS id in the chosen
//! version, the failing resources under it, then the scores. What a check
//! wrote is shown escaped (see [`super::untrusted`]).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Report;
use super::json::scoring_name;
use super::results::Status;
use super::untrusted::escape;
use crate::runtime::Origin;

/// Resources listed under a failing check before "and N more".
const LISTED_RESOURCES: usize = 10;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let version = report.benchmark_version.as_deref().unwrap_or("-");
    writeln!(
        out,
        "Plumbline — CIS AWS Foundations v{version} — account {} ({}, {}) — evaluated at {}\n",
        report.account_id,
        report.partition,
        report.regions.join(", "),
        report.evaluated_at
    )
    .unwrap();

    let rows: Vec<[String; 6]> = report
        .outcomes
        .iter()
        .map(|outcome| {
            let reference = report
                .benchmark_version
                .as_deref()
                .and_then(|v| outcome.reference_for(v));
            [
                reference.map_or("-".into(), |r| escape(&r.id).into_owned()),
                outcome.check.clone(),
                reference.map_or("-".into(), |r| format!("L{}", r.level)),
                reference.map_or("not in this version".into(), |r| {
                    scoring_name(r.scoring).into()
                }),
                source_label(&outcome.origin),
                outcome
                    .status_for(report.applicable_version(outcome))
                    .label()
                    .into(),
            ]
        })
        .collect();
    let header = [
        format!("CIS {version}"),
        "Check".into(),
        "Level".into(),
        "Scoring".into(),
        "Source".into(),
        "Status".into(),
    ];
    let columns = Columns::fit(&header, &rows);
    let line = |cells: &[String; 6]| columns.line(cells);
    writeln!(out, "{}", line(&header)).unwrap();
    for (outcome, row) in report.outcomes.iter().zip(&rows) {
        writeln!(out, "{}", line(row)).unwrap();
        let indent = " ".repeat(columns.widths[0] + 2);
        match &outcome.findings {
            Err(reason) => writeln!(out, "{indent}! {}", escape(reason)).unwrap(),
            Ok(_) => {
                let version = report.applicable_version(outcome);
                let status = outcome.status_for(version);
                let listed = matches!(
                    status,
                    Status::Fail | Status::Error | Status::Manual | Status::Waived
                );
                // Under a failing check, its failures and the waived ones
                // beside them; under any other, the findings of its status.
                let shown: Vec<_> = outcome
                    .findings_for(version)
                    .into_iter()
                    .filter(|judged| {
                        listed
                            && (judged.status == status
                                || (status == Status::Fail && judged.status == Status::Waived))
                    })
                    .collect();
                for judged in shown.iter().take(LISTED_RESOURCES) {
                    let waived = judged.waiver.map_or(String::new(), |waiver| {
                        format!(
                            " [waived until {} by {}: {}]",
                            waiver.expires,
                            escape(&waiver.owner),
                            escape(&waiver.reason)
                        )
                    });
                    writeln!(
                        out,
                        "{indent}- {}: {}{waived}",
                        escape(&judged.finding.resource),
                        escape(&judged.finding.message)
                    )
                    .unwrap();
                }
                if shown.len() > LISTED_RESOURCES {
                    writeln!(
                        out,
                        "{indent}  … and {} more (see --format json)",
                        shown.len() - LISTED_RESOURCES
                    )
                    .unwrap();
                }
            }
        }
    }

    let counts = |status: Status| report.statuses().filter(|s| *s == status).count();
    writeln!(
        out,
        "\n{} checks: {} pass, {} fail, {} manual, {} not applicable, {} error",
        report.outcomes.len(),
        counts(Status::Pass),
        counts(Status::Fail),
        counts(Status::Manual),
        counts(Status::NotApplicable),
        counts(Status::Error)
    )
    .unwrap();
    if let Some(waivers) = &report.waivers {
        write_waivers(&mut out, report, waivers);
    }

    write_sources(&mut out, report);

    writeln!(
        out,
        "\nScores (Scored/Automated recommendations covered by the loaded checks; Manual never counts;\n\
         \"N of M assessed\": the loaded checks implement N of the version's M at that level):"
    )
    .unwrap();
    let mut versions: Vec<&str> = report.scores.iter().map(|s| s.version.as_str()).collect();
    versions.dedup();
    for version in versions {
        let cells: Vec<String> = report
            .scores
            .iter()
            .filter(|score| score.version == version)
            .map(|score| {
                let percent = score
                    .percent
                    .map_or("  n/a".into(), |p| format!("{p:>4.0}%"));
                let errors = if score.errors > 0 {
                    format!(", {} error", score.errors)
                } else {
                    String::new()
                };
                let assessed = match score.recommendations {
                    Some(total) => format!("; {} of {total} assessed", score.assessed),
                    None => format!("; {} assessed", score.assessed),
                };
                format!(
                    "Level {}: {percent} ({}/{} passed{errors}{assessed})",
                    score.level,
                    score.passed,
                    score.passed + score.failed
                )
            })
            .collect();
        let marker = if Some(version) == report.benchmark_version.as_deref() {
            "*"
        } else {
            " "
        };
        writeln!(out, " {marker}v{version:<7} {}", cells.join("   ")).unwrap();
    }
    out
}

/// A row's source: `local` for a component file, `pack version` for a pack.
fn source_label(origin: &Origin) -> String {
    match origin {
        Origin::Local { .. } => "local".into(),
        Origin::Pack { pack, version, .. } => format!("{pack} {version}"),
    }
}

/// Where the checks came from: each pack with its digest, signer and
/// source, and how many checks are local files (their paths are in the
/// JSON report).
fn write_sources(out: &mut String, report: &Report) {
    let mut packs: BTreeMap<String, (&Origin, usize)> = BTreeMap::new();
    let mut local = 0;
    for outcome in &report.outcomes {
        match &outcome.origin {
            Origin::Local { .. } => local += 1,
            origin @ Origin::Pack { pack, version, .. } => {
                packs
                    .entry(format!("{pack} {version}"))
                    .or_insert((origin, 0))
                    .1 += 1;
            }
        }
    }
    if packs.is_empty() {
        return;
    }
    writeln!(out, "\nSources:").unwrap();
    for (label, (origin, count)) in &packs {
        if let Origin::Pack {
            digest,
            signer,
            source,
            ..
        } = origin
        {
            writeln!(
                out,
                "  {label}: {count} checks, manifest {digest}, signer: {}, from {}",
                escape(signer),
                escape(source)
            )
            .unwrap();
        }
    }
    if local > 0 {
        writeln!(
            out,
            "  local: {local} checks from component files (paths: --format json), unsigned"
        )
        .unwrap();
    }
}

/// Left-aligned text columns as wide as their widest cell.
pub struct Columns<const N: usize> {
    pub widths: [usize; N],
}

impl<const N: usize> Columns<N> {
    pub fn fit(header: &[String; N], rows: &[[String; N]]) -> Self {
        let mut widths = header.clone().map(|cell| cell.chars().count());
        for row in rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        Columns { widths }
    }

    /// One line, cells padded to their column and two spaces apart.
    pub fn line(&self, cells: &[String; N]) -> String {
        cells
            .iter()
            .zip(&self.widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    }
}

/// How many findings waivers accepted, and the waivers to look at again.
fn write_waivers(out: &mut String, report: &Report, waivers: &crate::waivers::WaiverSummary) {
    let waived = report
        .rows()
        .iter()
        .filter(|row| row.status == Status::Waived)
        .count();
    writeln!(out, "Waivers: {waived} findings waived").unwrap();
    for waiver in &waivers.expired {
        writeln!(
            out,
            "  expired {} (line {}, {}, owner {}): no longer applied; renew or remove it",
            waiver.expires,
            waiver.line,
            escape(&waiver.scope()),
            escape(&waiver.owner)
        )
        .unwrap();
    }
    for waiver in &waivers.unused {
        writeln!(
            out,
            "  unused (line {}, {}): matched no failing finding; remove it",
            waiver.line,
            escape(&waiver.scope())
        )
        .unwrap();
    }
}
