//! The headless Zweifaktor app: the same core as the phone app, a command line instead of a
//! window.
//!
//! PINs are read from `ZF_PIN` or from standard input, and set-up links (which carry the
//! account's secret and a portal's enroll token) and typed secrets from standard input, never
//! from the arguments, because arguments are visible to every user of the machine (`ps`).
//!
//! # Layout
//! - [`cli`]: the command-line grammar.
//! - [`secret_input`]: where PINs and set-up links come from.
//! - [`run`]: one function per command, calling the core.
//! - [`manual`]: `add-manual`'s options as the core's manual entry.
//! - [`online`]: the commands that talk to a portal (registration, poll, listen, deny).
//! - [`transfer`]: `import` and `export`.
//! - [`exit`]: errors and the exit codes scripts rely on.

pub mod cli;
pub mod exit;
pub mod manual;
pub mod online;
pub mod run;
pub mod secret_input;
pub mod transfer;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

/// Parses `args`, runs the command and prints its result; returns the process exit code.
pub fn main_with_args(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(exit::USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    init_logging(cli.verbose);
    let json = cli.json;
    match run::run(cli) {
        Ok(output) => {
            output.print(json);
            ExitCode::SUCCESS
        }
        Err(err) => {
            err.print(json);
            ExitCode::from(err.exit_code())
        }
    }
}

/// Logs go to standard error so that standard output stays machine-readable; without
/// timestamps, as the calling script or service manager adds its own.
fn init_logging(verbose: bool) {
    let default = if verbose { "debug" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("ZF_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .without_time()
        .try_init();
}
