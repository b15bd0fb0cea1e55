//! Where PINs come from: an environment variable or lines of standard input.
//!
//! Never from argv: arguments are readable by every user through `ps` and land in shell
//! history.

use std::io::BufRead;

use zeroize::Zeroizing;
use zweifaktor_core::pin::Pin;

use crate::exit::DeviceError;

/// Environment variable holding the current PIN.
pub const PIN_VAR: &str = "ZF_PIN";
/// Environment variable holding the new PIN for `change-pin`.
pub const NEW_PIN_VAR: &str = "ZF_NEW_PIN";

/// Reads PINs in order, each from its variable or else the next line of standard input.
pub struct PinSource<R> {
    stdin: R,
}

impl<R: BufRead> PinSource<R> {
    /// Reads lines from `stdin` where a variable is not set.
    pub fn new(stdin: R) -> Self {
        Self { stdin }
    }

    /// The PIN in `var`, or the next input line; checked against the PIN rules.
    pub fn read(&mut self, var: &str) -> Result<Pin, DeviceError> {
        let raw = match std::env::var(var) {
            Ok(value) => Zeroizing::new(value),
            Err(_) => self.next_line(var)?,
        };
        Ok(Pin::new(raw)?)
    }

    fn next_line(&mut self, var: &str) -> Result<Zeroizing<String>, DeviceError> {
        let mut line = Zeroizing::new(String::new());
        let read = self
            .stdin
            .read_line(&mut line)
            .map_err(|source| DeviceError::PinInput {
                var: var.to_owned(),
                source: Some(source),
            })?;
        if read == 0 {
            return Err(DeviceError::PinInput {
                var: var.to_owned(),
                source: None,
            });
        }
        let trimmed = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
        Ok(trimmed)
    }
}
