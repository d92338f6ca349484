//! `host coverage`: which recommendations of one CIS version the loaded
//! checks implement, by the benchmark references in their metadata, and
//! which references disagree with the published table.

use std::fmt::Write as _;

use anyhow::bail;
use serde::Serialize;

use crate::benchmarks::{self, BENCHMARK, Benchmark, Recommendation};
use crate::bindings::types::CheckMetadata;
use crate::cli::{CoverageArgs, Format};
use crate::progress::Progress;
use crate::report::{self, json::scoring_name};
use crate::scan::{self, exit};

pub fn coverage(args: CoverageArgs) -> anyhow::Result<u8> {
    let benchmark = match &args.benchmark_version {
        Some(version) => match benchmarks::find(version) {
            Some(benchmark) => benchmark,
            None => bail!(
                "{BENCHMARK} v{version} is not a known version; known versions: {}",
                benchmarks::versions().collect::<Vec<_>>().join(", ")
            ),
        },
        None => benchmarks::newest(),
    };
    let section = args.section.as_deref().map(SectionFilter::new);
    if let Some(filter) = &section {
        filter.ensure_matches(benchmark)?;
    }

    let progress = Progress::new(args.output_level.quiet, args.output_level.verbose);
    let runtime = scan::build_runtime(&args.runtime)?;
    let checks = scan::load_checks(&runtime, &args.plugins, &progress)?;
    let metadata: Vec<CheckMetadata> = checks.into_iter().map(|check| check.metadata).collect();
    let coverage = Coverage::new(benchmark, section.as_ref(), &metadata);
    if !coverage.mismatches.is_empty() {
        progress.warn(format!(
            "{} benchmark reference(s) of the loaded checks disagree with the CIS v{} table (listed under \"mismatches\")",
            coverage.mismatches.len(),
            benchmark.version
        ));
    }

    let rendered = match args.format {
        Format::Table => coverage.table(),
        Format::Json => coverage.json(),
    };
    match &args.output {
        Some(path) => {
            report::write_atomically(path, rendered.as_bytes())?;
            progress.step(format!("Coverage written to {}", path.display()));
        }
        None => print!("{rendered}"),
    }
    Ok(exit::CLEAN)
}

/// `--section`: a section number or id prefix ("2", "3.1"), part of a
/// section or subsection name ("Logging", "S3") or a section's initials
/// ("IAM"), case-insensitive.
pub struct SectionFilter {
    text: String,
}

impl SectionFilter {
    pub fn new(text: &str) -> Self {
        SectionFilter {
            text: text.trim().trim_end_matches('.').to_string(),
        }
    }

    pub fn matches(&self, recommendation: &Recommendation) -> bool {
        if self.text.starts_with(|c: char| c.is_ascii_digit()) {
            recommendation.id == self.text
                || recommendation
                    .id
                    .strip_prefix(&self.text)
                    .is_some_and(|rest| rest.starts_with('.'))
        } else {
            let wanted = self.text.to_lowercase();
            let initials: String = recommendation
                .section
                .split_whitespace()
                .filter_map(|word| word.chars().next())
                .filter(char::is_ascii_uppercase)
                .collect();
            initials.to_lowercase() == wanted
                || std::iter::once(&recommendation.section)
                    .chain(&recommendation.subsection)
                    .any(|name| name.to_lowercase().contains(&wanted))
        }
    }

    /// A filter that selects nothing is a mistake: say which sections exist.
    fn ensure_matches(&self, benchmark: &Benchmark) -> anyhow::Result<()> {
        if benchmark.recommendations.iter().any(|r| self.matches(r)) {
            return Ok(());
        }
        let sections: Vec<String> = sections_of(benchmark.recommendations.iter())
            .into_iter()
            .map(|(number, name)| format!("{number} {name}"))
            .collect();
        bail!(
            "no recommendation of CIS v{} is in a section matching {:?}; its sections: {}",
            benchmark.version,
            self.text,
            sections.join(", ")
        )
    }
}

