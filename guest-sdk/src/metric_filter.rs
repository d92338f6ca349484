//! CloudWatch Logs JSON filter patterns (`{ ($.eventName = CreateTrail) ||
//! ($.errorCode = "*UnauthorizedOperation") }`) and whether one metric
//! filter's pattern covers another pattern, the CIS pattern of a Monitoring
//! control.
//!
//! # Syntax
//!
//! `{ expression }` where an expression combines conditions with `&&`, `||`
//! and parentheses, `&&` binding tighter than `||` (as in the C-like syntax
//! the patterns borrow). A condition is a selector (`$.eventName`,
//! `$.userIdentity.type`, `$.resources[0].ARN`) and one of: `=` or `!=` a
//! value, quoted or not, where `*` is a wildcard; `<`, `<=`, `>`, `>=` a
//! number; `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS TRUE`, `IS FALSE`. Text
//! patterns (`"ERROR"`, `[ip, user, ...]`) are not JSON patterns and cover
//! nothing.
//!
//! # The coverage rule
//!
//! Both patterns are normalised to disjunctive normal form: a list of
//! clauses, each a set of conditions that must all hold. Quoting,
//! whitespace, term order and redundant parentheses disappear in this form.
//! A filter **covers** a required pattern when every required clause is
//! implied by some filter clause's conditions, i.e. each condition of that
//! filter clause follows from one condition of the required clause:
//!
//! - the same condition (same selector, test and value);
//! - `= v` implies `= p` when the wildcard pattern `p` matches `v`, and
//!   `!= p` when it does not;
//! - `= n`, `> n`, `>= n`, ... imply the numeric comparisons whose range
//!   contains theirs;
//! - any `=`, comparison or `IS TRUE/FALSE` implies `EXISTS`.
//!
//! So a filter with extra `||` alternatives is broader and covers; a filter
//! missing one event name, requiring one more `&&` condition, or testing
//! another field does not. The rule is sound (a covering filter matches
//! every event the required pattern matches) but syntactic: a filter that
//! covers only through reasoning across conditions (`$.x = a || $.x != a`)
//! is not recognised, which no real filter needs.

use std::fmt;

/// A parsed JSON filter pattern, in disjunctive normal form.
#[derive(Debug, Clone, PartialEq)]
pub struct FilterPattern {
    clauses: Vec<Clause>,
}

/// Conditions that must all hold: one alternative of a pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    conditions: Vec<Condition>,
}

