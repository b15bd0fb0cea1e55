//! Test vectors of RFC 6287 "OCRA: OATH Challenge-Response Algorithm", Appendix C
//! ("Test Vectors"), every table, verbatim:
//! - C.1 One-Way Challenge Response (five suites),
//! - C.2 Mutual Challenge-Response (server and client computations, SHA-256 and SHA-512),
//! - C.3 Plain Signature (with and without timestamp).
//!
//! Keys and PIN as given in Appendix C: the 20-, 32- and 64-byte keys are ASCII "1234567890"
//! repeated; the PIN is "1234", whose SHA-1 is 7110eda4d09e062aa5e4a390b0a572ac0d2c0220. The
//! timestamp is "Mar 25 2008, 12:06:30 GMT", i.e. Unix time 1206446790 and T = 0x132d0b6
//! minutes. Values were cross-checked against privacyIDEA's `tests/test_lib_tokens_ocra.py`,
//! the test program of Stefan Grundmann's C library `rfc6287`, and a C++ implementation's
//! test suite; all agree with each other.

use zweifaktor_protocol::Seed;
use zweifaktor_protocol::otp::{
    OcraError, OcraInput, OcraPassword, OcraQuestion, OcraSuite, OcraSuiteError, ocra, verify_ocra,
};

/// Lets tests use `?` instead of `unwrap`.
type TestResult = Result<(), Box<dyn std::error::Error>>;

const KEY20: &[u8] = b"12345678901234567890";
const KEY32: &[u8] = b"12345678901234567890123456789012";
const KEY64: &[u8] = b"1234567890123456789012345678901234567890123456789012345678901234";

const PIN: &[u8] = b"1234";
/// SHA-1 of the PIN, as Appendix C gives it.
const PIN_SHA1_HEX: &str = "7110eda4d09e062aa5e4a390b0a572ac0d2c0220";

/// "Mar 25 2008, 12:06:30 GMT".
const TIMESTAMP: u64 = 1_206_446_790;
/// The timestamp in minutes, as Appendix C gives it (T = 132d0b6).
const TIMESTAMP_MINUTES: u64 = 0x132d0b6;

fn suite(text: &str) -> Result<OcraSuite, OcraSuiteError> {
    text.parse()
}

fn key(bytes: &[u8]) -> Seed {
    Seed::from_bytes(bytes.to_vec())
}

/// Computes the response and checks it both ways: equal to `expected`, and accepted by
/// `verify_ocra` while a response with one digit changed is not.
fn check(suite_text: &str, key_bytes: &[u8], input: &OcraInput<'_>, expected: &str) -> TestResult {
    let suite = suite(suite_text)?;
    let key = key(key_bytes);
    let code = ocra(&suite, &key, input)?;
    assert_eq!(code.as_str(), expected, "{suite_text}");
    assert_eq!(verify_ocra(&suite, &key, input, expected), Ok(true));
    let mut wrong = expected.as_bytes().to_vec();
    if let Some(last) = wrong.last_mut() {
        *last = if *last == b'9' { b'0' } else { *last + 1 };
    }
    let wrong = String::from_utf8(wrong)?;
    assert_eq!(verify_ocra(&suite, &key, input, &wrong), Ok(false));
    Ok(())
}

#[test]
fn timestamp_is_the_appendix_c_minute() {
    assert_eq!(TIMESTAMP / 60, TIMESTAMP_MINUTES);
}

// C.1 One-Way Challenge Response

#[test]
fn c1_sha1_6_qn08() -> TestResult {
    let vectors = [
        ("00000000", "237653"),
        ("11111111", "243178"),
        ("22222222", "653583"),
        ("33333333", "740991"),
        ("44444444", "608993"),
        ("55555555", "388898"),
        ("66666666", "816933"),
        ("77777777", "224598"),
        ("88888888", "750600"),
        ("99999999", "294470"),
    ];
    for (question, expected) in vectors {
        check(
            "OCRA-1:HOTP-SHA1-6:QN08",
            KEY20,
            &OcraInput::new(question),
            expected,
        )?;
    }
    Ok(())
}

#[test]
fn c1_sha256_8_c_qn08_psha1() -> TestResult {
    let vectors = [
        (0, "65347737"),
        (1, "86775851"),
        (2, "78192410"),
        (3, "71565254"),
        (4, "10104329"),
        (5, "65983500"),
        (6, "70069104"),
        (7, "91771096"),
        (8, "75011558"),
        (9, "08522129"),
    ];
    let pin_sha1 = hex::decode(PIN_SHA1_HEX)?;
    for (counter, expected) in vectors {
        for password in [OcraPassword::Plain(PIN), OcraPassword::Hashed(&pin_sha1)] {
            let input = OcraInput {
                counter: Some(counter),
                password: Some(password),
                ..OcraInput::new("12345678")
            };
            check("OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1", KEY32, &input, expected)?;
        }
    }
    Ok(())
}

