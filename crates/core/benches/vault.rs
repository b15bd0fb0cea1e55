//! Vault benchmarks with real accounts: unlocking with the production Argon2id profile, and
//! one full save (renaming an account) of a vault with 100 and with 1,000 accounts.
#![allow(clippy::unwrap_used)]

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use zeroize::Zeroizing;
use zweifaktor_core::Authenticator;
use zweifaktor_core::clock::FixedClock;
use zweifaktor_core::pin::Pin;
use zweifaktor_core::vault::KdfProfile;

const NOW: u64 = 1_764_000_000;

fn pin() -> Pin {
    Pin::new(Zeroizing::new("482915".to_owned())).unwrap()
}

/// A vault at `path` with `count` TOTP accounts, each with its own 20-byte seed.
fn create(path: &Path, profile: KdfProfile, count: usize) -> Authenticator {
    let clock = Arc::new(FixedClock::new(NOW));
    let mut auth = Authenticator::create(path, "anna@example.org", &pin(), profile, clock).unwrap();
    for i in 0..count {
        let seed: Vec<u8> = (0..20).map(|b| (b * 7 + i) as u8).collect();
        auth.add_account(&format!(
            "otpauth://totp/Krankenkasse%20{i}:user{i}@example.org?secret={}&issuer=Krankenkasse%20{i}",
            data_encoding::BASE32_NOPAD.encode(&seed)
        ))
        .unwrap();
    }
    auth
}

fn unlock(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.json");
    drop(create(&path, KdfProfile::PRODUCTION, 100));
    let clock = Arc::new(FixedClock::new(NOW));
    let mut group = c.benchmark_group("vault_unlock");
    group.sample_size(10);
    group.bench_function("production_100_accounts", |b| {
        b.iter(|| black_box(Authenticator::unlock(&path, &pin(), clock.clone()).unwrap()));
    });
    group.finish();
}

fn save(c: &mut Criterion) {
    let mut group = c.benchmark_group("vault_save");
    group.sample_size(30);
    for count in [100, 1_000] {
        let dir = tempfile::tempdir().unwrap();
        let mut auth = create(&dir.path().join("vault.json"), KdfProfile::TESTING, count);
        let id = auth.accounts()[0].id.clone();
        let mut n = 0u64;
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter(|| {
                n += 1;
                auth.rename(&id, None, &format!("renamed {n}")).unwrap()
            });
        });
    }
    group.finish();
}

criterion_group!(benches, unlock, save);
criterion_main!(benches);