/// (number, name) of each section, in the benchmark's order.
fn sections_of<'a>(
    recommendations: impl Iterator<Item = &'a Recommendation>,
) -> Vec<(&'a str, &'a str)> {
    let mut sections: Vec<(&str, &str)> = Vec::new();
    for recommendation in recommendations {
        let section = (
            recommendation.section_number(),
            recommendation.section.as_str(),
        );
        if !sections.contains(&section) {
            sections.push(section);
        }
    }
    sections
}

/// The coverage of one benchmark version by a set of checks.
pub struct Coverage<'a> {
    pub benchmark: &'a Benchmark,
    pub checks_loaded: usize,
    /// The recommendations shown (all, or the filtered sections), each with
    /// the ids of the checks that implement it.
    pub rows: Vec<(&'a Recommendation, Vec<String>)>,
    /// References to this version that disagree with its table (whatever
    /// the section filter).
    pub mismatches: Vec<Mismatch>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct Mismatch {
    pub check: String,
    /// The recommendation id the check declares.
    pub id: String,
    pub problem: Problem,
    /// What the check declares.
    pub declared: String,
    /// What the table says (none for an id the version does not have).
    pub table: Option<String>,
}

#[derive(Debug, Serialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    UnknownRecommendation,
    Scoring,
    Level,
}

impl Mismatch {
    /// The recommendation id is the check's own text, shown escaped.
    fn message(&self, version: &str) -> String {
        let id = report::untrusted::escape(&self.id);
        match (self.problem, &self.table) {
            (Problem::UnknownRecommendation, _) | (_, None) => format!(
                "{} claims {id} {}, which CIS v{version} does not have",
                self.check, self.declared
            ),
            (Problem::Scoring | Problem::Level, Some(table)) => format!(
                "{} declares {id} as {}; the CIS v{version} table says {table}",
                self.check, self.declared
            ),
        }
    }
}

impl<'a> Coverage<'a> {
    pub fn new(
        benchmark: &'a Benchmark,
        section: Option<&SectionFilter>,
        checks: &[CheckMetadata],
    ) -> Self {
        let references = || {
            checks.iter().flat_map(|check| {
                check
                    .benchmarks
                    .iter()
                    .filter(|r| r.benchmark == BENCHMARK && r.version == benchmark.version)
                    .map(move |reference| (check.id.as_str(), reference))
            })
        };
        let rows = benchmark
            .recommendations
            .iter()
            .filter(|r| section.is_none_or(|filter| filter.matches(r)))
            .map(|recommendation| {
                let mut implementers: Vec<String> = references()
                    .filter(|(_, reference)| reference.id == recommendation.id)
                    .map(|(check, _)| check.to_string())
                    .collect();
                implementers.dedup();
                (recommendation, implementers)
            })
            .collect();
        let mut mismatches = Vec::new();
        for (check, reference) in references() {
            let mismatch = |problem, declared: String, table: Option<String>| Mismatch {
                check: check.to_string(),
                id: reference.id.clone(),
                problem,
                declared,
                table,
            };
            let declared_level = format!("Level {}", reference.level);
            let declared_scoring = scoring_name(reference.scoring).to_string();
            match benchmark.recommendation(&reference.id) {
                None => mismatches.push(mismatch(
                    Problem::UnknownRecommendation,
                    format!("({declared_scoring}, {declared_level})"),
                    None,
                )),
                Some(recommendation) => {
                    if recommendation.scoring != reference.scoring {
                        mismatches.push(mismatch(
                            Problem::Scoring,
                            declared_scoring,
                            Some(scoring_name(recommendation.scoring).to_string()),
                        ));
                    }
                    if recommendation.level != reference.level {
                        mismatches.push(mismatch(
                            Problem::Level,
                            declared_level,
                            Some(format!("Level {}", recommendation.level)),
                        ));
                    }
                }
            }
        }
        Coverage {
            benchmark,
            checks_loaded: checks.len(),
            rows,
            mismatches,
        }
    }

    /// (number, name, implemented, total) per shown section.
    pub fn sections(&self) -> Vec<(&'a str, &'a str, usize, usize)> {
        sections_of(self.rows.iter().map(|(r, _)| *r))
            .into_iter()
            .map(|(number, name)| {
                let in_section = || {
                    self.rows
                        .iter()
                        .filter(move |(r, _)| r.section_number() == number && r.section == name)
                };
                let implemented = in_section().filter(|(_, checks)| !checks.is_empty());
                (number, name, implemented.count(), in_section().count())
            })
            .collect()
    }