#[test]
fn c1_sha256_8_qn08_psha1() -> TestResult {
    let vectors = [
        ("00000000", "83238735"),
        ("11111111", "01501458"),
        ("22222222", "17957585"),
        ("33333333", "86776967"),
        ("44444444", "86807031"),
    ];
    for (question, expected) in vectors {
        let input = OcraInput {
            password: Some(OcraPassword::Plain(PIN)),
            ..OcraInput::new(question)
        };
        check("OCRA-1:HOTP-SHA256-8:QN08-PSHA1", KEY32, &input, expected)?;
    }
    Ok(())
}

#[test]
fn c1_sha512_8_c_qn08() -> TestResult {
    let vectors = [
        (0, "00000000", "07016083"),
        (1, "11111111", "63947962"),
        (2, "22222222", "70123924"),
        (3, "33333333", "25341727"),
        (4, "44444444", "33203315"),
        (5, "55555555", "34205738"),
        (6, "66666666", "44343969"),
        (7, "77777777", "51946085"),
        (8, "88888888", "20403879"),
        (9, "99999999", "31409299"),
    ];
    for (counter, question, expected) in vectors {
        let input = OcraInput {
            counter: Some(counter),
            ..OcraInput::new(question)
        };
        check("OCRA-1:HOTP-SHA512-8:C-QN08", KEY64, &input, expected)?;
    }
    Ok(())
}

#[test]
fn c1_sha512_8_qn08_t1m() -> TestResult {
    let vectors = [
        ("00000000", "95209754"),
        ("11111111", "55907591"),
        ("22222222", "22048402"),
        ("33333333", "24218844"),
        ("44444444", "36209546"),
    ];
    for (question, expected) in vectors {
        let input = OcraInput {
            timestamp: Some(TIMESTAMP),
            ..OcraInput::new(question)
        };
        check("OCRA-1:HOTP-SHA512-8:QN08-T1M", KEY64, &input, expected)?;
    }
    Ok(())
}

// C.2 Mutual Challenge-Response: the server answers over client then server challenge, the
// client over server then client challenge.

const MUTUAL_CHALLENGES: [(&str, &str); 5] = [
    ("CLI22220", "SRV11110"),
    ("CLI22221", "SRV11111"),
    ("CLI22222", "SRV11112"),
    ("CLI22223", "SRV11113"),
    ("CLI22224", "SRV11114"),
];

#[test]
fn c2_sha256_8_qa08_server_and_client() -> TestResult {
    let server = ["28247970", "01984843", "65387857", "03351211", "83412541"];
    let client = ["15510767", "90175646", "33777207", "95285278", "28934924"];
    for (((cli, srv), server), client) in MUTUAL_CHALLENGES.into_iter().zip(server).zip(client) {
        let input = OcraInput {
            question: OcraQuestion::Pair(cli, srv),
            ..OcraInput::new("")
        };
        check("OCRA-1:HOTP-SHA256-8:QA08", KEY32, &input, server)?;
        let input = OcraInput {
            question: OcraQuestion::Pair(srv, cli),
            ..OcraInput::new("")
        };
        check("OCRA-1:HOTP-SHA256-8:QA08", KEY32, &input, client)?;
    }
    Ok(())
}

#[test]
fn c2_sha512_8_qa08_server_and_qa08_psha1_client() -> TestResult {
    let server = ["79496648", "76831980", "12250499", "90856481", "12761449"];
    let client = ["18806276", "70020315", "01600026", "18951020", "32528969"];
    for (((cli, srv), server), client) in MUTUAL_CHALLENGES.into_iter().zip(server).zip(client) {
        let input = OcraInput {
            question: OcraQuestion::Pair(cli, srv),
            ..OcraInput::new("")
        };
        check("OCRA-1:HOTP-SHA512-8:QA08", KEY64, &input, server)?;
        let input = OcraInput {
            question: OcraQuestion::Pair(srv, cli),
            password: Some(OcraPassword::Plain(PIN)),
            ..OcraInput::new("")
        };
        check("OCRA-1:HOTP-SHA512-8:QA08-PSHA1", KEY64, &input, client)?;
    }
    Ok(())
}

#[test]
fn c2_the_mutual_question_is_two_challenges_not_one_long_one() -> TestResult {
    // Appendix C writes the mutual question as one 16-character string under QA08; each half
    // is a QA08 challenge, so the joined string is rejected and must be passed as a pair.
    let suite = suite("OCRA-1:HOTP-SHA256-8:QA08")?;
    assert_eq!(
        ocra(&suite, &key(KEY32), &OcraInput::new("CLI22220SRV11110")).err(),
        Some(OcraError::QuestionTooLong { max: 8, actual: 16 })
    );
    let too_long_half = OcraInput {
        question: OcraQuestion::Pair("CLI22220", "SRV111100"),
        ..OcraInput::new("")
    };
    assert_eq!(
        ocra(&suite, &key(KEY32), &too_long_half).err(),
        Some(OcraError::QuestionTooLong { max: 8, actual: 9 })
    );
    Ok(())
}

