//! IAM policy documents: parsing the JSON grammar's single-or-list fields and
//! the questions CIS checks ask of them. One implementation for every check
//! that reads a policy (admin privileges, support access, public principals,
//! S3 bucket policies that deny HTTP).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::iam::PolicyEntities;

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
    pub principal: Option<Principal>,
    pub not_principal: Option<Principal>,
    pub condition: Option<Value>,
}

/// A statement's `Principal` or `NotPrincipal` (resource and trust policies).
#[derive(Debug, Clone, PartialEq)]
pub enum Principal {
    /// `"*"`: every principal, authenticated or not.
    Everyone,
    /// Identifiers per principal type (`AWS`, `Service`, `Federated`,
    /// `CanonicalUser`), each normalised to a list.
    Named(BTreeMap<String, Vec<String>>),
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

    /// The statements that open the resource to anyone: see
    /// [`Statement::allows_public_unconditionally`].
    pub fn unconditional_public_allows(&self) -> impl Iterator<Item = &Statement> {
        self.statements
            .iter()
            .filter(|statement| statement.allows_public_unconditionally())
    }

    /// How far this bucket policy denies requests that do not use TLS (CIS
    /// "bucket policy is set to deny HTTP requests") for the bucket with ARN
    /// `bucket_arn`: the bucket itself and its objects (`<arn>/*`) are judged
    /// apart, so one statement may cover both or two statements one each.
    /// Only statements that [`Statement::denies_insecure_transport_to_everyone`]
    /// count.
    pub fn insecure_transport_denial(&self, bucket_arn: &str) -> InsecureTransportDenial {
        let denying: Vec<&Statement> = self
            .statements
            .iter()
            .filter(|statement| statement.denies_insecure_transport_to_everyone())
            .collect();
        let object_prefix = format!("{bucket_arn}/");
        InsecureTransportDenial {
            bucket: denying
                .iter()
                .any(|statement| statement.covers_resource(bucket_arn)),
            objects: denying
                .iter()
                .any(|statement| statement.covers_every_resource_under(&object_prefix)),
        }
    }
}

/// Which parts of a bucket a policy denies plain-HTTP requests to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InsecureTransportDenial {
    /// `arn:<partition>:s3:::<bucket>`: bucket-level requests (listing, policy, ...).
    pub bucket: bool,
    /// Every `arn:<partition>:s3:::<bucket>/<key>`: object requests.
    pub objects: bool,
}

