//! The one link that waits: a link can arrive while the app is locked (or before the window
//! is ready), and is shown after the PIN. Only the newest arrival is kept, so links arriving
//! one after the other cost one slot of at most [`MAX_LINK_BYTES`](super::MAX_LINK_BYTES).

use super::{IncomingLink, LinkError, LinkKind};

/// The newest link that arrived and was not shown yet, or why it cannot be opened (the user
/// sees that message where the link would have been shown). Kept in memory only; the link is
/// wiped when it is replaced, taken or dropped. No `Debug`: it may hold a seed.
#[derive(Default)]
pub struct LinkInbox {
    waiting: Option<Result<IncomingLink, LinkError>>,
}

impl LinkInbox {
    /// An empty inbox.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `raw` and keeps it, or its refusal, in place of whatever waited: the user's
    /// latest link is the one to show.
    ///
    /// # Errors
    /// Those of [`IncomingLink::read`], also kept to be shown.
    pub fn receive(&mut self, raw: &str) -> Result<LinkKind, LinkError> {
        let read = IncomingLink::read(raw);
        let outcome = read.as_ref().map(IncomingLink::kind).map_err(|err| *err);
        self.waiting = Some(read);
        outcome
    }

    /// Whether a link (or a refusal) waits to be shown.
    pub fn is_waiting(&self) -> bool {
        self.waiting.is_some()
    }

    /// Hands out what waits, once.
    pub fn take(&mut self) -> Option<Result<IncomingLink, LinkError>> {
        self.waiting.take()
    }

    /// Forgets what waits (the app was reset).
    pub fn clear(&mut self) {
        self.waiting = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIRST: &str = "otpauth://totp/ACME:erika?secret=GEZDGNBVGY3TQOJQ&issuer=ACME";
    const SECOND: &str = "otpauth://totp/Other:erika?secret=MFRGGZDFMZTWQ2LK&issuer=Other";

    fn taken_uri(inbox: &mut LinkInbox) -> String {
        match inbox.take() {
            Some(Ok(link)) => link.into_uri().to_string(),
            Some(Err(err)) => panic!("refused: {err}"),
            None => panic!("nothing waits"),
        }
    }

    #[test]
    fn a_link_waits_until_it_is_taken_once() {
        let mut inbox = LinkInbox::new();
        assert!(!inbox.is_waiting());
        assert_eq!(inbox.receive(FIRST), Ok(LinkKind::OtpAuth));
        assert!(inbox.is_waiting());
        assert_eq!(taken_uri(&mut inbox), FIRST);
        assert!(inbox.take().is_none());
    }

    #[test]
    fn a_second_link_replaces_the_first() {
        let mut inbox = LinkInbox::new();
        inbox.receive(FIRST).unwrap();
        inbox.receive(SECOND).unwrap();
        assert_eq!(taken_uri(&mut inbox), SECOND);
        assert!(inbox.take().is_none());
    }

    #[test]
    fn a_refused_link_is_kept_as_its_refusal_in_place_of_the_earlier_link() {
        let mut inbox = LinkInbox::new();
        inbox.receive(FIRST).unwrap();
        assert_eq!(
            inbox.receive("https://example.org"),
            Err(LinkError::NotOurs)
        );
        assert!(matches!(inbox.take(), Some(Err(LinkError::NotOurs))));
        assert!(inbox.take().is_none());
    }

    #[test]
    fn clearing_forgets_the_waiting_link() {
        let mut inbox = LinkInbox::new();
        inbox.receive(FIRST).unwrap();
        inbox.clear();
        assert!(!inbox.is_waiting());
        assert!(inbox.take().is_none());
    }
}
