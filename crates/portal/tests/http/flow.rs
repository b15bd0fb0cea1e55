//! The whole login flow with a device, and every refusal around codes and answers.

use zweifaktor_protocol::messages::{Challenge, Decision};
use zweifaktor_protocol::otp::{OtpParams, totp};

use crate::common::{
    Portal, browser, csrf, enrolled, login, newest, recovery_codes, status, submit_code, wrong_code,
};
use crate::phone::{Phone, device_key, register_raw, uri_from_page};

#[tokio::test]
async fn first_login_enrolls_shows_recovery_codes_once_and_reaches_the_dashboard() {
    let portal = Portal::start().await;
    portal.add_user("neu@example.org", "pw", false).await;
    let client = browser();
    let html = login(&portal, &client, "neu@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Authentifikations-Gerät einrichten"));
    assert_eq!(status(&portal, &client).await["devices"], 0);
    let phone = Phone::enroll(&uri_from_page(&html)).await;
    assert_eq!(status(&portal, &client).await["devices"], 1);
    let challenge = newest(&phone).await;
    assert_eq!(challenge.account, "neu@example.org");
    assert_eq!(challenge.context.user_agent, "zweifaktor-test-browser/1.0");
    assert_eq!(challenge.expires_at - challenge.issued_at, 300);
    let page = submit_code(&portal, &client, &html, &phone.code(&challenge))
        .await
        .text()
        .await
        .unwrap();
    let codes = recovery_codes(&page);
    assert_eq!(codes.len(), 10);
    let dashboard = client
        .get(portal.at("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Startseite") && dashboard.contains("Testtelefon (headless)"));
    assert!(dashboard.contains("Angemeldet"));
    assert!(
        !dashboard.contains(&codes[0]),
        "recovery codes are shown only once"
    );
}

#[tokio::test]
async fn later_login_takes_the_code_of_its_own_challenge_only() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "zwei@example.org").await;
    let client = browser();
    let first = login(&portal, &client, "zwei@example.org", "pw").await;
    assert_eq!(first.url().path(), "/login/code");
    let first_page = first.text().await.unwrap();
    let first_challenge = newest(&phone).await;
    let old_code = phone.code(&first_challenge);
    // The login times out; logging in again issues a new challenge ("Akzeptieren" fetches it).
    portal.clock.advance(301);
    assert_eq!(status(&portal, &client).await["state"], "expired");
    assert!(
        phone.challenges().await.is_empty(),
        "expired challenges are not delivered"
    );
    let expired_id = first_challenge.id.to_string();
    let now = u64::try_from(portal.state.now()).unwrap();
    let late = phone.answer(&expired_id, Decision::Deny, now);
    assert_eq!(
        phone.send_answer(&expired_id, &late).await.status(),
        409,
        "expired challenge"
    );
    let page = login(&portal, &client, "zwei@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let stale = submit_code(&portal, &client, &page, &old_code)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        stale.contains("Der Sicherheitscode ist falsch. Verbleibende Versuche: 4"),
        "{stale}"
    );
    let expired = submit_code(&portal, &client, &first_page, &old_code).await;
    assert_eq!(expired.status(), 403, "the old session's form is dead");
    let fresh = phone.code(&newest(&phone).await);
    let done = submit_code(&portal, &client, &page, &fresh).await;
    assert_eq!(done.url().path(), "/dashboard");
}

#[tokio::test]
async fn five_wrong_codes_end_the_login() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "fuenf@example.org").await;
    let client = browser();
    let page = login(&portal, &client, "fuenf@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let right = phone.code(&newest(&phone).await);
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    for left in (1..=4).rev() {
        let html = submit_code(&portal, &client, &page, wrong)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains(&format!("Verbleibende Versuche: {left}")),
            "{html}"
        );
    }
    let last = submit_code(&portal, &client, &page, wrong)
        .await
        .text()
        .await
        .unwrap();
    assert!(last.contains("Zu viele falsche Sicherheitscodes"));
    let after = submit_code(&portal, &client, &page, &right).await;
    assert_eq!(after.status(), 403, "the session ended with the login");
    assert!(phone.challenges().await.is_empty());
}

