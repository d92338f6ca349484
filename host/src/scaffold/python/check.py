"""{{title}}

CIS control `{{control_key}}`; its references below were written by
`host new` from the CIS reference tables.

EXAMPLE RULE: this scaffold judges the root user's MFA from the IAM account
summary, so that it builds and passes its fixtures out of the box. Replace
`evaluate` with the control's logic (and `reads.declare` with what it
calls), then its fixtures (`host test . --update` after checking the
difference it shows)."""

from typing import List

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import iam, reads, scan
from wit_world.imports.types import (
    BenchmarkRef,
    CheckMetadata,
    DataError,
    DataError_AccessDenied,
    Finding,
    FindingStatus,
    Scoring,
    Severity,
)

CHECK_ID = "{{id}}"
GLOBAL_REGION = "global"
BENCHMARK = "CIS AWS Foundations"
# (version, id, scoring, level) of control {{control_key}}, oldest first.
REFERENCES = [
{{python_references}}
]


def root_arn() -> str:
    return f"arn:{scan.partition()}:iam::{scan.account_id()}:root"


def describe(error: DataError) -> str:
    if isinstance(error, DataError_AccessDenied):
        return f"access denied to {error.value.action}: {error.value.message}"
    return str(error.value)


class Plugin(exports.Plugin):
    def metadata(self) -> CheckMetadata:
        # The data functions `evaluate` calls: the host collects only these.
        reads.declare(["iam.account-summary"])
        return CheckMetadata(
            id=CHECK_ID,
            title="{{title_escaped}}",
            description="Checks ... (say what the check reads and what it requires).",
            rationale="Why the control matters.",
            remediation="How to fix a failing resource.",
            severity=Severity.HIGH,
            benchmarks=[
                BenchmarkRef(BENCHMARK, version, id, scoring, level)
                for (version, id, scoring, level) in REFERENCES
            ],
        )

    def evaluate(self) -> List[Finding]:
        # Missing or denied data is never a pass: it becomes an error finding.
        try:
            summary = {entry.name: entry.value for entry in iam.account_summary()}
        except Err as error:
            return [Finding(root_arn(), GLOBAL_REGION, FindingStatus.ERROR, describe(error.value), [])]
        if summary.get("AccountMFAEnabled") == 1:
            return [Finding(root_arn(), GLOBAL_REGION, FindingStatus.PASS, "the root user has MFA", [])]
        return [Finding(root_arn(), GLOBAL_REGION, FindingStatus.FAIL, "the root user has no MFA device", [])]
