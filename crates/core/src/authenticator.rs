//! The authenticator: an unlocked vault and the operations a user performs on it.
//!
//! Front ends (the Tauri app, the headless device) call these methods and nothing below them,
//! so every rule lives here once.

use std::path::Path;
use std::sync::Arc;

use zweifaktor_protocol::SignedEnvelope;
use zweifaktor_protocol::messages::{Decision, DeviceRegistered, Platform};
use zweifaktor_protocol::otp::Code;
use zweifaktor_protocol::otp::ocra::{self, OcraInput, OcraSuite};
use zweifaktor_protocol::uri::OtpAuthUri;

use crate::accounts::{Account, AccountId, AccountQuery, AccountSummary, Keyring};
use crate::clock::Clock;
use crate::error::CoreError;
use crate::pin::Pin;
use crate::push::{Enrollment, PortalSession, PushError, VerifiedChallenge};
use crate::vault::{KdfProfile, LoginInfo, Vault};

/// A code ready to show, with how long it stays valid.
#[derive(Debug)]
pub struct ShownCode {
    /// The digits.
    pub code: Code,
    /// Seconds until a TOTP code changes; `None` for counter-based codes.
    pub seconds_left: Option<u64>,
}

/// An unlocked vault with its accounts.
pub struct Authenticator {
    vault: Vault<Keyring>,
    clock: Arc<dyn Clock>,
}

/// Shows where the vault is and how many accounts it holds, nothing secret.
impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("vault", &self.vault.path())
            .field("accounts", &self.keyring().accounts().len())
            .finish_non_exhaustive()
    }
}

