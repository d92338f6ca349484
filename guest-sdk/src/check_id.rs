//! A check's id comes from its package name, so it is written once.

/// What every check's package name starts with: the package `check-root-mfa`
/// is the check `root-mfa`.
pub const PACKAGE_PREFIX: &str = "check-";

/// The check id in a package name: `check-<id>`, the id in kebab-case
/// (lowercase letters, digits, single hyphens).
///
/// [`export_check!`](crate::export_check) calls it on `CARGO_PKG_NAME` in a
/// constant, so a package named otherwise fails to compile, with this
/// function's message, rather than building a component whose id nobody
/// chose.
///
/// ```
/// const ID: &str = plumbline_guest::check_id_from_package_name("check-root-mfa");
/// assert_eq!(ID, "root-mfa");
/// ```
///
/// ```compile_fail
/// const ID: &str = plumbline_guest::check_id_from_package_name("root-mfa");
/// assert_eq!(ID, "root-mfa");
/// ```
pub const fn check_id_from_package_name(package: &'static str) -> &'static str {
    let bytes = package.as_bytes();
    let prefix = PACKAGE_PREFIX.as_bytes();
    if bytes.len() <= prefix.len() {
        panic!("a check's package must be named `check-<id>`: the name is too short for an id");
    }
    let mut index = 0;
    while index < prefix.len() {
        if bytes[index] != prefix[index] {
            panic!("a check's package must be named `check-<id>`: the name lacks `check-`");
        }
        index += 1;
    }
    let (_, id) = package.split_at(prefix.len());
    let id_bytes = id.as_bytes();
    if id_bytes[0] == b'-' || id_bytes[id_bytes.len() - 1] == b'-' {
        panic!("a check id must not start or end with a hyphen");
    }
    let mut index = 0;
    while index < id_bytes.len() {
        let byte = id_bytes[index];
        let kebab = byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-';
        if !kebab {
            panic!(
                "a check id is kebab-case: lowercase letters, digits and hyphens in `check-<id>`"
            );
        }
        if byte == b'-' && id_bytes[index - 1] == b'-' {
            panic!("a check id must not have two hyphens in a row");
        }
        index += 1;
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_is_the_package_name_without_the_prefix() {
        assert_eq!(check_id_from_package_name("check-root-mfa"), "root-mfa");
        assert_eq!(
            check_id_from_package_name("check-pw-policy-min-length-14"),
            "pw-policy-min-length-14"
        );
        assert_eq!(check_id_from_package_name("check-x"), "x");
    }

    #[test]
    #[should_panic(expected = "lacks `check-`")]
    fn a_package_without_the_prefix_has_no_id() {
        check_id_from_package_name("test-plugin-hostile-trap");
    }

    #[test]
    #[should_panic(expected = "too short for an id")]
    fn the_prefix_alone_has_no_id() {
        check_id_from_package_name("check-");
    }

    #[test]
    #[should_panic(expected = "kebab-case")]
    fn underscores_are_refused() {
        check_id_from_package_name("check-root_mfa");
    }

    #[test]
    #[should_panic(expected = "kebab-case")]
    fn capitals_are_refused() {
        check_id_from_package_name("check-Root-MFA");
    }

    #[test]
    #[should_panic(expected = "start or end with a hyphen")]
    fn a_trailing_hyphen_is_refused() {
        check_id_from_package_name("check-root-");
    }

    #[test]
    #[should_panic(expected = "two hyphens in a row")]
    fn a_double_hyphen_is_refused() {
        check_id_from_package_name("check-root--mfa");
    }
}
