//! Which WIT API version a component was built against, and whether this host
//! can run it. The version is read from the component's own import and export
//! names (`plumbline:check/plugin@1.0.0`), so it cannot disagree with the code.

use std::collections::BTreeSet;

use semver::Version;
use wasmtime::Engine;
use wasmtime::component::Component;
use wasmtime::component::types::ComponentItem;

use crate::bindings::{API_PACKAGE, API_VERSION};
use crate::registry::{self, Plan};

/// What a component's type says about it.
#[derive(Debug, Clone)]
pub struct ComponentContract {
    /// The `plumbline:check` version it was built against.
    pub api_version: Version,
    /// The data sets behind the `plumbline:check` functions it imports.
    pub data_sets: Plan,
    /// Every `plumbline:check` function it imports, as `interface.function`.
    pub imported_functions: BTreeSet<String>,
}

/// An interface name split into package, interface and version.
struct InterfaceName<'a> {
    package: &'a str,
    interface: &'a str,
    version: Option<&'a str>,
}

fn split_name(name: &str) -> Option<InterfaceName<'_>> {
    let (path, version) = match name.split_once('@') {
        Some((path, version)) => (path, Some(version)),
        None => (name, None),
    };
    let (package, interface) = path.split_once('/')?;
    Some(InterfaceName {
        package,
        interface,
        version,
    })
}

/// Reads the contract from the component's type and checks it against the
/// host's API version. The error names both versions.
pub fn inspect(engine: &Engine, component: &Component) -> Result<ComponentContract, String> {
    let host_version = Version::parse(API_VERSION).expect("host API version is semver");
    let ty = component.component_type();
    let mut versions = BTreeSet::new();
    let mut exports_plugin = false;
    for (name, _) in ty.exports(engine) {
        if let Some(parsed) = split_name(name).filter(|parsed| parsed.package == API_PACKAGE) {
            exports_plugin |= parsed.interface == "plugin";
            versions.extend(parsed.version.map(str::to_string));
        }
    }
    let mut data_sets = Plan::default();
    let mut imported_functions = BTreeSet::new();
    for (name, item) in ty.imports(engine) {
        let Some(parsed) = split_name(name).filter(|parsed| parsed.package == API_PACKAGE) else {
            continue;
        };
        versions.extend(parsed.version.map(str::to_string));
        if let ComponentItem::ComponentInstance(instance) = item.ty {
            for (function, export) in instance.exports(engine) {
                if !matches!(export.ty, ComponentItem::ComponentFunc(_)) {
                    continue;
                }
                imported_functions.insert(format!("{}.{function}", parsed.interface));
                if let Some(set) = registry::answering(parsed.interface, function) {
                    data_sets.add(set);
                }
            }
        }
    }
    if !exports_plugin {
        return Err(format!(
            "it does not export `{API_PACKAGE}/plugin`, so it is not a Plumbline check \
             (build it against the `check` world in wit/)"
        ));
    }
    let mut parsed_versions = Vec::new();
    for version in &versions {
        parsed_versions.push(Version::parse(version).map_err(|_| {
            format!("it names `{API_PACKAGE}` with an invalid version {version:?}")
        })?);
    }
    let [api_version] = parsed_versions.as_slice() else {
        return Err(format!(
            "it mixes `{API_PACKAGE}` versions {}; rebuild it against one version",
            versions.into_iter().collect::<Vec<_>>().join(", ")
        ));
    };
    if !compatible(api_version, &host_version) {
        return Err(format!(
            "it was built against {API_PACKAGE}@{api_version}, which this host (API {host_version}) \
             cannot run: a host runs components built against {} up to {host_version}. \
             Rebuild the check against wit/ of this release, or use a host that supports {api_version}",
            oldest_compatible(&host_version),
        ));
    }
    Ok(ComponentContract {
        api_version: api_version.clone(),
        data_sets,
        imported_functions,
    })
}

/// Semver compatibility as the contract promises it: same major version
/// (same minor for 0.x), and no newer than the host, since a newer minor may
/// import functions this host does not have.
pub fn compatible(component: &Version, host: &Version) -> bool {
    let same_line = if host.major == 0 {
        component.major == 0 && component.minor == host.minor
    } else {
        component.major == host.major
    };
    same_line && component <= host && component.pre.is_empty()
}

fn oldest_compatible(host: &Version) -> String {
    if host.major == 0 {
        format!("0.{}.0", host.minor)
    } else {
        format!("{}.0.0", host.major)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn same_major_and_not_newer_is_compatible() {
        assert!(compatible(&v("1.0.0"), &v("1.0.0")));
        assert!(compatible(&v("1.0.0"), &v("1.3.0")));
        assert!(!compatible(&v("1.4.0"), &v("1.3.0")));
        assert!(!compatible(&v("2.0.0"), &v("1.3.0")));
        assert!(!compatible(&v("0.9.0"), &v("1.0.0")));
        assert!(!compatible(&v("0.2.0"), &v("0.3.0")));
        assert!(compatible(&v("0.3.0"), &v("0.3.1")));
        assert!(!compatible(&v("1.0.0-rc.1"), &v("1.0.0")));
    }

    #[test]
    fn interface_names_split_into_parts() {
        let name = split_name("plumbline:check/iam@1.0.0").unwrap();
        assert_eq!(
            (name.package, name.interface, name.version),
            ("plumbline:check", "iam", Some("1.0.0"))
        );
        assert!(split_name("bare").is_none());
    }
}
