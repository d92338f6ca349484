//! IAM users with a console password were not given an access key at setup:
//! no such user has an active access key that has never been used.

use plumbline_guest::bindings::plumbline::check::iam::CredentialReportRow;
use plumbline_guest::prelude::*;

struct NoAccessKeysAtUserSetup;

impl Check for NoAccessKeysAtUserSetup {
    fn metadata() -> CheckInfo {
        CheckInfo {
            control: cis::IAM_NO_ACCESS_KEYS_AT_USER_SETUP,
            severity: Severity::Low,
            description: "Checks, from the IAM credential report, that no IAM user with a \
                          console password has an active access key that has never been used: \
                          the mark of a key created along with the user (the console's \
                          default) rather than because the person needed one.",
            rationale: "People who work in the console rarely need an access key. Keys handed \
                        out at setup sit unused, unrotated and unnoticed, yet stay valid \
                        secrets that can leak. Creating them only on request keeps the number \
                        of long-lived keys to those actually used.",
            remediation: "For each listed user: make the never-used access key inactive and \
                          delete it (aws iam delete-access-key --user-name <user> \
                          --access-key-id <id>). Issue keys later only to users who ask for \
                          programmatic access, and prefer IAM Identity Center or roles.",
        }
    }

    fn evaluate() -> Result<Vec<Finding>, DataError> {
        credentials::judge_each_user(|row, _| judge(row))
    }
}

fn judge(row: &CredentialReportRow) -> Finding {
    if row.password_enabled != Some(true) {
        return Finding::pass(&row.arn, GLOBAL_REGION, "no console password");
    }
    let unused: Vec<String> = credentials::active_keys(row)
        .filter(|(_, key)| credentials::never_used(key))
        .map(|(number, _)| format!("access key {number}"))
        .collect();
    if unused.is_empty() {
        Finding::pass(
            &row.arn,
            GLOBAL_REGION,
            "console password and no active access key that has never been used",
        )
    } else {
        Finding::fail(
            &row.arn,
            GLOBAL_REGION,
            format!(
                "console password and active {} never used, likely created at user setup; \
                 delete it unless the user needs programmatic access",
                unused.join(" and ")
            ),
        )
    }
}

plumbline_guest::export_check!(NoAccessKeysAtUserSetup);
