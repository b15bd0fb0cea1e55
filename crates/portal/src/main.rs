//! The `zweifaktor-portal` binary: parses the command line and hands over to [`cli`].

mod cli;

/// The allocator of the portal process. A request allocates and frees many small buffers on
/// the runtime's threads and hands some to the SQLite writer thread, which frees them; glibc's
/// allocator spent about a quarter of the runtime threads' time on that under a burst of code
/// checks (docs/PERFORMANCE.md, "Storage"), mimalloc's thread-local free lists far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
