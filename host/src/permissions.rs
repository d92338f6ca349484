//! `host permissions`: the least-privilege IAM policy for the loaded checks.
//! It is derived from the registry: the actions of every data set the checks
//! read and of the data sets those depend on, plus what every scan calls.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::json;

use crate::cli::{Format, PermissionsArgs};
use crate::collect::{ALWAYS_CALLED, REGIONS_ACTION};
use crate::progress::Progress;
use crate::registry::Plan;
use crate::report::{self, table::Columns};
use crate::scan::{self, exit};

pub fn permissions(args: PermissionsArgs) -> anyhow::Result<u8> {
    let progress = Progress::new(args.output_level.quiet, args.output_level.verbose);
    let runtime = scan::build_runtime(&args.runtime)?;
    let checks = scan::load_checks(&runtime, &args.plugins, &progress)?;
    let permissions = Permissions::new(
        checks
            .iter()
            .map(|check| (check.metadata.id.as_str(), &check.reads.plan)),
    );
    let rendered = match args.format {
        Format::Table => permissions.table(checks.len()),
        Format::Json => permissions.policy(),
    };
    match &args.output {
        Some(path) => {
            report::write_atomically(path, rendered.as_bytes())?;
            progress.step(format!("Permissions written to {}", path.display()));
        }
        None => print!("{rendered}"),
    }
    Ok(exit::CLEAN)
}

/// Every IAM action the checks need, with what it reads and for whom.
pub struct Permissions {
    actions: BTreeMap<&'static str, Need>,
}

#[derive(Default)]
struct Need {
    /// Descriptions of the data sets it collects.
    reads: BTreeSet<&'static str>,
    /// The checks that need it; empty for what every scan calls.
    checks: BTreeSet<String>,
    regional: bool,
}

impl Permissions {
    /// From each check's id and the data sets it reads (dependencies
    /// included, as a contract's plan has them).
    pub fn new<'a>(checks: impl IntoIterator<Item = (&'a str, &'a Plan)>) -> Permissions {
        let mut actions: BTreeMap<&'static str, Need> = BTreeMap::new();
        for action in ALWAYS_CALLED {
            actions
                .entry(action)
                .or_default()
                .reads
                .insert("which account and partition this is (every scan)");
        }
        for (check, plan) in checks {
            for set in plan.iter() {
                let regional = set.scope().reads_every_region();
                for action in set.actions() {
                    let need = actions.entry(action).or_default();
                    need.reads.insert(set.description());
                    need.checks.insert(check.to_string());
                    need.regional |= regional;
                }
            }
            if plan.is_regional() {
                let need = actions.entry(REGIONS_ACTION).or_default();
                need.reads
                    .insert("the enabled regions (not called when --regions is given)");
                need.checks.insert(check.to_string());
            }
        }
        Permissions { actions }
    }

    pub fn actions(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.actions.keys().copied()
    }

    /// An IAM policy document granting exactly these actions.
    pub fn policy(&self) -> String {
        let policy = json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "PlumblineReadOnlyAudit",
                "Effect": "Allow",
                "Action": self.actions().collect::<Vec<_>>(),
                "Resource": "*",
            }],
        });
        let mut text = serde_json::to_string_pretty(&policy).expect("a policy is JSON");
        text.push('\n');
        text
    }

    /// One row per action: what it reads, where, and which checks need it.
    pub fn table(&self, checks_loaded: usize) -> String {
        let header = ["IAM action", "Reads", "Needed by"].map(String::from);
        let rows: Vec<[String; 3]> = self
            .actions
            .iter()
            .map(|(action, need)| {
                let reads = need.reads.iter().copied().collect::<Vec<_>>().join("; ");
                let scope = if need.regional { " (every region)" } else { "" };
                let needed_by = if need.checks.is_empty() {
                    "every scan".to_string()
                } else {
                    brief(&need.checks)
                };
                [action.to_string(), format!("{reads}{scope}"), needed_by]
            })
            .collect();
        let columns = Columns::fit(&header, &rows);
        let mut out = String::new();
        writeln!(
            out,
            "Read-only IAM actions the {checks_loaded} loaded checks need ({} actions; \
             `--format json` prints them as an IAM policy)\n",
            self.actions.len()
        )
        .unwrap();
        writeln!(out, "{}", columns.line(&header)).unwrap();
        for row in &rows {
            writeln!(out, "{}", columns.line(row)).unwrap();
        }
        out
    }
}

/// At most three names, then how many more.
fn brief(names: &BTreeSet<String>) -> String {
    const SHOWN: usize = 3;
    let shown: Vec<&str> = names.iter().take(SHOWN).map(String::as_str).collect();
    match names.len().saturating_sub(SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::{access_analyzer, iam, s3};

    fn plan(sets: &[&'static dyn crate::registry::AnyDataSet]) -> Plan {
        let mut plan = Plan::default();
        for set in sets {
            plan.add(*set);
        }
        plan
    }

    #[test]
    fn actions_come_from_the_data_sets_read_and_their_dependencies() {
        let buckets = plan(&[&s3::BUCKET_PUBLIC_ACCESS_BLOCKS]);
        let mfa = plan(&[&iam::ACCOUNT_SUMMARY]);
        let permissions = Permissions::new([("s3-check", &buckets), ("mfa-check", &mfa)]);
        assert_eq!(
            permissions.actions().collect::<Vec<_>>(),
            [
                "iam:GetAccountSummary",
                "s3:GetBucketLocation",
                "s3:GetBucketPublicAccessBlock",
                "s3:ListAllMyBuckets",
                "sts:GetCallerIdentity",
            ],
            "the bucket list is collected for the per-bucket settings"
        );
        let policy: serde_json::Value = serde_json::from_str(&permissions.policy()).unwrap();
        assert_eq!(policy["Statement"][0]["Effect"], "Allow");
        assert_eq!(policy["Statement"][0]["Resource"], "*");
        assert_eq!(
            policy["Statement"][0]["Action"].as_array().unwrap().len(),
            5
        );
    }

    #[test]
    fn regional_data_needs_the_region_list_and_says_so() {
        let analyzers = plan(&[&access_analyzer::ANALYZERS]);
        let permissions = Permissions::new([("analyzer-check", &analyzers)]);
        assert!(permissions.actions().any(|action| action == REGIONS_ACTION));
        let table = permissions.table(1);
        let row = table
            .lines()
            .find(|line| line.starts_with("access-analyzer:ListAnalyzers"))
            .unwrap();
        assert!(
            row.contains("(every region)") && row.contains("analyzer-check"),
            "{row}"
        );
        let sts = table
            .lines()
            .find(|line| line.starts_with("sts:GetCallerIdentity"))
            .unwrap();
        assert!(sts.ends_with("every scan"), "{sts}");
    }

    #[test]
    fn long_check_lists_are_cut() {
        let names: BTreeSet<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
        assert_eq!(brief(&names), "a, b, c and 2 more");
    }
}
