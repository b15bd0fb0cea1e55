//! Tests of the Aegis-format backup: what it writes follows Aegis's `docs/vault.md`
//! (github.com/beemdevelopment/Aegis), it restores through the Aegis importer to the same
//! accounts and codes, and an independent reader (`crates/core/tests/aegis_decrypt.py`,
//! Python's `hashlib.scrypt` and `cryptography`'s AES-GCM, written from vault.md) opens it to
//! the codes `oathtool` computes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::process::{Command, Stdio};

use proptest::prelude::*;
use serde_json::Value;
use zeroize::Zeroizing;
use zweifaktor_protocol::otp::{self, OtpParams};
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::{BackupPassword, ExportAccount, write, write_with_cost};
use crate::accounts::{Account, AccountKind, NewAccount};
use crate::import::aegis::Aegis;
use crate::import::aegis::kdf::ScryptCost;
use crate::import::test_vectors::{AEGIS_VECTORS, as_vector};
use crate::import::{ImportBatch, ImportError, ImportPassword, Importer};

const PASSWORD: &str = "Vq7#pL2m!xZ9rT";

/// scrypt at N = 2^4: only for tests that write many files.
const CHEAP: ScryptCost = ScryptCost {
    log_n: 4,
    r: 8,
    p: 1,
};

fn backup_password() -> BackupPassword {
    BackupPassword::new(Zeroizing::new(PASSWORD.to_owned()), &[]).unwrap()
}

fn vectors() -> Vec<NewAccount> {
    AEGIS_VECTORS
        .iter()
        .map(
            |(issuer, name, secret, algorithm, digits, kind)| NewAccount {
                issuer: Some((*issuer).to_owned()),
                name: (*name).to_owned(),
                seed: Seed::from_base32(secret).unwrap(),
                algorithm: *algorithm,
                digits: *digits,
                kind: *kind,
            },
        )
        .collect()
}

fn restore(file: &[u8], password: &str) -> Result<ImportBatch, ImportError> {
    Aegis.read(file, Some(&ImportPassword::new(password.to_owned())))
}

/// The accounts as the vault stores them.
fn stored(accounts: &[NewAccount]) -> Vec<Account> {
    accounts
        .iter()
        .map(|a| {
            Account::from_new(NewAccount {
                issuer: a.issuer.clone(),
                name: a.name.clone(),
                seed: a.seed.duplicate(),
                algorithm: a.algorithm,
                digits: a.digits,
                kind: a.kind,
            })
        })
        .collect()
}

/// The writer's view of `accounts`, for [`write_with_cost`].
fn views(accounts: &[Account]) -> Vec<ExportAccount<'_>> {
    accounts
        .iter()
        .map(|a| ExportAccount::from_account(a).unwrap())
        .collect()
}

/// The code an account shows at `now` (TOTP, Steam) or for its counter (HOTP).
fn code(account: &NewAccount, now: u64) -> String {
    let params = || OtpParams::new(account.algorithm, account.digits).unwrap();
    match account.kind {
        AccountKind::Totp { period } => otp::totp(&account.seed, params(), period, now),
        AccountKind::Hotp { counter } => otp::hotp(&account.seed, params(), counter),
        AccountKind::Steam => otp::steam(&account.seed, now),
    }
    .unwrap()
    .as_str()
    .to_owned()
}

#[test]
fn the_backup_restores_to_the_same_accounts_and_codes() {
    let accounts = vectors();
    let file = write(&stored(&accounts), &backup_password()).unwrap();
    let restored = restore(&file, PASSWORD).unwrap();
    assert!(restored.unsupported.is_empty());
    let before: Vec<_> = accounts.iter().map(as_vector).collect();
    let after: Vec<_> = restored.accounts.iter().map(as_vector).collect();
    assert_eq!(before, after);
    for now in [59, 1_111_111_109, 2_000_000_000] {
        let codes: Vec<_> = accounts.iter().map(|a| code(a, now)).collect();
        let restored_codes: Vec<_> = restored.accounts.iter().map(|a| code(a, now)).collect();
        assert_eq!(codes, restored_codes);
    }
    assert!(matches!(
        restore(&file, "wrong password"),
        Err(ImportError::WrongPassword { .. })
    ));
}

