//! Seeds under RFC 4226's 128 bits make the codes other implementations make for them.
//!
//! Sites issue 80-bit secrets (the README's `JBSWY3DPEHPK3PXP` is one), and Google
//! Authenticator and Aegis show codes for them, so the generator does too. Expected values
//! were computed once with OATH Toolkit's `oathtool` 2.6.7 (Debian package `oathtool`), an
//! implementation that is not ours, and are pasted verbatim:
//!
//! ```text
//! oathtool --totp -b JBSWY3DPEHPK3PXP -N @1700000000        → 324550
//! oathtool --totp -b JBSWY3DPEHPK3PXP -N @59 -d 8           → 41996554
//! oathtool --hotp -b JBSWY3DPEHPK3PXP -c 0                  → 282760
//! oathtool --hotp -b JBSWY3DPEHPK3PXP -c 1                  → 996554
//! oathtool --totp=sha256 -b ME -N @1700000000               → 920484
//! ```

use zweifaktor_protocol::otp::{OtpError, OtpParams, hotp, totp};
use zweifaktor_protocol::{HashAlgorithm, Seed};

type TestResult = Result<(), Box<dyn std::error::Error>>;

#[test]
fn an_80_bit_seed_gives_oathtools_codes() -> TestResult {
    let seed = Seed::from_base32("JBSWY3DPEHPK3PXP")?;
    assert_eq!(seed.len(), 10);
    let six = OtpParams::default();
    assert_eq!(totp(&seed, six, 30, 1_700_000_000)?.as_str(), "324550");
    let eight = OtpParams::new(HashAlgorithm::Sha1, 8)?;
    assert_eq!(totp(&seed, eight, 30, 59)?.as_str(), "41996554");
    assert_eq!(hotp(&seed, six, 0)?.as_str(), "282760");
    assert_eq!(hotp(&seed, six, 1)?.as_str(), "996554");
    Ok(())
}

#[test]
fn a_one_byte_seed_still_makes_codes() -> TestResult {
    let seed = Seed::from_base32("ME")?;
    let params = OtpParams::new(HashAlgorithm::Sha256, 6)?;
    assert_eq!(totp(&seed, params, 30, 1_700_000_000)?.as_str(), "920484");
    Ok(())
}

#[test]
fn an_empty_seed_is_refused() {
    let empty = Seed::from_bytes(Vec::new());
    assert_eq!(
        totp(&empty, OtpParams::default(), 30, 59).err(),
        Some(OtpError::EmptySeed)
    );
}
