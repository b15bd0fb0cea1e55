//! Enrollment: who may see a seed, registering a device, and removing one.
//!
//! A seed (in an enrollment URI or its QR code) is shown only
//! - to a session that has passed the second factor (the dashboard's "Neues Gerät"), or
//! - on the first enrollment of an account that never had a device
//!   ([`User::first_enrollment_open`]), the one page a password alone may reach.
//!
//! Any registration ends a due enrollment in the transaction that stores the device, so an
//! account that has a device never sends a password-only login to the enrollment page again.

use std::sync::Arc;

use zeroize::Zeroizing;

use crate::accounts::{self, replace_seed_in};
use crate::error::AppError;
use crate::state::AppState;
use crate::storage::StorageError;
use crate::storage::devices::{Device, NewDevice};
use crate::storage::sessions::{Session, Stage};
use crate::storage::users::User;
use crate::tokens::SecretToken;

/// What the first-enrollment page may show. `Debug` leaves out the URI.
pub enum FirstEnrollment {
    /// The enrollment URI (it holds the seed and is wiped when dropped).
    Show(Zeroizing<String>),
    /// Not this session or not any more: the account has had a device. The code page is
    /// the way on.
    Closed,
}

impl std::fmt::Debug for FirstEnrollment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Show(_) => "Show(redacted)",
            Self::Closed => "Closed",
        })
    }
}

/// The first enrollment for a session waiting at [`Stage::Enroll`]: its URI while the
/// account has never had a device, [`FirstEnrollment::Closed`] otherwise.
pub async fn first_enrollment(
    state: &AppState,
    session: &Session,
    user: &User,
) -> Result<FirstEnrollment, AppError> {
    if session.stage != Stage::Enroll || !user.first_enrollment_open() {
        return Ok(FirstEnrollment::Closed);
    }
    Ok(accounts::first_enrollment_uri(state, user)
        .await?
        .map_or(FirstEnrollment::Closed, FirstEnrollment::Show))
}

/// A new device for a logged-in user (the dashboard's "Neues Gerät einrichten"): the caller
/// has checked that the session passed the second factor (`web::guards::Authenticated`).
pub async fn new_device(state: &AppState, user: &User) -> Result<Zeroizing<String>, AppError> {
    Ok(accounts::enrollment_uri(state, user).await?)
}

/// A device as the app describes itself at registration.
#[derive(Debug)]
pub struct DeviceDraft<'a> {
    /// The device's Ed25519 public key, base64url.
    pub public_key: String,
    /// Name the user gave it.
    pub label: &'a str,
    /// Platform the app reported.
    pub platform: String,
    /// Optional wake-up push token.
    pub push_token: Option<&'a str>,
    /// The new device's id.
    pub id: String,
}

/// A registered device and the token it reads its challenges with.
pub struct Registered {
    /// The stored device.
    pub device: Device,
    /// The device token, handed to the device once; only its hash is stored.
    pub token: SecretToken,
}

impl std::fmt::Debug for Registered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registered")
            .field("device", &self.device)
            .finish_non_exhaustive()
    }
}

/// Registers a device with the enroll token hashing to `token_hash`, in one transaction:
/// the token is used up, the device stored and the account's due enrollment ended. On the
/// account's first registration ever, the other unused enroll tokens are voided, so a
/// first-enrollment page seen after the password alone cannot add a second device; later
/// devices come from the dashboard. `None` if the token is unknown, used or expired.
pub async fn register_device(
    state: &AppState,
    token_hash: &str,
    draft: DeviceDraft<'_>,
) -> Result<Option<Registered>, AppError> {
    let now = state.now();
    let token = SecretToken::generate();
    let (token_hash, device_token_hash) = (token_hash.to_owned(), token.hash());
    let push_token = draft.push_token.map(str::to_owned);
    let mut device = Device {
        id: draft.id,
        user_id: String::new(),
        public_key: draft.public_key,
        label: draft.label.to_string(),
        platform: draft.platform,
        created_at: now,
    };
    let registered = state
        .db
        .write(move |tx| {
            let Some(user_id) = tx.consume_enroll_token(&token_hash, now)? else {
                return Ok::<_, StorageError>(None);
            };
            device.user_id = user_id;
            tx.insert_device(NewDevice {
                device: &device,
                push_token: push_token.as_deref(),
                token_hash: &device_token_hash,
            })?;
            if tx.end_enrollment(&device.user_id)? {
                tx.void_enroll_tokens(&device.user_id)?;
            }
            Ok(Some(device))
        })
        .await?;
    let Some(device) = registered else {
        return Ok(None);
    };
    tracing::info!(user = %device.user_id, device = %device.id, "device registered");
    Ok(Some(Registered { device, token }))
}

