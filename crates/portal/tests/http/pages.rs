//! The browser side of the portal over real HTTP: pages, the password step and the
//! protections around it (CSRF, body limit, rate limit), in German and English.

use crate::common::{Portal, browser, csrf, login};

#[tokio::test]
async fn start_page_is_german_by_default_and_english_on_request() {
    let portal = Portal::start().await;
    let client = browser();
    let de = client
        .get(portal.at("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(de.contains("lang=\"de\"") && de.contains(">Login<"), "{de}");
    let en = client
        .get(portal.at("/?lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(en.contains("lang=\"en\"") && en.contains("Welcome to the portal"));
    let remembered = client
        .get(portal.at("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        remembered.contains("Please sign in"),
        "the choice is kept in a cookie"
    );
    let by_header = browser()
        .get(portal.at("/login"))
        .header("accept-language", "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(by_header.contains("Username/e-mail address"));
}

#[tokio::test]
async fn login_page_has_the_fields_and_the_password_help() {
    let portal = Portal::start().await;
    let client = browser();
    let page = client.get(portal.at("/login")).send().await.unwrap();
    let cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(!cookie.contains("Secure"), "plain http test server");
    assert!(
        !page.headers().contains_key("strict-transport-security"),
        "no HSTS over http"
    );
    let html = page.text().await.unwrap();
    assert!(html.contains("Login — Bitte melden Sie sich an"));
    assert!(html.contains("Benutzername/E-Mail-Adresse") && html.contains("Passwort"));
    assert!(html.contains("href=\"/password-forgotten\">Passwort vergessen?"));
    let help = client
        .get(portal.at("/password-forgotten"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(help.contains("Betreiber"));
}

#[tokio::test]
async fn right_password_leads_to_the_code_page_with_a_new_session_id() {
    let portal = Portal::start().await;
    portal
        .add_user("anna@example.org", "Sommer-2026", true)
        .await;
    let client = browser();
    let form = client.get(portal.at("/login")).send().await.unwrap();
    let before = form.headers()["set-cookie"].to_str().unwrap().to_string();
    let token = csrf(&form.text().await.unwrap());
    let response = client
        .post(portal.at("/login"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "Anna@Example.org"),
            ("password", "Sommer-2026"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.url().path(), "/login/code");
    let html = response.text().await.unwrap();
    assert!(html.contains("Eingabe Sicherheitscode"));
    assert!(html.contains("Sicherheitscode an Ihre 2-Faktor-App gesendet"));
    assert!(html.contains(">Weiter<"));
    assert!(html.contains("Keinen Zugriff auf Authentifikations-Gerät? →"));
    let status: serde_json::Value = client
        .get(portal.at("/login/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["state"], "pending");
    // No session exists before the password step (the form's token needs none); the
    // password step starts one with a new id, whatever session cookie the browser sent.
    assert!(before.starts_with("zf_login="), "{before}");
    let form_cookie = before.split(';').next().unwrap().to_string();
    let planted = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = planted
        .get(portal.at("/login"))
        .header("cookie", &form_cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let answer = planted
        .post(portal.at("/login"))
        .header(
            "cookie",
            format!("{form_cookie}; zf_session=planted-by-someone"),
        )
        .form(&[
            ("csrf", csrf(&form).as_str()),
            ("email", "anna@example.org"),
            ("password", "Sommer-2026"),
        ])
        .send()
        .await
        .unwrap();
    let issued = answer.headers()["set-cookie"].to_str().unwrap();
    assert!(
        issued.starts_with("zf_session=") && !issued.contains("planted-by-someone"),
        "{issued}"
    );
}

#[tokio::test]
async fn wrong_password_is_refused_and_listed_for_the_owner() {
    let portal = Portal::start().await;
    let id = portal.add_user("bert@example.org", "richtig", true).await;
    let client = browser();
    let html = login(&portal, &client, "bert@example.org", "falsch")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Benutzername oder Passwort ist falsch."));
    let unknown = login(&portal, &client, "nobody@example.org", "falsch")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        unknown.contains("Benutzername oder Passwort ist falsch."),
        "same answer for unknown accounts"
    );
    let logins = portal.state.db.recent_logins(&id, 10).await.unwrap();
    assert_eq!(logins.len(), 1);
    assert_eq!(logins[0].status.as_str(), "bad_password");
    let user = portal.state.db.user_by_id(&id).await.unwrap().unwrap();
    assert_eq!(
        (user.failures, user.password_failures),
        (0, 1),
        "a wrong password backs off, it does not count toward the lock (issue 9, finding 5)"
    );
}

#[tokio::test]
async fn english_wrong_password_message() {
    let portal = Portal::start().await;
    let client = browser();
    client.get(portal.at("/?lang=en")).send().await.unwrap();
    let html = login(&portal, &client, "x@example.org", "y")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Username or password is wrong."));
}

#[tokio::test]
async fn form_without_csrf_token_is_forbidden() {
    let portal = Portal::start().await;
    portal.add_user("c@example.org", "pw", true).await;
    let client = browser();
    client.get(portal.at("/login")).send().await.unwrap();
    let missing = client
        .post(portal.at("/login"))
        .form(&[("email", "c@example.org"), ("password", "pw")])
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 403);
    let text = missing.text().await.unwrap();
    assert!(text.contains("Formular abgelaufen") && text.contains("form has expired"));
    let wrong = client
        .post(portal.at("/login"))
        .form(&[
            ("csrf", "forged"),
            ("email", "c@example.org"),
            ("password", "pw"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    let no_session = browser()
        .post(portal.at("/logout"))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(no_session.status(), 403);
}

#[tokio::test]
async fn oversized_body_is_refused_with_413() {
    let portal = Portal::start().await;
    let client = browser();
    let big = "a".repeat(64 * 1024);
    let response = client
        .post(portal.at("/login"))
        .form(&[("csrf", "x"), ("email", big.as_str()), ("password", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
}

#[tokio::test]
async fn password_guessing_hits_the_rate_limit_with_retry_after() {
    let portal = Portal::start().await;
    portal.add_user("d@example.org", "right", true).await;
    let client = browser();
    let page = client
        .get(portal.at("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token = csrf(&page);
    let mut limited = None;
    for attempt in 0..30 {
        let response = client
            .post(portal.at("/login"))
            .form(&[
                ("csrf", token.as_str()),
                ("email", "d@example.org"),
                ("password", "wrong"),
            ])
            .send()
            .await
            .unwrap();
        if response.status() == 429 {
            limited = Some((attempt, response));
            break;
        }
    }
    let (attempt, response) = limited.expect("rate limit reached");
    assert_eq!(attempt, 10, "per-account burst is 10");
    let wait: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait >= 1);
    // Even the right password waits until the bucket refills.
    let blocked = client
        .post(portal.at("/login"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "d@example.org"),
            ("password", "right"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(blocked.status(), 429);
    portal.clock.advance(i64::try_from(wait).unwrap());
    let after = client
        .post(portal.at("/login"))
        .form(&[
            ("csrf", token.as_str()),
            ("email", "d@example.org"),
            ("password", "right"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(after.url().path(), "/login/code");
}

#[tokio::test]
async fn locked_and_disabled_accounts_cannot_log_in_until_released() {
    let portal = Portal::start().await;
    let id = portal.add_user("e@example.org", "pw", true).await;
    for _ in 0..100 {
        portal.state.db.record_failure(&id).await.unwrap();
    }
    let client = browser();
    let html = login(&portal, &client, "e@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Konto ist gesperrt"), "{html}");
    zweifaktor_portal::accounts::unlock(&portal.state, "e@example.org")
        .await
        .unwrap();
    let ok = login(&portal, &client, "e@example.org", "pw").await;
    assert_eq!(ok.url().path(), "/login/code");
    zweifaktor_portal::accounts::set_disabled(&portal.state, "e@example.org", true)
        .await
        .unwrap();
    let html = login(&portal, &browser(), "e@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Konto ist gesperrt"));
}

#[tokio::test]
async fn pending_login_times_out_after_five_minutes() {
    let portal = Portal::start().await;
    portal.add_user("f@example.org", "pw", true).await;
    let client = browser();
    login(&portal, &client, "f@example.org", "pw").await;
    portal.clock.advance(5 * 60);
    let status: serde_json::Value = client
        .get(portal.at("/login/status"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(status["state"], "expired");
    let html = client
        .get(portal.at("/login/code"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Zeitüberschreitung — bitte melden Sie sich erneut an"));
}

#[tokio::test]
async fn dashboard_and_unknown_pages_need_the_right_state() {
    let portal = Portal::start().await;
    let client = browser();
    let response = client.get(portal.at("/dashboard")).send().await.unwrap();
    assert_eq!(response.url().path(), "/login");
    let missing = client.get(portal.at("/nope")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let headers = missing.headers();
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
}

#[tokio::test]
async fn password_change_checks_its_inputs() {
    let portal = Portal::start().await;
    let initial = zweifaktor_portal::accounts::create_user(&portal.state, "pwc@example.org")
        .await
        .unwrap();
    let id = portal.user("pwc@example.org").await.id;
    portal.state.db.set_must_enroll(&id, false).await.unwrap();
    // Complete the login with the TOTP fallback.
    let user = portal.state.db.user_by_id(&id).await.unwrap().unwrap();
    let seed = portal.state.keys.decrypt_seed(&id, &user.seed_enc).unwrap();
    let now = u64::try_from(portal.state.now()).unwrap();
    let code = zweifaktor_protocol::otp::totp(&seed, Default::default(), 30, now).unwrap();
    let client = browser();
    let page = login(&portal, &client, "pwc@example.org", initial.expose())
        .await
        .text()
        .await
        .unwrap();
    let done = client
        .post(portal.at("/login/code"))
        .form(&[("csrf", csrf(&page).as_str()), ("code", code.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        done.url().path(),
        "/password/change",
        "one-time password must be replaced"
    );
    let form = done.text().await.unwrap();
    let token = csrf(&form);
    let attempt = |current: &str, new: &str, repeat: &str| {
        let client = client.clone();
        let url = portal.at("/password/change");
        let fields = [
            ("csrf", token.clone()),
            ("current", current.to_string()),
            ("new", new.to_string()),
            ("repeat", repeat.to_string()),
        ];
        async move { client.post(url).form(&fields).send().await.unwrap() }
    };
    let short = attempt(initial.expose(), "kurz", "kurz")
        .await
        .text()
        .await
        .unwrap();
    assert!(short.contains("zu kurz"));
    let mismatch = attempt(initial.expose(), "Lang-genug-1234", "Lang-genug-4321")
        .await
        .text()
        .await
        .unwrap();
    assert!(mismatch.contains("stimmen nicht überein"));
    let wrong = attempt("falsch", "Lang-genug-1234", "Lang-genug-1234")
        .await
        .text()
        .await
        .unwrap();
    assert!(wrong.contains("aktuelle Passwort ist falsch"));
    let ok = attempt(initial.expose(), "Lang-genug-1234", "Lang-genug-1234").await;
    assert_eq!(ok.url().path(), "/dashboard");
    let old = login(&portal, &browser(), "pwc@example.org", initial.expose())
        .await
        .text()
        .await
        .unwrap();
    assert!(
        old.contains("Passwort ist falsch"),
        "the one-time password is gone"
    );
}

/// Every visible `<input>` in `html` has a `<label for=...>` naming its id.
fn assert_inputs_labelled(html: &str, page: &str) {
    for input in html.split("<input").skip(1) {
        let tag = &input[..input.find('>').unwrap()];
        if tag.contains("type=\"hidden\"") {
            continue;
        }
        let id = tag
            .split("id=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{page}: input without id: {tag}"));
        assert!(
            html.contains(&format!("<label for=\"{id}\">")),
            "{page}: no label for #{id}"
        );
    }
}

#[tokio::test]
async fn every_form_field_has_a_label_in_both_languages() {
    let portal = Portal::start().await;
    portal.add_user("a11y@example.org", "pw", false).await;
    for lang in ["de", "en"] {
        let client = browser();
        for path in ["/", "/login", "/password-forgotten"] {
            let html = client
                .get(portal.at(&format!("{path}?lang={lang}")))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{path}");
            assert_inputs_labelled(&html, path);
        }
        let enroll = login(&portal, &client, "a11y@example.org", "pw")
            .await
            .text()
            .await
            .unwrap();
        assert_inputs_labelled(&enroll, "/enroll");
        assert!(
            enroll.contains("role=\"status\""),
            "live region for the login status"
        );
        let recovery = client
            .get(portal.at("/recovery"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_inputs_labelled(&recovery, "/recovery");
    }
}
