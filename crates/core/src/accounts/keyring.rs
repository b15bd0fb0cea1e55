//! The vault's contents: the list of accounts.

use serde::{Deserialize, Serialize};

use super::lookup::same_text;
use super::{Account, AccountId, AccountQuery};
use crate::error::CoreError;

/// Everything the vault encrypts.
///
/// New fields must carry `#[serde(default)]` so that older vaults still open.
#[derive(Default, Serialize, Deserialize)]
pub struct Keyring {
    accounts: Vec<Account>,
}

impl Keyring {
    /// All accounts in the order they were added.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Adds an account unless one with the same label exists already.
    ///
    /// Two entries with one label could not be told apart on the command line or in the UI,
    /// and re-scanning the same QR code is the usual way they would arise.
    pub(crate) fn add(&mut self, account: Account) -> Result<&Account, CoreError> {
        let label = account.label();
        if self.accounts.iter().any(|a| same_text(&a.label(), &label)) {
            return Err(CoreError::DuplicateAccount { label });
        }
        self.accounts.push(account);
        let added = self.accounts.len() - 1;
        Ok(&self.accounts[added])
    }

    /// Fails with [`CoreError::DuplicateAccount`] if an account already uses `label`.
    pub(crate) fn check_label_free(&self, label: &str) -> Result<(), CoreError> {
        if self.accounts.iter().any(|a| same_text(&a.label(), label)) {
            return Err(CoreError::DuplicateAccount {
                label: label.to_owned(),
            });
        }
        Ok(())
    }

    /// The account with this id.
    pub fn get(&self, id: &AccountId) -> Result<&Account, CoreError> {
        self.accounts
            .iter()
            .find(|a| a.id() == id)
            .ok_or_else(|| CoreError::UnknownAccount {
                query: id.to_string(),
            })
    }

    /// The account with this id, for changes.
    pub(crate) fn get_mut(&mut self, id: &AccountId) -> Result<&mut Account, CoreError> {
        self.accounts
            .iter_mut()
            .find(|a| a.id() == id)
            .ok_or_else(|| CoreError::UnknownAccount {
                query: id.to_string(),
            })
    }

    /// Removes the account with this id and returns it.
    pub(crate) fn remove(&mut self, id: &AccountId) -> Result<Account, CoreError> {
        let index = self
            .accounts
            .iter()
            .position(|a| a.id() == id)
            .ok_or_else(|| CoreError::UnknownAccount {
                query: id.to_string(),
            })?;
        Ok(self.accounts.remove(index))
    }

    /// Resolves a query (see [`AccountQuery`]) to exactly one account id.
    pub fn find(&self, query: &AccountQuery) -> Result<AccountId, CoreError> {
        query.resolve(&self.accounts).map(|a| a.id().clone())
    }
}
