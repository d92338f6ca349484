//! The registry against the contract: every data function of
//! `wit/check.wit` has a data set, every answer names a WIT function, and
//! every answer has the function's WIT type. Adding a WIT function without
//! registering it fails here, not in a user's scan.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use wit_parser::{Resolve, WorldItem, WorldKey};

use super::{CONTEXT_INTERFACES, Scope, data_sets, services};
use crate::bindings::{API_PACKAGE, API_VERSION};

/// The contract: each interface the `check` world imports, with its
/// functions.
struct Contract {
    version: String,
    imports: BTreeMap<String, BTreeSet<String>>,
    resolve: Resolve,
    world: wit_parser::WorldId,
}

fn contract() -> Contract {
    let mut resolve = Resolve::default();
    let wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit");
    let (package, _) = resolve.push_path(&wit).expect("wit/ parses");
    let world = resolve
        .select_world(&[package], Some("check"))
        .expect("wit/ has the `check` world");
    let mut imports = BTreeMap::new();
    for (key, item) in &resolve.worlds[world].imports {
        let (WorldKey::Interface(id), WorldItem::Interface { .. }) = (key, item) else {
            continue;
        };
        let interface = &resolve.interfaces[*id];
        let name = interface
            .name
            .clone()
            .expect("imported interfaces are named");
        imports.insert(name, interface.functions.keys().cloned().collect());
    }
    let version = resolve.packages[package]
        .name
        .version
        .as_ref()
        .expect("the package is versioned")
        .to_string();
    Contract {
        version,
        imports,
        resolve,
        world,
    }
}

#[test]
fn every_wit_data_function_has_a_data_set() {
    let contract = contract();
    let mut missing = Vec::new();
    for (interface, functions) in &contract.imports {
        if CONTEXT_INTERFACES.contains(&interface.as_str()) {
            continue;
        }
        for function in functions {
            if super::answering(interface, function).is_none() {
                missing.push(format!(
                    "`{interface}.{function}` has no data set: declare one (the WIT functions it \
                     answers, scope, IAM actions, collector) in host/src/services/{}/",
                    interface.replace('-', "_")
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "wit/check.wit has data functions the host cannot answer:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_registered_answer_is_a_wit_function() {
    let contract = contract();
    for service in services() {
        let functions = contract.imports.get(service.interface).unwrap_or_else(|| {
            panic!(
                "service `{}` answers an interface the `check` world does not import",
                service.interface
            )
        });
        for set in service.data_sets {
            for function in set.functions() {
                assert!(
                    functions.contains(function),
                    "{} answers `{}.{function}`, which wit/check.wit does not have",
                    set.key(),
                    service.interface
                );
            }
        }
    }
}

#[test]
fn every_answer_has_its_functions_wit_type() {
    let contract = contract();
    // A component importing every function of the world, as a dynamic
    // language's toolchain builds one: the linker must satisfy each import
    // with the right type.
    let mut module = wit_component::dummy_module(
        &contract.resolve,
        contract.world,
        wit_parser::ManglingAndAbi::Legacy(wit_parser::LiftLowerAbi::Sync),
    );
    wit_component::embed_component_metadata(
        &mut module,
        &contract.resolve,
        contract.world,
        wit_component::StringEncoding::UTF8,
    )
    .unwrap();
    let component = wit_component::ComponentEncoder::default()
        .module(&module)
        .unwrap()
        .encode()
        .unwrap();
    let runtime = crate::runtime::Runtime::new(crate::runtime::Limits::default(), None).unwrap();
    runtime
        .check_links(&component)
        .expect("the registry answers every function of wit/check.wit with its WIT type");
}

#[test]
fn the_host_api_version_is_the_wit_package_version() {
    assert_eq!(contract().version, API_VERSION);
    assert_eq!(API_PACKAGE, "plumbline:check");
}

#[test]
fn data_sets_are_well_formed() {
    let mut keys = BTreeSet::new();
    for service in services() {
        for set in service.data_sets {
            let key = set.key();
            assert!(keys.insert(key), "{key} is registered twice");
            assert_eq!(
                key.interface, service.interface,
                "{key} is in the wrong service"
            );
            assert!(
                !key.name.is_empty()
                    && key.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{key}: a snapshot field is snake_case"
            );
            assert!(!set.description().is_empty(), "{key} has no description");
            assert!(!set.functions().is_empty(), "{key} answers no function");
            assert!(!set.actions().is_empty(), "{key} names no IAM action");
            for action in set.actions() {
                let (service, operation) = action.split_once(':').unwrap_or_default();
                assert!(
                    !service.is_empty() && operation.starts_with(|c: char| c.is_ascii_uppercase()),
                    "{key}: {action:?} is not an IAM action (service:Operation)"
                );
            }
            for dependency in set.depends_on() {
                assert!(
                    data_sets().any(|registered| registered.key() == dependency.key()),
                    "{key} depends on {}, which is not registered",
                    dependency.key()
                );
            }
            if let Scope::PerResource { .. } = set.scope() {
                assert!(
                    !set.depends_on().is_empty(),
                    "{key} is read per resource of another data set: declare it in depends_on"
                );
            }
        }
    }
}

/// A scan must list the enabled regions before collecting account-wide data
/// that is read region by region, as it does for regional data; data of one
/// call for the account needs no region list.
#[test]
fn only_data_read_in_every_region_makes_a_plan_regional() {
    let plan_of = |set: &'static dyn super::AnyDataSet| {
        let mut plan = super::Plan::default();
        plan.add(set);
        plan
    };
    assert!(plan_of(&crate::services::cloudtrail::TRAILS).is_regional());
    assert!(plan_of(&crate::services::ec2::INSTANCES).is_regional());
    assert!(!plan_of(&crate::services::s3::BUCKETS).is_regional());
}