impl Authenticator {
    /// Creates a new, empty vault at `path` for `email`, protected by `pin`.
    pub fn create(
        path: &Path,
        email: &str,
        pin: &Pin,
        profile: KdfProfile,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, CoreError> {
        let vault = Vault::create(path, email, pin, profile, Keyring::default(), clock.now())?;
        tracing::info!(path = %path.display(), "vault created");
        Ok(Self { vault, clock })
    }

    /// What the login screen shows before the PIN is entered: e-mail and lock-out state.
    pub fn login_info(path: &Path) -> Result<LoginInfo, CoreError> {
        Ok(Vault::<Keyring>::peek(path)?)
    }

    /// Opens the vault at `path` with `pin`.
    pub fn unlock(path: &Path, pin: &Pin, clock: Arc<dyn Clock>) -> Result<Self, CoreError> {
        let vault = Vault::unlock(path, pin, clock.now())?;
        Ok(Self { vault, clock })
    }

    /// The vault underneath, e.g. to ask whether it was recovered from the backup.
    pub fn vault(&self) -> &Vault<Keyring> {
        &self.vault
    }

    /// Parses an `otpauth://` URI, adds the account and saves the vault.
    pub fn add_account(&mut self, uri: &str) -> Result<AccountSummary, CoreError> {
        let parsed = OtpAuthUri::parse(uri)?;
        let summary = self
            .vault
            .contents_mut()
            .add(Account::from_uri(parsed))?
            .summary();
        self.vault.save()?;
        tracing::info!(account = %summary.id, "account added");
        Ok(summary)
    }

    /// All accounts, without secrets.
    pub fn accounts(&self) -> Vec<AccountSummary> {
        self.keyring()
            .accounts()
            .iter()
            .map(Account::summary)
            .collect()
    }

    /// One account, without secrets.
    pub fn account(&self, id: &AccountId) -> Result<AccountSummary, CoreError> {
        Ok(self.keyring().get(id)?.summary())
    }

    /// Resolves a user's account name to an id.
    pub fn find(&self, query: &AccountQuery) -> Result<AccountId, CoreError> {
        self.keyring().find(query)
    }

    /// Gives an account a new name and saves the vault.
    pub fn rename(&mut self, id: &AccountId, name: &str) -> Result<AccountSummary, CoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::EmptyName);
        }
        let account = self.vault.contents_mut().get_mut(id)?;
        account.rename(name.to_owned());
        let summary = account.summary();
        self.vault.save()?;
        Ok(summary)
    }

    /// Deletes an account and saves the vault.
    pub fn delete(&mut self, id: &AccountId) -> Result<(), CoreError> {
        self.vault.contents_mut().remove(id)?;
        self.vault.save()?;
        tracing::info!(account = %id, "account deleted");
        Ok(())
    }

    /// The code to show for an account: TOTP at `at` (default now), or the next HOTP code.
    ///
    /// A HOTP code moves the counter on; the vault is saved before the code is returned, so
    /// a crash can skip a code but never show one twice.
    pub fn code(&mut self, id: &AccountId, at: Option<u64>) -> Result<ShownCode, CoreError> {
        let account = self.vault.contents_mut().get_mut(id)?;
        match account.kind() {
            crate::accounts::AccountKind::Totp { .. } => {
                let (code, left) = account.totp(at.unwrap_or_else(|| self.clock.now()))?;
                Ok(ShownCode {
                    code,
                    seconds_left: Some(left),
                })
            }
            crate::accounts::AccountKind::Hotp { .. } => {
                let code = account.next_hotp()?;
                self.vault.save()?;
                Ok(ShownCode {
                    code,
                    seconds_left: None,
                })
            }
        }
    }

    /// The OCRA response of an account's seed to `question` under `suite`.
    ///
    /// The portal's push challenges use [`ocra::ZWEIFAKTOR_SUITE`] with the nonce as the hex
    /// question; other suites serve banks and tokens that follow RFC 6287 directly. Suites with
    /// a time step use the clock; suites that need a counter, password or session input are
    /// refused with the matching [`OcraError`](zweifaktor_protocol::otp::ocra::OcraError).
    pub fn ocra_code(
        &self,
        id: &AccountId,
        suite: &OcraSuite,
        question: &str,
    ) -> Result<Code, CoreError> {
        let account = self.keyring().get(id)?;
        let mut input = OcraInput::new(question);
        if suite.time_step().is_some() {
            input.timestamp = Some(self.clock.now());
        }
        Ok(ocra::ocra(suite, account.seed(), &input)?)
    }

    /// Checks an enrollment URI from a portal and makes a device key for it; nothing is saved
    /// until [`finish_enrollment`](Self::finish_enrollment).
    pub fn prepare_enrollment(
        &self,
        uri: &str,
        device_label: &str,
        platform: Platform,
    ) -> Result<Enrollment, CoreError> {
        let mut parsed = OtpAuthUri::parse(uri)?;
        let portal = parsed.zweifaktor.take().ok_or(PushError::NoPortal)?;
        let account = Account::from_uri(parsed);
        self.keyring().check_label_free(&account.label())?;
        Ok(Enrollment::new(account, portal, device_label, platform))
    }

    /// Stores the account of a registration the portal accepted, with its portal binding.
    pub fn finish_enrollment(
        &mut self,
        enrollment: Enrollment,
        registered: DeviceRegistered,
    ) -> Result<AccountSummary, CoreError> {
        let binding = enrollment.binding(registered);
        let mut account = enrollment.account;
        account.bind(binding);
        let summary = self.vault.contents_mut().add(account)?.summary();
        self.vault.save()?;
        tracing::info!(account = %summary.id, "account enrolled with its portal");
        Ok(summary)
    }

    /// What a push listener needs for each portal-bound account (no signing keys, no seeds).
    pub fn portal_sessions(&self) -> Vec<PortalSession> {
        self.keyring()
            .accounts()
            .iter()
            .filter_map(|a| {
                a.portal()
                    .map(|p| p.session(a.id().clone(), a.name().to_owned()))
            })
            .collect()
    }

    /// The listener data of one account; fails if it is not bound to a portal.
    pub fn portal_session(&self, id: &AccountId) -> Result<PortalSession, CoreError> {
        let account = self.keyring().get(id)?;
        let binding = account.portal().ok_or_else(|| PushError::NotBound {
            account: account.label(),
        })?;
        Ok(binding.session(id.clone(), account.name().to_owned()))
    }

    /// The security code for a verified push challenge: OCRA over its nonce (DESIGN.md).
    pub fn challenge_code(&self, challenge: &VerifiedChallenge) -> Result<Code, CoreError> {
        let account = self.keyring().get(&challenge.account)?;
        Ok(ocra::zweifaktor_code(
            account.seed(),
            &challenge.challenge.nonce.0,
        )?)
    }

    /// A device-signed answer ("seen" or "deny") to a verified challenge.
    pub fn sign_answer(
        &self,
        challenge: &VerifiedChallenge,
        decision: Decision,
    ) -> Result<SignedEnvelope, CoreError> {
        let account = self.keyring().get(&challenge.account)?;
        let binding = account.portal().ok_or_else(|| PushError::NotBound {
            account: account.label(),
        })?;
        Ok(binding.sign_answer(&challenge.challenge, decision, self.clock.now())?)
    }

    /// Sets a new PIN; the accounts are not re-encrypted, only the master key is re-wrapped.
    pub fn change_pin(&mut self, new_pin: &Pin, profile: KdfProfile) -> Result<(), CoreError> {
        self.vault.change_pin(new_pin, profile)?;
        tracing::info!("PIN changed");
        Ok(())
    }

    fn keyring(&self) -> &Keyring {
        self.vault.contents()
    }
}
