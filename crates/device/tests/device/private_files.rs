//! Regression (issue 9, finding 11): the device's vault, its backup and the folder it creates
//! are private to the user, even when the binary runs with umask 000.

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;
use std::process::Command;

use crate::common::{Device, PIN, assert_success, feed};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The binary run through `sh` with umask 000. `sh` first creates `probe` with its default
/// mode, which is 0666 only if the umask really is 000.
fn with_umask_000(device: &Device, probe: &Path, args: &[&str]) -> Command {
    let inner = device.command(args);
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("umask 000 && : > \"$0\" && exec \"$@\"")
        .arg(probe)
        .arg(inner.get_program())
        .args(inner.get_args())
        .env_remove("ZF_PIN")
        .env_remove("ZF_NEW_PIN")
        .env_remove("ZF_VAULT");
    cmd
}

#[test]
fn vault_backup_and_folder_stay_private_under_umask_000() {
    let root = tempfile::tempdir().expect("temp dir");
    let probe = root.path().join("probe");
    let mut device = Device::empty();
    device.vault = root.path().join("new/zweifaktor/vault.json");
    let init = with_umask_000(
        &device,
        &probe,
        &["init", "--email", "demo@example.org", "--insecure-test-kdf"],
    );
    assert_success(&feed(init, &format!("{PIN}\n")));
    assert_eq!(mode(&probe), 0o666, "the shell's umask was not 000");
    let link = "otpauth://totp/Example:alice@example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let add = with_umask_000(&device, &probe, &["add", "-"]);
    assert_success(&feed(add, &format!("{PIN}\n{link}\n")));
    assert_eq!(mode(&root.path().join("new")), 0o700);
    assert_eq!(mode(device.vault.parent().expect("folder")), 0o700);
    assert_eq!(mode(&device.vault), 0o600);
    assert_eq!(mode(&device.vault.with_file_name("vault.json.bak")), 0o600);
}