// C.3 Plain Signature

#[test]
fn c3_sha256_8_qa08() -> TestResult {
    let vectors = [
        ("SIG10000", "53095496"),
        ("SIG11000", "04110475"),
        ("SIG12000", "31331128"),
        ("SIG13000", "76028668"),
        ("SIG14000", "46554205"),
    ];
    for (question, expected) in vectors {
        check(
            "OCRA-1:HOTP-SHA256-8:QA08",
            KEY32,
            &OcraInput::new(question),
            expected,
        )?;
    }
    Ok(())
}

#[test]
fn c3_sha512_8_qa10_t1m() -> TestResult {
    let vectors = [
        ("SIG1000000", "77537423"),
        ("SIG1100000", "31970405"),
        ("SIG1200000", "10235557"),
        ("SIG1300000", "95213541"),
        ("SIG1400000", "65360607"),
    ];
    for (question, expected) in vectors {
        let input = OcraInput {
            timestamp: Some(TIMESTAMP),
            ..OcraInput::new(question)
        };
        check("OCRA-1:HOTP-SHA512-8:QA10-T1M", KEY64, &input, expected)?;
    }
    Ok(())
}

// Negative cases on the Appendix C suites.

#[test]
fn missing_counter_and_timestamp_are_errors() -> TestResult {
    let counter_suite = suite("OCRA-1:HOTP-SHA512-8:C-QN08")?;
    assert_eq!(
        ocra(&counter_suite, &key(KEY64), &OcraInput::new("00000000")).err(),
        Some(OcraError::MissingCounter)
    );
    let time_suite = suite("OCRA-1:HOTP-SHA512-8:QN08-T1M")?;
    assert_eq!(
        ocra(&time_suite, &key(KEY64), &OcraInput::new("00000000")).err(),
        Some(OcraError::MissingTimestamp)
    );
    let pin_suite = suite("OCRA-1:HOTP-SHA256-8:QN08-PSHA1")?;
    assert_eq!(
        ocra(&pin_suite, &key(KEY32), &OcraInput::new("00000000")).err(),
        Some(OcraError::MissingPassword)
    );
    Ok(())
}

#[test]
fn questions_that_do_not_fit_the_suite_are_errors() -> TestResult {
    let numeric = suite("OCRA-1:HOTP-SHA1-6:QN08")?;
    assert_eq!(
        ocra(&numeric, &key(KEY20), &OcraInput::new("123456789")).err(),
        Some(OcraError::QuestionTooLong { max: 8, actual: 9 })
    );
    assert_eq!(
        ocra(&numeric, &key(KEY20), &OcraInput::new("1234567A")).err(),
        Some(OcraError::QuestionNotInFormat {
            format: numeric.question_format()
        })
    );
    let hex = suite("OCRA-1:HOTP-SHA256-6:QH64")?;
    assert_eq!(
        ocra(&hex, &key(KEY32), &OcraInput::new("SIG10000")).err(),
        Some(OcraError::QuestionNotInFormat {
            format: hex.question_format()
        })
    );
    assert_eq!(
        ocra(&hex, &key(KEY32), &OcraInput::new(&"a".repeat(65))).err(),
        Some(OcraError::QuestionTooLong {
            max: 64,
            actual: 65
        })
    );
    assert_eq!(
        ocra(&hex, &key(KEY32), &OcraInput::new("")).err(),
        Some(OcraError::EmptyQuestion)
    );
    Ok(())
}

#[test]
fn short_keys_are_errors() -> TestResult {
    let suite = suite("OCRA-1:HOTP-SHA1-6:QN08")?;
    assert_eq!(
        ocra(&suite, &key(&KEY20[..15]), &OcraInput::new("00000000")).err(),
        Some(OcraError::InvalidKeyLength { len: 15 })
    );
    Ok(())
}

#[test]
fn a_wrong_key_or_pin_gives_another_code() -> TestResult {
    let suite = suite("OCRA-1:HOTP-SHA256-8:QN08-PSHA1")?;
    let input = OcraInput {
        password: Some(OcraPassword::Plain(b"1235")),
        ..OcraInput::new("00000000")
    };
    assert_eq!(
        verify_ocra(&suite, &key(KEY32), &input, "83238735"),
        Ok(false)
    );
    let input = OcraInput {
        password: Some(OcraPassword::Plain(PIN)),
        ..OcraInput::new("00000000")
    };
    assert_eq!(
        verify_ocra(&suite, &key(KEY64), &input, "83238735"),
        Ok(false)
    );
    assert_eq!(
        verify_ocra(&suite, &key(KEY32), &input, "83238735"),
        Ok(true)
    );
    Ok(())
}
