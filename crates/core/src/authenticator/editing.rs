//! Adding, previewing, renaming, reordering and deleting accounts.
//!
//! Every change is one vault save; a save that fails leaves the accounts in memory as they
//! were, so what the front end shows is what the file holds.

use zweifaktor_protocol::uri::OtpAuthUri;

use super::Authenticator;
use crate::accounts::{
    Account, AccountId, AccountPreview, AccountSummary, LinkPreview, ManualEntry, NewAccount,
    checked_issuer,
};
use crate::error::CoreError;

impl Authenticator {
    /// Parses an `otpauth://` URI, adds the account and saves the vault.
    ///
    /// `zf_` parameters are not acted on here: a Zweifaktor set-up link registers with its
    /// portal through [`prepare_enrollment`](Self::prepare_enrollment) (see
    /// [`preview_link`](Self::preview_link)'s `portal_url`).
    pub fn add_account(&mut self, uri: &str) -> Result<AccountSummary, CoreError> {
        let parsed = OtpAuthUri::parse(uri)?;
        self.add_one(NewAccount::from_uri(&parsed))
    }

    /// Adds an account typed in by hand and saves the vault.
    ///
    /// # Errors
    /// Those of [`ManualEntry::to_new_account`] and [`add_accounts`](Self::add_accounts).
    pub fn add_manual(&mut self, entry: &ManualEntry) -> Result<AccountSummary, CoreError> {
        self.add_one(entry.to_new_account()?)
    }

    /// Adds all `accounts` with one vault save, or none of them: an import's commit.
    ///
    /// # Errors
    /// Those of [`NewAccount::check`]; [`CoreError::DuplicateAccount`] if one of them is in
    /// the vault already or comes twice (see
    /// [`Keyring::is_duplicate`](crate::accounts::Keyring::is_duplicate)); a failed save.
    pub fn add_accounts(
        &mut self,
        accounts: Vec<NewAccount>,
    ) -> Result<Vec<AccountSummary>, CoreError> {
        let first = self.add_batch(accounts)?;
        Ok(self.keyring().accounts()[first..]
            .iter()
            .map(Account::summary)
            .collect())
    }

    fn add_one(&mut self, account: NewAccount) -> Result<AccountSummary, CoreError> {
        let first = self.add_batch(vec![account])?;
        Ok(self.keyring().accounts()[first].summary())
    }

    /// Adds and saves `accounts`; returns the position of the first of them.
    fn add_batch(&mut self, accounts: Vec<NewAccount>) -> Result<usize, CoreError> {
        let before = self.keyring().accounts().len();
        let count = self.vault.contents_mut().add_all(accounts)?.len();
        self.save_or_undo(before)?;
        tracing::info!(count, "accounts added");
        Ok(before)
    }

    /// Adds an account that already carries its portal binding and saves the vault.
    pub(super) fn store(&mut self, account: Account) -> Result<AccountSummary, CoreError> {
        let before = self.keyring().accounts().len();
        let summary = self.vault.contents_mut().add(account)?.summary();
        self.save_or_undo(before)?;
        tracing::info!(account = %summary.id, portal = summary.portal_url.is_some(), "account added");
        Ok(summary)
    }

    /// Saves the vault; if that fails, drops the accounts added after the first `before`.
    fn save_or_undo(&mut self, before: usize) -> Result<(), CoreError> {
        self.vault.save().map_err(|err| {
            self.vault.contents_mut().truncate(before);
            CoreError::from(err)
        })
    }

    /// What adding `account` would show, whether it is a duplicate and whether its secret is
    /// weak; nothing is saved. Import previews use this for each account of a file.
    pub fn preview_new(&self, account: &NewAccount) -> AccountPreview {
        AccountPreview::new(account, self.keyring().is_duplicate(account))
    }

    /// What [`add_manual`](Self::add_manual) would add.
    ///
    /// # Errors
    /// Those of [`ManualEntry::to_new_account`]; a duplicate is no error here but
    /// [`AccountPreview::duplicate`].
    pub fn preview_manual(&self, entry: &ManualEntry) -> Result<AccountPreview, CoreError> {
        Ok(self.preview_new(&entry.to_new_account()?))
    }

    /// What an `otpauth://` link would add, and for a Zweifaktor set-up link the portal it
    /// would register with.
    ///
    /// # Errors
    /// [`CoreError::Uri`] for a link that does not parse, and those of [`NewAccount::check`].
    pub fn preview_link(&self, uri: &str) -> Result<LinkPreview, CoreError> {
        let parsed = OtpAuthUri::parse(uri)?;
        let account = NewAccount::from_uri(&parsed);
        account.check()?;
        Ok(LinkPreview {
            account: self.preview_new(&account),
            portal_url: parsed.zweifaktor.map(|portal| portal.portal_url),
        })
    }

    /// Gives an account a new issuer and name and saves the vault. A blank issuer means none.
    ///
    /// # Errors
    /// [`CoreError::EmptyName`], [`CoreError::ColonInIssuer`], [`CoreError::DuplicateAccount`]
    /// when another account with the same secret has that label, [`CoreError::UnknownAccount`].
    pub fn rename(
        &mut self,
        id: &AccountId,
        issuer: Option<&str>,
        name: &str,
    ) -> Result<AccountSummary, CoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(CoreError::EmptyName);
        }
        let issuer = checked_issuer(issuer)?;
        let keyring = self.vault.contents_mut();
        let account = keyring.get(id)?;
        let old_issuer = account.issuer().map(str::to_owned);
        let old_name = account.name().to_owned();
        keyring.rename(id, issuer, name.to_owned())?;
        let summary = keyring.get(id)?.summary();
        if let Err(err) = self.vault.save() {
            self.vault.contents_mut().rename(id, old_issuer, old_name)?;
            return Err(err.into());
        }
        tracing::info!(account = %id, "account renamed");
        Ok(summary)
    }

    /// Moves an account to position `to_index` of the list (0 is the top) and saves the
    /// order; returns the accounts in their new order.
    ///
    /// # Errors
    /// [`CoreError::UnknownAccount`], [`CoreError::PositionOutOfRange`], a failed save.
    pub fn move_account(
        &mut self,
        id: &AccountId,
        to_index: usize,
    ) -> Result<Vec<AccountSummary>, CoreError> {
        let from = self.vault.contents_mut().move_to(id, to_index)?;
        if let Err(err) = self.vault.save() {
            self.vault.contents_mut().move_to(id, from)?;
            return Err(err.into());
        }
        tracing::info!(account = %id, to_index, "account moved");
        Ok(self.accounts())
    }

    /// Deletes an account and saves the vault; the account as it was listed (a shell whose
    /// push watches include its portal's stream watches the remaining sources only).
    ///
    /// A portal-bound account is only removed here; the portal still lists the device until
    /// it is removed on the portal's dashboard.
    pub fn delete(&mut self, id: &AccountId) -> Result<AccountSummary, CoreError> {
        let index = self.keyring().position(id)?;
        let removed = self.vault.contents_mut().remove(id)?;
        if let Err(err) = self.vault.save() {
            self.vault.contents_mut().insert(index, removed);
            return Err(err.into());
        }
        tracing::info!(account = %id, "account deleted");
        Ok(removed.summary())
    }
}