impl InsecureTransportDenial {
    /// Both the bucket and all its objects: what CIS asks for.
    pub fn is_complete(&self) -> bool {
        self.bucket && self.objects
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
            principal: Principal::field(value, "Principal")?,
            not_principal: Principal::field(value, "NotPrincipal")?,
            condition: value.get("Condition").cloned(),
        })
    }

    /// True for an Allow statement that any AWS principal anywhere meets, with
    /// no condition to narrow it: `Principal` is public, or `NotPrincipal`
    /// (an Allow for everyone except those listed) is used.
    pub fn allows_public_unconditionally(&self) -> bool {
        self.effect == Effect::Allow
            && !self.is_conditional()
            && (self.principal.as_ref().is_some_and(Principal::is_public)
                || self.not_principal.is_some())
    }

    /// An empty `Condition` block narrows nothing.
    pub fn is_conditional(&self) -> bool {
        self.condition
            .as_ref()
            .is_some_and(|condition| condition.as_object().is_none_or(|map| !map.is_empty()))
    }

    /// A Deny of every S3 action, for every principal, whenever the request
    /// does not use TLS, with nothing else narrowing it:
    ///
    /// - `Principal` is `"*"` or `{"AWS": "*"}`; a `NotPrincipal` exempts
    ///   someone, so it does not count;
    /// - `Action` covers every S3 action (`s3:*`, `*`, `s*`, ...). A narrower
    ///   list (`s3:GetObject`, `s3:PutObject`) still lets other requests
    ///   (listing, deleting, reading the ACL) travel in clear text, so it does
    ///   not count. `NotAction` is not counted either: whether its exceptions
    ///   touch S3 is not decided here;
    /// - the `Condition` is exactly `aws:SecureTransport` false (see
    ///   [`is_insecure_transport_condition`]). An extra key or operator narrows
    ///   the deny to some requests only, so it does not count.
    pub fn denies_insecure_transport_to_everyone(&self) -> bool {
        self.effect == Effect::Deny
            && self.not_principal.is_none()
            && self.principal.as_ref().is_some_and(Principal::is_public)
            && self.not_actions.is_empty()
            && self
                .actions
                .iter()
                .any(|pattern| matches_everything_starting_with(pattern, "s3:"))
            && self
                .condition
                .as_ref()
                .is_some_and(is_insecure_transport_condition)
    }

    /// Whether the statement's `Resource` names `resource` (IAM wildcards).
    /// A `NotResource` statement is never counted as covering: its
    /// complement is not worked out here, which errs toward "not covered".
    pub fn covers_resource(&self, resource: &str) -> bool {
        self.not_resources.is_empty()
            && self
                .resources
                .iter()
                .any(|pattern| wildcard_match(pattern, resource))
    }

    /// Whether the statement's `Resource` names every resource whose ARN
    /// starts with `prefix` (e.g. every object of a bucket, `arn:aws:s3:::b/`).
    pub fn covers_every_resource_under(&self, prefix: &str) -> bool {
        self.not_resources.is_empty()
            && self
                .resources
                .iter()
                .any(|pattern| matches_everything_starting_with(pattern, prefix))
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

impl Principal {
    fn field(statement: &Value, field: &str) -> Result<Option<Self>, PolicyError> {
        match statement.get(field) {
            None => Ok(None),
            Some(Value::String(star)) if star == "*" => Ok(Some(Principal::Everyone)),
            Some(Value::Object(types)) => types
                .iter()
                .map(|(kind, ids)| Ok((kind.clone(), string_list_value(ids, field)?)))
                .collect::<Result<_, _>>()
                .map(|named| Some(Principal::Named(named))),
            Some(other) => Err(PolicyError(format!(
                "`{field}` is neither \"*\" nor an object: {other}"
            ))),
        }
    }

    /// `"*"` or `{"AWS": "*"}` (IAM treats the two alike): anyone, in any
    /// account, may be the caller.
    pub fn is_public(&self) -> bool {
        match self {
            Principal::Everyone => true,
            Principal::Named(types) => types
                .get("AWS")
                .is_some_and(|ids| ids.iter().any(|id| id == "*")),
        }
    }
}

fn string_list(statement: &Value, field: &str) -> Result<Vec<String>, PolicyError> {
    statement
        .get(field)
        .map_or(Ok(Vec::new()), |value| string_list_value(value, field))
}

fn string_list_value(value: &Value, field: &str) -> Result<Vec<String>, PolicyError> {
    match value {
        Value::String(single) => Ok(vec![single.clone()]),
        Value::Array(items) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| PolicyError(format!("`{field}` holds a non-string")))
            })
            .collect(),
        _ => Err(PolicyError(format!(
            "`{field}` is neither a string nor a list"
        ))),
    }
}

/// The ARN of an AWS-managed policy, e.g. `AWSSupportAccess`, in a partition.
pub fn aws_managed_policy_arn(partition: &str, name: &str) -> String {
    format!("arn:{partition}:iam::aws:policy/{name}")
}

/// Whether a managed policy is attached to any user, group or role.
pub fn is_attached(entities: &PolicyEntities) -> bool {
    !(entities.users.is_empty() && entities.groups.is_empty() && entities.roles.is_empty())
}

/// Where a managed policy is attached, for a message: `users alice; roles
/// deploy`, or `no user, group or role`.
pub fn describe_attachments(entities: &PolicyEntities) -> String {
    let parts: Vec<String> = [
        ("users", &entities.users),
        ("groups", &entities.groups),
        ("roles", &entities.roles),
    ]
    .into_iter()
    .filter(|(_, names)| !names.is_empty())
    .map(|(kind, names)| format!("{kind} {}", names.join(", ")))
    .collect();
    if parts.is_empty() {
        "no user, group or role".to_string()
    } else {
        parts.join("; ")
    }
}

/// The condition key S3 sets to false for a request made without TLS.
const SECURE_TRANSPORT_KEY: &str = "aws:SecureTransport";