    pub fn implemented(&self) -> usize {
        self.rows
            .iter()
            .filter(|(_, checks)| !checks.is_empty())
            .count()
    }

    pub fn table(&self) -> String {
        let version = &self.benchmark.version;
        let mut out = String::new();
        writeln!(
            out,
            "{BENCHMARK} v{version}: recommendations and the {} loaded checks that implement them\n",
            self.checks_loaded
        )
        .unwrap();
        let cells = |(recommendation, checks): &(&Recommendation, Vec<String>)| -> [String; 5] {
            [
                recommendation.id.clone(),
                format!("L{}", recommendation.level),
                scoring_name(recommendation.scoring).to_string(),
                if checks.is_empty() {
                    "not implemented".to_string()
                } else {
                    checks.join(", ")
                },
                recommendation.title.clone(),
            ]
        };
        let header = ["ID", "Level", "Scoring", "Implemented by", "Title"].map(String::from);
        let rows: Vec<[String; 5]> = self.rows.iter().map(cells).collect();
        let columns = crate::report::table::Columns::fit(&header, &rows);
        let line = |cells: &[String; 5]| columns.line(cells);
        for (number, name, implemented, total) in self.sections() {
            writeln!(
                out,
                "{number} {name}: {implemented} of {total} recommendations implemented"
            )
            .unwrap();
            writeln!(out, "  {}", line(&header)).unwrap();
            for (row, cells) in self.rows.iter().zip(&rows) {
                if row.0.section_number() == number && row.0.section == name {
                    writeln!(out, "  {}", line(cells)).unwrap();
                }
            }
            out.push('\n');
        }
        writeln!(
            out,
            "Total: {} of {} recommendations implemented",
            self.implemented(),
            self.rows.len()
        )
        .unwrap();
        if !self.mismatches.is_empty() {
            writeln!(
                out,
                "\nMismatches (benchmark references that disagree with the CIS v{version} table):"
            )
            .unwrap();
            for mismatch in &self.mismatches {
                writeln!(out, "  - {}", mismatch.message(version)).unwrap();
            }
        }
        out
    }

