//! The vault's contents: the accounts in the order the user keeps them.

use serde::{Deserialize, Serialize};

use super::{Account, AccountId, AccountQuery, NewAccount};
use crate::error::CoreError;
use crate::push::PushError;
use crate::push::privacyidea::PiPushToken;

/// Everything the vault encrypts.
///
/// New fields must carry `#[serde(default)]` so that older vaults still open.
#[derive(Default, Serialize, Deserialize)]
pub struct Keyring {
    accounts: Vec<Account>,
    /// privacyIDEA push tokens: accounts without a seed or code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    push_tokens: Vec<PiPushToken>,
}

impl Keyring {
    /// All accounts in the user's order (the order they were added until one is moved).
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// The duplicate rule: `new` is a duplicate if an account with the same secret and the
    /// same label (letter case aside) exists already.
    ///
    /// Re-scanning the same QR code or importing the same file twice is how duplicates arise;
    /// the same label with another secret is a different account (two portals that call
    /// themselves alike, a new secret after a reset) and is allowed: ids tell them apart, and
    /// naming such an account by its label reports the ambiguity.
    pub fn is_duplicate(&self, new: &NewAccount) -> bool {
        self.accounts.iter().any(|a| a.same_as(new))
    }

    /// Checks `accounts` as [`add_all`](Self::add_all) would, without adding anything.
    ///
    /// # Errors
    /// Those of [`NewAccount::check`], and [`CoreError::DuplicateAccount`] for an account the
    /// keyring holds already or that comes twice in `accounts`.
    pub(crate) fn check_new(&self, accounts: &[NewAccount]) -> Result<(), CoreError> {
        for (index, account) in accounts.iter().enumerate() {
            account.check()?;
            let again = accounts[..index]
                .iter()
                .any(|earlier| earlier.same_as(account));
            if again || self.is_duplicate(account) {
                return Err(CoreError::DuplicateAccount {
                    label: account.label(),
                });
            }
        }
        Ok(())
    }

    /// Adds every account, or none if one of them fails [`check_new`](Self::check_new);
    /// returns the new accounts.
    pub(crate) fn add_all(&mut self, accounts: Vec<NewAccount>) -> Result<&[Account], CoreError> {
        self.check_new(&accounts)?;
        let first = self.accounts.len();
        self.accounts
            .extend(accounts.into_iter().map(Account::from_new));
        Ok(&self.accounts[first..])
    }

    /// Adds an account that already has its id and binding (a portal enrollment), under the
    /// same duplicate rule.
    pub(crate) fn add(&mut self, account: Account) -> Result<&Account, CoreError> {
        if self.accounts.iter().any(|a| a.same_as_account(&account)) {
            return Err(CoreError::DuplicateAccount {
                label: account.label(),
            });
        }
        self.accounts.push(account);
        let added = self.accounts.len() - 1;
        Ok(&self.accounts[added])
    }