#[tokio::test]
async fn deny_on_the_phone_ends_the_login_and_is_listed_as_suspicious() {
    let portal = Portal::start().await;
    let (owner, phone) = enrolled(&portal, "deny@example.org").await;
    let attacker = browser();
    let page = login(&portal, &attacker, "deny@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let challenge = newest(&phone).await;
    let now = u64::try_from(portal.state.now()).unwrap();
    let id = challenge.id.to_string();
    let answer = phone.answer(&id, Decision::Deny, now);
    assert_eq!(phone.send_answer(&id, &answer).await.status(), 204);
    assert_eq!(status(&portal, &attacker).await["state"], "denied");
    let html = attacker
        .get(portal.at("/login/code"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("auf Ihrem Gerät abgelehnt"));
    let late = submit_code(&portal, &attacker, &page, &phone.code(&challenge))
        .await
        .text()
        .await
        .unwrap();
    assert!(late.contains("abgelehnt"), "the right code no longer helps");
    let dashboard = owner
        .get(portal.at("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Abgelehnt – verdächtig"));
}

#[tokio::test]
async fn forged_replayed_stale_and_misaddressed_answers_are_refused() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "answer@example.org").await;
    let client = browser();
    login(&portal, &client, "answer@example.org", "pw").await;
    let id = newest(&phone).await.id.to_string();
    let now = u64::try_from(portal.state.now()).unwrap();

    let seen = phone.answer(&id, Decision::Seen, now);
    assert_eq!(phone.send_answer(&id, &seen).await.status(), 204);
    assert_eq!(phone.send_answer(&id, &seen).await.status(), 409, "replay");

    let stale = phone.answer(&id, Decision::Deny, now - 61);
    assert_eq!(phone.send_answer(&id, &stale).await.status(), 409);
    let future = phone.answer(&id, Decision::Deny, now + 61);
    assert_eq!(phone.send_answer(&id, &future).await.status(), 409);

    let mut forged = phone.answer(&id, Decision::Deny, now);
    let other = zweifaktor_protocol::SignedEnvelope::sign(&"x", &device_key()).unwrap();
    forged.sig = other.sig;
    let response = phone.send_answer(&id, &forged).await;
    assert_eq!(response.status(), 400);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");

    let elsewhere = phone.answer(&id, Decision::Deny, now);
    let other_id = "00000000-0000-4000-8000-000000000000";
    assert_eq!(phone.send_answer(other_id, &elsewhere).await.status(), 400);

    assert_eq!(
        status(&portal, &client).await["state"],
        "pending",
        "no refused answer denied the login"
    );
}