/// How removing a device ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Removed; other devices remain.
    Removed,
    /// Removed, and it was the last: the account has a new seed and a new device is due.
    RemovedLast,
    /// The account has no such active device.
    NotFound,
}

/// Removes a device of a logged-in user, in one transaction. Set-up links not yet used are
/// voided with it: a user who removes a device is cleaning up, and a QR code shown earlier
/// (perhaps to someone looking over the shoulder) must not add one afterwards. When it was
/// the last one, the seed is replaced too: the removed phone still holds the old seed, and
/// with no other device to keep working a new seed costs nothing and makes that phone's
/// codes worthless.
pub async fn remove_device(
    state: &AppState,
    user: &User,
    device_id: &str,
) -> Result<Removal, AppError> {
    let (user_id, device) = (user.id.clone(), device_id.to_owned());
    let keys = Arc::clone(&state.keys);
    let removal = state
        .db
        .write(move |tx| {
            if !tx.revoke_device(&user_id, &device)? {
                return Ok::<_, AppError>(Removal::NotFound);
            }
            tx.void_enroll_tokens(&user_id)?;
            if tx.active_devices(&user_id)? > 0 {
                return Ok(Removal::Removed);
            }
            replace_seed_in(tx, &keys, &user_id)?;
            Ok(Removal::RemovedLast)
        })
        .await?;
    if removal != Removal::NotFound {
        let last = removal == Removal::RemovedLast;
        tracing::info!(user = %user.id, device = %device_id, last, "device removed by its user");
    }
    Ok(removal)
}

#[cfg(test)]
mod tests {
    use zeroize::Zeroizing;
    use zweifaktor_protocol::OtpAuthUri;

    use super::*;
    use crate::web::tests::state;

    /// The hash of the enroll token in `uri`.
    fn token_hash(uri: &str) -> String {
        let zf = OtpAuthUri::parse(uri).unwrap().zweifaktor.unwrap();
        SecretToken::from_client(zf.enroll_token.expose_secret().to_string()).hash()
    }

