// The root user has no access keys: the JavaScript twin of
// checks/iam/root-no-access-keys, built with componentize-js against the
// narrow world in wit/world.wit (it imports only `scan`, `iam` and `reads`).
//
// How componentize-js maps the contract: records are objects with camelCase
// fields, enums are their kebab-case case names ("critical", "automated"),
// s64 is a BigInt, and a data function returning `result<T, data-error>`
// returns T or throws an Error whose `payload` is the data-error variant,
// `{ tag: "access-denied", val: { action, message } }` and so on.

import { accountSummary } from "plumbline:check/iam@1.5.0";
import { declare } from "plumbline:check/reads@1.5.0";
import { accountId, partition } from "plumbline:check/scan@1.5.0";
import { BENCHMARK, ROOT_NO_ACCESS_KEYS as CONTROL } from "./cis.js";

const CHECK_ID = "js-root-no-access-keys";
const GLOBAL_REGION = "global";
const DATA_ERRORS = new Set(["access-denied", "not-available", "collection-failed"]);

function rootArn() {
    return `arn:${partition()}:iam::${accountId()}:root`;
}

// Where a data error is reported, as the Rust guest SDK reports it.
function accountResource() {
    return `account ${accountId()}`;
}

// Thrown like a data function's own error, so one catch handles both.
function dataError(tag, val) {
    const error = new Error(`${tag}: ${val}`);
    error.payload = { tag, val };
    return error;
}

function describe(error) {
    switch (error.tag) {
        case "access-denied":
            return `access denied to ${error.val.action}: ${error.val.message}`;
        case "not-available":
            return `data not available: ${error.val}`;
        default:
            return `collection failed: ${error.val}`;
    }
}

// A missing entry is a data error, never read as zero (like the SDK's
// account::summary_value).
function summaryValue(entries, name) {
    const entry = entries.find((candidate) => candidate.name === name);
    if (entry === undefined) {
        throw dataError("collection-failed", `the IAM account summary has no ${name} entry`);
    }
    return entry.value;
}

function finding(status, resource, message) {
    return { resource, region: GLOBAL_REGION, status, message, benchmarkVersions: [] };
}

function judgeRootKeys() {
    const keys = summaryValue(accountSummary(), "AccountAccessKeysPresent");
    if (keys === 0n) {
        return [finding("pass", rootArn(), "the root user has no access keys")];
    }
    return [
        finding(
            "fail",
            rootArn(),
            `the root user has access keys (AccountAccessKeysPresent = ${keys}); delete them`,
        ),
    ];
}

export const plugin = {
    metadata() {
        // componentize-js imports every function of `iam`; without this the
        // host would collect (and ask permission for) all of IAM.
        declare(["iam.account-summary"]);
        return {
            id: CHECK_ID,
            title: CONTROL.title,
            description:
                "Checks that the root user has no access keys (IAM account summary " +
                "`AccountAccessKeysPresent`; written in JavaScript).",
            rationale:
                "The root user can do anything in the account and no IAM policy restricts " +
                "it. An access key for it is a long-lived credential with that power; " +
                "deleting it removes a path to full account compromise.",
            remediation:
                "Sign in as the root user, open Security credentials, and delete every " +
                "access key under 'Access keys'. Use IAM roles for programmatic access.",
            severity: "critical",
            benchmarks: CONTROL.references.map(({ version, id, scoring, level }) => ({
                benchmark: BENCHMARK,
                version,
                id,
                scoring,
                level,
            })),
        };
    },

    evaluate() {
        // Missing or denied data is never a pass: it becomes one error
        // finding. Anything else is a bug and traps, which the host reports.
        try {
            return judgeRootKeys();
        } catch (error) {
            if (!DATA_ERRORS.has(error?.payload?.tag)) {
                throw error;
            }
            return [finding("error", accountResource(), describe(error.payload))];
        }
    },
};