#[tokio::test]
async fn enroll_tokens_are_single_use_and_device_tokens_must_be_live() {
    let portal = Portal::start().await;
    let (owner, phone) = enrolled(&portal, "token@example.org").await;
    let again = register_raw(&phone.base, &phone.enroll_token, &device_key()).await;
    assert_eq!(again.status(), 401);
    let unknown = register_raw(&phone.base, "made-up", &device_key()).await;
    assert_eq!(unknown.status(), 401);

    let nobody = reqwest::Client::new()
        .get(portal.at("/api/v1/device/challenges"))
        .bearer_auth("not-a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(nobody.status(), 401);
    let bare = reqwest::Client::new()
        .get(portal.at("/api/v1/device/challenges"))
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), 401);

    let dashboard = owner
        .get(portal.at("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let remove = format!("/devices/{}/remove", phone.device_id);
    assert!(dashboard.contains(&remove));
    let removed = owner
        .post(portal.at(&remove))
        .form(&[("csrf", csrf(&dashboard).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.url().path(), "/dashboard");
    assert_eq!(phone.fetch().await.status(), 401, "revoked device token");
    let page = removed.text().await.unwrap();
    assert!(
        page.contains("neues Authentifikations-Gerät"),
        "the last device is gone"
    );
    let now = u64::try_from(portal.state.now()).unwrap();
    let old_totp = totp(&phone.seed, OtpParams::default(), 30, now).unwrap();
    let client = browser();
    let next = login(&portal, &client, "token@example.org", "pw").await;
    assert_eq!(
        next.url().path(),
        "/login/code",
        "no seed after the password alone (issue 9, finding 1)"
    );
    let html = next.text().await.unwrap();
    assert!(html.contains("kein Authentifikations-Gerät eingerichtet"));
    let refused = submit_code(&portal, &client, &html, old_totp.as_str())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        refused.contains("Sicherheitscode ist falsch"),
        "the removed phone's seed is replaced"
    );
}

#[tokio::test]
async fn totp_works_offline_once_per_step() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "totp@example.org").await;
    let now = u64::try_from(portal.state.now()).unwrap();
    let code = totp(&phone.seed, OtpParams::default(), 30, now).unwrap();
    let client = browser();
    let page = login(&portal, &client, "totp@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let done = submit_code(&portal, &client, &page, code.as_str()).await;
    assert_eq!(done.url().path(), "/dashboard");
    let other = browser();
    let page = login(&portal, &other, "totp@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let reused = submit_code(&portal, &other, &page, code.as_str())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        reused.contains("Sicherheitscode ist falsch"),
        "a TOTP code is accepted once"
    );
}

#[tokio::test]
async fn recovery_code_works_once_and_requires_a_new_device() {
    let portal = Portal::start().await;
    portal.add_user("rec@example.org", "pw", false).await;
    let client = browser();
    let html = login(&portal, &client, "rec@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let phone = Phone::enroll(&uri_from_page(&html)).await;
    let code = phone.code(&newest(&phone).await);
    let codes = recovery_codes(
        &submit_code(&portal, &client, &html, &code)
            .await
            .text()
            .await
            .unwrap(),
    );

    let lost = browser();
    login(&portal, &lost, "rec@example.org", "pw").await;
    let form = lost
        .get(portal.at("/recovery"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("Wiederherstellungscode"));
    let wrong = lost
        .post(portal.at("/recovery"))
        .form(&[
            ("csrf", csrf(&form).as_str()),
            ("code", "AAAA-BBBB-CCCC-DDDD"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(wrong.contains("ungültig"));
    let typed = codes[0].to_lowercase();
    let used = lost
        .post(portal.at("/recovery"))
        .form(&[("csrf", csrf(&form).as_str()), ("code", typed.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(used.url().path(), "/dashboard");
    let dashboard = used.text().await.unwrap();
    assert!(
        dashboard.contains("neues Authentifikations-Gerät"),
        "enrollment is due"
    );
    assert!(dashboard.contains("<code class=\"uri\">otpauth://totp/"));
    assert_eq!(
        phone.fetch().await.status(),
        401,
        "old devices are signed out"
    );

    let again = browser();
    login(&portal, &again, "rec@example.org", "pw").await;
    let form = again
        .get(portal.at("/recovery"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let reused = again
        .post(portal.at("/recovery"))
        .form(&[("csrf", csrf(&form).as_str()), ("code", codes[0].as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(reused.contains("ungültig"), "a recovery code works once");
}

#[tokio::test]
async fn stream_delivers_new_challenges_as_signed_events() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "sse@example.org").await;
    let mut stream = reqwest::Client::new()
        .get(portal.at("/api/v1/device/stream"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    assert!(
        stream.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let client = browser();
    login(&portal, &client, "sse@example.org", "pw").await;
    let mut received = String::new();
    while !received.contains("\n\n") || !received.contains("event: challenge") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("event within 10 s")
            .unwrap()
            .expect("stream open");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = received
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .expect("data line");
    let envelope: zweifaktor_protocol::SignedEnvelope = serde_json::from_str(data).unwrap();
    let challenge: Challenge = envelope.open(&phone.portal_key).unwrap();
    assert_eq!(challenge.account, "sse@example.org");
    let mut tampered = envelope.clone();
    tampered.payload = tampered.payload.replacen('e', "f", 1);
    assert!(
        tampered.open::<Challenge>(&phone.portal_key).is_err(),
        "device refuses a tampered challenge"
    );
}

#[tokio::test]
async fn guessing_codes_hits_the_rate_limit_with_retry_after() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "guess@example.org").await;
    let mut checks = 0;
    let mut limited = None;
    'logins: for _ in 0..5 {
        let client = browser();
        let page = login(&portal, &client, "guess@example.org", "pw")
            .await
            .text()
            .await
            .unwrap();
        let wrong = wrong_code(&portal, &phone, &newest(&phone).await);
        for _ in 0..5 {
            let response = submit_code(&portal, &client, &page, &wrong).await;
            if response.status() == 429 {
                limited = Some(response);
                break 'logins;
            }
            checks += 1;
        }
    }
    let response = limited.expect("code checks are rate limited");
    assert_eq!(
        checks, 14,
        "burst of 15 per account, one used by the enrollment code"
    );
    assert!(response.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn a_second_device_can_be_enrolled_from_the_dashboard() {
    let portal = Portal::start().await;
    let (owner, first) = enrolled(&portal, "zwei-geraete@example.org").await;
    let dashboard = owner
        .get(portal.at("/dashboard?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("Set up a new device") && dashboard.contains("Recent sign-ins"));
    let shown = owner
        .post(portal.at("/dashboard/enroll"))
        .form(&[("csrf", csrf(&dashboard).as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(shown.contains("<svg role=\"img\""));
    let second = Phone::enroll(&uri_from_page(&shown)).await;
    let client = browser();
    let page = login(&portal, &client, "zwei-geraete@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Eingabe Sicherheitscode"),
        "the language choice belongs to the other browser"
    );
    let a = newest(&first).await;
    let b = newest(&second).await;
    assert_eq!(a.id, b.id, "both devices see the same challenge");
    assert_eq!(first.code(&a), second.code(&b), "one seed per account");
    let done = submit_code(&portal, &client, &page, &second.code(&b)).await;
    assert_eq!(done.url().path(), "/dashboard");
    let list = done.text().await.unwrap();
    assert_eq!(list.matches("/remove\"").count(), 2);
}

#[tokio::test]
#[ignore = "needs PostgreSQL: set ZF_TEST_POSTGRES_URL and run with --ignored"]
async fn a_login_on_one_instance_reaches_a_stream_on_another() {
    assert!(
        std::env::var(crate::common::POSTGRES_ENV).is_ok(),
        "set {}",
        crate::common::POSTGRES_ENV
    );
    let a = Portal::start().await;
    let b = a.start_second().await;
    let (_, phone) = enrolled(&a, "lb@example.org").await;
    let mut stream = reqwest::Client::new()
        .get(a.at("/api/v1/device/stream"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let client = browser();
    let page = login(&b, &client, "lb@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let mut received = String::new();
    while !received.contains("event: challenge") || !received.ends_with("\n\n") {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("event within 10 s")
            .unwrap()
            .expect("stream open");
        received.push_str(&String::from_utf8_lossy(&chunk));
    }
    let data = received
        .lines()
        .find_map(|l| l.strip_prefix("data: "))
        .unwrap();
    let envelope: zweifaktor_protocol::SignedEnvelope = serde_json::from_str(data).unwrap();
    let challenge: Challenge = envelope.open(&phone.portal_key).unwrap();
    let done = submit_code(&b, &client, &page, &phone.code(&challenge)).await;
    assert_eq!(done.url().path(), "/dashboard");
}

#[tokio::test]
async fn logging_in_again_abandons_the_previous_challenge() {
    let portal = Portal::start().await;
    let (_, phone) = enrolled(&portal, "again@example.org").await;
    let client = browser();
    login(&portal, &client, "again@example.org", "pw").await;
    let first = newest(&phone).await;
    login(&portal, &client, "again@example.org", "pw").await;
    let open = phone.challenges().await;
    assert_eq!(open.len(), 1, "only the new challenge is open");
    assert_ne!(open[0].id, first.id);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let portal = Portal::start().await;
    let (client, _) = enrolled(&portal, "bye@example.org").await;
    let back = client.get(portal.at("/login")).send().await.unwrap();
    assert_eq!(
        back.url().path(),
        "/dashboard",
        "a logged-in user is not logged out by /login"
    );
    let dashboard = back.text().await.unwrap();
    let out = client
        .post(portal.at("/logout"))
        .form(&[("csrf", csrf(&dashboard).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.url().path(), "/");
    let after = client.get(portal.at("/dashboard")).send().await.unwrap();
    assert_eq!(after.url().path(), "/login");
}

#[tokio::test]
async fn a_revoked_device_loses_its_stream() {
    let portal = Portal::start().await;
    let (owner, phone) = enrolled(&portal, "revoke@example.org").await;
    let mut stream = reqwest::Client::new()
        .get(portal.at("/api/v1/device/stream"))
        .bearer_auth(&phone.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let dashboard = owner
        .get(portal.at("/dashboard"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    owner
        .post(portal.at(&format!("/devices/{}/remove", phone.device_id)))
        .form(&[("csrf", csrf(&dashboard).as_str())])
        .send()
        .await
        .unwrap();
    login(&portal, &browser(), "revoke@example.org", "pw").await;
    let mut received = String::new();
    loop {
        let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), stream.chunk())
            .await
            .expect("stream ends within 10 s")
            .unwrap();
        match chunk {
            Some(bytes) => received.push_str(&String::from_utf8_lossy(&bytes)),
            None => break,
        }
    }
    assert!(!received.contains("event: challenge"), "{received}");
}

/// Regression: showing the enrollment page again (after a mistyped code) used to void the
/// token of the QR code the phone had already scanned.
#[tokio::test]
async fn a_scanned_qr_code_survives_a_mistyped_first_code() {
    let portal = Portal::start().await;
    portal.add_user("typo@example.org", "pw", false).await;
    let client = browser();
    let first = login(&portal, &client, "typo@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let scanned = uri_from_page(&first);
    let again = submit_code(&portal, &client, &first, "000000")
        .await
        .text()
        .await
        .unwrap();
    assert!(again.contains("Verbleibende Versuche: 4"));
    assert_ne!(uri_from_page(&again), scanned, "the page shows a new token");
    let phone = Phone::enroll(&scanned).await;
    let done = submit_code(&portal, &client, &again, &phone.code(&newest(&phone).await)).await;
    assert!(
        done.text()
            .await
            .unwrap()
            .contains("Ihre Wiederherstellungscodes")
    );
}
