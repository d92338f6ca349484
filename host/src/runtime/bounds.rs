//! Size limits on the text a check hands the host. The memory limit bounds
//! what a check can return in total, but not one string: without these, a
//! check could put a 60 MB title in every report, or a message of thousands
//! of lines in the table. Each limit is far above what the first-party
//! checks write on the largest accounts, so only a broken or hostile check
//! meets one. Sizes are in bytes of UTF-8, which is what reports store.

use crate::bindings::types::{CheckMetadata, Finding};
use crate::report::untrusted::snippet;

/// A check id is a short kebab-case name; the longest first-party id has 39
/// bytes.
pub const ID_BYTES: usize = 64;
/// A title is one line of a report; the longest CIS recommendation title of
/// v1.2.0 to v7.0.0 has 114 bytes.
pub const TITLE_BYTES: usize = 256;
/// The description, rationale and remediation are a few paragraphs each.
pub const PROSE_BYTES: usize = 8 * 1024;
/// A check references one recommendation per benchmark version (eleven
/// versions so far, one a year).
pub const BENCHMARK_REFS: usize = 64;
/// Names, versions and ids of benchmark references, a finding's region and
/// benchmark versions: `CIS AWS Foundations`, `7.0.0`, `5.1.1`,
/// `ap-southeast-5`.
pub const LABEL_BYTES: usize = 64;
/// A resource is an ARN where one exists, and AWS caps ARNs at 2048
/// characters.
pub const RESOURCE_BYTES: usize = 2048;
/// A message is one line saying why (the WIT contract says so); 8 KiB is a
/// hundred lines of a terminal. The longest first-party messages list the
/// roles or routes behind a verdict, a few hundred bytes on real accounts.
pub const MESSAGE_BYTES: usize = 8 * 1024;
/// Checks write one finding per resource. An account can have up to a
/// million S3 buckets (the highest quota AWS grants), and a check returning
/// a million findings with real ARNs already needs more than the default
/// memory limit; beyond that, a check is producing findings, not judging
/// resources.
pub const FINDINGS: usize = 1_000_000;

/// "is 70 bytes, over the limit of 64 bytes", if it is.
fn oversized(text: &str, limit: usize) -> Option<String> {
    (text.len() > limit)
        .then(|| format!("is {} bytes, over the limit of {limit} bytes", text.len()))
}

/// "declares 70 benchmark references, over the limit of 64", if it does.
fn too_many(verb: &str, count: usize, what: &str, limit: usize) -> Option<String> {
    (count > limit).then(|| format!("{verb} {count} {what}, over the limit of {limit}"))
}

/// The check id's size, checked before anything shows the id.
pub fn check_id(id: &str) -> Result<(), String> {
    match oversized(id, ID_BYTES) {
        Some(problem) => Err(format!("its check id \"{}\" {problem}", snippet(id))),
        None => Ok(()),
    }
}

/// The first field of the metadata over its limit, with its size and the
/// limit. The id has passed [`check_id`].
pub fn metadata(metadata: &CheckMetadata) -> Result<(), String> {
    let prose = [
        ("title", &metadata.title, TITLE_BYTES),
        ("description", &metadata.description, PROSE_BYTES),
        ("rationale", &metadata.rationale, PROSE_BYTES),
        ("remediation", &metadata.remediation, PROSE_BYTES),
    ];
    let problem = prose
        .into_iter()
        .find_map(|(field, text, limit)| {
            oversized(text, limit).map(|problem| format!("its {field} {problem}"))
        })
        .or_else(|| {
            too_many(
                "it declares",
                metadata.benchmarks.len(),
                "benchmark references",
                BENCHMARK_REFS,
            )
        })
        .or_else(|| {
            metadata
                .benchmarks
                .iter()
                .enumerate()
                .find_map(|(index, reference)| {
                    [
                        ("benchmark", &reference.benchmark),
                        ("version", &reference.version),
                        ("id", &reference.id),
                    ]
                    .into_iter()
                    .find_map(|(field, text)| {
                        oversized(text, LABEL_BYTES).map(|problem| {
                            format!(
                                "the {field} of its benchmark reference {} {problem}",
                                index + 1
                            )
                        })
                    })
                })
        });
    problem.map_or(Ok(()), Err)
}

