//! TOTP codes agree with an independent implementation: `oathtool` from OATH Toolkit
//! (Debian package `oathtool`, installed by scripts/test.sh).

use std::process::Command;

use crate::common::{Device, assert_success, stdout};

/// Deterministic pseudo-random bytes (xorshift64), so a failure can be reproduced.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

fn oathtool(key: &[u8], algorithm: &str, digits: u8, period: u64, at: u64) -> String {
    let out = Command::new("oathtool")
        .arg(format!("--totp={algorithm}"))
        .arg(format!("--digits={digits}"))
        .arg(format!("--time-step-size={period}s"))
        .arg(format!("--now=@{at}"))
        .arg(hex::encode(key))
        .output()
        .expect("oathtool is installed (scripts/test.sh installs it)");
    assert_success(&out);
    stdout(&out).trim().to_owned()
}

#[test]
fn totp_codes_match_oathtool() {
    let device = Device::new();
    let cases = [
        ("SHA1", 20, 6, 30),
        ("SHA1", 16, 8, 30),
        ("SHA256", 32, 6, 30),
        ("SHA256", 32, 8, 60),
        ("SHA512", 64, 8, 30),
        ("SHA512", 40, 7, 45),
        // Issue 10: secrets under 128 bits, as sites issue them (80 bits is common).
        ("SHA1", 10, 6, 30),
        ("SHA256", 5, 8, 30),
    ];
    let moments = [
        0,
        59,
        1_111_111_109,
        1_234_567_890,
        2_000_000_000,
        4_102_444_800,
    ];
    let mut compared = 0;
    for (n, (algorithm, len, digits, period)) in cases.into_iter().enumerate() {
        let key = bytes(0x9E37_79B9_7F4A_7C15 ^ n as u64, len);
        let name = format!("case{n}");
        device.add(&format!(
            "otpauth://totp/Oath:{name}?secret={}&issuer=Oath&algorithm={algorithm}&digits={digits}&period={period}",
            data_encoding::BASE32_NOPAD.encode(&key)
        ));
        for at in moments {
            let ours = device.code_at(&name, at);
            let theirs = oathtool(&key, algorithm, digits, period, at);
            assert_eq!(
                ours, theirs,
                "{algorithm}/{digits} digits/{period}s at {at}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 48);
}
