/* {{title}}
 *
 * CIS control `{{control_key}}`; its references below were written by
 * `host new` from the CIS reference tables.
 *
 * EXAMPLE RULE: this scaffold judges the root user's MFA from the IAM account
 * summary, so that it builds and passes its fixtures out of the box. Replace
 * the evaluate function with the control's logic, then its fixtures
 * (`host test . --update` after checking the difference it shows).
 *
 * `check.h` is written by `wit-bindgen c` at build time. Ownership, as the
 * bindings have it: what an import returns was allocated for this check,
 * which frees it; what an export returns is freed by the bindings with
 * free(), so every string in it is a malloc'd copy, never a literal. A C
 * component imports only the functions its code calls, so the host collects
 * exactly those: no read declaration is needed. */

#include <stdlib.h>
#include <string.h>

#include "check.h"

#define CHECK_ID "{{id}}"
#define GLOBAL_REGION "global"
#define BENCHMARK "CIS AWS Foundations"

typedef struct reference {
    const char *version;
    const char *id;
    plumbline_check_types_scoring_t scoring;
    uint8_t level;
} reference_t;

/* Control {{control_key}} in every benchmark version, oldest first. */
static const reference_t REFERENCES[] = {
{{c_references}}
};

/* Out of memory has no finding to report it: trap, and the host records the
 * check as an error. */
static void *allocate(size_t size) {
    void *memory = malloc(size);
    if (memory == NULL) {
        abort();
    }
    return memory;
}

/* A malloc'd copy of `count` strings joined. */
static check_string_t join(size_t count, const check_string_t *parts) {
    size_t len = 0;
    for (size_t index = 0; index < count; index++) {
        len += parts[index].len;
    }
    uint8_t *bytes = allocate(len == 0 ? 1 : len);
    size_t at = 0;
    for (size_t index = 0; index < count; index++) {
        memcpy(bytes + at, parts[index].ptr, parts[index].len);
        at += parts[index].len;
    }
    check_string_t joined = {.ptr = bytes, .len = len};
    return joined;
}

static check_string_t literal(const char *text) {
    check_string_t borrowed = {.ptr = (uint8_t *)text, .len = strlen(text)};
    return borrowed;
}

static check_string_t copy(const char *text) {
    check_string_t part = literal(text);
    return join(1, &part);
}

/* arn:<partition>:iam::<account>:root */
static check_string_t root_arn(void) {
    check_string_t partition, account_id;
    plumbline_check_scan_partition(&partition);
    plumbline_check_scan_account_id(&account_id);
    check_string_t parts[] = {literal("arn:"), partition, literal(":iam::"), account_id,
                              literal(":root")};
    check_string_t arn = join(sizeof parts / sizeof parts[0], parts);
    check_string_free(&partition);
    check_string_free(&account_id);
    return arn;
}

static check_string_t describe(const plumbline_check_types_data_error_t *error) {
    switch (error->tag) {
    case PLUMBLINE_CHECK_TYPES_DATA_ERROR_ACCESS_DENIED: {
        check_string_t parts[] = {literal("access denied to "), error->val.access_denied.action,
                                  literal(": "), error->val.access_denied.message};
        return join(sizeof parts / sizeof parts[0], parts);
    }
    case PLUMBLINE_CHECK_TYPES_DATA_ERROR_NOT_AVAILABLE:
        return join(1, &error->val.not_available);
    default:
        return join(1, &error->val.collection_failed);
    }
}

/* One finding on the root user; takes ownership of `message`. */
static void one_finding(exports_plumbline_check_plugin_list_finding_t *ret,
                        plumbline_check_types_finding_status_t status, check_string_t message) {
    plumbline_check_types_finding_t *finding = allocate(sizeof *finding);
    finding->resource = root_arn();
    finding->region = copy(GLOBAL_REGION);
    finding->status = status;
    finding->message = message;
    /* Empty: the finding applies to every version the check references. */
    finding->benchmark_versions.ptr = NULL;
    finding->benchmark_versions.len = 0;
    ret->ptr = finding;
    ret->len = 1;
}

void exports_plumbline_check_plugin_evaluate(exports_plumbline_check_plugin_list_finding_t *ret) {
    plumbline_check_iam_list_summary_entry_t summary;
    plumbline_check_iam_data_error_t error;
    /* Missing or denied data is never a pass: it becomes an error finding. */
    if (!plumbline_check_iam_account_summary(&summary, &error)) {
        check_string_t message = describe(&error);
        plumbline_check_iam_data_error_free(&error);
        one_finding(ret, PLUMBLINE_CHECK_TYPES_FINDING_STATUS_ERROR, message);
        return;
    }
    int enabled = 0;
    for (size_t index = 0; index < summary.len; index++) {
        const check_string_t *name = &summary.ptr[index].name;
        if (name->len == strlen("AccountMFAEnabled") &&
            memcmp(name->ptr, "AccountMFAEnabled", name->len) == 0) {
            enabled = summary.ptr[index].value == 1;
        }
    }
    plumbline_check_iam_list_summary_entry_free(&summary);
    if (enabled) {
        one_finding(ret, PLUMBLINE_CHECK_TYPES_FINDING_STATUS_PASS, copy("the root user has MFA"));
    } else {
        one_finding(ret, PLUMBLINE_CHECK_TYPES_FINDING_STATUS_FAIL,
                    copy("the root user has no MFA device"));
    }
}

void exports_plumbline_check_plugin_metadata(exports_plumbline_check_plugin_check_metadata_t *ret) {
    ret->id = copy(CHECK_ID);
    ret->title = copy("{{title_escaped}}");
    ret->description = copy("Checks ... (say what the check reads and what it requires).");
    ret->rationale = copy("Why the control matters.");
    ret->remediation = copy("How to fix a failing resource.");
    ret->severity = PLUMBLINE_CHECK_TYPES_SEVERITY_HIGH;
    size_t count = sizeof REFERENCES / sizeof REFERENCES[0];
    plumbline_check_types_benchmark_ref_t *references = allocate(count * sizeof *references);
    for (size_t index = 0; index < count; index++) {
        references[index].benchmark = copy(BENCHMARK);
        references[index].version = copy(REFERENCES[index].version);
        references[index].id = copy(REFERENCES[index].id);
        references[index].scoring = REFERENCES[index].scoring;
        references[index].level = REFERENCES[index].level;
    }
    ret->benchmarks.ptr = references;
    ret->benchmarks.len = count;
}