/// One test of one field.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    selector: String,
    test: Test,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    /// `=`; the value may hold `*` wildcards.
    Equals(String),
    /// `!=`; the value may hold `*` wildcards.
    NotEquals(String),
    Compare(Comparison, f64),
    Exists,
    NotExists,
    IsNull,
    IsTrue,
    IsFalse,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Comparison {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// Why a pattern could not be read as a JSON filter pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError(String);

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Beyond this many alternatives, normalising a filter (`(a || b) && (c ||
/// d) && ...` multiplies out) is refused rather than left to exhaust the
/// check's memory; real filters have a few dozen at most.
const MAX_CLAUSES: usize = 1024;

/// What a filter leaves out of a required pattern, for findings.
#[derive(Debug, Clone, PartialEq)]
pub struct Gap {
    /// The required clauses no filter clause implies, in pattern order.
    pub uncovered: Vec<Clause>,
    /// Conditions the filter adds to its nearest alternatives for those
    /// clauses (a narrowing term), when it has such alternatives.
    pub extra_conditions: Vec<Condition>,
}

impl FilterPattern {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser { tokens, next: 0 };
        parser.expect(&Token::OpenBrace)?;
        let clauses = parser.disjunction()?;
        parser.expect(&Token::CloseBrace)?;
        if let Some(token) = parser.tokens.get(parser.next) {
            return Err(ParseError(format!(
                "unexpected {token} after the closing brace"
            )));
        }
        Ok(FilterPattern { clauses })
    }

    /// The alternatives, in pattern order.
    pub fn clauses(&self) -> &[Clause] {
        &self.clauses
    }

    /// Whether every event `required` matches, this pattern matches too
    /// (see the module documentation for the exact rule).
    pub fn covers(&self, required: &FilterPattern) -> bool {
        self.gap(required).uncovered.is_empty()
    }

    /// What this pattern leaves out of `required`; empty when it covers it.
    pub fn gap(&self, required: &FilterPattern) -> Gap {
        let uncovered: Vec<Clause> = required
            .clauses
            .iter()
            .filter(|needed| !self.clauses.iter().any(|own| needed.implies(own)))
            .cloned()
            .collect();
        let mut extra_conditions: Vec<Condition> = Vec::new();
        for needed in &uncovered {
            for condition in self.nearest_extra_conditions(needed) {
                if !extra_conditions.contains(&condition) {
                    extra_conditions.push(condition);
                }
            }
        }
        Gap {
            uncovered,
            extra_conditions,
        }
    }

    /// The conditions of this pattern's alternative nearest to `needed` that
    /// `needed` does not imply, when that alternative shares at least one
    /// condition with it: the term that narrows the filter.
    fn nearest_extra_conditions(&self, needed: &Clause) -> Vec<Condition> {
        self.clauses
            .iter()
            .filter(|own| {
                own.conditions
                    .iter()
                    .any(|condition| needed.implies_condition(condition))
            })
            .map(|own| {
                own.conditions
                    .iter()
                    .filter(|condition| !needed.implies_condition(condition))
                    .cloned()
                    .collect::<Vec<_>>()
            })
            .min_by_key(Vec::len)
            .unwrap_or_default()
    }
}

impl Clause {
    /// Whether every event this clause matches, `other` matches too.
    fn implies(&self, other: &Clause) -> bool {
        other
            .conditions
            .iter()
            .all(|condition| self.implies_condition(condition))
    }

    fn implies_condition(&self, condition: &Condition) -> bool {
        self.conditions.iter().any(|own| own.implies(condition))
    }
}

impl Condition {
    fn implies(&self, other: &Condition) -> bool {
        if self.selector != other.selector {
            return false;
        }
        if self.test == other.test {
            return true;
        }
        match (&self.test, &other.test) {
            (Test::Equals(value), Test::Equals(pattern)) => {
                !value.contains('*') && wildcard_matches(pattern, value)
            }
            (Test::Equals(value), Test::NotEquals(pattern)) => {
                !value.contains('*') && !wildcard_matches(pattern, value)
            }
            (Test::Equals(value), Test::Compare(comparison, bound)) => value
                .parse::<f64>()
                .is_ok_and(|number| comparison.holds(number, *bound)),
            (Test::Compare(own, own_bound), Test::Compare(comparison, bound)) => {
                range_within(*own, *own_bound, *comparison, *bound)
            }
            (Test::Equals(_) | Test::Compare(..) | Test::IsTrue | Test::IsFalse, Test::Exists) => {
                true
            }
            _ => false,
        }
    }
}

impl Comparison {
    fn holds(self, number: f64, bound: f64) -> bool {
        match self {
            Comparison::Less => number < bound,
            Comparison::LessOrEqual => number <= bound,
            Comparison::Greater => number > bound,
            Comparison::GreaterOrEqual => number >= bound,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            Comparison::Less => "<",
            Comparison::LessOrEqual => "<=",
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => ">=",
        }
    }
}

/// Whether every number satisfying `own own_bound` satisfies `other bound`.
fn range_within(own: Comparison, own_bound: f64, other: Comparison, bound: f64) -> bool {
    use Comparison::*;
    match (own, other) {
        (Greater, Greater) | (Greater, GreaterOrEqual) | (GreaterOrEqual, GreaterOrEqual) => {
            own_bound >= bound
        }
        (GreaterOrEqual, Greater) => own_bound > bound,
        (Less, Less) | (Less, LessOrEqual) | (LessOrEqual, LessOrEqual) => own_bound <= bound,
        (LessOrEqual, Less) => own_bound < bound,
        _ => false,
    }
}

