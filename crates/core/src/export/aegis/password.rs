//! The backup password and its strength rule.
//!
//! A backup file can be copied and guessed at offline, at whatever speed the attacker's
//! hardware runs scrypt with Aegis's parameters, so its password must resist offline guessing.
//! The rule, in [`check_backup_password`] alone, is: a [`zxcvbn`] score of at least
//! [`MIN_SCORE`] and at least [`MIN_CHARS`] characters. zxcvbn estimates guesses from
//! dictionaries, keyboard patterns, dates and repeats, not from character classes, so a long
//! passphrase passes and `Passwort1!` does not; the length floor catches short strings that
//! merely look random to it.

use serde::Serialize;
use zeroize::Zeroizing;

/// Lowest zxcvbn score accepted: 3, "safely unguessable: moderate protection from offline
/// slow-hash scenario" in zxcvbn's own words (at least 10^8 guesses), which is the attack a
/// stolen backup faces; scrypt at N = 2^15 makes each guess slow.
pub const MIN_SCORE: u8 = 3;

/// Fewest characters accepted: 10, above the 8 NIST SP 800-63B §3.1.1.2 sets for passwords a
/// server rate-limits, because a backup file cannot be rate-limited.
pub const MIN_CHARS: usize = 10;

/// Words every Zweifaktor backup password is checked against, besides the caller's (such as
/// the user's e-mail address): a password built from them is easier to guess.
const APP_WORDS: [&str; 4] = ["zweifaktor", "aegis", "backup", "authenticator"];

/// The backup password was refused; the fields say why, in English, for the UI to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("the backup password is too weak")]
pub struct BackupPasswordTooWeak {
    /// zxcvbn's score, 0 to 4.
    pub score: u8,
    /// The lowest score accepted ([`MIN_SCORE`]).
    pub min_score: u8,
    /// The password's length in characters.
    pub chars: usize,
    /// The fewest characters accepted ([`MIN_CHARS`]).
    pub min_chars: usize,
    /// zxcvbn's warning, if it has one (e.g. "This is a very common password.").
    pub warning: Option<String>,
    /// zxcvbn's suggestions, and one about the length when the password is too short.
    pub suggestions: Vec<String>,
}

/// Checks a backup password against the strength rule. The app and the headless device call
/// this (through [`BackupPassword::new`]) and nothing else decides.
///
/// `user_inputs` are words the user's own data makes easy to guess (the e-mail address of
/// the vault); they count against the password.
///
/// # Errors
/// [`BackupPasswordTooWeak`] with zxcvbn's feedback when the score is below [`MIN_SCORE`] or
/// the password is shorter than [`MIN_CHARS`].
pub fn check_backup_password(
    password: &str,
    user_inputs: &[&str],
) -> Result<(), BackupPasswordTooWeak> {
    let mut inputs: Vec<&str> = APP_WORDS.to_vec();
    inputs.extend_from_slice(user_inputs);
    let chars = password.chars().count();
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    let score = u8::from(estimate.score());
    if score >= MIN_SCORE && chars >= MIN_CHARS {
        return Ok(());
    }
    let feedback = estimate.feedback();
    let mut suggestions: Vec<String> = feedback
        .map(|f| f.suggestions().iter().map(ToString::to_string).collect())
        .unwrap_or_default();
    if chars < MIN_CHARS {
        suggestions.push(format!("Use at least {MIN_CHARS} characters."));
    }
    Err(BackupPasswordTooWeak {
        score,
        min_score: MIN_SCORE,
        chars,
        min_chars: MIN_CHARS,
        warning: feedback.and_then(|f| f.warning()).map(|w| w.to_string()),
        suggestions,
    })
}

/// A backup password that passed [`check_backup_password`]; the writer takes only this, so no
/// backup is ever sealed with a weak one. Wiped on drop; `Debug` is redacted.
pub struct BackupPassword(Zeroizing<String>);

impl BackupPassword {
    /// Checks `password` against the rule and keeps it.
    ///
    /// # Errors
    /// [`BackupPasswordTooWeak`], as [`check_backup_password`].
    pub fn new(
        password: Zeroizing<String>,
        user_inputs: &[&str],
    ) -> Result<Self, BackupPasswordTooWeak> {
        check_backup_password(&password, user_inputs)?;
        Ok(Self(password))
    }

    /// The password's UTF-8 bytes, as Aegis feeds them to scrypt (`CryptoUtils.toBytes`).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

impl std::fmt::Debug for BackupPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BackupPassword(redacted)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn check(password: &str) -> Result<(), BackupPasswordTooWeak> {
        check_backup_password(password, &["erika@example.org"])
    }

    #[test]
    fn strong_passphrases_pass() {
        for good in [
            "maulwurf tanzt auf glatteis",
            "Vq7#pL2m!xZ9rT",
            "kettle-orbit-quince-lantern",
        ] {
            assert_eq!(check(good), Ok(()), "{good}");
        }
    }

    #[test]
    fn common_and_patterned_passwords_fail_with_feedback() {
        for weak in [
            "password123",
            "Passwort1!",
            "qwertzuiop1",
            "1111111111",
            "erika@example.org1",
        ] {
            let error = check(weak).unwrap_err();
            assert!(error.score < MIN_SCORE, "{weak}: {error:?}");
            assert!(
                error.warning.is_some() || !error.suggestions.is_empty(),
                "{weak} has no feedback"
            );
        }
        let common = check("password123").unwrap_err();
        assert_eq!(common.min_score, 3);
        assert!(common.warning.unwrap().contains("common"));
    }

    #[test]
    fn words_of_the_app_count_against_the_password() {
        assert!(check("zweifaktorbackup").is_err());
    }

    #[test]
    fn short_strings_fail_even_when_they_look_random() {
        let error = check("q#7Zp!2x").unwrap_err();
        assert_eq!((error.chars, error.min_chars), (8, 10));
        assert!(
            error
                .suggestions
                .contains(&"Use at least 10 characters.".to_owned())
        );
        assert_eq!(error.to_string(), "the backup password is too weak");
    }

    #[test]
    fn the_password_is_kept_and_redacted() {
        let password =
            BackupPassword::new(Zeroizing::new("Vq7#pL2m!xZ9rT".to_owned()), &[]).unwrap();
        assert_eq!(password.as_bytes(), b"Vq7#pL2m!xZ9rT");
        assert_eq!(format!("{password:?}"), "BackupPassword(redacted)");
        assert!(BackupPassword::new(Zeroizing::new("secret".to_owned()), &[]).is_err());
    }
}
