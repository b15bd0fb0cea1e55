//! The client address behind a proxy, as the rate limits see it.

use zweifaktor_portal::ratelimit::PASSWORD_PER_ADDRESS;

use crate::common::{Portal, browser, csrf};

/// Regression (issue 9, finding 4): behind `--trust-forwarded-for`, a client that sends its
/// own `X-Forwarded-For` line, different each time, in front of the line its proxy appends
/// still spends its one address's budget: the request after the burst is refused.
#[tokio::test]
async fn a_clients_own_forwarded_line_gives_no_fresh_budget() {
    let portal = Portal::start_custom(tempfile::tempdir().unwrap(), |config| {
        config.trust_forwarded_for = true;
    })
    .await;
    let client = browser();
    let page = client.get(portal.at("/login")).send().await.unwrap();
    let token = csrf(&page.text().await.unwrap());
    let mut statuses = Vec::new();
    for n in 0..=PASSWORD_PER_ADDRESS.burst {
        let response = client
            .post(portal.at("/login"))
            .header("x-forwarded-for", format!("198.51.100.{n}"))
            .header("x-forwarded-for", "203.0.113.7")
            .form(&[
                ("csrf", token.as_str()),
                ("email", &format!("nobody-{n}@example.org")),
                ("password", "wrong"),
            ])
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
    }
    let (burst, last) = statuses.split_at(statuses.len() - 1);
    assert!(burst.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(
        last,
        [429],
        "the proxy's address is the key, not the client's invention"
    );
}
