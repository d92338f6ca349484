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
        host permissions --format json > audit-policy.json  the IAM policy a scanning principal needs\n\n\
        Exit codes: 0 no check failed, 1 a check failed, 2 usage or runtime error (including a check that could not evaluate)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the checks against an account (live) or a snapshot (offline) and report.
    Scan(ScanArgs),
    /// Collect the account's data into a snapshot file, for offline scans and fixtures.
    Collect(CollectArgs),
    /// List a CIS version's recommendations and the loaded checks that implement each.
    Coverage(CoverageArgs),
    /// Print the least-privilege IAM policy the loaded checks need (read-only actions).
    Permissions(PermissionsArgs),
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
    #[arg(long = "plugins", value_name = "DIR", default_value = "checks")]
    pub plugins: Vec<PathBuf>,
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
    /// Report format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
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

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable table with scores.
    Table,
    /// The stable JSON document described in the README.
    Json,
}