    fn draft(id: &str) -> DeviceDraft<'static> {
        DeviceDraft {
            public_key: "pk".into(),
            label: "Telefon",
            platform: "headless".into(),
            push_token: None,
            id: id.into(),
        }
    }

    /// Regression (issue 9, finding 1): a registration left the account "must enroll", and
    /// the QR codes of the first-enrollment page (reachable with the password alone) stayed
    /// usable after the first device. Now the first registration ends the enrollment for
    /// good and voids those codes; a device added from the dashboard later leaves the others.
    #[tokio::test]
    async fn the_first_registration_ends_enrollment_and_voids_the_other_first_codes() {
        let (state, _dir) = state().await;
        let id = accounts::create_user_with_password(
            &state,
            "first@example.org",
            Zeroizing::new("pw".into()),
        )
        .await
        .unwrap();
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        let shown = accounts::enrollment_uri(&state, &user).await.unwrap();
        let shown_again = accounts::enrollment_uri(&state, &user).await.unwrap();
        let first = register_device(&state, &token_hash(&shown), draft("d1"))
            .await
            .unwrap();
        assert_eq!(first.unwrap().device.user_id, id);
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        assert!(!user.must_enroll && user.ever_enrolled && !user.first_enrollment_open());
        let late = register_device(&state, &token_hash(&shown_again), draft("d2"))
            .await
            .unwrap();
        assert!(late.is_none(), "the other first-enrollment code is void");

        let one = new_device(&state, &user).await.unwrap();
        let two = new_device(&state, &user).await.unwrap();
        assert!(
            register_device(&state, &token_hash(&one), draft("d3"))
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            register_device(&state, &token_hash(&two), draft("d4"))
                .await
                .unwrap()
                .is_some(),
            "later registrations void nothing"
        );
    }

    /// Regression (issue 9, review): the first-enrollment page judged the account by what its
    /// request had read, so a page rendered while the owner's first device registered issued
    /// a fresh enroll token after that registration had voided the others, and a password
    /// holder could register a device of their own with it. The account is judged when the
    /// token is issued.
    #[tokio::test]
    async fn a_first_enrollment_page_racing_the_first_registration_issues_no_token() {
        let (state, _dir) = state().await;
        let id = accounts::create_user_with_password(
            &state,
            "race@example.org",
            Zeroizing::new("pw".into()),
        )
        .await
        .unwrap();
        let read_by_the_page = state.db.user_by_id(&id).await.unwrap().unwrap();
        let session = Session {
            id_hash: "h".into(),
            csrf: "c".into(),
            user_id: Some(id.clone()),
            stage: Stage::Enroll,
            login_id: Some("l".into()),
            created_at: 0,
        };
        let owners = accounts::enrollment_uri(&state, &read_by_the_page)
            .await
            .unwrap();
        register_device(&state, &token_hash(&owners), draft("owner"))
            .await
            .unwrap()
            .unwrap();
        let page = first_enrollment(&state, &session, &read_by_the_page)
            .await
            .unwrap();
        assert!(matches!(page, FirstEnrollment::Closed), "{page:?}");
    }

    /// Regression (issue 9, review): a dashboard QR code shown before a device was removed
    /// still added a device afterwards, for the ten minutes of its token.
    #[tokio::test]
    async fn removing_a_device_voids_the_set_up_links_not_yet_used() {
        let (state, _dir) = state().await;
        let id = accounts::create_user_with_password(
            &state,
            "tidy@example.org",
            Zeroizing::new("pw".into()),
        )
        .await
        .unwrap();
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        let first = accounts::enrollment_uri(&state, &user).await.unwrap();
        register_device(&state, &token_hash(&first), draft("d1"))
            .await
            .unwrap()
            .unwrap();
        let second = new_device(&state, &user).await.unwrap();
        register_device(&state, &token_hash(&second), draft("d2"))
            .await
            .unwrap()
            .unwrap();
        let shown_earlier = new_device(&state, &user).await.unwrap();
        assert_eq!(
            remove_device(&state, &user, "d1").await.unwrap(),
            Removal::Removed
        );
        assert!(
            register_device(&state, &token_hash(&shown_earlier), draft("d3"))
                .await
                .unwrap()
                .is_none(),
            "the link shown before the removal is void"
        );
        let after = new_device(&state, &user).await.unwrap();
        assert!(
            register_device(&state, &token_hash(&after), draft("d4"))
                .await
                .unwrap()
                .is_some(),
            "a link shown after the removal works"
        );
    }

    /// Removing the last device replaces the seed and makes a device due, but never reopens
    /// the first enrollment.
    #[tokio::test]
    async fn removing_the_last_device_replaces_the_seed_without_reopening_first_enrollment() {
        let (state, _dir) = state().await;
        let id = accounts::create_user_with_password(
            &state,
            "last@example.org",
            Zeroizing::new("pw".into()),
        )
        .await
        .unwrap();
        let user = state.db.user_by_id(&id).await.unwrap().unwrap();
        let uri = accounts::enrollment_uri(&state, &user).await.unwrap();
        register_device(&state, &token_hash(&uri), draft("d1"))
            .await
            .unwrap();
        assert_eq!(
            remove_device(&state, &user, "nope").await.unwrap(),
            Removal::NotFound
        );
        assert_eq!(
            remove_device(&state, &user, "d1").await.unwrap(),
            Removal::RemovedLast
        );
        let after = state.db.user_by_id(&id).await.unwrap().unwrap();
        assert_ne!(after.seed_enc, user.seed_enc, "new seed");
        assert!(after.must_enroll && !after.first_enrollment_open());
    }
}
