//! How a user names an account on the command line: by label, by name, or not at all.

use super::Account;
use crate::error::CoreError;

/// A user's way of naming one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountQuery {
    /// No name given: valid only while the vault holds exactly one account.
    Only,
    /// `ISSUER:NAME` (case-insensitive), the account name alone when that is unique, or an id.
    Named(String),
}

impl AccountQuery {
    /// `None` means [`AccountQuery::Only`].
    pub fn from_option(query: Option<String>) -> Self {
        query.map_or(Self::Only, Self::Named)
    }

    /// Finds the one account this query means.
    pub(crate) fn resolve<'a>(&self, accounts: &'a [Account]) -> Result<&'a Account, CoreError> {
        match self {
            Self::Only => match accounts {
                [only] => Ok(only),
                [] => Err(CoreError::NoAccounts),
                _ => Err(CoreError::AmbiguousAccount {
                    query: String::new(),
                    candidates: accounts.iter().map(Account::label).collect(),
                }),
            },
            Self::Named(query) => resolve_named(query, accounts),
        }
    }
}

/// Exact id or label first, then the bare name, which must be unique.
fn resolve_named<'a>(query: &str, accounts: &'a [Account]) -> Result<&'a Account, CoreError> {
    if let Some(exact) = accounts
        .iter()
        .find(|a| a.id().as_str() == query || same_text(&a.label(), query))
    {
        return Ok(exact);
    }
    let by_name: Vec<&Account> = accounts
        .iter()
        .filter(|a| same_text(a.name(), query))
        .collect();
    match by_name.as_slice() {
        [one] => Ok(one),
        [] => Err(CoreError::UnknownAccount {
            query: query.to_owned(),
        }),
        many => Err(CoreError::AmbiguousAccount {
            query: query.to_owned(),
            candidates: many.iter().map(|a| a.label()).collect(),
        }),
    }
}

/// Case-insensitive comparison that also folds non-ASCII letters (`MÜLLER` = `müller`).
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}