/// `*` matches any run of characters, everything else itself.
fn wildcard_matches(pattern: &str, value: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = value.strip_prefix(first) else {
        return false;
    };
    let middle_and_last: Vec<&str> = parts.collect();
    let Some((last, middle)) = middle_and_last.split_last() else {
        return rest.is_empty();
    };
    for part in middle {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let selector = &self.selector;
        match &self.test {
            Test::Equals(value) => write!(f, "{selector} = \"{value}\""),
            Test::NotEquals(value) => write!(f, "{selector} != \"{value}\""),
            Test::Compare(comparison, bound) => {
                write!(f, "{selector} {} {bound}", comparison.symbol())
            }
            Test::Exists => write!(f, "{selector} EXISTS"),
            Test::NotExists => write!(f, "{selector} NOT EXISTS"),
            Test::IsNull => write!(f, "{selector} IS NULL"),
            Test::IsTrue => write!(f, "{selector} IS TRUE"),
            Test::IsFalse => write!(f, "{selector} IS FALSE"),
        }
    }
}

impl fmt::Display for Clause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let conditions: Vec<String> = self.conditions.iter().map(ToString::to_string).collect();
        if conditions.len() == 1 {
            f.write_str(&conditions[0])
        } else {
            write!(f, "({})", conditions.join(" && "))
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    OpenBrace,
    CloseBrace,
    OpenParen,
    CloseParen,
    And,
    Or,
    Operator(&'static str),
    Quoted(String),
    Word(String),
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::OpenBrace => f.write_str("'{'"),
            Token::CloseBrace => f.write_str("'}'"),
            Token::OpenParen => f.write_str("'('"),
            Token::CloseParen => f.write_str("')'"),
            Token::And => f.write_str("'&&'"),
            Token::Or => f.write_str("'||'"),
            Token::Operator(symbol) => write!(f, "'{symbol}'"),
            Token::Quoted(text) => write!(f, "\"{text}\""),
            Token::Word(text) => write!(f, "'{text}'"),
        }
    }
}

/// Two-character operators first, so `!=` is not read as `!` then `=`.
const OPERATORS: [&str; 6] = ["!=", "<=", ">=", "=", "<", ">"];

fn tokenize(text: &str) -> Result<Vec<Token>, ParseError> {
    let mut tokens = Vec::new();
    let mut rest = text.trim_start();
    while let Some(first) = rest.chars().next() {
        let (token, length) = if let Some(symbol) = ["&&", "||"]
            .iter()
            .find(|symbol| rest.starts_with(**symbol))
        {
            let token = if *symbol == "&&" {
                Token::And
            } else {
                Token::Or
            };
            (token, 2)
        } else if let Some(symbol) = OPERATORS.iter().find(|symbol| rest.starts_with(**symbol)) {
            (Token::Operator(symbol), symbol.len())
        } else {
            match first {
                '{' => (Token::OpenBrace, 1),
                '}' => (Token::CloseBrace, 1),
                '(' => (Token::OpenParen, 1),
                ')' => (Token::CloseParen, 1),
                '"' => quoted(rest)?,
                _ => {
                    let length = word_length(rest);
                    (Token::Word(rest[..length].to_string()), length)
                }
            }
        };
        tokens.push(token);
        rest = rest[length..].trim_start();
    }
    Ok(tokens)
}

/// The length of the selector, bare value or keyword starting `rest`: up
/// to a space, a bracket, a quote, an operator, or `&&` / `||` even without
/// a space before it (`$.eventName=CreateVpc||...`).
fn word_length(rest: &str) -> usize {
    rest.char_indices()
        .find(|(index, c)| {
            c.is_whitespace()
                || "{}()\"=!<>".contains(*c)
                || ["&&", "||"]
                    .iter()
                    .any(|symbol| rest[*index..].starts_with(symbol))
        })
        .map_or(rest.len(), |(index, _)| index)
}

