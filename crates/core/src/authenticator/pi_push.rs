//! The vault half of privacyIDEA push tokens: preview, the enrollment's last step, listing
//! and deleting. The network half is [`push::privacyidea`](crate::push::privacyidea).

use super::Authenticator;
use crate::accounts::AccountId;
use crate::error::CoreError;
use crate::push::PushError;
use crate::push::privacyidea::{self, PiEnrollment, PiPreview, PiRegistered, PushTokenSummary};

impl Authenticator {
    /// What adding the push link `link` would add; fails for a link that cannot be enrolled
    /// (malformed, Firebase only, `sslverify=0` for a server on the network) and for a token
    /// the vault holds already, before any key is made or the single-use credential is spent.
    pub fn preview_pi_link(&self, link: &str) -> Result<PiPreview, CoreError> {
        let preview = privacyidea::preview(link)?;
        if self
            .keyring()
            .has_push_token(&preview.serial, &preview.server)
        {
            return Err(PushError::DuplicateToken {
                serial: preview.serial,
            }
            .into());
        }
        Ok(preview)
    }

    /// Stores a registered push token with one vault save; nothing is kept if the save fails.
    pub fn finish_pi_enrollment(
        &mut self,
        enrollment: PiEnrollment,
        registered: PiRegistered,
    ) -> Result<PushTokenSummary, CoreError> {
        let (serial, url) = enrollment.identity();
        if self.keyring().has_push_token(serial, url) {
            return Err(PushError::DuplicateToken {
                serial: serial.to_owned(),
            }
            .into());
        }
        let before = self.keyring().push_tokens().len();
        let token = enrollment.into_token(registered);
        let summary = self.vault.contents_mut().add_push_token(token)?.summary();
        self.vault.save().map_err(|err| {
            self.vault.contents_mut().truncate_push_tokens(before);
            CoreError::from(err)
        })?;
        tracing::info!(token = %summary.id, "push token added");
        Ok(summary)
    }

    /// The push tokens, for the accounts list (accounts without a code).
    pub fn push_tokens(&self) -> Vec<PushTokenSummary> {
        self.keyring()
            .push_tokens()
            .iter()
            .map(|t| t.summary())
            .collect()
    }

    /// Deletes a push token from the vault with one save, and returns it as it was listed.
    ///
    /// From then on nothing polls for it: [`push_sources`](Self::push_sources) is made from
    /// the vault's tokens, so the watches a front end starts again after the delete leave it
    /// out, and a challenge of it fetched before can no longer be answered (its key is gone).
    /// privacyIDEA has no call by which a phone unregisters a push token, so the token stays
    /// enrolled on the server until an administrator deletes it there.
    ///
    /// # Errors
    /// [`CoreError::UnknownAccount`] when no push token has this id (accounts with codes are
    /// deleted with [`delete`](Self::delete)); a failed save, which leaves the token where it
    /// was.
    pub fn delete_push_token(&mut self, id: &AccountId) -> Result<PushTokenSummary, CoreError> {
        let (index, removed) = self.vault.contents_mut().remove_push_token(id)?;
        if let Err(err) = self.vault.save() {
            self.vault.contents_mut().insert_push_token(index, removed);
            return Err(err.into());
        }
        tracing::info!(token = %id, "push token deleted");
        Ok(removed.summary())
    }
}