/// Whether a `Condition` block holds exactly one test, `aws:SecureTransport`
/// false, under `Bool` or `BoolIfExists` (the same here: S3 always sets the
/// key). The key is matched case-insensitively, as IAM does; the value may be
/// `"false"` (any case), `false`, or a one-element list of either.
pub fn is_insecure_transport_condition(condition: &Value) -> bool {
    let Some(operators) = condition.as_object() else {
        return false;
    };
    let [(operator, tests)] = operators.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    if operator != "Bool" && operator != "BoolIfExists" {
        return false;
    }
    let Some(tests) = tests.as_object() else {
        return false;
    };
    let [(key, value)] = tests.iter().collect::<Vec<_>>()[..] else {
        return false;
    };
    key.eq_ignore_ascii_case(SECURE_TRANSPORT_KEY) && is_false(value)
}

fn is_false(value: &Value) -> bool {
    match value {
        Value::Bool(flag) => !flag,
        Value::String(text) => text.eq_ignore_ascii_case("false"),
        Value::Array(items) => matches!(&items[..], [single] if is_false(single)),
        _ => false,
    }
}

/// Whether `pattern` matches every text that starts with `prefix`: it must
/// end in `*`, and what comes before that `*` must match some beginning of
/// `prefix` (so the `*` takes the rest). `s3:*`, `*` and `s*` match every S3
/// action; `s3:Get*` does not.
fn matches_everything_starting_with(pattern: &str, prefix: &str) -> bool {
    let Some(head) = pattern.strip_suffix('*') else {
        return false;
    };
    prefix
        .char_indices()
        .map(|(index, _)| index)
        .chain([prefix.len()])
        .any(|end| wildcard_match(head, &prefix[..end]))
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

    fn public_statements(json: &str) -> usize {
        PolicyDocument::parse(json)
            .unwrap()
            .unconditional_public_allows()
            .count()
    }

    #[test]
    fn principals_are_parsed_by_type() {
        let doc = PolicyDocument::parse(
            r#"{"Statement":{"Effect":"Allow","Action":"sts:AssumeRole",
                "Principal":{"Service":"ec2.amazonaws.com","AWS":["arn:aws:iam::1:root","*"]}}}"#,
        )
        .unwrap();
        let Some(Principal::Named(types)) = &doc.statements[0].principal else {
            panic!(
                "named principal expected: {:?}",
                doc.statements[0].principal
            );
        };
        assert_eq!(types["Service"], vec!["ec2.amazonaws.com"]);
        assert_eq!(types["AWS"], vec!["arn:aws:iam::1:root", "*"]);
        assert!(doc.statements[0].principal.as_ref().unwrap().is_public());
        assert!(doc.statements[0].not_principal.is_none());
    }

    #[test]
    fn public_principals_without_conditions_are_found() {
        assert_eq!(
            public_statements(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole"}]}"#
            ),
            1
        );
        assert_eq!(
            public_statements(
                r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"s3:GetObject","Condition":{}}]}"#
            ),
            1,
            "an empty condition narrows nothing"
        );
        assert_eq!(
            public_statements(
                r#"{"Statement":[{"Effect":"Allow","NotPrincipal":{"AWS":"arn:aws:iam::1:root"},"Action":"sqs:*"}]}"#
            ),
            1,
            "Allow with NotPrincipal admits everyone else"
        );
    }

    #[test]
    fn scoped_conditioned_or_denied_principals_are_not_public() {
        assert_eq!(
            public_statements(
                r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"sts:AssumeRole",
                "Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-123"}}}]}"#
            ),
            0
        );
        assert_eq!(
            public_statements(
                r#"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"*"},
                {"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root","Service":"*"},"Action":"*"}]}"#
            ),
            0
        );
        assert_eq!(
            public_statements(r#"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#),
            0,
            "an identity policy has no principal"
        );
    }

    #[test]
    fn malformed_principals_are_errors() {
        assert!(
            PolicyDocument::parse(r#"{"Statement":[{"Effect":"Allow","Principal":"bob"}]}"#)
                .is_err()
        );
        assert!(
            PolicyDocument::parse(r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":7}}]}"#)
                .is_err()
        );
    }

    #[test]
    fn attachments_are_described_by_kind() {
        let mut entities = PolicyEntities {
            users: vec![],
            groups: vec![],
            roles: vec![],
        };
        assert!(!is_attached(&entities));
        assert_eq!(describe_attachments(&entities), "no user, group or role");
        entities.users = vec!["alice".into(), "bob".into()];
        entities.roles = vec!["deploy".into()];
        assert!(is_attached(&entities));
        assert_eq!(
            describe_attachments(&entities),
            "users alice, bob; roles deploy"
        );
        assert_eq!(
            aws_managed_policy_arn("aws-us-gov", "AWSSupportAccess"),
            "arn:aws-us-gov:iam::aws:policy/AWSSupportAccess"
        );
    }

    const BUCKET: &str = "arn:aws:s3:::examplebucket";

    fn http_denial(json: &str) -> InsecureTransportDenial {
        PolicyDocument::parse(json)
            .unwrap()
            .insecure_transport_denial(BUCKET)
    }

    fn denies_http(json: &str) -> bool {
        http_denial(json).is_complete()
    }

    /// A one-statement bucket policy with these `Principal`, `Action`,
    /// `Resource` and `Condition` values (JSON).
    fn deny_statement(principal: &str, action: &str, resource: &str, condition: &str) -> String {
        format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Deny","Principal":{principal},
                "Action":{action},"Resource":{resource},"Condition":{condition}}}]}}"#
        )
    }

    const BOTH: &str = r#"["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"]"#;
    const HTTP: &str = r#"{"Bool":{"aws:SecureTransport":"false"}}"#;

    #[test]
    fn the_aws_documentation_example_denies_http() {
        // From "How can I use bucket policies to enforce HTTPS (TLS)?" in the
        // S3 user guide, as CIS quotes it.
        assert!(denies_http(
            r#"{
              "Id": "ExamplePolicy",
              "Version": "2012-10-17",
              "Statement": [
                {
                  "Sid": "AllowSSLRequestsOnly",
                  "Action": "s3:*",
                  "Effect": "Deny",
                  "Resource": [
                    "arn:aws:s3:::examplebucket",
                    "arn:aws:s3:::examplebucket/*"
                  ],
                  "Condition": { "Bool": { "aws:SecureTransport": "false" } },
                  "Principal": "*"
                }
              ]
            }"#
        ));
    }

    #[test]
    fn actions_may_be_a_string_or_a_list_but_must_cover_all_of_s3() {
        for action in [
            r#""s3:*""#,
            r#"["s3:*"]"#,
            r#""*""#,
            r#"["s3:GetObject","S3:*"]"#,
        ] {
            assert!(
                denies_http(&deny_statement(r#""*""#, action, BOTH, HTTP)),
                "{action}"
            );
        }
        for action in [
            r#""s3:GetObject""#,
            r#"["s3:GetObject","s3:PutObject"]"#,
            r#""s3:Get*""#,
        ] {
            assert!(
                !denies_http(&deny_statement(r#""*""#, action, BOTH, HTTP)),
                "{action} leaves other requests allowed over HTTP"
            );
        }
    }

    #[test]
    fn bool_and_bool_if_exists_with_false_as_string_bool_or_list() {
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"false"}}"#,
            r#"{"Bool":{"aws:SecureTransport":false}}"#,
            r#"{"BoolIfExists":{"aws:SecureTransport":"false"}}"#,
            r#"{"Bool":{"aws:securetransport":"FALSE"}}"#,
            r#"{"Bool":{"aws:SecureTransport":["false"]}}"#,
            r#"{"BoolIfExists":{"aws:SecureTransport":[false]}}"#,
        ] {
            assert!(
                denies_http(&deny_statement(r#""*""#, r#""s3:*""#, BOTH, condition)),
                "{condition}"
            );
        }
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"true"}}"#,
            r#"{"Bool":{"aws:SecureTransport":["false","true"]}}"#,
            r#"{"StringEquals":{"aws:SecureTransport":"false"}}"#,
            r#"{}"#,
        ] {
            assert!(
                !denies_http(&deny_statement(r#""*""#, r#""s3:*""#, BOTH, condition)),
                "{condition}"
            );
        }
    }

    #[test]
    fn the_bucket_and_its_objects_must_both_be_covered() {
        let objects_only = http_denial(&deny_statement(
            r#""*""#,
            r#""s3:*""#,
            r#""arn:aws:s3:::examplebucket/*""#,
            HTTP,
        ));
        assert_eq!(
            objects_only,
            InsecureTransportDenial {
                bucket: false,
                objects: true
            }
        );
        assert!(!objects_only.is_complete());
        let one_prefix = http_denial(&deny_statement(
            r#""*""#,
            r#""s3:*""#,
            r#"["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/logs/*"]"#,
            HTTP,
        ));
        assert_eq!(
            one_prefix,
            InsecureTransportDenial {
                bucket: true,
                objects: false
            }
        );
        for wildcard in [
            r#""arn:aws:s3:::examplebucket*""#,
            r#""*""#,
            r#"["arn:aws:s3:::*"]"#,
        ] {
            assert!(
                denies_http(&deny_statement(r#""*""#, r#""s3:*""#, wildcard, HTTP)),
                "{wildcard}"
            );
        }
        assert!(
            !denies_http(&deny_statement(
                r#""*""#,
                r#""s3:*""#,
                r#"["arn:aws:s3:::otherbucket","arn:aws:s3:::otherbucket/*"]"#,
                HTTP
            )),
            "another bucket's resources"
        );
    }

    #[test]
    fn two_statements_may_cover_the_bucket_and_the_objects_together() {
        assert!(denies_http(
            r#"{"Statement":[
                {"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::examplebucket",
                 "Condition":{"Bool":{"aws:SecureTransport":"false"}}},
                {"Effect":"Deny","Principal":{"AWS":"*"},"Action":"s3:*","Resource":"arn:aws:s3:::examplebucket/*",
                 "Condition":{"BoolIfExists":{"aws:SecureTransport":false}}}]}"#
        ));
    }

    #[test]
    fn every_principal_must_be_denied() {
        assert!(denies_http(&deny_statement(
            r#"{"AWS":"*"}"#,
            r#""s3:*""#,
            BOTH,
            HTTP
        )));
        assert!(!denies_http(&deny_statement(
            r#"{"AWS":"arn:aws:iam::111122223333:root"}"#,
            r#""s3:*""#,
            BOTH,
            HTTP
        )));
        assert!(
            !denies_http(
                r#"{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"arn:aws:iam::111122223333:root"},
                "Action":"s3:*","Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"],
                "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
            ),
            "NotPrincipal exempts the principals it names"
        );
    }

    #[test]
    fn an_extra_condition_narrows_the_deny_so_it_does_not_count() {
        for condition in [
            r#"{"Bool":{"aws:SecureTransport":"false","aws:ViaAWSService":"false"}}"#,
            r#"{"Bool":{"aws:SecureTransport":"false"},"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}"#,
        ] {
            assert!(
                !denies_http(&deny_statement(r#""*""#, r#""s3:*""#, BOTH, condition)),
                "{condition}"
            );
        }
    }

    #[test]
    fn an_allow_on_secure_transport_does_not_deny_http() {
        assert!(!denies_http(
            r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
                "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"],
                "Condition":{"Bool":{"aws:SecureTransport":"true"}}}]}"#
        ));
        assert!(
            !denies_http(
                r#"{"Statement":[{"Effect":"Deny","Principal":"*","NotAction":"iam:*",
                "Resource":["arn:aws:s3:::examplebucket","arn:aws:s3:::examplebucket/*"],
                "Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}"#
            ),
            "NotAction is not counted"
        );
    }

    #[test]
    fn prefix_coverage_needs_a_trailing_star() {
        assert!(matches_everything_starting_with("*", "s3:"));
        assert!(matches_everything_starting_with("s3:*", "s3:"));
        assert!(matches_everything_starting_with("S?:*", "s3:"));
        assert!(!matches_everything_starting_with("s3:Get*", "s3:"));
        assert!(!matches_everything_starting_with("s3:?", "s3:"));
        assert!(!matches_everything_starting_with(
            "arn:aws:s3:::b/?",
            "arn:aws:s3:::b/"
        ));
    }

    #[test]
    fn wildcard_edge_cases() {
        assert!(wildcard_match("*", ""));
        assert!(wildcard_match("a*b*c", "aXXbYYc"));
        assert!(!wildcard_match("a*b*c", "aXXbYY"));
        assert!(wildcard_match("ec2:Describe*", "ec2:DescribeInstances"));
    }
}