/// A double-quoted value starting `rest`, backslash escapes resolved, and
/// the length it takes in `rest`.
fn quoted(rest: &str) -> Result<(Token, usize), ParseError> {
    let mut value = String::new();
    let mut escaped = false;
    for (index, c) in rest.char_indices().skip(1) {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '"') => return Ok((Token::Quoted(value), index + 1)),
            _ => {
                value.push(c);
                escaped = false;
            }
        }
    }
    Err(ParseError("unterminated quoted value".to_string()))
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn advance(&mut self) -> Result<Token, ParseError> {
        let token = self
            .tokens
            .get(self.next)
            .cloned()
            .ok_or_else(|| ParseError("the pattern ends too early".to_string()))?;
        self.next += 1;
        Ok(token)
    }

    fn expect(&mut self, expected: &Token) -> Result<(), ParseError> {
        let token = self.advance()?;
        if token == *expected {
            Ok(())
        } else {
            Err(ParseError(format!("expected {expected}, found {token}")))
        }
    }

    fn disjunction(&mut self) -> Result<Vec<Clause>, ParseError> {
        let mut clauses = self.conjunction()?;
        while self.peek() == Some(&Token::Or) {
            self.next += 1;
            clauses.extend(self.conjunction()?);
            check_size(clauses.len())?;
        }
        Ok(clauses)
    }

    fn conjunction(&mut self) -> Result<Vec<Clause>, ParseError> {
        let mut clauses = self.operand()?;
        while self.peek() == Some(&Token::And) {
            self.next += 1;
            let right = self.operand()?;
            check_size(clauses.len() * right.len())?;
            clauses = clauses
                .iter()
                .flat_map(|left| {
                    right.iter().map(move |right| {
                        let mut conditions = left.conditions.clone();
                        for condition in &right.conditions {
                            if !conditions.contains(condition) {
                                conditions.push(condition.clone());
                            }
                        }
                        Clause { conditions }
                    })
                })
                .collect();
        }
        Ok(clauses)
    }

    fn operand(&mut self) -> Result<Vec<Clause>, ParseError> {
        if self.peek() == Some(&Token::OpenParen) {
            self.next += 1;
            let clauses = self.disjunction()?;
            self.expect(&Token::CloseParen)?;
            return Ok(clauses);
        }
        Ok(vec![Clause {
            conditions: vec![self.condition()?],
        }])
    }

    fn condition(&mut self) -> Result<Condition, ParseError> {
        let selector = match self.advance()? {
            Token::Word(word) if word.starts_with('$') => word,
            other => return Err(ParseError(format!("expected a $ selector, found {other}"))),
        };
        let test = match self.advance()? {
            Token::Operator("=") => Test::Equals(self.value()?),
            Token::Operator("!=") => Test::NotEquals(self.value()?),
            Token::Operator(symbol) => {
                let comparison = match symbol {
                    "<" => Comparison::Less,
                    "<=" => Comparison::LessOrEqual,
                    ">" => Comparison::Greater,
                    _ => Comparison::GreaterOrEqual,
                };
                let value = self.value()?;
                let bound = value.parse::<f64>().map_err(|_| {
                    ParseError(format!("{selector} {symbol} needs a number, found {value}"))
                })?;
                Test::Compare(comparison, bound)
            }
            Token::Word(word) => self.keyword_test(&selector, &word)?,
            other => {
                return Err(ParseError(format!(
                    "expected an operator after {selector}, found {other}"
                )));
            }
        };
        Ok(Condition { selector, test })
    }

    /// `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS TRUE`, `IS FALSE`.
    fn keyword_test(&mut self, selector: &str, word: &str) -> Result<Test, ParseError> {
        let second = |parser: &mut Self| match parser.advance()? {
            Token::Word(next) => Ok(next.to_ascii_uppercase()),
            other => Err(ParseError(format!("unexpected {other} after {selector}"))),
        };
        match word.to_ascii_uppercase().as_str() {
            "EXISTS" => Ok(Test::Exists),
            "NOT" => match second(self)?.as_str() {
                "EXISTS" => Ok(Test::NotExists),
                other => Err(ParseError(format!("unknown test NOT {other}"))),
            },
            "IS" => match second(self)?.as_str() {
                "NULL" => Ok(Test::IsNull),
                "TRUE" => Ok(Test::IsTrue),
                "FALSE" => Ok(Test::IsFalse),
                other => Err(ParseError(format!("unknown test IS {other}"))),
            },
            other => Err(ParseError(format!("unknown test {other} after {selector}"))),
        }
    }

    /// A quoted or bare value: both are the same string to CloudWatch Logs.
    fn value(&mut self) -> Result<String, ParseError> {
        match self.advance()? {
            Token::Quoted(value) | Token::Word(value) => Ok(value),
            other => Err(ParseError(format!("expected a value, found {other}"))),
        }
    }
}

