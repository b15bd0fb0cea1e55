//! The authenticator: an unlocked vault and the operations a user performs on it.
//!
//! Front ends (the Tauri app, the headless device) call these methods and nothing below them,
//! so every rule lives here once.

use std::path::Path;
use std::sync::Arc;

use zweifaktor_protocol::messages::{DeviceRegistered, Platform};
use zweifaktor_protocol::otp::Code;
use zweifaktor_protocol::otp::ocra::{self, OcraInput, OcraSuite};
use zweifaktor_protocol::uri::OtpAuthUri;

use crate::accounts::{Account, AccountId, AccountKind, AccountQuery, AccountSummary, Keyring};

mod editing;
mod transfer;
use crate::clock::Clock;
use crate::error::CoreError;
use crate::pin::Pin;
use crate::push::{Enrollment, PushSource};
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

    /// Sets the app up from the portal's enrollment URI: a new vault at `path` for the URI's
    /// account name (the e-mail address the login screen shows), holding that one account.
    ///
    /// The URI is checked before any file is written, and a vault whose account could not be
    /// added is removed again, so a failed enrollment leaves the app as new. This is the
    /// offline set-up; a URI with `zf_` parameters registers first (see
    /// [`enroll_registered`](Self::enroll_registered)).
    pub fn enroll(
        path: &Path,
        uri: &str,
        pin: &Pin,
        profile: KdfProfile,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, AccountSummary), CoreError> {
        let email = OtpAuthUri::parse(uri)?.account_name;
        Self::create_holding(path, &email, pin, profile, clock, |auth| {
            auth.add_account(uri)
        })
    }

    /// The first set-up with a portal: a new vault at `path` holding the account of an
    /// [`Enrollment`] that the portal accepted (see [`Enrollment::prepare`] and
    /// [`push::register`](crate::push::register)), with its portal binding.
    ///
    /// Like [`enroll`](Self::enroll), a vault whose account could not be stored is removed
    /// again. Callers check that no vault exists *before* registering, because the enroll
    /// token is spent by then.
    pub fn enroll_registered(
        path: &Path,
        enrollment: Enrollment,
        registered: DeviceRegistered,
        pin: &Pin,
        profile: KdfProfile,
        clock: Arc<dyn Clock>,
    ) -> Result<(Self, AccountSummary), CoreError> {
        let email = enrollment.email().to_owned();
        Self::create_holding(path, &email, pin, profile, clock, |auth| {
            auth.finish_enrollment(enrollment, registered)
        })
    }

    /// Fails with [`VaultError::AlreadyExists`](crate::vault::VaultError::AlreadyExists) if a
    /// vault (or its backup) is at `path`: checked before a registration spends its enroll
    /// token on a set-up that could not be saved.
    pub fn ensure_new(path: &Path) -> Result<(), CoreError> {
        Ok(Vault::<Keyring>::ensure_absent(path)?)
    }

    /// Creates a vault and adds its first account with `add`; removes the vault again if
    /// that fails.
    fn create_holding(
        path: &Path,
        email: &str,
        pin: &Pin,
        profile: KdfProfile,
        clock: Arc<dyn Clock>,
        add: impl FnOnce(&mut Self) -> Result<AccountSummary, CoreError>,
    ) -> Result<(Self, AccountSummary), CoreError> {
        let mut auth = Self::create(path, email, pin, profile, clock)?;
        match add(&mut auth) {
            Ok(summary) => Ok((auth, summary)),
            Err(err) => {
                drop(auth);
                Self::reset(path)?;
                Err(err)
            }
        }
    }

    /// Deletes the vault at `path` with its backup and every file kept beside it: the reset
    /// offered for a forgotten PIN, which cannot be recovered. Missing files are no error.
    pub fn reset(path: &Path) -> Result<(), CoreError> {
        Ok(Vault::<Keyring>::destroy(path)?)
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

    /// The code to show for an account: TOTP at `at` (default now), or the next HOTP code.
    ///
    /// A HOTP code moves the counter on; the vault is saved before the code is returned, so
    /// a crash can skip a code but never show one twice.
    pub fn code(&mut self, id: &AccountId, at: Option<u64>) -> Result<ShownCode, CoreError> {
        let account = self.vault.contents_mut().get_mut(id)?;
        match account.kind() {
            AccountKind::Totp { .. } | AccountKind::Steam => {
                let (code, left) = account.totp(at.unwrap_or_else(|| self.clock.now()))?;
                Ok(ShownCode {
                    code,
                    seconds_left: Some(left),
                })
            }
            AccountKind::Hotp { .. } => {
                let code = account.next_hotp()?;
                self.vault.save()?;
                Ok(ShownCode {
                    code,
                    seconds_left: None,
                })
            }
        }
    }

    /// Every account with what an accounts screen shows: the TOTP code at `at` (default now)
    /// and its seconds left. Counter-based accounts get `None`, because showing a HOTP code
    /// uses it up; [`Authenticator::code`] shows one on request.
    pub fn current_codes(
        &self,
        at: Option<u64>,
    ) -> Result<Vec<(AccountSummary, Option<ShownCode>)>, CoreError> {
        let now = at.unwrap_or_else(|| self.clock.now());
        self.keyring()
            .accounts()
            .iter()
            .map(|account| {
                let shown = match account.kind() {
                    AccountKind::Totp { .. } | AccountKind::Steam => {
                        let (code, left) = account.totp(now)?;
                        Some(ShownCode {
                            code,
                            seconds_left: Some(left),
                        })
                    }
                    AccountKind::Hotp { .. } => None,
                };
                Ok((account.summary(), shown))
            })
            .collect()
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
    ///
    /// This is also how a second portal's set-up link joins an unlocked vault: the account is
    /// checked against the duplicate rule here, before the enroll token is spent, and is then
    /// stored in the same vault under the same PIN.
    pub fn prepare_enrollment(
        &self,
        uri: &str,
        device_label: &str,
        platform: Platform,
    ) -> Result<Enrollment, CoreError> {
        let enrollment = Enrollment::prepare(uri, device_label, platform)?;
        self.keyring()
            .check_new(std::slice::from_ref(&enrollment.account))?;
        Ok(enrollment)
    }

    /// Stores the account of a registration the portal accepted, with its portal binding.
    pub fn finish_enrollment(
        &mut self,
        enrollment: Enrollment,
        registered: DeviceRegistered,
    ) -> Result<AccountSummary, CoreError> {
        let binding = enrollment.binding(registered);
        let mut account = Account::from_new(enrollment.account);
        account.bind(binding);
        self.store(account)
    }

    /// Every push source of the vault (each protocol's), for the flow in
    /// [`push::flow`](crate::push::flow) and the listeners: no signing keys, no seeds.
    pub fn push_sources(&self) -> Vec<Arc<dyn PushSource>> {
        crate::push::sources(self.keyring())
    }

    /// The clock codes, freshness and answers follow.
    pub fn clock(&self) -> Arc<dyn Clock> {
        Arc::clone(&self.clock)
    }

    /// Sets a new PIN; the accounts are not re-encrypted, only the master key is re-wrapped.
    pub fn change_pin(&mut self, new_pin: &Pin, profile: KdfProfile) -> Result<(), CoreError> {
        self.vault.change_pin(new_pin, profile)?;
        tracing::info!("PIN changed");
        Ok(())
    }

    /// Sets a new PIN after checking the current one, as a settings screen must: the vault
    /// file is opened again with `current`, so a wrong PIN counts towards the lock-out exactly
    /// like one on the login screen.
    pub fn change_pin_checked(
        &mut self,
        current: &Pin,
        new_pin: &Pin,
        profile: KdfProfile,
    ) -> Result<(), CoreError> {
        self.reauthenticate(current)?;
        self.change_pin(new_pin, profile)
    }

    /// Checks the PIN again before a sensitive step (a new PIN, an export): the vault file is
    /// opened anew with `pin`, so a wrong PIN counts towards the lock-out exactly like one on
    /// the login screen, and waits are kept.
    fn reauthenticate(&mut self, pin: &Pin) -> Result<(), CoreError> {
        let path = self.vault.path().to_owned();
        *self = Self::unlock(&path, pin, Arc::clone(&self.clock))?;
        Ok(())
    }

    pub(crate) fn keyring(&self) -> &Keyring {
        self.vault.contents()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::push::PushError;
    use crate::vault::VaultError;
    use zeroize::Zeroizing;

    /// RFC 6238 Appendix B seed for SHA-1 ("12345678901234567890"), base32.
    const SEED: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    fn pin(text: &str) -> Pin {
        Pin::new(Zeroizing::new(text.to_owned())).unwrap()
    }

    fn uri() -> String {
        format!("otpauth://totp/Portal:erika@example.org?secret={SEED}&issuer=Portal&digits=8")
    }

    fn enrolled(dir: &Path) -> (Authenticator, Arc<FixedClock>) {
        let clock = Arc::new(FixedClock::new(59));
        let (auth, summary) = Authenticator::enroll(
            &dir.join("vault.json"),
            &uri(),
            &pin("274951"),
            KdfProfile::TESTING,
            clock.clone(),
        )
        .unwrap();
        assert_eq!(summary.label, "Portal:erika@example.org");
        (auth, clock)
    }

    #[test]
    fn enroll_creates_the_vault_for_the_uris_email_with_its_account() {
        let dir = tempfile::tempdir().unwrap();
        let (auth, _) = enrolled(dir.path());
        assert_eq!(auth.accounts().len(), 1);
        let info = Authenticator::login_info(&dir.path().join("vault.json")).unwrap();
        assert_eq!(info.email, "erika@example.org");
    }

    /// An enrollment URI with the `zf_` parameters of a portal whose key is `portal`.
    fn portal_uri(portal: &ed25519_dalek::SigningKey) -> String {
        format!(
            "{}&zf_url=http%3A%2F%2F127.0.0.1%3A8080%2F&zf_enroll=enroll-token&zf_key={}",
            uri(),
            zweifaktor_protocol::envelope::encode_public_key(&portal.verifying_key())
        )
    }

    fn registered() -> DeviceRegistered {
        DeviceRegistered {
            device_id: zweifaktor_protocol::messages::DeviceId::parse(
                "5f0c8a9e-3b1d-4c2e-9f7a-1b2c3d4e5f60",
            )
            .unwrap(),
            device_token: zweifaktor_protocol::messages::DeviceToken::new("device-token".into()),
        }
    }

    #[test]
    fn a_uri_without_portal_parameters_prepares_no_registration() {
        let err = Enrollment::prepare(&uri(), "Zweifaktor App", Platform::Linux).unwrap_err();
        assert!(
            matches!(err, CoreError::Push(PushError::NoPortal)),
            "{err:?}"
        );
    }

    #[test]
    fn enroll_registered_creates_the_vault_with_the_bound_account() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let portal = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let enrollment =
            Enrollment::prepare(&portal_uri(&portal), "Zweifaktor App", Platform::Linux).unwrap();
        assert_eq!(enrollment.email(), "erika@example.org");
        assert_eq!(enrollment.portal_url(), "http://127.0.0.1:8080/");
        let clock = Arc::new(FixedClock::new(1_764_000_000));
        let (auth, summary) = Authenticator::enroll_registered(
            &path,
            enrollment,
            registered(),
            &pin("274951"),
            KdfProfile::TESTING,
            clock.clone(),
        )
        .unwrap();
        assert_eq!(
            summary.portal_url.as_deref(),
            Some("http://127.0.0.1:8080/")
        );
        drop(auth);
        assert_eq!(
            Authenticator::login_info(&path).unwrap().email,
            "erika@example.org"
        );
        let auth = Authenticator::unlock(&path, &pin("274951"), clock).unwrap();
        let sources = auth.push_sources();
        assert_eq!(sources.len(), 1);
        assert_eq!(sources[0].label(), "Portal:erika@example.org");
    }

    #[test]
    fn enroll_registered_refuses_to_overwrite_an_existing_vault() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let (_auth, clock) = enrolled(dir.path());
        assert!(matches!(
            Authenticator::ensure_new(&path),
            Err(CoreError::Vault(VaultError::AlreadyExists { .. }))
        ));
        let portal = ed25519_dalek::SigningKey::from_bytes(&[1; 32]);
        let enrollment =
            Enrollment::prepare(&portal_uri(&portal), "Zweifaktor App", Platform::Linux).unwrap();
        let err = Authenticator::enroll_registered(
            &path,
            enrollment,
            registered(),
            &pin("580316"),
            KdfProfile::TESTING,
            clock,
        )
        .unwrap_err();
        assert!(
            matches!(err, CoreError::Vault(VaultError::AlreadyExists { .. })),
            "{err:?}"
        );
        let dir = tempfile::tempdir().unwrap();
        Authenticator::ensure_new(&dir.path().join("vault.json")).unwrap();
    }

    #[test]
    fn enroll_with_a_bad_uri_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let err = Authenticator::enroll(
            &path,
            "otpauth://totp/broken",
            &pin("274951"),
            KdfProfile::TESTING,
            Arc::new(FixedClock::new(59)),
        )
        .unwrap_err();
        assert!(matches!(err, CoreError::Uri(_)), "{err:?}");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn enroll_refuses_to_overwrite_an_existing_vault() {
        let dir = tempfile::tempdir().unwrap();
        let (_auth, clock) = enrolled(dir.path());
        let err = Authenticator::enroll(
            &dir.path().join("vault.json"),
            &uri(),
            &pin("580316"),
            KdfProfile::TESTING,
            clock,
        )
        .unwrap_err();
        assert!(
            matches!(err, CoreError::Vault(VaultError::AlreadyExists { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn reset_removes_the_vault_and_its_backup() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let (mut auth, _) = enrolled(dir.path());
        auth.rename(&auth.accounts()[0].id.clone(), None, "erika")
            .unwrap();
        drop(auth);
        Authenticator::reset(&path).unwrap();
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(matches!(
            Authenticator::login_info(&path),
            Err(CoreError::Vault(VaultError::NotFound { .. }))
        ));
        Authenticator::reset(&path).unwrap();
    }

    #[test]
    fn current_codes_show_totp_codes_and_leave_hotp_counters_alone() {
        let dir = tempfile::tempdir().unwrap();
        let (mut auth, clock) = enrolled(dir.path());
        auth.add_account(&format!(
            "otpauth://hotp/Bank:erika?secret={SEED}&issuer=Bank&counter=0"
        ))
        .unwrap();
        // RFC 6238 Appendix B, SHA1, 8 digits: T=59 → 94287082, T=1111111109 → 07081804.
        let codes = auth.current_codes(None).unwrap();
        assert_eq!(codes.len(), 2);
        let (totp, shown) = &codes[0];
        assert_eq!(totp.label, "Portal:erika@example.org");
        let shown = shown.as_ref().unwrap();
        assert_eq!(shown.code.as_str(), "94287082");
        assert_eq!(shown.seconds_left, Some(1));
        assert!(codes[1].1.is_none());
        clock.set(1_111_111_109);
        let later = auth.current_codes(None).unwrap();
        assert_eq!(later[0].1.as_ref().unwrap().code.as_str(), "07081804");
        let at = auth.current_codes(Some(59)).unwrap();
        assert_eq!(at[0].1.as_ref().unwrap().code.as_str(), "94287082");
        // RFC 4226 Appendix D: the first HOTP code (counter 0) is still unused.
        let hotp = auth.code(&codes[1].0.id, None).unwrap();
        assert_eq!(hotp.code.as_str(), "755224");
    }

    #[test]
    fn change_pin_checked_needs_the_current_pin_and_counts_wrong_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vault.json");
        let (mut auth, clock) = enrolled(dir.path());
        let err = auth
            .change_pin_checked(&pin("580316"), &pin("135792"), KdfProfile::TESTING)
            .unwrap_err();
        assert!(
            matches!(
                err,
                CoreError::Vault(VaultError::WrongPin {
                    tries_left_before_wait: 4,
                    ..
                })
            ),
            "{err:?}"
        );
        auth.change_pin_checked(&pin("274951"), &pin("135792"), KdfProfile::TESTING)
            .unwrap();
        assert_eq!(auth.accounts().len(), 1);
        drop(auth);
        assert!(Authenticator::unlock(&path, &pin("274951"), clock.clone()).is_err());
        assert!(Authenticator::unlock(&path, &pin("135792"), clock).is_ok());
    }
}
