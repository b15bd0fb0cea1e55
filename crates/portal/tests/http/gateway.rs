//! Deployment features: the wake-up webhook and client addresses behind a proxy.

use std::sync::Arc;

use axum::routing::post;
use axum::{Json, Router};
use tokio::sync::mpsc;
use zweifaktor_protocol::OtpAuthUri;

use crate::common::{Portal, browser, login};
use crate::phone::{Phone, register_with_push, uri_from_page};

/// A webhook receiver on 127.0.0.1:0 that forwards every JSON body it gets.
async fn receiver() -> (String, mpsc::Receiver<serde_json::Value>) {
    let (tx, rx) = mpsc::channel(8);
    let tx = Arc::new(tx);
    let app = Router::new().route(
        "/wake",
        post(move |Json(body): Json<serde_json::Value>| {
            let tx = tx.clone();
            async move {
                tx.send(body).await.unwrap();
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/wake", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

#[tokio::test]
async fn a_new_challenge_wakes_devices_with_a_push_token() {
    let (url, mut woken) = receiver().await;
    let portal =
        Portal::start_custom(tempfile::tempdir().unwrap(), |c| c.wakeup_url = Some(url)).await;
    portal.add_user("push@example.org", "pw", false).await;
    let html = login(&portal, &browser(), "push@example.org", "pw")
        .await
        .text()
        .await
        .unwrap();
    let uri = OtpAuthUri::parse(&uri_from_page(&html)).unwrap();
    let token = uri
        .zweifaktor
        .unwrap()
        .enroll_token
        .expose_secret()
        .to_string();
    let key = crate::phone::device_key();
    let registered = register_with_push(&portal.url, &token, &key, Some("fcm-token-1")).await;
    assert_eq!(registered.status(), 201);

    let user_id = portal.user("push@example.org").await.id;
    let first_login = portal
        .state
        .db
        .pending_logins(&user_id, portal.state.now())
        .await
        .unwrap()[0]
        .id
        .clone();
    login(&portal, &browser(), "push@example.org", "pw").await;
    let body = tokio::time::timeout(std::time::Duration::from_secs(10), woken.recv())
        .await
        .expect("webhook called")
        .unwrap();
    assert_eq!(body["push_token"], "fcm-token-1");
    let id = body["challenge_id"].as_str().unwrap();
    let user_id = portal.user("push@example.org").await.id;
    let pending = portal
        .state
        .db
        .pending_logins(&user_id, portal.state.now())
        .await
        .unwrap();
    assert!(pending.iter().any(|l| l.id == id), "a pending challenge");
    assert_ne!(
        id, first_login,
        "the second login's, not the one before the device registered"
    );
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "nothing but the challenge id and the push token"
    );
}

#[tokio::test]
async fn forwarded_for_is_used_only_when_trusted() {
    for (trusted, expected) in [(true, "203.0.113.7"), (false, "127.0.0.1")] {
        let portal = Portal::start_custom(tempfile::tempdir().unwrap(), |c| {
            c.trust_forwarded_for = trusted
        })
        .await;
        portal.add_user("proxy@example.org", "pw", false).await;
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(
                [(
                    reqwest::header::HeaderName::from_static("x-forwarded-for"),
                    reqwest::header::HeaderValue::from_static("198.51.100.1, 203.0.113.7"),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let html = login(&portal, &client, "proxy@example.org", "pw")
            .await
            .text()
            .await
            .unwrap();
        let phone = Phone::enroll(&uri_from_page(&html)).await;
        let challenge = phone.challenges().await.remove(0);
        assert_eq!(challenge.context.ip, expected, "trusted: {trusted}");
    }
}
