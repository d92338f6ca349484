//! The command line.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "host",
    version,
    about = "Audit an AWS account against the CIS AWS Foundations Benchmark with sandboxed WebAssembly checks",
    long_about = "Plumbline collects an AWS account's configuration with read-only API calls and \
                  hands it to check plugins (WebAssembly components) that run in a sandbox with no \
                  network, filesystem or credentials. Each check maps to CIS recommendation ids in \
                  every benchmark version that has the control.",
    after_help = "Examples:\n  \
        host scan --plugins checks/                         scan the account of the current AWS credentials\n  \
        host scan --plugins checks/ --profile audit --format json --output report.json\n  \
        host collect --out account.json                     save the account's data for offline scans\n  \
        host scan --plugins checks/ --snapshot account.json --now 2026-12-01\n  \
        host coverage --cis 3.0.0                           which CIS v3.0.0 recommendations the checks implement\n  \
        host permissions --format json > audit-policy.json  the IAM policy a scanning principal needs\n  \
        host trust add acme.pub --name acme --packs 'acme/*'  trust a publisher's key for its packs\n  \
        host pack install oci://registry.example.com/acme/extra:1   install a signed community pack\n  \
        host scan --pack acme/extra --plugins checks/       run it next to the first-party checks\n  \
        host diff monday.json tuesday.json                  what got worse or was fixed (exit 1 if worse)\n  \
        host test my-check/                                 run a check against its fixtures\n\n\
        Exit codes: 0 no check failed, 1 a check failed, 2 usage or runtime error (including a check that could not evaluate)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the checks against an account (live) or a snapshot (offline) and report.
    Scan(Box<ScanArgs>),
    /// Collect the account's data into a snapshot file, for offline scans and fixtures.
    Collect(CollectArgs),
    /// List a CIS version's recommendations and the loaded checks that implement each.
    Coverage(CoverageArgs),
    /// Print the least-privilege IAM policy the loaded checks need (read-only actions).
    Permissions(PermissionsArgs),
    /// Compare two JSON reports of one account: what got worse, what was fixed, scores.
    Diff(DiffArgs),
    /// Scaffold a check (Rust, Python, JavaScript or C) for a CIS control, with fixtures.
    New(NewArgs),
    /// Run check components against their fixture snapshots; exit 1 on any mismatch.
    Test(TestArgs),
    /// Build, sign, publish, install and pin check packs.
    #[command(subcommand)]
    Pack(PackCommand),
    /// Manage the publisher keys trusted to sign packs.
    #[command(subcommand)]
    Trust(TrustCommand),
}

#[derive(Args, Debug)]
#[command(
    long_about = "Compare two JSON reports (host scan --format json) of one account, judged \
                  against one CIS version: findings that got worse (now failing or erroring), \
                  fixed ones, resources that appeared or went away, and the scores that changed. \
                  Exit code 1 when anything got worse, for a CI gate; 0 otherwise."
)]
pub struct DiffArgs {
    /// The earlier report.
    pub old: PathBuf,
    /// The later report.
    pub new: PathBuf,
    /// table, or json.
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(
    long_about = "Scaffold a check in Rust, Python, JavaScript or C: its metadata (title, CIS \
                  ids, scoring and level in every benchmark version) from a CIS control key of \
                  the reference tables, an example rule, a pass and a fail fixture, a README and \
                  build.sh. It builds and passes its fixtures as it is; replace the example rule \
                  with the control's logic.",
    after_help = "Examples:\n  \
        host new --lang python --control ROOT_NO_ACCESS_KEYS my-check\n  \
        host new --lang rust --control root_mfa --guest-sdk ./guest-sdk root-mfa-strict\n  \
        cd my-check && ./build.sh && host test .\n\n\
        Control keys: `host coverage --format json` lists each recommendation's control_key.\n\
        Toolchains: rust needs rustup (wasm32-wasip2 is added); python needs python3 (componentize-py \
        is installed into .venv); javascript needs node and npm; c needs clang with wasi-libc, \
        wit-bindgen and wasm-tools (scripts/setup-c-tools.sh in the Plumbline repository installs them)."
)]
pub struct NewArgs {
    /// The check's id, kebab-case; also the folder created.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The language to write it in.
    #[arg(long, value_enum)]
    pub lang: Language,
    /// The CIS control key it implements, e.g. ROOT_NO_ACCESS_KEYS (any case).
    #[arg(long, value_name = "KEY")]
    pub control: String,
    /// Folder to create [default: NAME].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Rust: depend on the guest SDK at this path instead of the published crate.
    #[arg(long, value_name = "DIR")]
    pub guest_sdk: Option<PathBuf>,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Rust,
    Python,
    #[value(alias = "js")]
    Javascript,
    C,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "Rust",
            Language::Python => "Python",
            Language::Javascript => "JavaScript",
            Language::C => "C",
        }
    }
}