/// The layout vault.md describes, with Aegis's scrypt parameters.
#[test]
fn the_file_is_laid_out_as_vault_md_describes() {
    let accounts = vectors();
    let file = write(&stored(&accounts), &backup_password()).unwrap();
    let text = std::str::from_utf8(&file).unwrap();
    assert!(
        text.starts_with("{\n    \"version\": 1,"),
        "{}",
        &text[..40]
    );
    let vault: Value = serde_json::from_slice(&file).unwrap();
    assert_eq!(vault["version"], 1);
    let slots = vault["header"]["slots"].as_array().unwrap();
    assert_eq!(slots.len(), 1);
    let slot = &slots[0];
    assert_eq!(
        (
            slot["type"].as_u64(),
            slot["n"].as_u64(),
            slot["r"].as_u64(),
            slot["p"].as_u64()
        ),
        (Some(1), Some(32768), Some(8), Some(1))
    );
    let hex_len = |v: &Value| hex::decode(v.as_str().unwrap()).unwrap().len();
    assert_eq!(hex_len(&slot["salt"]), 32);
    assert_eq!(hex_len(&slot["key"]), 32);
    assert_eq!(hex_len(&slot["key_params"]["nonce"]), 12);
    assert_eq!(hex_len(&slot["key_params"]["tag"]), 16);
    assert_eq!(hex_len(&vault["header"]["params"]["nonce"]), 12);
    assert_eq!(hex_len(&vault["header"]["params"]["tag"]), 16);
    let uuid = slot["uuid"].as_str().unwrap();
    assert_eq!((uuid.len(), &uuid[14..15]), (36, "4"));
    assert!(vault["db"].is_string());
    // No secret in the clear.
    for (_, _, secret, ..) in AEGIS_VECTORS {
        assert!(!text.contains(secret));
    }
}

#[test]
fn every_backup_has_fresh_salt_keys_and_nonces() {
    let accounts = vectors();
    let parse = |file: Vec<u8>| serde_json::from_slice::<Value>(&file).unwrap();
    let a = parse(write_with_cost(&views(&stored(&accounts)), &backup_password(), CHEAP).unwrap());
    let b = parse(write_with_cost(&views(&stored(&accounts)), &backup_password(), CHEAP).unwrap());
    for path in [
        "/header/slots/0/salt",
        "/header/slots/0/key",
        "/header/slots/0/key_params/nonce",
        "/header/params/nonce",
        "/db",
    ] {
        assert_ne!(a.pointer(path), b.pointer(path), "{path}");
    }
}

#[test]
fn an_empty_vault_round_trips() {
    let file = write_with_cost(&[], &backup_password(), CHEAP).unwrap();
    let restored = restore(&file, PASSWORD).unwrap();
    assert!(restored.accounts.is_empty() && restored.unsupported.is_empty());
}

fn algorithm() -> impl Strategy<Value = HashAlgorithm> {
    prop_oneof![
        Just(HashAlgorithm::Sha1),
        Just(HashAlgorithm::Sha256),
        Just(HashAlgorithm::Sha512)
    ]
}

