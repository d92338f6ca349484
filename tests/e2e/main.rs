//! The end-to-end tests, one binary: the real `host` binary against moto,
//! against the check fixtures and against hostile plugins. Run one module or
//! one trial by name, e.g. `cargo test -p plumbline-host --test e2e -- cli::`
//! or `-- fixtures::iam/root-mfa/pass-mfa-enabled`.
//!
//! libtest-mimic is the harness (`harness = false`): each check fixture is a
//! trial of its own, named after the fixture, which `#[test]` cannot express.
//! The other tests are plain `fn` and `async fn` items that each module lists
//! in its `tests()` with [`e2e_tests!`]. They carry no `#[test]` on purpose: a
//! test left out of the list is dead code, which
//! `cargo clippy --all-targets -- -D warnings` refuses.

use std::future::Future;
use std::process::ExitCode;

use libtest_mimic::{Arguments, Trial};

/// A module's tests as trials named `<module>::<function>`: `sync name` for
/// a `fn name()`, `tokio name` for an `async fn name()`.
macro_rules! e2e_tests {
    ($($kind:ident $test:ident),* $(,)?) => {
        vec![$(e2e_tests!(@$kind $test)),*]
    };
    (@sync $test:ident) => {
        $crate::sync_trial(module_path!(), stringify!($test), $test)
    };
    (@tokio $test:ident) => {
        $crate::tokio_trial(module_path!(), stringify!($test), $test)
    };
}

mod api_calls;
mod check_fixtures;
mod cli;
mod coverage;
mod denied_calls;
mod html_report;
mod language_twins;
mod logging_data;
mod logging_moto;
mod monitoring_data;
mod monitoring_moto;
mod moto_credentials;
mod moto_organizations;
mod moto_policies;
mod network_data;
mod packs;
mod packs_oci;
mod permissions;
mod plugin_loading;
mod report_formats;
mod sandbox;
mod scaffold;
mod scan_diff;
mod scan_moto;
mod sections_moto;
mod storage_data;
mod support;
mod untrusted_text;
mod waivers;

fn main() -> ExitCode {
    let arguments = Arguments::from_args();
    let trials = [
        api_calls::tests(),
        check_fixtures::tests(),
        cli::tests(),
        coverage::tests(),
        denied_calls::tests(),
        html_report::tests(),
        language_twins::tests(),
        logging_data::tests(),
        logging_moto::tests(),
        monitoring_data::tests(),
        monitoring_moto::tests(),
        moto_credentials::tests(),
        moto_organizations::tests(),
        moto_policies::tests(),
        network_data::tests(),
        packs::tests(),
        packs_oci::tests(),
        permissions::tests(),
        plugin_loading::tests(),
        report_formats::tests(),
        sandbox::tests(),
        scaffold::tests(),
        scan_diff::tests(),
        scan_moto::tests(),
        sections_moto::tests(),
        storage_data::tests(),
        untrusted_text::tests(),
        waivers::tests(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let conclusion = libtest_mimic::run(&arguments, trials);
    support::remove_shared_dirs();
    conclusion.exit_code()
}

/// `e2e::cli` and `help` make `cli::help`.
fn trial_name(module_path: &str, test: &str) -> String {
    let module = module_path
        .split_once("::")
        .map_or(module_path, |(_, module)| module);
    format!("{module}::{test}")
}

fn sync_trial(module_path: &str, test: &str, body: fn()) -> Trial {
    Trial::test(trial_name(module_path, test), move || {
        body();
        Ok(())
    })
}

/// Each async test gets a current-thread runtime of its own, as
/// `#[tokio::test]` gives it.
fn tokio_trial<F>(module_path: &str, test: &str, body: fn() -> F) -> Trial
where
    F: Future<Output = ()> + 'static,
{
    Trial::test(trial_name(module_path, test), move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|error| format!("cannot start a tokio runtime: {error}"))?
            .block_on(body());
        Ok(())
    })
}