#[derive(Args, Debug)]
#[command(
    long_about = "Run check components against their fixtures and say, per fixture, what was \
                  expected and what came out. Builds nothing: it runs any component, whatever \
                  language built it. A check's fixtures are fixtures/*.json beside its .wasm: \
                  snapshots (the JSON `host collect` writes, trimmed to what the check reads) \
                  with an `expect` block:\n\n  \
                  \"expect\": { \"status\": \"fail\", \"fail\": [\"arn:aws:iam::111122223333:root\"], \
                  \"pass\": [], \"now\": \"2026-12-01\", \"benchmark_version\": \"1.2.0\", \
                  \"message_contains\": \"...\" }\n\n\
                  `status` is the check's status; a list per finding status (pass, fail, manual, \
                  not-applicable, error) names exactly the resources with that status; the rest is \
                  optional. Exit code 1 when any fixture does not come out as expected.",
    after_help = "Examples:\n  \
        host test my-check/                     the component(s) under my-check/ and each one's fixtures/\n  \
        host test checks/                       every first-party check\n  \
        host test my-check/ --update            accept what came out as the new expectations"
)]
pub struct TestArgs {
    /// Component files, or folders searched for them (recursively).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The fixtures folder, for a single component [default: fixtures/ beside each component].
    #[arg(long, value_name = "DIR")]
    pub fixtures: Option<PathBuf>,
    /// Show each difference, then write what came out as the fixture's new expectation.
    #[arg(long)]
    pub update: bool,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output_level: OutputLevel,
}

