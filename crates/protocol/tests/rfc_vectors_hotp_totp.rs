//! Test vectors of RFC 4226 Appendix D (HOTP) and RFC 6238 Appendix B (TOTP), verbatim.
//!
//! Sources: RFC 4226 "HOTP: An HMAC-Based One-Time Password Algorithm", Appendix D
//! ("HOTP Algorithm: Test Values"), and RFC 6238 "TOTP: Time-Based One-Time Password
//! Algorithm", Appendix B ("Test Vectors"). RFC 6238 Appendix B names only the 20-byte seed,
//! but its reference implementation (Appendix A) and the published codes use a seed of the
//! hash's output length for SHA-256 (32 bytes) and SHA-512 (64 bytes); those are used here.
//! Values were cross-checked against the test suites of pyotp and two other implementations.

use zweifaktor_protocol::Seed;
use zweifaktor_protocol::otp::{HashAlgorithm, OtpParams, hotp, totp, verify_hotp, verify_totp};

/// Lets tests use `?` instead of `unwrap`.
type TestResult = Result<(), Box<dyn std::error::Error>>;

/// RFC 4226 Appendix D: Secret = 0x3132333435363738393031323334353637383930.
const RFC4226_SECRET: &[u8] = b"12345678901234567890";

/// RFC 4226 Appendix D, "HOTP" column, for counters 0 to 9.
const RFC4226_HOTP: [&str; 10] = [
    "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
    "520489",
];

/// RFC 6238 Appendix B seeds, ASCII "1234567890" repeated to 20, 32 and 64 bytes.
const SEED_SHA1: &[u8] = b"12345678901234567890";
const SEED_SHA256: &[u8] = b"12345678901234567890123456789012";
const SEED_SHA512: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

/// RFC 6238 Appendix B table: (Time (sec), TOTP SHA1, TOTP SHA256, TOTP SHA512), 8 digits,
/// X = 30 s, T0 = 0.
const RFC6238_TABLE: [(u64, &str, &str, &str); 6] = [
    (59, "94287082", "46119246", "90693936"),
    (1_111_111_109, "07081804", "68084774", "25091201"),
    (1_111_111_111, "14050471", "67062674", "99943326"),
    (1_234_567_890, "89005924", "91819424", "93441116"),
    (2_000_000_000, "69279037", "90698825", "38618901"),
    (20_000_000_000, "65353130", "77737706", "47863826"),
];

/// RFC 6238 Appendix B, "Value of T (hex)" column, for the rows of [`RFC6238_TABLE`].
const RFC6238_STEPS: [u64; 6] = [
    0x0000_0000_0000_0001,
    0x0000_0000_0235_23EC,
    0x0000_0000_0235_23ED,
    0x0000_0000_0273_EF07,
    0x0000_0000_03F9_40AA,
    0x0000_0000_27BC_86AA,
];

fn params(algorithm: HashAlgorithm) -> OtpParams {
    OtpParams {
        algorithm,
        digits: 8,
    }
}

#[test]
fn rfc4226_appendix_d_hotp() -> TestResult {
    let seed = Seed::from_bytes(RFC4226_SECRET.to_vec());
    for (counter, expected) in (0u64..).zip(RFC4226_HOTP) {
        let code = hotp(&seed, OtpParams::default(), counter)?;
        assert_eq!(code.as_str(), expected, "counter {counter}");
        assert_eq!(
            verify_hotp(&seed, OtpParams::default(), counter, expected, 0),
            Some(counter)
        );
    }
    Ok(())
}

#[test]
fn rfc4226_appendix_d_resynchronises_within_the_look_ahead() {
    let seed = Seed::from_bytes(RFC4226_SECRET.to_vec());
    assert_eq!(
        verify_hotp(&seed, OtpParams::default(), 0, RFC4226_HOTP[9], 9),
        Some(9)
    );
    assert_eq!(
        verify_hotp(&seed, OtpParams::default(), 0, RFC4226_HOTP[9], 8),
        None
    );
}

#[test]
fn rfc6238_appendix_b_totp() -> TestResult {
    let seeds = [
        (HashAlgorithm::Sha1, SEED_SHA1),
        (HashAlgorithm::Sha256, SEED_SHA256),
        (HashAlgorithm::Sha512, SEED_SHA512),
    ];
    for (time, sha1, sha256, sha512) in RFC6238_TABLE {
        for ((algorithm, seed), expected) in seeds.into_iter().zip([sha1, sha256, sha512]) {
            let seed = Seed::from_bytes(seed.to_vec());
            let code = totp(&seed, params(algorithm), 30, time)?;
            assert_eq!(code.as_str(), expected, "{algorithm} at {time}");
        }
    }
    Ok(())
}

#[test]
fn rfc6238_appendix_b_verify_returns_the_time_step() {
    let seed = Seed::from_bytes(SEED_SHA1.to_vec());
    for ((time, sha1, _, _), step) in RFC6238_TABLE.into_iter().zip(RFC6238_STEPS) {
        assert_eq!(
            verify_totp(&seed, params(HashAlgorithm::Sha1), 30, sha1, time, 0),
            Some(step),
            "at {time}"
        );
        // One period later the code is only accepted with a step of skew.
        assert_eq!(
            verify_totp(&seed, params(HashAlgorithm::Sha1), 30, sha1, time + 30, 0),
            None
        );
        assert_eq!(
            verify_totp(&seed, params(HashAlgorithm::Sha1), 30, sha1, time + 30, 1),
            Some(step)
        );
    }
}

#[test]
fn rfc6238_appendix_b_codes_do_not_verify_under_another_hash() {
    let seed = Seed::from_bytes(SEED_SHA256.to_vec());
    let (time, _, sha256, _) = RFC6238_TABLE[3];
    assert_eq!(
        verify_totp(&seed, params(HashAlgorithm::Sha256), 30, sha256, time, 0),
        Some(RFC6238_STEPS[3])
    );
    assert_eq!(
        verify_totp(&seed, params(HashAlgorithm::Sha1), 30, sha256, time, 1),
        None
    );
}
