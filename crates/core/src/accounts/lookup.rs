//! How a user names an account on the command line: by label, by name, or not at all.

use super::Account;
use crate::error::CoreError;

/// A user's way of naming one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountQuery {
    /// No name given: valid only while the vault holds exactly one account.
    Only,
    /// An id, `ISSUER:NAME` (case-insensitive) when one account has that label, or the account
    /// name alone when that is unique.
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
                    candidates: accounts.iter().map(candidate).collect(),
                }),
            },
            Self::Named(query) => resolve_named(query, accounts),
        }
    }
}

/// The exact id first, then the label, then the bare name; a label or name that several
/// accounts share is ambiguous, and the candidates name each by label and id.
fn resolve_named<'a>(query: &str, accounts: &'a [Account]) -> Result<&'a Account, CoreError> {
    if let Some(exact) = accounts.iter().find(|a| a.id().as_str() == query) {
        return Ok(exact);
    }
    let by_label: Vec<&Account> = accounts
        .iter()
        .filter(|a| same_text(&a.label(), query))
        .collect();
    if !by_label.is_empty() {
        return one_of(query, by_label);
    }
    let by_name = accounts
        .iter()
        .filter(|a| same_text(a.name(), query))
        .collect();
    one_of(query, by_name)
}

/// The one match, or why there is none.
fn one_of<'a>(query: &str, found: Vec<&'a Account>) -> Result<&'a Account, CoreError> {
    match found.as_slice() {
        [one] => Ok(one),
        [] => Err(CoreError::UnknownAccount {
            query: query.to_owned(),
        }),
        many => Err(CoreError::AmbiguousAccount {
            query: query.to_owned(),
            candidates: many.iter().map(|a| candidate(a)).collect(),
        }),
    }
}

/// How an ambiguity names an account: `LABEL (ID)`, since labels may repeat.
fn candidate(account: &Account) -> String {
    format!("{} ({})", account.label(), account.id())
}

/// Case-insensitive comparison that also folds non-ASCII letters (`MÜLLER` = `müller`).
pub(crate) fn same_text(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}
