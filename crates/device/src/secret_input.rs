//! Where PINs, set-up links and typed secrets come from: an environment variable or lines of
//! standard input.
//!
//! Never from argv: arguments are readable by every user through `ps` and land in shell
//! history. A PIN is read from its variable, or else from the next line of standard input; a
//! set-up link (`add -`) and a typed secret (`add-manual`) always from the next line. So the lines come in the order the command
//! needs them: `printf '%s\n%s\n' "$PIN" "$LINK" | zweifaktor-device add -`, or, with `ZF_PIN`
//! set, the link alone: `zweifaktor-device add - < link.txt`.

use std::io::BufRead;

use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;

use crate::exit::DeviceError;

/// Environment variable holding the current PIN.
pub const PIN_VAR: &str = "ZF_PIN";
/// Environment variable holding the new PIN for `change-pin`.
pub const NEW_PIN_VAR: &str = "ZF_NEW_PIN";
/// Environment variable holding the password of an encrypted file to import.
pub const IMPORT_PASSWORD_VAR: &str = "ZF_IMPORT_PASSWORD";
/// Environment variable holding the password of an encrypted backup to export.
pub const EXPORT_PASSWORD_VAR: &str = "ZF_EXPORT_PASSWORD";
/// The argument of `add` that names standard input as the link's source.
pub const STDIN_ARG: &str = "-";

/// Reads PINs and links in order from their variables or the next lines of standard input.
pub struct SecretInput<R> {
    stdin: R,
}

impl<R: BufRead> SecretInput<R> {
    /// Reads lines from `stdin` where a variable is not set.
    pub fn new(stdin: R) -> Self {
        Self { stdin }
    }

    /// The PIN in `var`, or the next input line; checked against the PIN rules.
    pub fn read_pin(&mut self, var: &str) -> Result<Pin, DeviceError> {
        let raw = match std::env::var(var) {
            Ok(value) => Zeroizing::new(value),
            Err(_) => self.next_line().map_err(|source| DeviceError::PinInput {
                var: var.to_owned(),
                source,
            })?,
        };
        Ok(Pin::new(raw)?)
    }

    /// The file password in `var`, or the next input line.
    pub fn read_password(&mut self, var: &str) -> Result<Zeroizing<String>, DeviceError> {
        match std::env::var(var) {
            Ok(value) => Ok(Zeroizing::new(value)),
            Err(_) => self
                .next_line()
                .map_err(|source| DeviceError::PasswordInput {
                    var: var.to_owned(),
                    source,
                }),
        }
    }

    /// The set-up link on the next input line.
    pub fn read_link(&mut self) -> Result<Zeroizing<String>, DeviceError> {
        self.next_line()
            .map_err(|source| DeviceError::LinkInput { source })
    }

    /// The typed secret of `add-manual` on the next input line.
    pub fn read_secret(&mut self) -> Result<Zeroizing<String>, DeviceError> {
        self.next_line()
            .map_err(|source| DeviceError::SecretInput { source })
    }

    /// The next line without its line break; `Err(None)` at the end of the input.
    fn next_line(&mut self) -> Result<Zeroizing<String>, Option<std::io::Error>> {
        let mut line = Zeroizing::new(String::new());
        let read = self.stdin.read_line(&mut line).map_err(Some)?;
        if read == 0 {
            return Err(None);
        }
        Ok(Zeroizing::new(
            line.trim_end_matches(['\r', '\n']).to_owned(),
        ))
    }
}

/// The password in `var`, if it is set.
pub fn password_from_env(var: &str) -> Option<Zeroizing<String>> {
    std::env::var(var).ok().map(Zeroizing::new)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pin_then_link_come_from_successive_lines() {
        let mut input = SecretInput::new(&b"274951\r\notpauth://totp/x?secret=ABC\n"[..]);
        // A variable no test sets, so the PIN comes from the first line.
        input.read_pin("ZF_TEST_UNSET_PIN").unwrap();
        assert_eq!(
            input.read_link().unwrap().as_str(),
            "otpauth://totp/x?secret=ABC"
        );
        assert!(matches!(
            input.read_link(),
            Err(DeviceError::LinkInput { source: None })
        ));
    }
}
