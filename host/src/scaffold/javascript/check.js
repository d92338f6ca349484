// {{title}}
//
// CIS control `{{control_key}}`; its references below were written by
// `host new` from the CIS reference tables.
//
// EXAMPLE RULE: this scaffold judges the root user's MFA from the IAM account
// summary, so that it builds and passes its fixtures out of the box. Replace
// `evaluate` with the control's logic (and `declare` with what it calls),
// then its fixtures (`host test . --update` after checking the difference it
// shows).
//
// componentize-js maps the contract so: records are objects with camelCase
// fields, enums are their kebab-case names ("automated", "high"), s64 is a
// BigInt, and a data function returning `result<T, data-error>` returns T or
// throws an Error whose `payload` is `{ tag: "access-denied", val: {...} }`.

import { accountSummary } from "plumbline:check/iam@{{api_version}}";
import { declare } from "plumbline:check/reads@{{api_version}}";
import { accountId, partition } from "plumbline:check/scan@{{api_version}}";

const CHECK_ID = "{{id}}";
const GLOBAL_REGION = "global";
const BENCHMARK = "CIS AWS Foundations";
// Control {{control_key}} in every benchmark version, oldest first.
const REFERENCES = [
{{javascript_references}}
];

function rootArn() {
    return `arn:${partition()}:iam::${accountId()}:root`;
}

function finding(status, message) {
    return { resource: rootArn(), region: GLOBAL_REGION, status, message, benchmarkVersions: [] };
}

function describe(error) {
    if (error.tag === "access-denied") {
        return `access denied to ${error.val.action}: ${error.val.message}`;
    }
    return `${error.tag}: ${error.val}`;
}

export const plugin = {
    metadata() {
        // The data functions `evaluate` calls: the host collects only these.
        declare(["iam.account-summary"]);
        return {
            id: CHECK_ID,
            title: "{{title_escaped}}",
            description: "Checks ... (say what the check reads and what it requires).",
            rationale: "Why the control matters.",
            remediation: "How to fix a failing resource.",
            severity: "high",
            benchmarks: REFERENCES.map(({ version, id, scoring, level }) => ({
                benchmark: BENCHMARK,
                version,
                id,
                scoring,
                level,
            })),
        };
    },

    evaluate() {
        let summary;
        try {
            summary = accountSummary();
        } catch (error) {
            // Missing or denied data is never a pass.
            if (error?.payload?.tag === undefined) {
                throw error;
            }
            return [finding("error", describe(error.payload))];
        }
        const mfa = summary.find((entry) => entry.name === "AccountMFAEnabled");
        if (mfa !== undefined && mfa.value === 1n) {
            return [finding("pass", "the root user has MFA")];
        }
        return [finding("fail", "the root user has no MFA device")];
    },
};
