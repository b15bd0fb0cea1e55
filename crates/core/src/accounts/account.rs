//! One account: seed, OTP parameters and display names.

use serde::{Deserialize, Serialize};
use zweifaktor_protocol::otp::{self, Code, OtpParams};
use zweifaktor_protocol::{HashAlgorithm, Seed};

use super::new_account::{is_weak, label, same_identity};
use super::{Avatar, NewAccount};
use crate::error::CoreError;
use crate::push::PortalBinding;

/// Stable, random identifier of an account inside one vault (16 hex digits).
///
/// Random rather than a counter so that ids of deleted accounts are never reused.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(String);

impl AccountId {
    /// A fresh random id.
    pub(crate) fn random() -> Self {
        let bytes: [u8; 8] = rand::random();
        Self(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The id as text, for command lines and UIs.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AccountId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether codes follow the clock or a counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "type")]
pub enum AccountKind {
    /// Time-based (RFC 6238): a new code every `period` seconds.
    Totp {
        /// Length of one time step in seconds.
        period: u64,
    },
    /// Counter-based (RFC 4226): `counter` is the value the next code uses.
    Hotp {
        /// Counter of the next code.
        counter: u64,
    },
    /// Steam Guard: TOTP with SHA-1 and 30 s steps, shown as five characters of Steam's
    /// alphabet ([`zweifaktor_protocol::otp::steam()`]).
    Steam,
}

/// An account as stored inside the encrypted vault.
///
/// Serialization exists only for the vault's encrypted contents; the seed is never part of
/// anything this crate hands out (see [`AccountSummary`]).
#[derive(Serialize, Deserialize)]
pub struct Account {
    id: AccountId,
    issuer: Option<String>,
    name: String,
    #[serde(with = "super::seed_serde")]
    seed: Seed,
    #[serde(with = "algorithm_name")]
    algorithm: HashAlgorithm,
    digits: u8,
    kind: AccountKind,
    /// Set when the account was enrolled with a Zweifaktor portal for push challenges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    portal: Option<PortalBinding>,
}

impl Account {
    /// Stores a new account under a fresh id.
    pub(crate) fn from_new(new: NewAccount) -> Self {
        let NewAccount {
            issuer,
            name,
            seed,
            algorithm,
            digits,
            kind,
        } = new.normalized();
        Self {
            id: AccountId::random(),
            issuer,
            name,
            seed,
            algorithm,
            digits,
            kind,
            portal: None,
        }
    }

    /// Ties the account to the portal it was registered with.
    pub(crate) fn bind(&mut self, binding: PortalBinding) {
        self.portal = Some(binding);
    }

    /// The portal binding, if the account receives push challenges.
    pub fn portal(&self) -> Option<&PortalBinding> {
        self.portal.as_ref()
    }

    /// The account's id.
    pub fn id(&self) -> &AccountId {
        &self.id
    }

    /// The label `ISSUER:NAME`, or the name alone when there is no issuer.
    pub fn label(&self) -> String {
        label(self.issuer.as_deref(), &self.name)
    }

    /// The issuer, if the URI named one.
    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The account name (usually the e-mail address).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The seed, for code calculation inside the core.
    pub(crate) fn seed(&self) -> &Seed {
        &self.seed
    }

    /// The kind with its period or counter.
    pub fn kind(&self) -> AccountKind {
        self.kind
    }

    /// Algorithm and digits for code calculation.
    pub(crate) fn params(&self) -> Result<OtpParams, CoreError> {
        Ok(OtpParams::new(self.algorithm, self.digits)?)
    }

    /// Gives the account a new issuer and name (both already checked).
    pub(crate) fn rename(&mut self, issuer: Option<String>, name: String) {
        self.issuer = issuer;
        self.name = name;
    }

    /// Whether `new` is this account again: the same secret under the same label (letter
    /// case aside). The secret is compared in constant time.
    pub(crate) fn same_as(&self, new: &NewAccount) -> bool {
        same_identity((&self.seed, &self.label()), (&new.seed, &new.label()))
    }

