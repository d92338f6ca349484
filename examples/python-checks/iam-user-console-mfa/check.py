"""Every IAM user with a console password has MFA enabled: the Python twin of
checks/iam/iam-user-console-mfa, built with componentize-py against the narrow
world in wit/world.wit (it imports only `scan`, `iam` and `reads`)."""

from typing import List

import cis
from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import iam, reads, scan
from wit_world.imports.types import (
    BenchmarkRef,
    CheckMetadata,
    DataError,
    DataError_AccessDenied,
    DataError_NotAvailable,
    Finding,
    FindingStatus,
    Scoring,
    Severity,
)

CHECK_ID = "py-iam-user-console-mfa"
CONTROL = cis.IAM_USER_CONSOLE_MFA
GLOBAL_REGION = "global"
# The credential report's row for the root account, which is not an IAM user.
ROOT_REPORT_USER = "<root_account>"


def account_resource() -> str:
    return f"account {scan.account_id()}"


def describe(error: DataError) -> str:
    if isinstance(error, DataError_AccessDenied):
        return f"access denied to {error.value.action}: {error.value.message}"
    if isinstance(error, DataError_NotAvailable):
        return f"data not available: {error.value}"
    return f"collection failed: {error.value}"


def finding(status: FindingStatus, resource: str, message: str) -> Finding:
    return Finding(resource, GLOBAL_REGION, status, message, [])


def judge_console_users() -> List[Finding]:
    findings = []
    for row in iam.credential_report():
        if row.user == ROOT_REPORT_USER or row.password_enabled is not True:
            continue
        if row.mfa_active:
            findings.append(
                finding(FindingStatus.PASS, row.arn, f"console user {row.user} has MFA")
            )
        else:
            findings.append(
                finding(
                    FindingStatus.FAIL,
                    row.arn,
                    f"console user {row.user} has a password but no MFA device",
                )
            )
    if not findings:
        return [
            finding(FindingStatus.PASS, account_resource(), "no IAM user has a console password")
        ]
    return findings


class Plugin(exports.Plugin):
    def metadata(self) -> CheckMetadata:
        # componentize-py imports every function of `iam`; without this the
        # host would collect (and ask permission for) all of IAM.
        reads.declare(["iam.credential-report"])
        return CheckMetadata(
            id=CHECK_ID,
            title=CONTROL.title,
            description="Checks, from the IAM credential report, that every IAM user who can "
            "sign in to the console has an MFA device (written in Python).",
            rationale="A console password alone can be phished, guessed or reused from another "
            "breach; MFA keeps such a password from opening the account.",
            remediation="For each listed user: IAM > Users > the user > Security credentials > "
            "Assign MFA device. Consider an IAM policy that denies actions without MFA until a "
            "device is registered.",
            severity=Severity.HIGH,
            benchmarks=[
                BenchmarkRef(
                    cis.BENCHMARK,
                    reference.version,
                    reference.id,
                    Scoring[reference.scoring],
                    reference.level,
                )
                for reference in CONTROL.references
            ],
        )

    def evaluate(self) -> List[Finding]:
        # Missing or denied data is never a pass: it becomes one error finding.
        try:
            return judge_console_users()
        except Err as error:
            return [finding(FindingStatus.ERROR, account_resource(), describe(error.value))]
