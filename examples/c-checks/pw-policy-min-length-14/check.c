/* The account password policy requires passwords of at least 14 characters:
 * the C twin of checks/iam/pw-policy-min-length-14, with the same findings
 * (one account-wide finding; no policy is a fail; a data error is an `error`
 * finding). Built by scripts/build-c-checks.sh from the bindings that
 * `wit-bindgen c` writes for wit/world.wit (check.h) and the generated CIS
 * constants (cis.h).
 *
 * Ownership, as the bindings have it: what an import returns (strings, the
 * data error) was allocated for this check, which frees it; what an export
 * returns is freed by the bindings' post-return functions with free(), so
 * every string and list in it is a malloc'd copy, never a literal. */

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cis.h"

#define CHECK_ID "c-pw-policy-min-length-14"
#define GLOBAL_REGION "global"
/* CIS minimum. */
#define MINIMUM_LENGTH 14
/* What IAM enforces when the account has no password policy. */
#define IAM_DEFAULT_LENGTH 8
#define TEXT(number) #number
#define NUMBER_TEXT(number) TEXT(number)

CIS_ASSERT_SCORING_MATCHES(PLUMBLINE_CHECK_TYPES_SCORING_);

/* Messages are put together here rather than with snprintf: libc's stdio
 * brings in fd_write, fd_seek and fd_close, which the preview 1 adapter can
 * only serve by importing wasi:filesystem, and a check has no files. */
typedef struct text {
    uint8_t *bytes;
    size_t len;
    size_t capacity;
} text_t;

/* Out of memory has no finding to report it: trap, and the host records the
 * check as an error. */
static void *allocate(size_t size) {
    void *memory = malloc(size);
    if (memory == NULL) {
        abort();
    }
    return memory;
}

static void append(text_t *text, const void *bytes, size_t len) {
    if (text->len + len > text->capacity) {
        size_t capacity = text->capacity == 0 ? 64 : text->capacity;
        while (capacity < text->len + len) {
            capacity *= 2;
        }
        uint8_t *grown = realloc(text->bytes, capacity);
        if (grown == NULL) {
            abort();
        }
        text->bytes = grown;
        text->capacity = capacity;
    }
    memcpy(text->bytes + text->len, bytes, len);
    text->len += len;
}

static void append_cstr(text_t *text, const char *cstr) {
    append(text, cstr, strlen(cstr));
}

static void append_string(text_t *text, const check_string_t *string) {
    append(text, string->ptr, string->len);
}

static void append_u32(text_t *text, uint32_t number) {
    char digits[10];
    size_t count = 0;
    do {
        digits[sizeof digits - ++count] = (char)('0' + number % 10);
        number /= 10;
    } while (number != 0);
    append(text, digits + sizeof digits - count, count);
}

/* The text as a string the bindings free with free() after an export
 * returns. */
static check_string_t finish(text_t *text) {
    check_string_t string = {.ptr = text->bytes, .len = text->len};
    return string;
}

static check_string_t string_copy(const char *cstr) {
    text_t text = {0};
    append_cstr(&text, cstr);
    return finish(&text);
}

/* The resource for account-wide settings: "account <id>". */
static check_string_t account_resource(void) {
    check_string_t account_id;
    plumbline_check_scan_account_id(&account_id);
    text_t text = {0};
    append_cstr(&text, "account ");
    append_string(&text, &account_id);
    check_string_free(&account_id);
    return finish(&text);
}

static check_string_t describe(const plumbline_check_types_data_error_t *error) {
    text_t text = {0};
    switch (error->tag) {
    case PLUMBLINE_CHECK_TYPES_DATA_ERROR_ACCESS_DENIED:
        append_cstr(&text, "access denied to ");
        append_string(&text, &error->val.access_denied.action);
        append_cstr(&text, ": ");
        append_string(&text, &error->val.access_denied.message);
        break;
    case PLUMBLINE_CHECK_TYPES_DATA_ERROR_NOT_AVAILABLE:
        append_cstr(&text, "data not available: ");
        append_string(&text, &error->val.not_available);
        break;
    default:
        append_cstr(&text, "collection failed: ");
        append_string(&text, &error->val.collection_failed);
        break;
    }
    return finish(&text);
}

