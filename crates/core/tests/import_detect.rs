//! Format detection over every vendored sample file (`tests/data/`, see its README): each file
//! is claimed by its own importer and no other, through the public `import::detect` and
//! `import::read`.

use zweifaktor_core::import::{self, Format, ImportError, ImportPassword};

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// File, its format, and its password if it is encrypted.
const SAMPLES: [(&str, Format, Option<&str>); 11] = [
    ("aegis/aegis_plain.json", Format::Aegis, None),
    ("aegis/aegis_encrypted.json", Format::Aegis, Some("test")),
    ("2fas/2fas_authenticator.json", Format::TwoFas, None),
    ("2fas/2fas_authenticator_plain.2fas", Format::TwoFas, None),
    (
        "2fas/2fas_authenticator_encrypted.2fas",
        Format::TwoFas,
        Some("test"),
    ),
    (
        "2fas/2fas_authenticator_plain_v3.2fas",
        Format::TwoFas,
        None,
    ),
    (
        "2fas/2fas_authenticator_encrypted_v3.2fas",
        Format::TwoFas,
        Some("test"),
    ),
    (
        "2fas/2fas_authenticator_plain_v4.2fas",
        Format::TwoFas,
        None,
    ),
    (
        "2fas/2fas_authenticator_encrypted_v4.2fas",
        Format::TwoFas,
        Some("test"),
    ),
    ("ente/ente_auth.txt", Format::Ente, None),
    (
        "ente/proton_encrypted.lowcomplexity.txt",
        Format::Ente,
        Some("password"),
    ),
];

fn sample(name: &str) -> std::io::Result<Vec<u8>> {
    std::fs::read(format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR")))
}

#[test]
fn every_sample_is_detected_as_its_format_and_reads() -> TestResult {
    for (name, format, password) in SAMPLES {
        let bytes = sample(name)?;
        assert_eq!(import::detect(&bytes)?, format, "{name}");
        let password = password.map(|p| ImportPassword::new(p.to_owned()));
        let batch = import::read(&bytes, password.as_ref())?;
        assert_eq!(batch.format, format, "{name}");
        assert!(
            !batch.accounts.is_empty() || !batch.unsupported.is_empty(),
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn encrypted_samples_need_their_password() -> TestResult {
    for (name, format, password) in SAMPLES {
        if password.is_none() {
            continue;
        }
        let bytes = sample(name)?;
        assert!(
            matches!(import::read(&bytes, None), Err(ImportError::PasswordRequired { format: f }) if f == format),
            "{name}"
        );
        let wrong = ImportPassword::new("not the password".to_owned());
        assert!(
            matches!(import::read(&bytes, Some(&wrong)), Err(ImportError::WrongPassword { format: f }) if f == format),
            "{name}"
        );
    }
    Ok(())
}

#[test]
fn other_content_is_no_known_format() {
    for other in [&b""[..], b"{}", b"[]", b"hello", br#"{"version": 1}"#] {
        assert!(
            matches!(import::detect(other), Err(ImportError::UnknownFormat)),
            "{}",
            String::from_utf8_lossy(other)
        );
    }
}
