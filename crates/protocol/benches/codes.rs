//! Cost of one code: TOTP (SHA-1, 6 digits, as authenticator apps show it) and OCRA with
//! Zweifaktor's login suite. Both run on phones and on every portal login, so they should stay
//! in the microsecond range.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use zweifaktor_protocol::Seed;
use zweifaktor_protocol::otp::{OtpParams, totp, zweifaktor_code};

fn codes(c: &mut Criterion) {
    let seed = Seed::from_bytes(b"12345678901234567890".to_vec());
    let params = OtpParams::default();
    let nonce = [0x5a; 32];

    c.bench_function("totp_sha1_6_digits", |b| {
        b.iter(|| totp(black_box(&seed), params, 30, black_box(1_234_567_890)))
    });
    c.bench_function("ocra_zweifaktor_suite", |b| {
        b.iter(|| zweifaktor_code(black_box(&seed), black_box(&nonce)))
    });
}

criterion_group!(benches, codes);
criterion_main!(benches);
