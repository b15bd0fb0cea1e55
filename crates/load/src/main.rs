//! The `zweifaktor-load` binary: parses the options, runs the load, prints the table and
//! the JSON report; exits non-zero when a challenge was lost or duplicated or a login got
//! no answer. Started with `--serve-portal` (by `--portal-from-tool`) it serves the portal
//! instead, as a child process the run can SIGKILL.

use std::process::ExitCode;

use clap::Parser as _;
use zweifaktor_load::{Options, run};
use zweifaktor_portal::error::error_chain;

fn main() -> ExitCode {
    let options = Options::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let (Some(addr), Some(dir)) = (options.serve_portal, &options.work_dir) {
        return match runtime.block_on(zweifaktor_load::portal::serve(
            addr,
            dir,
            options.password_profile,
            options.database_url.as_deref(),
        )) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {}", error_chain(&e));
                ExitCode::FAILURE
            }
        };
    }
    let report = match runtime.block_on(run(&options)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("error: {}", error_chain(&e));
            return ExitCode::FAILURE;
        }
    };
    print!("{}", report.table());
    let json = match serde_json::to_string_pretty(&report) {
        Ok(json) => json,
        Err(e) => {
            eprintln!("error: cannot encode the report: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{json}");
    if let Some(path) = &options.json
        && let Err(e) = std::fs::write(path, &json)
    {
        eprintln!("error: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    if report.clean() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: challenges lost or duplicated, or logins without an answer");
        ExitCode::FAILURE
    }
}