/// Where installed packs and the trust store live.
#[derive(Args, Debug, Clone)]
pub struct StateArgs {
    /// Installed packs and their lock file [default: $XDG_DATA_HOME/plumbline/packs,
    /// else ~/.local/share/plumbline/packs].
    #[arg(long, env = "PLUMBLINE_PACKS_DIR", value_name = "DIR")]
    pub packs_dir: Option<PathBuf>,
    /// The trust store (trust.toml) and the config file (config.toml)
    /// [default: $XDG_CONFIG_HOME/plumbline, else ~/.config/plumbline].
    #[arg(long, env = "PLUMBLINE_CONFIG_DIR", value_name = "DIR")]
    pub config_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
#[command(after_help = "Sources (install, verify, diff):\n  \
    ./dist                                      a built pack folder\n  \
    extra-1.2.0.tar.gz, https://host/extra.tar.gz#sha256=HEX   a tarball, optionally pinned\n  \
    git+https://host/acme/extra.git#v1.2.0      a git repository at a tag or commit\n  \
    oci://registry.example.com/acme/extra:1.2.0  an OCI registry (tags: 1.2.0, 1.2, 1; or @sha256:...)\n  \
    oci-layout:/media/usb/extra[:TAG]           a folder written by `host pack export`\n\n\
    A pack from a remote source must carry a signature by a key `host trust add` trusts for its\n\
    name, unless --allow-unsigned (recorded in the lock file).")]
pub enum PackCommand {
    /// Scaffold a pack project with one Rust check.
    New(PackNewArgs),
    /// Build a pack project's checks and write the built pack with its manifest of hashes.
    Build(PackBuildArgs),
    /// Fetch and verify a pack (files, hashes, components, signature) without installing it.
    Verify(PackSourceArgs),
    /// Sign a built pack's manifest with a minisign or OpenSSH private key.
    Sign(PackSignArgs),
    /// Push a built pack to an OCI registry, tagged VERSION, MAJOR.MINOR and MAJOR.
    Publish(PackPublishArgs),
    /// Fetch, verify and install packs (or, with --locked, exactly the lock file's set).
    Install(PackInstallArgs),
    /// List the installed packs.
    List(PackListArgs),
    /// Show an installed pack: its checks, CIS references, source, digest and signer.
    Info(PackInfoArgs),
    /// Uninstall a pack.
    Remove(PackNameArgs),
    /// List installed packs whose source has a newer version in the same major channel.
    Outdated(PackListArgs),
    /// Install the newest version in the same major channel of installed packs.
    Update(PackUpdateArgs),
    /// The checks added, removed and changed between two versions of a pack.
    Diff(PackDiffArgs),
    /// Write a pack as an OCI image layout folder, for machines without network.
    Export(PackExportArgs),
}

#[derive(Args, Debug)]
pub struct PackNewArgs {
    /// The pack's name, publisher/pack (e.g. acme/s3-extra).
    pub name: String,
    /// Folder to create [default: the pack part of the name].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Id of the first check [default: <pack>-example].
    #[arg(long, value_name = "ID")]
    pub check: Option<String>,
    /// Depend on the guest SDK at this path instead of the published crate.
    #[arg(long, value_name = "DIR")]
    pub guest_sdk: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct PackBuildArgs {
    /// The pack project (holding plumbline-pack.toml).
    #[arg(default_value = ".", value_name = "DIR")]
    pub project: PathBuf,
    /// Where the built pack goes [default: DIR/dist].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackSourceArgs {
    /// A pack source (see `host pack --help`).
    pub source: String,
    /// Accept a pack that no trusted key signed.
    #[arg(long)]
    pub allow_unsigned: bool,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackSignArgs {
    /// The built pack folder.
    pub pack: PathBuf,
    /// A minisign secret key (minisign -G) or an OpenSSH private key (ssh-keygen).
    #[arg(long, value_name = "FILE")]
    pub key: PathBuf,
    /// Environment variable holding the key's password, if it has one.
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,
}

#[derive(Args, Debug)]
pub struct PackPublishArgs {
    /// The built (and signed) pack folder.
    pub pack: PathBuf,
    /// oci://registry/repository; tags come from the pack's version.
    pub reference: String,
}

#[derive(Args, Debug)]
pub struct PackInstallArgs {
    /// Pack sources (see `host pack --help`).
    #[arg(required_unless_present = "locked")]
    pub sources: Vec<String>,
    /// Install exactly the packs, versions and digests of the lock file, or fail naming the drift.
    #[arg(long, conflicts_with = "sources")]
    pub locked: bool,
    /// A lock file to pin to: --locked installs exactly its set; otherwise it receives a copy
    /// of the installed set (e.g. one committed next to a CI pipeline) [default: plumbline.lock
    /// in the packs directory].
    #[arg(long, value_name = "FILE")]
    pub lockfile: Option<PathBuf>,
    /// Accept a pack that no trusted key signed (recorded in the lock file).
    #[arg(long)]
    pub allow_unsigned: bool,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackListArgs {
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Args, Debug)]
pub struct PackNameArgs {
    /// An installed pack's name (publisher/pack).
    pub name: String,
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Args, Debug)]
pub struct PackInfoArgs {
    /// An installed pack's name (publisher/pack).
    pub name: String,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackUpdateArgs {
    /// Packs to update [default: all].
    pub names: Vec<String>,
    /// Accept a pack that no trusted key signed (recorded in the lock file).
    #[arg(long)]
    pub allow_unsigned: bool,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackDiffArgs {
    /// The older pack: a source, or an installed pack's name.
    pub old: String,
    /// The newer pack: a source, or an installed pack's name.
    pub new: String,
    /// Accept packs that no trusted key signed.
    #[arg(long)]
    pub allow_unsigned: bool,
    /// Output format: table, or json.
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    #[command(flatten)]
    pub state: StateArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
}

#[derive(Args, Debug)]
pub struct PackExportArgs {
    /// An installed pack's name, or a built pack folder.
    pub pack: String,
    /// The OCI image layout folder to write (created; must not exist or be empty).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Subcommand, Debug)]
pub enum TrustCommand {
    /// Trust a publisher's public key (minisign .pub or OpenSSH .pub) for pack names.
    Add(TrustAddArgs),
    /// List trusted keys and the pack names each may sign.
    List(PackListArgs),
    /// Stop trusting a key.
    Remove(TrustRemoveArgs),
}

#[derive(Args, Debug)]
pub struct TrustAddArgs {
    /// The public key file.
    pub key: PathBuf,
    /// A name for the key, shown as the signer of the packs it signs.
    #[arg(long)]
    pub name: String,
    /// Pack names this key may sign: exact (acme/extra) or a publisher's (acme/*). Repeatable.
    #[arg(long = "packs", value_name = "PATTERN", required = true)]
    pub packs: Vec<String>,
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Args, Debug)]
pub struct TrustRemoveArgs {
    /// The key's name.
    pub name: String,
    #[command(flatten)]
    pub state: StateArgs,
}

#[derive(Args, Debug, Clone)]
pub struct AwsArgs {
    /// Named profile from ~/.aws/config; default: the standard credential chain
    /// (environment, profile, SSO, instance role).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,
    /// Region the SDK calls global services from; default: the profile's or
    /// AWS_REGION, else us-east-1.
    #[arg(long)]
    pub region: Option<String>,
    /// Regions to scan for regional data (Access Analyzer, EC2), comma-separated;
    /// default: every region enabled in the account (ec2:DescribeRegions).
    #[arg(long, value_delimiter = ',', value_name = "REGION,...")]
    pub regions: Option<Vec<String>>,
}

#[derive(Args, Debug, Clone)]
pub struct RuntimeArgs {
    /// Wall time one check may run before it is stopped (seconds).
    #[arg(long, default_value_t = 10.0, value_name = "SECONDS")]
    pub timeout: f64,
    /// Memory one check may use (MiB).
    #[arg(long, default_value_t = 128, value_name = "MIB")]
    pub memory_limit: usize,
    /// Where compiled checks are cached [default: $PLUMBLINE_CACHE_DIR, else ~/.cache/plumbline/components].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Compile every check afresh and keep nothing on disk.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
}

#[derive(Args, Debug)]
pub struct ScanArgs {
    /// Directory (searched recursively) or file of check components (.wasm). Repeatable.
    /// Without --plugins and --pack: the packs listed in config.toml (`packs = [...]`), else checks/.
    #[arg(long = "plugins", value_name = "DIR")]
    pub plugins: Vec<PathBuf>,
    /// An installed pack to run (publisher/pack, see `host pack list`). Repeatable.
    #[arg(long = "pack", value_name = "NAME")]
    pub packs: Vec<String>,
    #[command(flatten)]
    pub state: StateArgs,
    /// Evaluate a snapshot written by `host collect` instead of calling AWS.
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// The scan's "now" for age-based checks (RFC 3339, YYYY-MM-DD or @UNIX-SECONDS); default:
    /// the snapshot's collection time, or the current time for a live scan.
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// CIS benchmark version whose ids and verdicts the report shows, e.g. 3.0.0;
    /// default: the newest any check implements. Scores cover every version.
    #[arg(long = "benchmark-version", alias = "cis", value_name = "VERSION")]
    pub benchmark_version: Option<String>,
    /// Accepted risks (TOML, or YAML for .yaml/.yml): failing findings a waiver in force
    /// matches report `waived` and do not count as failures; expired and unused waivers are
    /// listed. See the README.
    #[arg(long, value_name = "FILE")]
    pub waivers: Option<PathBuf>,
    /// Report format; repeatable (with --output-dir), or comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "table")]
    pub format: Vec<ReportFormat>,
    /// Write the report to FILE instead of stdout (one format).
    #[arg(long, value_name = "FILE", conflicts_with = "output_dir")]
    pub output: Option<PathBuf>,
    /// Write one file per format into DIR: plumbline-report.txt, .json, .html, .csv,
    /// .junit.xml, .sarif, .asff.json, .ocsf.json.
    #[arg(long, value_name = "DIR")]
    pub output_dir: Option<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output_level: OutputLevel,
}

#[derive(Args, Debug)]
pub struct CollectArgs {
    /// Snapshot file to write (JSON).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Collect only what these checks read; default: every data set the host knows.
    #[arg(long = "plugins", value_name = "DIR")]
    pub plugins: Vec<PathBuf>,
    #[command(flatten)]
    pub aws: AwsArgs,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output_level: OutputLevel,
}

#[derive(Args, Debug)]
pub struct CoverageArgs {
    /// Directory (searched recursively) or file of check components (.wasm). Repeatable.
    #[arg(long = "plugins", value_name = "DIR", default_value = "checks")]
    pub plugins: Vec<PathBuf>,
    /// CIS benchmark version to list, e.g. 3.0.0; default: the newest published.
    #[arg(long = "benchmark-version", alias = "cis", value_name = "VERSION")]
    pub benchmark_version: Option<String>,
    /// Only this section: a number or id prefix (2, 3.1), part of a section or
    /// subsection name (Logging, S3) or a section's initials (IAM).
    #[arg(long, value_name = "SECTION")]
    pub section: Option<String>,
    /// Output format: table, or json (its shape is in the README, "Coverage").
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    /// Write the listing to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output_level: OutputLevel,
}

#[derive(Args, Debug)]
#[command(
    long_about = "Print the read-only IAM actions the loaded checks need: the actions of every \
                  data set they read, of the data sets those depend on, and what every scan \
                  calls. Attach the JSON policy (--format json) to the scanning principal; a \
                  check whose action is missing reports `error` naming it, never a pass."
)]
pub struct PermissionsArgs {
    /// Directory (searched recursively) or file of check components (.wasm). Repeatable.
    #[arg(long = "plugins", value_name = "DIR", default_value = "checks")]
    pub plugins: Vec<PathBuf>,
    /// table: each action with what it reads and the checks that need it;
    /// json: an IAM policy document.
    #[arg(long, value_enum, default_value_t = Format::Table, hide_possible_values = true)]
    pub format: Format,
    /// Write to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub runtime: RuntimeArgs,
    #[command(flatten)]
    pub output_level: OutputLevel,
}

/// How much the host says on stderr.
#[derive(Args, Debug, Clone, Copy)]
pub struct OutputLevel {
    /// Show what each check imports, per-source collection times and each check's stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// Print only the report, warnings and errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
}

/// What `host scan` can write.
#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// A readable table with scores.
    Table,
    /// The stable JSON document described in the README.
    Json,
    /// One self-contained page to open in a browser: score chart, sections, filters, search.
    Html,
    /// One row per check and resource; cells that would run as spreadsheet formulas are neutralised.
    Csv,
    /// JUnit XML, one test case per check and resource, for CI test views.
    Junit,
    /// SARIF 2.1.0, for code-scanning dashboards.
    Sarif,
    /// AWS Security Finding Format, for securityhub:BatchImportFindings (stable ids).
    Asff,
    /// OCSF 1.8.0 Compliance Findings, for security data lakes (Amazon Security Lake, SIEMs).
    Ocsf,
}

impl ReportFormat {
    /// The file `--output-dir` writes it to.
    pub fn file_name(self) -> &'static str {
        match self {
            ReportFormat::Table => "plumbline-report.txt",
            ReportFormat::Json => "plumbline-report.json",
            ReportFormat::Html => "plumbline-report.html",
            ReportFormat::Csv => "plumbline-report.csv",
            ReportFormat::Junit => "plumbline-report.junit.xml",
            ReportFormat::Sarif => "plumbline-report.sarif",
            ReportFormat::Asff => "plumbline-report.asff.json",
            ReportFormat::Ocsf => "plumbline-report.ocsf.json",
        }
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable table with scores.
    Table,
    /// The stable JSON document described in the README.
    Json,
}
