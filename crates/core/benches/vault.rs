//! Vault benchmarks: unlocking with the production Argon2id profile, and saving contents the
//! size of 100 and 1,000 accounts.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::{KdfProfile, Vault};

const NOW: u64 = 1_764_000_000;

/// Shaped like an account entry: six short strings and a 20-byte (SHA-1 sized) seed.
#[derive(Serialize, Deserialize)]
struct Record {
    issuer: String,
    label: String,
    algorithm: String,
    digits: String,
    period: String,
    portal_url: String,
    seed: Vec<u8>,
}

fn records(count: usize) -> Vec<Record> {
    (0..count)
        .map(|i| Record {
            issuer: format!("Krankenkasse {i}"),
            label: format!("user{i}@example.org"),
            algorithm: "SHA1".into(),
            digits: "6".into(),
            period: "30".into(),
            portal_url: format!("https://portal{i}.example.org/"),
            seed: (0..20).map(|b| (b * 7 + i) as u8).collect(),
        })
        .collect()
}

fn pin() -> Pin {
    Pin::new(Zeroizing::new("482915".to_owned())).unwrap()
}

fn create(path: &Path, profile: KdfProfile, count: usize) -> Vault<Vec<Record>> {
    Vault::create(
        path,
        "anna@example.org",
        &pin(),
        profile,
        records(count),
        NOW,
    )
    .unwrap()
}

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    drop(create(&path, KdfProfile::PRODUCTION, 100));
    let mut group = c.benchmark_group("vault_unlock");
    group.sample_size(10);
    group.bench_function("production_100_accounts", |b| {
        b.iter(|| black_box(Vault::<Vec<Record>>::unlock(&path, &pin(), NOW).unwrap()));
    });
    group.finish();
}

fn save(c: &mut Criterion) {
    let mut group = c.benchmark_group("vault_save");
    for count in [100, 1_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut vault = create(&dir.path().join("vault.json"), KdfProfile::TESTING, count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter(|| vault.save().unwrap());
        });
    }
    group.finish();
}

criterion_group!(benches, unlock, save);
criterion_main!(benches);