/// The first problem with a check's findings: too many, or a finding with a
/// field over its limit, named with its size, the limit and the resource.
pub fn findings(findings: &[Finding]) -> Result<(), String> {
    if let Some(problem) = too_many("returned", findings.len(), "findings", FINDINGS) {
        return Err(problem);
    }
    for finding in findings {
        let problem = [
            ("resource", &finding.resource, RESOURCE_BYTES),
            ("region", &finding.region, LABEL_BYTES),
            ("message", &finding.message, MESSAGE_BYTES),
        ]
        .into_iter()
        .find_map(|(field, text, limit)| {
            oversized(text, limit).map(|problem| format!("whose {field} {problem}"))
        })
        .or_else(|| {
            too_many(
                "with",
                finding.benchmark_versions.len(),
                "benchmark versions",
                BENCHMARK_REFS,
            )
        })
        .or_else(|| {
            finding.benchmark_versions.iter().find_map(|version| {
                oversized(version, LABEL_BYTES)
                    .map(|problem| format!("with a benchmark version that {problem}"))
            })
        });
        if let Some(problem) = problem {
            return Err(format!(
                "returned a finding {problem} (resource \"{}\")",
                snippet(&finding.resource)
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bindings::types::{BenchmarkRef, FindingStatus, Scoring, Severity};

    fn metadata_with(title: &str, references: usize) -> CheckMetadata {
        CheckMetadata {
            id: "some-check".into(),
            title: title.into(),
            description: "d".into(),
            rationale: "r".into(),
            remediation: "m".into(),
            severity: Severity::Low,
            benchmarks: (0..references)
                .map(|_| BenchmarkRef {
                    benchmark: "CIS AWS Foundations".into(),
                    version: "7.0.0".into(),
                    id: "1.1".into(),
                    scoring: Scoring::Automated,
                    level: 1,
                })
                .collect(),
        }
    }

    fn finding(resource: &str, message: &str) -> Finding {
        Finding {
            resource: resource.into(),
            region: "global".into(),
            status: FindingStatus::Fail,
            message: message.into(),
            benchmark_versions: Vec::new(),
        }
    }

    #[test]
    fn metadata_at_the_limits_is_accepted() {
        assert_eq!(
            metadata(&metadata_with(&"t".repeat(TITLE_BYTES), BENCHMARK_REFS)),
            Ok(())
        );
        assert_eq!(check_id(&"a".repeat(ID_BYTES)), Ok(()));
    }

    #[test]
    fn oversized_metadata_names_the_field_its_size_and_the_limit() {
        assert_eq!(
            metadata(&metadata_with(&"t".repeat(1 << 20), 1)),
            Err("its title is 1048576 bytes, over the limit of 256 bytes".into())
        );
        assert_eq!(
            metadata(&metadata_with("t", BENCHMARK_REFS + 1)),
            Err("it declares 65 benchmark references, over the limit of 64".into())
        );
        let mut long_reference = metadata_with("t", 2);
        long_reference.benchmarks[1].id = "9".repeat(100);
        assert_eq!(
            metadata(&long_reference),
            Err(
                "the id of its benchmark reference 2 is 100 bytes, over the limit of 64 bytes"
                    .into()
            )
        );
    }

    #[test]
    fn an_oversized_id_is_shown_escaped_and_cut() {
        let problem = check_id(&format!("\x1b]0;pwned\x07{}", "a".repeat(500))).unwrap_err();
        assert!(
            problem.starts_with("its check id \"\\x1b]0;pwned\\x07aaa"),
            "{problem}"
        );
        assert!(
            problem.ends_with("a…\" is 510 bytes, over the limit of 64 bytes"),
            "{problem}"
        );
    }

    #[test]
    fn oversized_findings_name_the_field_and_the_resource() {
        let fine = finding("arn:aws:s3:::bucket", "ok");
        assert_eq!(findings(std::slice::from_ref(&fine)), Ok(()));

        let long_message = finding("arn:aws:s3:::\x1b[2Kbucket", &"m".repeat(MESSAGE_BYTES + 1));
        assert_eq!(
            findings(&[fine.clone(), long_message]),
            Err(
                "returned a finding whose message is 8193 bytes, over the limit of 8192 bytes \
                 (resource \"arn:aws:s3:::\\x1b[2Kbucket\")"
                    .into()
            )
        );

        let long_resource = finding(&"r".repeat(RESOURCE_BYTES + 1), "m");
        let problem = findings(&[long_resource]).unwrap_err();
        assert!(
            problem.starts_with("returned a finding whose resource is 2049 bytes"),
            "{problem}"
        );
        assert!(problem.ends_with("rrr…\")"), "{problem}");

        let mut versions = fine.clone();
        versions.benchmark_versions = vec!["7.0.0".into(); BENCHMARK_REFS + 1];
        assert!(
            findings(&[versions])
                .unwrap_err()
                .starts_with("returned a finding with 65 benchmark versions")
        );
    }

    #[test]
    fn too_many_findings_are_named_with_the_count_and_the_limit() {
        let problem = too_many("returned", FINDINGS + 1, "findings", FINDINGS);
        assert_eq!(
            problem.as_deref(),
            Some("returned 1000001 findings, over the limit of 1000000")
        );
    }
}