    /// Drops the accounts after the first `len`: undoes an add whose save failed.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.accounts.truncate(len);
    }

    /// The account with this id.
    pub fn get(&self, id: &AccountId) -> Result<&Account, CoreError> {
        self.accounts
            .iter()
            .find(|a| a.id() == id)
            .ok_or_else(|| unknown(id))
    }

    /// The account with this id, for changes.
    pub(crate) fn get_mut(&mut self, id: &AccountId) -> Result<&mut Account, CoreError> {
        self.accounts
            .iter_mut()
            .find(|a| a.id() == id)
            .ok_or_else(|| unknown(id))
    }

    /// Where the account with this id is in the list.
    pub(crate) fn position(&self, id: &AccountId) -> Result<usize, CoreError> {
        self.accounts
            .iter()
            .position(|a| a.id() == id)
            .ok_or_else(|| unknown(id))
    }

    /// Puts a removed account back at `index`: undoes a delete whose save failed.
    pub(crate) fn insert(&mut self, index: usize, account: Account) {
        self.accounts
            .insert(index.min(self.accounts.len()), account);
    }

    /// Gives an account a new issuer and name, unless that makes it a duplicate of another
    /// account (same secret, same label).
    pub(crate) fn rename(
        &mut self,
        id: &AccountId,
        issuer: Option<String>,
        name: String,
    ) -> Result<(), CoreError> {
        let index = self.position(id)?;
        let label = super::new_account::label(issuer.as_deref(), &name);
        let taken = self.accounts.iter().enumerate().any(|(other, account)| {
            other != index && account.same_seed_and_label(&self.accounts[index], &label)
        });
        if taken {
            return Err(CoreError::DuplicateAccount { label });
        }
        self.accounts[index].rename(issuer, name);
        Ok(())
    }

    /// Removes the account with this id and returns it.
    pub(crate) fn remove(&mut self, id: &AccountId) -> Result<Account, CoreError> {
        let index = self.position(id)?;
        Ok(self.accounts.remove(index))
    }

    /// Puts the account with this id at `to_index`, shifting the others; returns where it was.
    ///
    /// # Errors
    /// [`CoreError::UnknownAccount`], or [`CoreError::PositionOutOfRange`] when `to_index` is
    /// not a position in the list.
    pub(crate) fn move_to(&mut self, id: &AccountId, to_index: usize) -> Result<usize, CoreError> {
        let from = self.position(id)?;
        if to_index >= self.accounts.len() {
            return Err(CoreError::PositionOutOfRange {
                index: to_index,
                len: self.accounts.len(),
            });
        }
        let account = self.accounts.remove(from);
        self.accounts.insert(to_index, account);
        Ok(from)
    }

    /// Resolves a query (see [`AccountQuery`]) to exactly one account id.
    pub fn find(&self, query: &AccountQuery) -> Result<AccountId, CoreError> {
        query.resolve(&self.accounts).map(|a| a.id().clone())
    }
}

/// The privacyIDEA push tokens, kept apart from the accounts since they have no seed.
impl Keyring {
    /// All push tokens in the order they were added.
    pub fn push_tokens(&self) -> &[PiPushToken] {
        &self.push_tokens
    }

    /// The push token with this id.
    pub fn push_token(&self, id: &AccountId) -> Result<&PiPushToken, CoreError> {
        self.push_tokens
            .iter()
            .find(|t| t.id() == id)
            .ok_or_else(|| unknown(id))
    }

    /// Adds a token, unless one with the same serial at the same server is there already.
    pub(crate) fn add_push_token(&mut self, token: PiPushToken) -> Result<&PiPushToken, CoreError> {
        if self
            .push_tokens
            .iter()
            .any(|t| t.same_as(token.serial(), token.url()))
        {
            return Err(PushError::DuplicateToken {
                serial: token.serial().to_owned(),
            }
            .into());
        }
        self.push_tokens.push(token);
        let added = self.push_tokens.len() - 1;
        Ok(&self.push_tokens[added])
    }

    /// Whether a token with this serial at this server is there already.
    pub(crate) fn has_push_token(&self, serial: &str, url: &str) -> bool {
        self.push_tokens.iter().any(|t| t.same_as(serial, url))
    }

    /// Drops the tokens after the first `len`: undoes an add whose save failed.
    pub(crate) fn truncate_push_tokens(&mut self, len: usize) {
        self.push_tokens.truncate(len);
    }

    /// Removes the token with this id; returns where it was and the token.
    pub(crate) fn remove_push_token(
        &mut self,
        id: &AccountId,
    ) -> Result<(usize, PiPushToken), CoreError> {
        let index = self
            .push_tokens
            .iter()
            .position(|t| t.id() == id)
            .ok_or_else(|| unknown(id))?;
        Ok((index, self.push_tokens.remove(index)))
    }

    /// Puts a removed token back at `index`: undoes a delete whose save failed.
    pub(crate) fn insert_push_token(&mut self, index: usize, token: PiPushToken) {
        self.push_tokens
            .insert(index.min(self.push_tokens.len()), token);
    }
}

fn unknown(id: &AccountId) -> CoreError {
    CoreError::UnknownAccount {
        query: id.to_string(),
    }
}
