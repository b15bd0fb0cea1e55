//! The one challenge type and the one answer type of every push protocol.
//!
//! A [`PushChallenge`] is what a [`PushSource`](super::PushSource) hands on after it verified
//! a server's challenge: what to show ([`ChallengeInfo`]), what is asked ([`Ask`]), and the
//! protocol's own part ([`ChallengeOrigin`]) that computes a code or signs a [`PushAnswer`]
//! with the vault's keys. Front ends only read the first two and pass answers back.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use zeroize::Zeroizing;
use zweifaktor_protocol::otp::Code;

use super::PushError;
use crate::accounts::{AccountId, Keyring};
use crate::error::CoreError;

/// What a challenge shows: whose login it is and until when it can be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChallengeInfo {
    /// The challenge's id as its server names it (Zweifaktor: 32 hex digits; privacyIDEA: the
    /// nonce). Front ends pass it back to answer.
    pub id: String,
    /// The vault account (or push token) the challenge is for.
    pub account: AccountId,
    /// That account's label, as the accounts list shows it.
    pub account_label: String,
    /// The protocol behind it: [`ZWEIFAKTOR`](super::ZWEIFAKTOR) or another protocol's name.
    pub protocol: &'static str,
    /// Who asks: the portal's name, or the server's issuer.
    pub portal: String,
    /// A title the server chose (privacyIDEA's `title`); `None` for Zweifaktor.
    pub title: Option<String>,
    /// The question the server asks (privacyIDEA's `question`); `None` for Zweifaktor.
    pub question: Option<String>,
    /// When the login started (seconds since the Unix epoch): the newest login wins
    /// "Akzeptieren".
    pub time: u64,
    /// The browser of the login, when the server says (Zweifaktor's login context).
    pub browser: Option<Browser>,
    /// When the challenge can no longer be answered (seconds since the Unix epoch).
    pub expires_at: u64,
}

/// The browser that started a login, as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Browser {
    /// Its address.
    pub address: String,
    /// Its user agent.
    pub user_agent: String,
}

/// A code the server sends for the phone to show (privacyIDEA's `code_to_phone`): the user
/// types it into the login page, so it is a secret like any code. Wiped when dropped, no
/// `Debug`.
#[derive(Clone)]
pub struct ServerCode(Zeroizing<String>);

impl ServerCode {
    /// Keeps `code` as received.
    pub fn new(code: Zeroizing<String>) -> Self {
        Self(code)
    }

    /// The code, to show.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What a challenge asks of the user.
#[derive(Clone)]
pub enum Ask {
    /// Show the security code computed from the account's seed (Zweifaktor); "accept" shows
    /// it and tells the portal it was seen.
    SecurityCode,
    /// Approve or decline the login (privacyIDEA's plain push).
    ApproveOrDecline,
    /// Pick the number the login page shows among these (privacyIDEA's "presence").
    PickNumber {
        /// The numbers offered, in the order to show them.
        options: Vec<String>,
    },
    /// Show a code the server sent, which the user types into the login page (privacyIDEA's
    /// `code_to_phone`).
    ShowCode {
        /// The code.
        code: ServerCode,
    },
}

impl std::fmt::Debug for Ask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::SecurityCode => f.write_str("SecurityCode"),
            Self::ApproveOrDecline => f.write_str("ApproveOrDecline"),
            Self::PickNumber { options } => f
                .debug_struct("PickNumber")
                .field("options", options)
                .finish(),
            Self::ShowCode { .. } => f.write_str("ShowCode { .. }"),
        }
    }
}

impl Ask {
    /// A stable name for front ends: `security_code`, `approve`, `pick_number`, `show_code`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::SecurityCode => "security_code",
            Self::ApproveOrDecline => "approve",
            Self::PickNumber { .. } => "pick_number",
            Self::ShowCode { .. } => "show_code",
        }
    }

    /// Refuses an answer that does not fit this question; the one place that rule lives.
    pub fn check(&self, answer: &PushAnswer) -> Result<(), PushError> {
        match (self, answer) {
            (_, PushAnswer::Deny)
            | (Self::SecurityCode, PushAnswer::Seen)
            | (Self::ApproveOrDecline | Self::ShowCode { .. }, PushAnswer::Accept) => Ok(()),
            (Self::PickNumber { options }, PushAnswer::AcceptNumber(number)) => {
                if options.iter().any(|offered| offered == number) {
                    Ok(())
                } else {
                    Err(PushError::NumberNotOffered {
                        number: number.clone(),
                    })
                }
            }
            _ => Err(PushError::AnswerNotOffered),
        }
    }
}

/// The user's answer to a challenge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushAnswer {
    /// "Akzeptieren": approve the login. For a Zweifaktor challenge the flow turns this into
    /// showing the code and [`Seen`](Self::Seen).
    Accept,
    /// Approve by picking this number among those offered ([`Ask::PickNumber`]).
    AcceptNumber(String),
    /// "Das war ich nicht": refuse the login.
    Deny,
    /// Zweifaktor's "the code was shown".
    Seen,
}

impl PushAnswer {
    /// A name for logs: `accept`, `accept_number`, `deny`, `seen` (never the number).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Accept => "accept",
            Self::AcceptNumber(_) => "accept_number",
            Self::Deny => "deny",
            Self::Seen => "seen",
        }
    }
}