    pub fn json(&self) -> String {
        #[derive(Serialize)]
        struct Document<'a> {
            benchmark: &'static str,
            version: &'a str,
            checks_loaded: usize,
            implemented: usize,
            total: usize,
            sections: Vec<Section<'a>>,
            recommendations: Vec<Row<'a>>,
            mismatches: Vec<JsonMismatch<'a>>,
        }
        #[derive(Serialize)]
        struct Section<'a> {
            number: &'a str,
            name: &'a str,
            implemented: usize,
            total: usize,
        }
        #[derive(Serialize)]
        struct Row<'a> {
            id: &'a str,
            title: &'a str,
            section: &'a str,
            subsection: Option<&'a str>,
            level: u8,
            scoring: &'static str,
            control_key: &'a str,
            checks: &'a [String],
        }
        #[derive(Serialize)]
        struct JsonMismatch<'a> {
            #[serde(flatten)]
            mismatch: &'a Mismatch,
            message: String,
        }
        let version = self.benchmark.version.as_str();
        let document = Document {
            benchmark: BENCHMARK,
            version,
            checks_loaded: self.checks_loaded,
            implemented: self.implemented(),
            total: self.rows.len(),
            sections: self
                .sections()
                .into_iter()
                .map(|(number, name, implemented, total)| Section {
                    number,
                    name,
                    implemented,
                    total,
                })
                .collect(),
            recommendations: self
                .rows
                .iter()
                .map(|(recommendation, checks)| Row {
                    id: &recommendation.id,
                    title: &recommendation.title,
                    section: &recommendation.section,
                    subsection: recommendation.subsection.as_deref(),
                    level: recommendation.level,
                    scoring: scoring_name(recommendation.scoring),
                    control_key: &recommendation.control_key,
                    checks,
                })
                .collect(),
            mismatches: self
                .mismatches
                .iter()
                .map(|mismatch| JsonMismatch {
                    mismatch,
                    message: mismatch.message(version),
                })
                .collect(),
        };
        crate::report::untrusted::json(&document)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::types::{BenchmarkRef, Scoring, Severity};

    fn check(id: &str, references: &[(&str, &str, Scoring, u8)]) -> CheckMetadata {
        CheckMetadata {
            id: id.into(),
            title: id.into(),
            description: String::new(),
            rationale: String::new(),
            remediation: String::new(),
            severity: Severity::Medium,
            benchmarks: references
                .iter()
                .map(|(version, id, scoring, level)| BenchmarkRef {
                    benchmark: BENCHMARK.into(),
                    version: (*version).into(),
                    id: (*id).into(),
                    scoring: *scoring,
                    level: *level,
                })
                .collect(),
        }
    }

    fn implementers<'a>(coverage: &'a Coverage, id: &str) -> &'a [String] {
        &coverage
            .rows
            .iter()
            .find(|(r, _)| r.id == id)
            .unwrap_or_else(|| panic!("no row {id}"))
            .1
    }

    #[test]
    fn a_check_implements_the_recommendation_it_references_in_that_version_only() {
        let v3 = benchmarks::find("3.0.0").unwrap();
        let checks = [check(
            "root-mfa",
            &[
                ("1.2.0", "1.13", Scoring::Scored, 1),
                ("3.0.0", "1.5", Scoring::Automated, 1),
            ],
        )];
        let coverage = Coverage::new(v3, None, &checks);
        assert_eq!(implementers(&coverage, "1.5"), ["root-mfa"]);
        assert!(implementers(&coverage, "1.13").is_empty());
        assert_eq!(coverage.implemented(), 1);
        assert_eq!(coverage.rows.len(), v3.recommendations.len());
        assert!(coverage.mismatches.is_empty());
        let iam = coverage.sections()[0];
        assert_eq!(
            (iam.0, iam.1, iam.2),
            ("1", "Identity and Access Management", 1)
        );
    }

    #[test]
    fn unknown_ids_and_disagreeing_scoring_or_level_are_mismatches() {
        let v3 = benchmarks::find("3.0.0").unwrap();
        let checks = [check(
            "confused",
            &[
                ("3.0.0", "1.99", Scoring::Automated, 1),
                ("3.0.0", "1.5", Scoring::Manual, 2),
            ],
        )];
        let coverage = Coverage::new(v3, None, &checks);
        let problems: Vec<(&str, Problem)> = coverage
            .mismatches
            .iter()
            .map(|m| (m.id.as_str(), m.problem))
            .collect();
        assert_eq!(
            problems,
            [
                ("1.99", Problem::UnknownRecommendation),
                ("1.5", Problem::Scoring),
                ("1.5", Problem::Level),
            ]
        );
        assert_eq!(coverage.mismatches[1].table.as_deref(), Some("Automated"));
        assert!(
            coverage
                .table()
                .contains("confused declares 1.5 as Level 2; the CIS v3.0.0 table says Level 1")
        );
    }

    #[test]
    fn sections_filter_by_number_prefix_or_name() {
        let v6 = benchmarks::find("6.0.0").unwrap();
        let ids = |filter: &str| -> Vec<String> {
            let filter = SectionFilter::new(filter);
            v6.recommendations
                .iter()
                .filter(|r| filter.matches(r))
                .map(|r| r.id.clone())
                .collect()
        };
        assert_eq!(ids("3.1"), ["3.1.1", "3.1.2", "3.1.3", "3.1.4"]);
        assert!(ids("2").iter().all(|id| id.starts_with("2.")));
        assert!(!ids("2").is_empty());
        assert_eq!(ids("s3"), ids("3.1"));
        assert!(ids("identity and access").iter().eq(ids("2").iter()));
        assert_eq!(ids("IAM"), ids("2"));
        let error = SectionFilter::new("Billing")
            .ensure_matches(v6)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("2 Identity and Access Management") && error.contains("4 Logging"),
            "{error}"
        );
    }
}
