//! The accounts in the vendored sample files: Aegis's importer test vectors
//! (`app/src/test/java/com/beemdevelopment/aegis/vectors/VaultEntries.java` in
//! github.com/beemdevelopment/Aegis @ 59d5c640), which Aegis's test data for Aegis, 2FAS and
//! Ente was made from. See `crates/core/tests/data/README.md`.

use zweifaktor_protocol::HashAlgorithm;

use super::ImportBatch;
use crate::accounts::{AccountKind, NewAccount};

/// An edit of a sample file's JSON, for the damaged-file cases.
pub(crate) type Edit = fn(&mut serde_json::Value);

/// One expected account: issuer, name, base32 secret, hash, digits, kind.
pub(crate) type Vector = (
    &'static str,
    &'static str,
    &'static str,
    HashAlgorithm,
    u8,
    AccountKind,
);

/// Aegis's first seven vectors, in VaultEntries.java's order.
pub(crate) const AEGIS_VECTORS: [Vector; 7] = [
    (
        "Deno",
        "Mason",
        "4SJHB4GSD43FZBAI7C2HLRJGPQ",
        HashAlgorithm::Sha1,
        6,
        AccountKind::Totp { period: 30 },
    ),
    (
        "SPDX",
        "James",
        "5OM4WOOGPLQEF6UGN3CPEOOLWU",
        HashAlgorithm::Sha256,
        7,
        AccountKind::Totp { period: 20 },
    ),
    (
        "Airbnb",
        "Elijah",
        "7ELGJSGXNCCTV3O6LKJWYFV2RA",
        HashAlgorithm::Sha512,
        8,
        AccountKind::Totp { period: 50 },
    ),
    (
        "Issuu",
        "James",
        "YOOMIXWS5GN6RTBPUFFWKTW5M4",
        HashAlgorithm::Sha1,
        6,
        AccountKind::Hotp { counter: 1 },
    ),
    (
        "Air Canada",
        "Benjamin",
        "KUVJJOM753IHTNDSZVCNKL7GII",
        HashAlgorithm::Sha256,
        7,
        AccountKind::Hotp { counter: 50 },
    ),
    (
        "WWE",
        "Mason",
        "5VAML3X35THCEBVRLV24CGBKOY",
        HashAlgorithm::Sha512,
        8,
        AccountKind::Hotp { counter: 10300 },
    ),
    (
        "Boeing",
        "Sophia",
        "JRZCL47CMXVOQMNPZR2F7J4RGI",
        HashAlgorithm::Sha1,
        5,
        AccountKind::Steam,
    ),
];

/// `account` as a vector, for comparisons.
pub(crate) fn as_vector(
    account: &NewAccount,
) -> (String, String, String, HashAlgorithm, u8, AccountKind) {
    (
        account.issuer.clone().unwrap_or_default(),
        account.name.clone(),
        account.seed.to_base32().as_str().to_owned(),
        account.algorithm,
        account.digits,
        account.kind,
    )
}

/// Asserts that `batch` holds exactly `expected`, in any order, and nothing unsupported.
pub(crate) fn assert_accounts(batch: &ImportBatch, expected: &[Vector]) {
    let mut got: Vec<_> = batch.accounts.iter().map(as_vector).collect();
    let mut want: Vec<_> = expected
        .iter()
        .map(|(issuer, name, secret, algorithm, digits, kind)| {
            (
                (*issuer).to_owned(),
                (*name).to_owned(),
                (*secret).to_owned(),
                *algorithm,
                *digits,
                *kind,
            )
        })
        .collect();
    got.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    want.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    assert_eq!(got, want);
    assert!(batch.unsupported.is_empty(), "{:?}", batch.unsupported);
}

/// The vectors of the given issuers, in the order given.
pub(crate) fn vectors(issuers: &[&str]) -> Vec<Vector> {
    issuers
        .iter()
        .map(|issuer| {
            AEGIS_VECTORS
                .into_iter()
                .find(|vector| vector.0 == *issuer)
                .unwrap_or_else(|| panic!("no vector for {issuer}"))
        })
        .collect()
}
