//! The rules the code step and the recovery step share (issue 9, findings 6 and 7): the
//! disabled and locked checks, failure counting per login and per account, single use.

use zweifaktor_portal::storage::logins::{LoginStatus, MAX_WRONG_CODES};
use zweifaktor_portal::storage::users::LOCK_AFTER_FAILURES;

use crate::common::{
    Portal, browser, csrf, enrolled, enrolled_with_recovery_codes, login, newest, page, post_form,
    submit_code, wrong_code,
};

/// Seconds that refill every rate-limit bucket of the code and password steps.
const LIMITS_REFILLED: i64 = 600;

async fn failures(portal: &Portal, email: &str) -> i64 {
    portal.user(email).await.failures
}

/// Regression (issue 9, finding 6): the recovery step skipped the locked check and reset the
/// failure counter, so a recovery code unlocked a locked account. Now it is refused like a
/// security code, the counter stays, and the code is not used up.
#[tokio::test]
async fn a_recovery_code_does_not_open_a_locked_account() {
    let portal = Portal::start().await;
    let email = "locked@example.org";
    let (_, _, codes) = enrolled_with_recovery_codes(&portal, email).await;
    let client = browser();
    login(&portal, &client, email, "pw").await;
    let id = portal.user(email).await.id;
    for _ in 0..LOCK_AFTER_FAILURES {
        portal.state.db.record_failure(&id).await.unwrap();
    }
    let form = page(&portal, &client, "/recovery").await;
    let refused = post_form(&portal, &client, "/recovery", &form, &[("code", &codes[0])]).await;
    assert_ne!(refused.url().path(), "/dashboard");
    assert_eq!(
        failures(&portal, email).await,
        LOCK_AFTER_FAILURES,
        "not reset"
    );
    zweifaktor_portal::accounts::unlock(&portal.state, email)
        .await
        .unwrap();
    let again = browser();
    login(&portal, &again, email, "pw").await;
    let form = page(&portal, &again, "/recovery").await;
    let used = post_form(&portal, &again, "/recovery", &form, &[("code", &codes[0])]).await;
    assert_eq!(used.url().path(), "/dashboard", "the code was not used up");
}

/// Regression (issue 9, finding 6): the recovery step did not check whether the account was
/// disabled. Now a disabled account is refused at the recovery step as at the code step, and
/// its failure count is kept.
#[tokio::test]
async fn a_recovery_code_does_not_open_a_disabled_account() {
    let portal = Portal::start().await;
    let email = "disabled@example.org";
    let (_, phone, codes) = enrolled_with_recovery_codes(&portal, email).await;
    let client = browser();
    let code_page = login(&portal, &client, email, "pw")
        .await
        .text()
        .await
        .unwrap();
    let challenge = newest(&phone).await;
    let guess = wrong_code(&portal, &phone, &challenge);
    submit_code(&portal, &client, &code_page, &guess).await;
    assert_eq!(failures(&portal, email).await, 1);
    // Disabled while this login waits (say by an operator on another instance).
    portal.state.db.set_disabled(email, true).await.unwrap();
    let form = page(&portal, &client, "/recovery").await;
    let refused = post_form(&portal, &client, "/recovery", &form, &[("code", &codes[0])]).await;
    assert_ne!(refused.url().path(), "/dashboard");
    assert_eq!(failures(&portal, email).await, 1, "not reset");
    let also = submit_code(&portal, &client, &code_page, &phone.code(&challenge)).await;
    assert_ne!(also.url().path(), "/dashboard", "nor by the right code");
}

/// Regression (issue 9, finding 7): wrong security codes were forgiven at every login of the
/// owner, so a password holder got about 100 guesses between two of the owner's logins. Now
/// the wrong codes of the attacker's logins stay counted across new logins and across the
/// owner's logins (which forgive only their own typos), and the account locks at
/// [`LOCK_AFTER_FAILURES`] failed second factors.
#[tokio::test]
async fn failed_codes_accumulate_across_logins_until_the_account_locks() {
    let portal = Portal::start().await;
    let email = "guess7@example.org";
    let (_, phone) = enrolled(&portal, email).await;
    let per_login = usize::try_from(MAX_WRONG_CODES).unwrap();
    let attack = |logins: usize| {
        let portal = &portal;
        let phone = &phone;
        async move {
            for _ in 0..logins {
                portal.clock.advance(LIMITS_REFILLED);
                let client = browser();
                let html = login(portal, &client, email, "pw")
                    .await
                    .text()
                    .await
                    .unwrap();
                assert!(html.contains("Eingabe Sicherheitscode"), "{html}");
                let guess = wrong_code(portal, phone, &newest(phone).await);
                for _ in 0..per_login {
                    let answer = submit_code(portal, &client, &html, &guess).await;
                    assert_eq!(answer.status(), 200);
                }
            }
        }
    };
    let half = usize::try_from(LOCK_AFTER_FAILURES).unwrap() / per_login / 2;
    attack(half).await;
    let counted = i64::try_from(half * per_login).unwrap();
    assert_eq!(
        failures(&portal, email).await,
        counted,
        "kept across new logins"
    );

    // The owner logs in, with one typo first: only that typo is forgiven.
    portal.clock.advance(LIMITS_REFILLED);
    let owner = browser();
    let html = login(&portal, &owner, email, "pw")
        .await
        .text()
        .await
        .unwrap();
    let challenge = newest(&phone).await;
    submit_code(
        &portal,
        &owner,
        &html,
        &wrong_code(&portal, &phone, &challenge),
    )
    .await;
    let done = submit_code(&portal, &owner, &html, &phone.code(&challenge)).await;
    assert_eq!(done.url().path(), "/dashboard");
    assert_eq!(
        failures(&portal, email).await,
        counted,
        "the attacker's stay"
    );

    attack(half).await;
    assert_eq!(failures(&portal, email).await, LOCK_AFTER_FAILURES);
    portal.clock.advance(LIMITS_REFILLED);
    let locked = login(&portal, &browser(), email, "pw")
        .await
        .text()
        .await
        .unwrap();
    assert!(locked.contains("Konto ist gesperrt"), "{locked}");
}

/// Wrong codes for one login sent all at once (a script racing its own tries): each request
/// reads the session's login and account with the row-taking read of the code step
/// (`WriteTx::claim_login_with_user`), so on either database at most [`MAX_WRONG_CODES`] of
/// them are judged and counted, and the login ends failed.
#[tokio::test]
async fn wrong_codes_sent_at_once_are_judged_at_most_the_login_limit() {
    let portal = Portal::start().await;
    let email = "racing@example.org";
    let (_, phone) = enrolled(&portal, email).await;
    let client = browser();
    let html = login(&portal, &client, email, "pw")
        .await
        .text()
        .await
        .unwrap();
    let challenge = newest(&phone).await;
    let guess = wrong_code(&portal, &phone, &challenge);
    let token = csrf(&html);
    let mut sent = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let request = client
            .post(portal.at("/login/code"))
            .form(&[("csrf", token.as_str()), ("code", guess.as_str())]);
        sent.spawn(async move { request.send().await.unwrap() });
    }
    while let Some(answer) = sent.join_next().await {
        assert_ne!(answer.unwrap().url().path(), "/dashboard");
    }
    assert_eq!(
        failures(&portal, email).await,
        MAX_WRONG_CODES,
        "no guess beyond the login's limit judged"
    );
    let login = portal
        .state
        .db
        .login_by_id(challenge.id.as_str())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(login.wrong_codes, MAX_WRONG_CODES);
    assert_eq!(login.status, LoginStatus::Failed);
}