/* Takes ownership of `message`. */
static void one_finding(exports_plumbline_check_plugin_list_finding_t *ret,
                        plumbline_check_types_finding_status_t status, check_string_t message) {
    plumbline_check_types_finding_t *finding = allocate(sizeof *finding);
    finding->resource = account_resource();
    finding->region = string_copy(GLOBAL_REGION);
    finding->status = status;
    finding->message = message;
    /* Empty: the finding applies to every version the check references. */
    finding->benchmark_versions.ptr = NULL;
    finding->benchmark_versions.len = 0;
    ret->ptr = finding;
    ret->len = 1;
}

void exports_plumbline_check_plugin_evaluate(exports_plumbline_check_plugin_list_finding_t *ret) {
    plumbline_check_iam_option_password_policy_t policy;
    plumbline_check_iam_data_error_t error;

    /* Missing or denied data is never a pass: it becomes one error finding. */
    if (!plumbline_check_iam_account_password_policy(&policy, &error)) {
        check_string_t message = describe(&error);
        plumbline_check_iam_data_error_free(&error);
        one_finding(ret, PLUMBLINE_CHECK_TYPES_FINDING_STATUS_ERROR, message);
        return;
    }
    /* IAM's defaults enforce none of the CIS settings: no policy is a fail. */
    if (!policy.is_some) {
        one_finding(ret, PLUMBLINE_CHECK_TYPES_FINDING_STATUS_FAIL,
                    string_copy("the account has no password policy (no custom policy, IAM's "
                                "defaults apply), so nothing requires a minimum length of "
                                NUMBER_TEXT(MINIMUM_LENGTH) " (IAM accepts "
                                NUMBER_TEXT(IAM_DEFAULT_LENGTH) "-character passwords)"));
        return;
    }
    uint32_t length = policy.val.minimum_password_length;
    plumbline_check_iam_option_password_policy_free(&policy);
    text_t message = {0};
    append_cstr(&message, "minimum password length is ");
    append_u32(&message, length);
    append_cstr(&message, " (CIS requires " NUMBER_TEXT(MINIMUM_LENGTH) " or more)");
    one_finding(ret,
                length >= MINIMUM_LENGTH ? PLUMBLINE_CHECK_TYPES_FINDING_STATUS_PASS
                                         : PLUMBLINE_CHECK_TYPES_FINDING_STATUS_FAIL,
                finish(&message));
}

void exports_plumbline_check_plugin_metadata(exports_plumbline_check_plugin_check_metadata_t *ret) {
    const cis_control_t *control = &CIS_PW_POLICY_MIN_LENGTH_14;
    ret->id = string_copy(CHECK_ID);
    ret->title = string_copy(control->title);
    ret->description = string_copy("Checks that the IAM account password policy sets a minimum "
                                   "password length of 14 or more (written in C).");
    ret->rationale = string_copy("Longer passwords resist guessing and brute force. Without a "
                                 "policy IAM accepts 8-character passwords.");
    ret->remediation = string_copy(
        "aws iam update-account-password-policy --minimum-password-length 14 (with the other "
        "settings you keep), or IAM > Account settings > Password policy in the console.");
    ret->severity = PLUMBLINE_CHECK_TYPES_SEVERITY_MEDIUM;
    plumbline_check_types_benchmark_ref_t *references =
        allocate(control->references_len * sizeof *references);
    for (size_t index = 0; index < control->references_len; index++) {
        const cis_reference_t *reference = &control->references[index];
        references[index].benchmark = string_copy(CIS_BENCHMARK);
        references[index].version = string_copy(reference->version);
        references[index].id = string_copy(reference->id);
        references[index].scoring = (plumbline_check_types_scoring_t)reference->scoring;
        references[index].level = reference->level;
    }
    ret->benchmarks.ptr = references;
    ret->benchmarks.len = control->references_len;
}
