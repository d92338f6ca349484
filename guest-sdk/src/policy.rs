//! IAM policy documents: parsing the JSON grammar's single-or-list fields and
//! the questions CIS checks ask of them. One implementation for every check
//! that reads a policy (admin privileges, support access, public principals).

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Allow,
    Deny,
}

/// One statement, with `Action`/`Resource` fields normalised to lists.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sid: Option<String>,
    pub effect: Effect,
    pub actions: Vec<String>,
    pub not_actions: Vec<String>,
    pub resources: Vec<String>,
    pub not_resources: Vec<String>,
    pub principal: Option<Value>,
    pub condition: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PolicyDocument {
    pub statements: Vec<Statement>,
}

/// Why a policy document could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError(pub String);

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid policy document: {}", self.0)
    }
}

impl std::error::Error for PolicyError {}

impl PolicyDocument {
    /// Parses a (percent-decoded) JSON policy document.
    pub fn parse(json: &str) -> Result<Self, PolicyError> {
        let value: Value =
            serde_json::from_str(json).map_err(|error| PolicyError(error.to_string()))?;
        let statements = match value.get("Statement") {
            Some(Value::Array(items)) => items.iter().map(Statement::from_json).collect(),
            Some(single @ Value::Object(_)) => vec![Statement::from_json(single)],
            Some(_) => {
                return Err(PolicyError(
                    "`Statement` is neither an object nor a list".into(),
                ));
            }
            None => return Err(PolicyError("no `Statement`".into())),
        };
        Ok(PolicyDocument {
            statements: statements.into_iter().collect::<Result<_, _>>()?,
        })
    }

    /// True when an Allow statement grants every action on every resource
    /// (`"Action": "*"` or `"*:*"` with `"Resource": "*"`), the CIS definition
    /// of full administrative privileges. Conditions do not change the answer:
    /// a conditioned `*:*` is still an administrator policy.
    pub fn grants_full_admin(&self) -> bool {
        self.statements.iter().any(|statement| {
            statement.effect == Effect::Allow
                && statement
                    .actions
                    .iter()
                    .any(|action| action == "*" || action == "*:*")
                && statement.resources.iter().any(|resource| resource == "*")
        })
    }

    /// True when an Allow statement's actions cover `action` (wildcards and
    /// case-insensitivity as IAM applies them; `NotAction` counts too).
    pub fn allows_action(&self, action: &str) -> bool {
        self.statements
            .iter()
            .any(|statement| statement.effect == Effect::Allow && statement.covers_action(action))
    }
}

impl Statement {
    fn from_json(value: &Value) -> Result<Self, PolicyError> {
        let effect = match value.get("Effect").and_then(Value::as_str) {
            Some("Allow") => Effect::Allow,
            Some("Deny") => Effect::Deny,
            other => return Err(PolicyError(format!("statement effect {other:?}"))),
        };
        Ok(Statement {
            sid: value.get("Sid").and_then(Value::as_str).map(str::to_string),
            effect,
            actions: string_list(value, "Action")?,
            not_actions: string_list(value, "NotAction")?,
            resources: string_list(value, "Resource")?,
            not_resources: string_list(value, "NotResource")?,
            principal: value.get("Principal").cloned(),
            condition: value.get("Condition").cloned(),
        })
    }

    /// Whether this statement's action list (or `NotAction` complement) names `action`.
    pub fn covers_action(&self, action: &str) -> bool {
        if !self.not_actions.is_empty() {
            return !self
                .not_actions
                .iter()
                .any(|pattern| wildcard_match(pattern, action));
        }
        self.actions
            .iter()
            .any(|pattern| wildcard_match(pattern, action))
    }
}

fn string_list(statement: &Value, field: &str) -> Result<Vec<String>, PolicyError> {
    match statement.get(field) {
        None => Ok(Vec::new()),
        Some(Value::String(single)) => Ok(vec![single.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| PolicyError(format!("`{field}` holds a non-string")))
            })
            .collect(),
        Some(_) => Err(PolicyError(format!(
            "`{field}` is neither a string nor a list"
        ))),
    }
}

/// IAM's glob: `*` any run, `?` one character, case-insensitive.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<char> = pattern.to_lowercase().chars().collect();
    let text: Vec<char> = text.to_lowercase().chars().collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && (pattern[p] == '?' || pattern[p] == text[t]) {
            p += 1;
            t += 1;
        } else if p < pattern.len() && pattern[p] == '*' {
            backtrack = Some((p, t));
            p += 1;
        } else if let Some((star, matched)) = backtrack {
            p = star + 1;
            t = matched + 1;
            backtrack = Some((star, matched + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_statement_and_string_fields_are_normalised() {
        let doc = PolicyDocument::parse(
            r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}"#,
        )
        .unwrap();
        assert_eq!(doc.statements.len(), 1);
        assert_eq!(doc.statements[0].actions, vec!["*"]);
        assert!(doc.grants_full_admin());
    }

    #[test]
    fn service_wide_or_denied_wildcards_are_not_full_admin() {
        let scoped = PolicyDocument::parse(
            r#"{"Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":"*"},
                              {"Effect":"Deny","Action":"*","Resource":"*"},
                              {"Effect":"Allow","Action":"*","Resource":"arn:aws:s3:::bucket"}]}"#,
        )
        .unwrap();
        assert!(!scoped.grants_full_admin());
        let star_colon_star = PolicyDocument::parse(
            r#"{"Statement":[{"Effect":"Allow","Action":"*:*","Resource":["*"]}]}"#,
        )
        .unwrap();
        assert!(star_colon_star.grants_full_admin());
    }

    #[test]
    fn malformed_documents_are_errors_not_passes() {
        assert!(PolicyDocument::parse("not json").is_err());
        assert!(PolicyDocument::parse(r#"{"Version":"2012-10-17"}"#).is_err());
        assert!(
            PolicyDocument::parse(r#"{"Statement":[{"Effect":"Maybe","Action":"*"}]}"#).is_err()
        );
    }

    #[test]
    fn actions_match_with_iam_wildcards() {
        let doc = PolicyDocument::parse(
            r#"{"Statement":[{"Effect":"Allow","Action":["support:*","iam:Get?ser"],"Resource":"*"}]}"#,
        )
        .unwrap();
        assert!(doc.allows_action("support:DescribeCases"));
        assert!(doc.allows_action("IAM:GetUser"));
        assert!(!doc.allows_action("iam:GetUsers"));
        let not_action = PolicyDocument::parse(
            r#"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#,
        )
        .unwrap();
        assert!(not_action.allows_action("s3:GetObject"));
        assert!(!not_action.allows_action("iam:CreateUser"));
    }

    #[test]
    fn wildcard_edge_cases() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(wildcard_match("ec2:Describe*", "ec2:DescribeInstances"));
    }
}
