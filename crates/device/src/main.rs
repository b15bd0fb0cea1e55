//! `zweifaktor-device`: the headless Zweifaktor app for scripts and CI.

use std::process::ExitCode;

fn main() -> ExitCode {
    zweifaktor_device::main_with_args(std::env::args_os())
}
