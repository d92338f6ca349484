//! Showing text a check wrote. A check's words (finding resources and
//! messages, metadata, stderr, file names of community packs) are untrusted:
//! printed raw, a control sequence in them would drive the user's terminal:
//! move the cursor and erase lines to overwrite the report, recolour it, set
//! the window title, plant hyperlinks (OSC 8) or write the clipboard (OSC 52).
//!
//! [`escape`] keeps such characters visible instead, as `\x1b`, `\n`,
//! `\u{202e}`. Each output format escapes for its own syntax: the terminal
//! table and progress lines through [`escape`], the JSON documents through
//! [`json`] (JSON escapes, so the parsed strings are the check's own). A new
//! format must do the same; nothing upstream cleans text for it.
//!
//! Check ids are the one exception: load refuses an id that is not kebab-case
//! ASCII, so an id is safe to show as it is.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

/// Characters of check text shown in an error message; the rest is cut, so
/// a megabyte title cannot become a megabyte error. Long enough for a whole
/// ARN or a panic message.
pub const SNIPPET_CHARS: usize = 120;

/// Whether a character must not reach a terminal as it is:
/// - every C0 control, DEL and every C1 control. This includes TAB and LF:
///   a finding is shown on one line of the table, and a line feed inside it
///   would start a line the check wrote, indistinguishable from a table row;
///   a tab's width is up to the terminal, so it would misalign columns.
///   C1 controls matter on their own: terminals read U+009B as CSI and
///   U+009D as OSC without any ESC.
/// - the bidirectional marks, embeddings, overrides and isolates, which
///   reorder what is displayed after them (a resource that reads backwards).
/// - the Unicode line and paragraph separators, which some viewers break
///   lines on.
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// The text with every character [`needs_escape`] names written as a
/// visible escape: `\n`, `\r`, `\t`, `\x1b` below U+0080, `\u{9b}` above.
///
/// A backslash is left as it is. Escaping it too would make every escape
/// unambiguous, but then escaping twice would double it; as it is, escaping
/// is idempotent, so text escaped where an error message is composed can be
/// escaped again where it is shown. The only ambiguity left is that a check
/// can write the four characters `\x1b` itself, which shows the same as an
/// escaped ESC and is just as harmless.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            c if needs_escape(c) && c.is_ascii() => {
                write!(escaped, "\\x{:02x}", u32::from(c)).unwrap();
            }
            c if needs_escape(c) => write!(escaped, "\\u{{{:x}}}", u32::from(c)).unwrap(),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

/// A plugin's path, escaped: a community pack names its own files.
pub fn escape_path(path: &Path) -> String {
    escape(&path.to_string_lossy()).into_owned()
}

/// The start of the text, escaped, for an error message: at most
/// [`SNIPPET_CHARS`] characters of it, then "…" if there was more.
pub fn snippet(text: &str) -> String {
    let mut end = text.len();
    let mut cut = false;
    if let Some((index, _)) = text.char_indices().nth(SNIPPET_CHARS) {
        end = index;
        cut = true;
    }
    let mut shown = escape(&text[..end]).into_owned();
    if cut {
        shown.push('…');
    }
    shown
}

/// `value` as pretty JSON, with the characters [`needs_escape`] names
/// written as `\uXXXX`. serde_json escapes the C0 controls in strings but
/// not DEL, the C1 controls or the bidi characters, which would otherwise
/// reach a terminal that shows the document. Outside strings JSON text is
/// ASCII with no DEL, so each of those is inside a string, where the escape
/// stands for the same character; the line feeds of the layout stay.
pub fn json(value: &impl Serialize) -> String {
    let text = serde_json::to_string_pretty(value).expect("a report serializes");
    let mut safe = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if needs_escape(c) && (c == '\x7f' || !c.is_ascii()) {
            // Every such character is in the Basic Multilingual Plane: one
            // escape each, no surrogate pair.
            write!(safe, "\\u{:04x}", u32::from(c)).unwrap();
        } else {
            safe.push(c);
        }
    }
    safe.push('\n');
    safe
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged() {
        let text = "arn:aws:iam::123456789012:user/bob — MFA off, 100 % \\ «ok»";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn terminal_sequences_stay_visible_and_inert() {
        let cases = [
            ("\x1b[2K\x1b[1A", "\\x1b[2K\\x1b[1A"),
            ("\x1b]0;pwned\x07", "\\x1b]0;pwned\\x07"),
            ("a\rALL CHECKS PASSED", "a\\rALL CHECKS PASSED"),
            ("row\n1.1  forged  PASS", "row\\n1.1  forged  PASS"),
            ("tab\there", "tab\\there"),
            ("back\x08\x7f", "back\\x08\\x7f"),
            ("\u{9b}2J", "\\u{9b}2J"),
            ("\u{9d}52;c;eA==\u{9c}", "\\u{9d}52;c;eA==\\u{9c}"),
            ("user/\u{202e}gnp.exe", "user/\\u{202e}gnp.exe"),
            (
                "\u{61c}\u{200e}\u{200f}\u{2066}\u{2069}\u{2028}",
                "\\u{61c}\\u{200e}\\u{200f}\\u{2066}\\u{2069}\\u{2028}",
            ),
        ];
        for (raw, shown) in cases {
            assert_eq!(escape(raw), shown, "{raw:?}");
            assert!(!escape(raw).chars().any(needs_escape));
        }
    }

    #[test]
    fn escaping_twice_changes_nothing() {
        let once = escape("\x1b]8;;https://evil.example/\x1b\\link\u{202e}\n");
        assert_eq!(escape(&once), once);
    }

    #[test]
    fn snippets_are_escaped_and_cut_on_a_character() {
        assert_eq!(snippet("short\x1b"), "short\\x1b");
        let long = "é".repeat(SNIPPET_CHARS + 5);
        let cut = snippet(&long);
        assert_eq!(cut.chars().count(), SNIPPET_CHARS + 1);
        assert!(cut.ends_with("é…"));
        // Escapes are whole: the cut counts characters of the check's text.
        let escapes = snippet(&"\x1b".repeat(SNIPPET_CHARS + 1));
        assert_eq!(escapes, format!("{}…", "\\x1b".repeat(SNIPPET_CHARS)));
    }

    #[test]
    fn json_escapes_what_serde_leaves_and_parses_back_to_the_same_text() {
        let text = "\x1b[31m\u{9b}2J\u{202e}\u{7f}\u{2028}é\"\\";
        let document = json(&serde_json::json!({ "message": text }));
        assert!(
            !document.chars().any(|c| needs_escape(c) && c != '\n'),
            "{document}"
        );
        assert!(document.contains("\\u009b") && document.contains("\\u202e"));
        let parsed: serde_json::Value = serde_json::from_str(&document).unwrap();
        assert_eq!(parsed["message"], text);
    }
}