    /// [`same_as`](Self::same_as) for an account that is not in the vault yet but already has
    /// its id (a portal enrollment).
    pub(crate) fn same_as_account(&self, other: &Account) -> bool {
        self.same_seed_and_label(other, &other.label())
    }

    /// Whether this account has `other`'s secret and the label `label`: the duplicate rule for
    /// `other` renamed to `label`.
    pub(crate) fn same_seed_and_label(&self, other: &Account, label: &str) -> bool {
        same_identity((&self.seed, &self.label()), (&other.seed, label))
    }

    /// The TOTP code at `unix_time` and the seconds it stays valid.
    pub(crate) fn totp(&self, unix_time: u64) -> Result<(Code, u64), CoreError> {
        match self.kind {
            AccountKind::Totp { period } => Ok((
                otp::totp(&self.seed, self.params()?, period, unix_time)?,
                otp::totp_seconds_left(period, unix_time),
            )),
            AccountKind::Steam => Ok((
                otp::steam(&self.seed, unix_time)?,
                otp::totp_seconds_left(otp::STEAM_PERIOD_SECS, unix_time),
            )),
            AccountKind::Hotp { .. } => Err(CoreError::NotTimeBased {
                account: self.label(),
            }),
        }
    }

    /// The HOTP code for the current counter; the counter moves on by one.
    ///
    /// The caller must persist the vault afterwards, or the same code would be shown twice.
    pub(crate) fn next_hotp(&mut self) -> Result<Code, CoreError> {
        match self.kind {
            AccountKind::Hotp { counter } => {
                let code = otp::hotp(&self.seed, self.params()?, counter)?;
                self.kind = AccountKind::Hotp {
                    counter: counter.checked_add(1).ok_or(CoreError::CounterExhausted {
                        account: self.label(),
                    })?,
                };
                Ok(code)
            }
            AccountKind::Totp { .. } | AccountKind::Steam => Err(CoreError::NotCounterBased {
                account: self.label(),
            }),
        }
    }

    /// A summary without the seed, safe to hand out.
    pub fn summary(&self) -> AccountSummary {
        AccountSummary {
            id: self.id.clone(),
            label: self.label(),
            issuer: self.issuer.clone(),
            name: self.name.clone(),
            algorithm: self.algorithm.as_str(),
            digits: self.digits,
            kind: self.kind,
            weak_secret: is_weak(&self.seed),
            avatar: Avatar::for_account(self.issuer.as_deref(), &self.name),
            portal_url: self.portal.as_ref().map(|p| p.portal_url().to_owned()),
        }
    }
}

/// What a UI or script may know about an account: everything but the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccountSummary {
    /// The account's id.
    pub id: AccountId,
    /// `ISSUER:NAME`, or the name alone.
    pub label: String,
    /// The issuer, if any.
    pub issuer: Option<String>,
    /// The account name.
    pub name: String,
    /// `SHA1`, `SHA256` or `SHA512`.
    pub algorithm: &'static str,
    /// Characters per code (five for Steam).
    pub digits: u8,
    /// TOTP with period, HOTP with counter, or Steam (whose codes are five characters of
    /// Steam's alphabet).
    pub kind: AccountKind,
    /// The secret is shorter than 128 bits ([`STRONG_SEED_BYTES`](super::STRONG_SEED_BYTES)):
    /// the app shows a short note.
    pub weak_secret: bool,
    /// Initial and colour for the list.
    pub avatar: Avatar,
    /// The portal that sends push challenges for this account, if enrolled with one.
    pub portal_url: Option<String>,
}

/// Stores [`HashAlgorithm`] by its RFC name (`SHA1`, …) inside the vault.
mod algorithm_name {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};
    use zweifaktor_protocol::HashAlgorithm;

    pub(super) fn serialize<S: Serializer>(alg: &HashAlgorithm, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(alg.as_str())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<HashAlgorithm, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map_err(D::Error::custom)
    }
}