/// The protocol's own part of a challenge: it reads the vault's keys for its account, briefly
/// and synchronously, while the caller holds the vault.
///
/// One implementation per protocol; see `PUSH-CONTRACT.md`.
pub trait ChallengeOrigin: Send + Sync {
    /// The code to show that comes from the vault (Zweifaktor's OCRA code over the challenge's
    /// nonce); `None` for protocols whose challenges carry no such code.
    fn code(&self, keyring: &Keyring) -> Result<Option<Code>, CoreError>;

    /// Signs `answer` (already checked against the [`Ask`] and the expiry) with the account's
    /// key at `now`. The result holds everything needed to send it, so the vault can be let go
    /// before the network wait.
    fn sign(
        &self,
        keyring: &Keyring,
        answer: &PushAnswer,
        now: u64,
    ) -> Result<Box<dyn SignedAnswer>, CoreError>;
}

/// A signed answer ready to go: where to, with what credentials, and the signed body.
pub trait SignedAnswer: Send {
    /// Sends the answer to the server.
    fn send(self: Box<Self>) -> BoxFuture<'static, Result<(), PushError>>;
}

/// A verified challenge, ready to show and answer.
#[derive(Clone)]
pub struct PushChallenge {
    /// What to show.
    pub info: ChallengeInfo,
    /// What is asked.
    pub ask: Ask,
    origin: Arc<dyn ChallengeOrigin>,
}

impl std::fmt::Debug for PushChallenge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PushChallenge")
            .field("info", &self.info)
            .field("ask", &self.ask)
            .finish_non_exhaustive()
    }
}

impl PushChallenge {
    /// A challenge whose server signature, freshness and account the protocol checked.
    pub fn new(info: ChallengeInfo, ask: Ask, origin: Arc<dyn ChallengeOrigin>) -> Self {
        Self { info, ask, origin }
    }

    /// The code to show large: the vault's (Zweifaktor) or the server's (`code_to_phone`).
    pub(crate) fn code(&self, keyring: &Keyring) -> Result<Option<ShownCode>, CoreError> {
        if let Ask::ShowCode { code } = &self.ask {
            return Ok(Some(ShownCode::Server(code.clone())));
        }
        Ok(self.origin.code(keyring)?.map(ShownCode::Vault))
    }

    /// Checks `answer` against the question and the expiry at `now`, then signs it.
    pub(crate) fn sign(
        &self,
        keyring: &Keyring,
        answer: &PushAnswer,
        now: u64,
    ) -> Result<Box<dyn SignedAnswer>, CoreError> {
        self.ask.check(answer)?;
        if now >= self.info.expires_at {
            return Err(PushError::Expired {
                id: self.info.id.clone(),
            }
            .into());
        }
        self.origin.sign(keyring, answer, now)
    }
}

/// A code to show on the challenge screen, from the vault or from the server; `Debug` hides
/// it.
pub enum ShownCode {
    /// Computed from the account's seed (Zweifaktor's security code).
    Vault(Code),
    /// Sent by the server (`code_to_phone`).
    Server(ServerCode),
}

impl std::fmt::Debug for ShownCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShownCode(..)")
    }
}

impl ShownCode {
    /// The characters to show.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Vault(code) => code.as_str(),
            Self::Server(code) => code.expose(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers() -> Ask {
        Ask::PickNumber {
            options: vec!["17".into(), "42".into(), "93".into()],
        }
    }

    #[test]
    fn a_number_must_be_one_of_those_offered() {
        numbers()
            .check(&PushAnswer::AcceptNumber("42".into()))
            .unwrap();
        assert!(matches!(
            numbers().check(&PushAnswer::AcceptNumber("41".into())),
            Err(PushError::NumberNotOffered { number }) if number == "41"
        ));
        assert!(matches!(
            numbers().check(&PushAnswer::Accept),
            Err(PushError::AnswerNotOffered)
        ));
    }

    #[test]
    fn every_question_can_be_denied() {
        let code = ServerCode::new(Zeroizing::new("123456".into()));
        for ask in [
            Ask::SecurityCode,
            Ask::ApproveOrDecline,
            numbers(),
            Ask::ShowCode { code },
        ] {
            ask.check(&PushAnswer::Deny).unwrap();
        }
    }

    #[test]
    fn answers_that_do_not_fit_are_refused() {
        let refused = [
            (Ask::ApproveOrDecline, PushAnswer::AcceptNumber("1".into())),
            (Ask::ApproveOrDecline, PushAnswer::Seen),
            (Ask::SecurityCode, PushAnswer::AcceptNumber("1".into())),
            (Ask::SecurityCode, PushAnswer::Accept),
        ];
        for (ask, answer) in refused {
            assert!(
                matches!(ask.check(&answer), Err(PushError::AnswerNotOffered)),
                "{ask:?} {answer:?}"
            );
        }
        Ask::SecurityCode.check(&PushAnswer::Seen).unwrap();
        Ask::ApproveOrDecline.check(&PushAnswer::Accept).unwrap();
    }

    #[test]
    fn debug_output_hides_a_server_code() {
        let ask = Ask::ShowCode {
            code: ServerCode::new(Zeroizing::new("918273".into())),
        };
        assert!(!format!("{ask:?}").contains("918273"));
    }
}
