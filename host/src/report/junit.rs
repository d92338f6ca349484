//! JUnit XML, for CI systems that show test results: one test suite per
//! scan, one test case per check and resource (`classname` the check,
//! `name` the CIS id and resource). A failing finding is a `failure`, a
//! check that could not evaluate or an error finding an `error`, manual and
//! not-applicable findings `skipped` with their message. Every attribute and
//! text is XML-escaped; characters XML cannot carry at all (most C0
//! controls) are written as visible escapes.

use std::fmt::Write as _;

use super::untrusted::escape;
use super::{Report, Row, Status};

pub fn render(report: &Report) -> String {
    let rows = report.rows();
    let count = |status: Status| rows.iter().filter(|row| row.status == status).count();
    let (failures, errors) = (count(Status::Fail), count(Status::Error));
    let skipped = count(Status::Manual) + count(Status::NotApplicable) + count(Status::Waived);
    let suite = format!(
        "CIS AWS Foundations v{} - account {}",
        report.benchmark_version.as_deref().unwrap_or("-"),
        report.account_id
    );
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"plumbline\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\">",
        rows.len()
    );
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" \
         skipped=\"{skipped}\" timestamp=\"{}\">",
        xml(&suite),
        rows.len(),
        xml(&report.evaluated_at)
    );
    for row in &rows {
        test_case(&mut out, row);
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn test_case(out: &mut String, row: &Row) {
    let id = row.reference.map_or("-", |reference| reference.id.as_str());
    let name = if row.resource.is_empty() {
        format!("{id} (the check could not evaluate)")
    } else {
        format!("{id} {} ({})", row.resource, row.region)
    };
    let _ = write!(
        out,
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml(&row.outcome.check),
        xml(&name)
    );
    let element = match row.status {
        Status::Pass => None,
        Status::Fail => Some("failure"),
        Status::Error => Some("error"),
        Status::Manual | Status::NotApplicable | Status::Waived => Some("skipped"),
    };
    match element {
        None => out.push_str("/>\n"),
        Some(element) => {
            let _ = writeln!(
                out,
                ">\n      <{element} type=\"{}\" message=\"{}\">{}</{element}>\n    </testcase>",
                row.status.name(),
                xml(&match row.waiver {
                    Some(waiver) => format!(
                        "{} (waived until {} by {}: {})",
                        row.message, waiver.expires, waiver.owner, waiver.reason
                    ),
                    None => row.message.to_string(),
                }),
                xml(&row.outcome.title)
            );
        }
    }
}

/// Text as XML attribute or element content: markup characters as
/// entities, characters XML 1.0 forbids as visible escapes.
fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::xml;

    #[test]
    fn markup_and_controls_cannot_break_the_document() {
        assert_eq!(
            xml("</failure><x a='1'>&\u{1b}[2J"),
            "&lt;/failure&gt;&lt;x a=&apos;1&apos;&gt;&amp;\\x1b[2J"
        );
    }
}