fn check_size(clauses: usize) -> Result<(), ParseError> {
    if clauses > MAX_CLAUSES {
        Err(ParseError(format!(
            "more than {MAX_CLAUSES} alternatives once expanded"
        )))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> FilterPattern {
        FilterPattern::parse(text).unwrap_or_else(|error| panic!("{text}: {error}"))
    }

    fn covers(filter: &str, required: &str) -> bool {
        parse(filter).covers(&parse(required))
    }

    #[test]
    fn quoting_whitespace_order_and_parentheses_do_not_matter() {
        let required = "{ ($.eventName = CreateTrail) || ($.eventName = DeleteTrail) }";
        for filter in [
            "{($.eventName=CreateTrail)||($.eventName=DeleteTrail)}",
            r#"{ $.eventName = "DeleteTrail" || $.eventName = "CreateTrail" }"#,
            "{ ((($.eventName = CreateTrail))) || (($.eventName = DeleteTrail)) }",
            "{\n  ($.eventName = \"CreateTrail\")\n  || ($.eventName = DeleteTrail)\n}",
        ] {
            assert!(covers(filter, required), "{filter}");
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let pattern = parse("{ $.a = 1 || $.b = 2 && $.c = 3 }");
        let shown: Vec<String> = pattern.clauses().iter().map(ToString::to_string).collect();
        assert_eq!(shown, [r#"$.a = "1""#, r#"($.b = "2" && $.c = "3")"#]);
        let distributed = parse("{ ($.a = 1 || $.b = 2) && $.c = 3 }");
        assert_eq!(distributed.clauses().len(), 2);
        assert!(covers(
            "{ $.a = 1 || $.b = 2 && $.c = 3 }",
            "{ ($.a = 1 || $.b = 2) && $.c = 3 }"
        ));
        assert!(!covers(
            "{ ($.a = 1 || $.b = 2) && $.c = 3 }",
            "{ $.a = 1 || $.b = 2 && $.c = 3 }"
        ));
    }

    #[test]
    fn broader_filters_cover_and_narrower_ones_do_not() {
        let required = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) }";
        assert!(covers(
            "{ ($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion) || ($.eventName = PutKeyPolicy) }",
            required
        ));
        let missing_one = "{ ($.eventSource = kms.amazonaws.com) && ($.eventName = DisableKey) }";
        let gap = parse(missing_one).gap(&parse(required));
        assert_eq!(gap.uncovered.len(), 1);
        assert_eq!(
            gap.uncovered[0].to_string(),
            r#"($.eventSource = "kms.amazonaws.com" && $.eventName = "ScheduleKeyDeletion")"#
        );
        let narrowed = "{ ($.eventSource = kms.amazonaws.com) && (($.eventName = DisableKey) || ($.eventName = ScheduleKeyDeletion)) && ($.userIdentity.type = IAMUser) }";
        let gap = parse(narrowed).gap(&parse(required));
        assert_eq!(gap.uncovered.len(), 2);
        let extra: Vec<String> = gap
            .extra_conditions
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(extra, [r#"$.userIdentity.type = "IAMUser""#]);
    }

    #[test]
    fn wildcards_and_negations_follow_from_values() {
        assert!(covers(
            r#"{ $.errorCode = "*Unauthorized*" }"#,
            r#"{ $.errorCode = "Client.UnauthorizedOperation" }"#
        ));
        assert!(covers(
            r#"{ $.errorCode = "AccessDenied*" }"#,
            r#"{ $.errorCode = "AccessDenied*" }"#
        ));
        assert!(!covers(
            r#"{ $.errorCode = "AccessDenied" }"#,
            r#"{ $.errorCode = "AccessDenied*" }"#
        ));
        assert!(
            !covers(
                r#"{ $.errorCode = "Access*" }"#,
                r#"{ $.errorCode = "AccessDenied*" }"#
            ),
            "wildcard containment beyond identity is not inferred"
        );
        assert!(covers(
            "{ $.eventType != AwsServiceEvent }",
            "{ $.eventType = AwsApiCall }"
        ));
        assert!(!covers(
            "{ $.eventType != AwsApiCall }",
            "{ $.eventType = AwsApiCall }"
        ));
        assert!(covers(
            "{ $.userIdentity.type EXISTS }",
            "{ $.userIdentity.type = Root }"
        ));
    }

    #[test]
    fn numeric_comparisons_cover_narrower_ranges() {
        assert!(covers("{ $.latency > 100 }", "{ $.latency > 500 }"));
        assert!(covers("{ $.latency >= 100 }", "{ $.latency = 100 }"));
        assert!(covers("{ $.latency > 100 }", "{ $.latency >= 101 }"));
        assert!(!covers("{ $.latency > 100 }", "{ $.latency >= 100 }"));
        assert!(!covers("{ $.latency > 500 }", "{ $.latency > 100 }"));
        assert!(covers("{ $.latency <= 10 }", "{ $.latency < 10 }"));
        assert!(!covers("{ $.latency < 10 }", "{ $.latency <= 10 }"));
    }

    #[test]
    fn existence_and_null_tests_parse() {
        let pattern = parse(
            "{ $.userIdentity.invokedBy NOT EXISTS && $.a IS NULL && $.b is true && $.c EXISTS && $.d IS FALSE }",
        );
        assert_eq!(
            pattern.clauses()[0].to_string(),
            "($.userIdentity.invokedBy NOT EXISTS && $.a IS NULL && $.b IS TRUE && $.c EXISTS && $.d IS FALSE)"
        );
        assert!(!covers(
            "{ $.userIdentity.invokedBy EXISTS }",
            "{ $.userIdentity.invokedBy NOT EXISTS }"
        ));
    }

    #[test]
    fn other_fields_and_text_patterns_do_not_cover() {
        assert!(!covers(
            "{ $.eventSource = CreateTrail }",
            "{ $.eventName = CreateTrail }"
        ));
        for text in [
            "\"CreateTrail\"",
            "[ip, user]",
            "{ $.a = }",
            "{ $.a = 1 ",
            "{ ($.a = 1 }",
            "{ a = 1 }",
            "{ $.a = \"x }",
            "{ $.a > x }",
            "{ $.a IS MAYBE }",
            "{ $.a = 1 } extra",
        ] {
            assert!(FilterPattern::parse(text).is_err(), "{text}");
        }
    }

    #[test]
    fn explosive_patterns_are_refused() {
        let factor = "($.a = 1 || $.a = 2 || $.a = 3 || $.a = 4)";
        let text = format!("{{ {} }}", [factor; 6].join(" && "));
        assert!(
            FilterPattern::parse(&text)
                .unwrap_err()
                .to_string()
                .contains("alternatives")
        );
    }
}