fn account() -> impl Strategy<Value = NewAccount> {
    let kind = prop_oneof![
        (1u64..=3600).prop_map(|period| AccountKind::Totp { period }),
        any::<u64>().prop_map(|counter| AccountKind::Hotp { counter }),
        Just(AccountKind::Steam),
    ];
    (
        proptest::option::of("\\PC{1,24}"),
        // A name has something besides white space (`NewAccount::check`).
        "\\PC{0,23}".prop_map(|name| format!("{name}n")),
        proptest::collection::vec(any::<u8>(), 1..=64),
        algorithm(),
        6u8..=8,
        kind,
    )
        .prop_map(|(issuer, name, seed, algorithm, digits, kind)| {
            let (algorithm, digits) = match kind {
                AccountKind::Steam => (HashAlgorithm::Sha1, otp::STEAM_CODE_LEN),
                _ => (algorithm, digits),
            };
            NewAccount {
                issuer,
                name,
                seed: Seed::from_bytes(seed),
                algorithm,
                digits,
                kind,
            }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any set of accounts comes back from its backup field for field, in order; the codes
    /// are a function of these fields alone.
    #[test]
    fn any_accounts_round_trip(accounts in proptest::collection::vec(account(), 0..12)) {
        let file = write_with_cost(&views(&stored(&accounts)), &backup_password(), CHEAP).unwrap();
        let restored = restore(&file, PASSWORD).unwrap();
        prop_assert!(restored.unsupported.is_empty());
        let before: Vec<_> = accounts.iter().map(as_vector).collect();
        let after: Vec<_> = restored.accounts.iter().map(as_vector).collect();
        prop_assert_eq!(before, after);
    }
}

/// Runs `program args`, feeding `stdin`; panics with `package` named when it is missing.
fn run(program: &str, args: &[&str], stdin: &str, package: &str) -> String {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot run {program} ({e}): install the Debian package {package}")
        });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {stderr} (the Debian package {package} is needed)"
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The independent check: Python, following only vault.md, decrypts our backup; its codes,
/// `oathtool`'s and ours agree.
#[test]
fn python_and_oathtool_read_the_backup_as_we_do() {
    run(
        "python3",
        &["-c", "import cryptography.hazmat.primitives.ciphers.aead"],
        "",
        "python3-cryptography",
    );
    run("oathtool", &["--version"], "", "oathtool");

    let accounts = vectors();
    let file = write(&stored(&accounts), &backup_password()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.json");
    std::fs::write(&path, &file).unwrap();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/aegis_decrypt.py");
    let now: u64 = 1_700_000_000;
    let printed = run(
        "python3",
        &[script, path.to_str().unwrap(), &now.to_string()],
        &format!("{PASSWORD}\n"),
        "python3-cryptography",
    );
    let lines: Vec<Vec<&str>> = printed.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), accounts.len(), "{printed}");

    let mut checked_with_oathtool = 0;
    for (account, fields) in accounts.iter().zip(&lines) {
        let [
            kind,
            issuer,
            name,
            algo,
            digits,
            moving,
            secret,
            python_code,
        ] = fields[..]
        else {
            panic!("unexpected line {fields:?}");
        };
        assert_eq!(
            (issuer, name),
            (account.issuer.as_deref().unwrap(), account.name.as_str())
        );
        assert_eq!(secret, account.seed.to_base32().as_str());
        assert_eq!(algo, account.algorithm.as_str());
        assert_eq!(digits, account.digits.to_string());
        let ours = code(account, now);
        let oathtool = match (kind, account.algorithm) {
            ("totp", algorithm) => Some(run(
                "oathtool",
                &[
                    &format!("--totp={}", algorithm.as_str().to_ascii_lowercase()),
                    &format!("--digits={digits}"),
                    &format!("--time-step-size={moving}s"),
                    &format!("--now=@{now}"),
                    "-b",
                    secret,
                ],
                "",
                "oathtool",
            )),
            // oathtool's HOTP is HMAC-SHA1 only.
            ("hotp", HashAlgorithm::Sha1) => Some(run(
                "oathtool",
                &[
                    "--hotp",
                    "-c",
                    moving,
                    &format!("--digits={digits}"),
                    "-b",
                    secret,
                ],
                "",
                "oathtool",
            )),
            _ => None,
        };
        if kind == "steam" {
            assert_eq!(python_code, "-");
        } else {
            assert_eq!(python_code, ours, "{issuer}");
        }
        if let Some(oathtool) = oathtool {
            assert_eq!(oathtool.trim(), ours, "{issuer}");
            checked_with_oathtool += 1;
        }
    }
    assert_eq!(
        checked_with_oathtool, 4,
        "three TOTP and one HOTP-SHA1 vector"
    );
}
