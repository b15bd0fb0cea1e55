//! Test support for file modes. The umask belongs to the whole process, and a test binary runs
//! its tests on many threads at once, so a test that needs umask 000 does not change it in
//! place: it runs itself again in a child process started with that umask.
// A test helper fails the test by panicking, like the tests themselves.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
use std::path::Path;
use std::process::Command;

/// Set in the child process, so that the test knows it is the child.
const CHILD_VAR: &str = "ZWEIFAKTOR_TEST_UMASK_000";

/// The permission bits of `path` (without the file type).
pub fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Runs the test `name` of the current test binary again in a child process with umask 000
/// and asserts that the child ran exactly that test and it passed.
///
/// `name` is the test's path as `cargo test -- --exact` takes it (`tests::modes` for a unit
/// test, `modes` for a test at the top of an integration test file). Returns `true` in the
/// child, which then makes its checks (after this function has made sure the umask really is
/// 000), and `false` in the parent, which has nothing more to do.
pub fn in_child_with_umask_000(name: &str) -> bool {
    if std::env::var_os(CHILD_VAR).is_some() {
        assert_umask_is_000();
        return true;
    }
    let exe = std::env::current_exe().expect("test executable");
    let out = Command::new("sh")
        .arg("-c")
        .arg("umask 000 && exec \"$0\" \"$@\"")
        .arg(exe)
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env(CHILD_VAR, "1")
        .output()
        .expect("run the test binary under sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the child with umask 000 failed:\n{stdout}\n{stderr}"
    );
    assert!(
        stdout.contains(&format!("test {name} ... ok")),
        "the child did not run {name}:\n{stdout}"
    );
    false
}

/// A file created with mode 0666 keeps all of it only when the umask is 000.
fn assert_umask_is_000() {
    let probe = std::env::temp_dir().join(format!("zweifaktor-umask-probe-{}", std::process::id()));
    let _ = std::fs::remove_file(&probe);
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o666)
        .open(&probe)
        .expect("create the umask probe");
    let found = mode(&probe);
    std::fs::remove_file(&probe).expect("remove the umask probe");
    assert_eq!(found, 0o666, "the child's umask is not 000");
}
