//! One browser login through the real pages: login form (CSRF token), `POST /login` with the
//! password, the challenge on the device, code page (new CSRF token after the session
//! rotation), `POST /login/code` with the device's code, redirect to the dashboard.

use std::time::{Duration, Instant};

use hyper::StatusCode;

use crate::device::Shared;
use crate::http::{Answer, Browser, Http};

/// Attempts of one step when the portal is unreachable (a kill-and-restart in progress).
const STEP_ATTEMPTS: u32 = 40;
/// Wait between such attempts.
const STEP_RETRY: Duration = Duration::from_millis(250);
/// Wait after the portal answered a password step "busy" (503: every password-hashing slot
/// and queue place taken), as its `Retry-After` asks.
pub const BUSY_RETRY: Duration = Duration::from_secs(1);

/// How a login ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Reached the dashboard.
    Completed,
    /// The portal answered with a clear refusal (a page or redirect other than the
    /// dashboard, or a rate limit); the kind names it.
    Refused(&'static str),
    /// The challenge was issued but never reached the device.
    Lost,
    /// No usable answer at all (transport errors beyond the retries, unparsable pages).
    Failed(&'static str),
}

/// A login stopped on the code page, its code known: the code burst sends these at once.
pub struct Prepared {
    login: usize,
    browser: Browser,
    csrf: String,
    code: String,
    /// Password sent → challenge on the device.
    pub push_latency: Duration,
    /// Password sent → the portal's answer to it.
    pub password_step: Duration,
}

/// The figures of one finished login.
#[derive(Debug)]
pub struct Finished {
    /// How it ended.
    pub outcome: Outcome,
    /// Password sent → challenge on the device, when it arrived.
    pub push_latency: Option<Duration>,
    /// Password sent → the portal's answer to it, when it came. Beside the push latency it
    /// shows how much of that is the password step itself.
    pub password_step: Option<Duration>,
    /// Code sent → the portal's answer (the code check's round trip), when it came.
    pub code_check: Option<Duration>,
}

impl Finished {
    /// A login that ended before any figure was taken.
    pub fn without_figures(outcome: Outcome) -> Self {
        Self {
            outcome,
            push_latency: None,
            password_step: None,
            code_check: None,
        }
    }
}

/// A login's identity: user agent (carried in the challenge) and client address (the rate
/// limits count per address, so every login gets its own, passed as X-Forwarded-For).
pub fn identity(login: usize, attempt: u32) -> (String, String) {
    (
        format!("zweifaktor-load/{login}/{attempt}"),
        format!(
            "10.{}.{}.{}",
            (login >> 16) & 255,
            (login >> 8) & 255,
            login & 255
        ),
    )
}

/// Runs login `login` for account `email` to the end.
pub async fn full(
    shared: &Shared,
    login: usize,
    email: &str,
    password: &str,
    timeout: Duration,
) -> Finished {
    match prepare(shared, login, email, password, timeout).await {
        Ok(prepared) => {
            let push_latency = Some(prepared.push_latency);
            let password_step = Some(prepared.password_step);
            let (outcome, code_check) = submit_code(shared, prepared).await;
            Finished {
                outcome,
                push_latency,
                password_step,
                code_check,
            }
        }
        Err(outcome) => Finished::without_figures(outcome),
    }
}

/// Runs a login up to the code page and waits for its challenge on the device. A login
/// whose password step hits a dead portal, or a busy one, starts over as a new attempt.
pub async fn prepare(
    shared: &Shared,
    login: usize,
    email: &str,
    password: &str,
    timeout: Duration,
) -> Result<Prepared, Outcome> {
    let mut attempt = 0;
    loop {
        match prepare_once(shared, login, attempt, email, password, timeout).await {
            Err(Outcome::Failed("transport")) if attempt + 1 < STEP_ATTEMPTS => {
                attempt += 1;
                tokio::time::sleep(STEP_RETRY).await;
            }
            Err(Outcome::Failed("http_503")) if attempt + 1 < STEP_ATTEMPTS => {
                attempt += 1;
                tokio::time::sleep(BUSY_RETRY).await;
            }
            other => return other,
        }
    }
}

async fn prepare_once(
    shared: &Shared,
    login: usize,
    attempt: u32,
    email: &str,
    password: &str,
    timeout: Duration,
) -> Result<Prepared, Outcome> {
    let (agent, address) = identity(login, attempt);
    let mut browser = Browser::new(&agent, &address).map_err(|_| Outcome::Failed("client"))?;
    let web = shared.web(login);
    let form = page(web, &mut browser, "/login").await?;
    let form_csrf = csrf(form.text()).ok_or(Outcome::Failed("no_csrf"))?;
    let delivery = shared.waiters.wait_for(&agent);
    let sent = Instant::now();
    let answer = web
        .post_form(
            &mut browser,
            "/login",
            &[
                ("csrf", form_csrf.as_str()),
                ("email", email),
                ("password", password),
            ],
        )
        .await;
    let password_step = sent.elapsed();
    let answer = match answer {
        Ok(a) => a,
        Err(_) => {
            shared.waiters.cancel(&agent);
            return Err(Outcome::Failed("transport"));
        }
    };
    if answer.status != StatusCode::SEE_OTHER || answer.location.as_deref() != Some("/login/code") {
        shared.waiters.cancel(&agent);
        return Err(refusal(answer.status));
    }
    let delivery = match tokio::time::timeout(timeout, delivery).await {
        Ok(Ok(d)) => d,
        _ => {
            shared.waiters.cancel(&agent);
            return Err(Outcome::Lost);
        }
    };
    let push_latency = delivery.at.saturating_duration_since(sent);
    let code_page = retrying_page(web, &mut browser, "/login/code").await?;
    let code_csrf = csrf(code_page.text()).ok_or(Outcome::Failed("no_csrf"))?;
    Ok(Prepared {
        login,
        browser,
        csrf: code_csrf,
        code: delivery.code,
        push_latency,
        password_step,
    })
}

/// Sends the code of a prepared login, retried while the portal is unreachable; how it
/// ended and, when answered, the round trip of the answered attempt.
pub async fn submit_code(shared: &Shared, mut prepared: Prepared) -> (Outcome, Option<Duration>) {
    for _ in 0..STEP_ATTEMPTS {
        let sent = Instant::now();
        let answer = shared
            .web(prepared.login)
            .post_form(
                &mut prepared.browser,
                "/login/code",
                &[
                    ("csrf", prepared.csrf.as_str()),
                    ("code", prepared.code.as_str()),
                ],
            )
            .await;
        let round_trip = sent.elapsed();
        match answer {
            Ok(answer)
                if answer.status == StatusCode::SEE_OTHER
                    && answer.location.as_deref() == Some("/dashboard") =>
            {
                return (Outcome::Completed, Some(round_trip));
            }
            Ok(answer) => return (refusal(answer.status), Some(round_trip)),
            Err(_) => tokio::time::sleep(STEP_RETRY).await,
        }
    }
    (Outcome::Failed("transport"), None)
}

fn refusal(status: StatusCode) -> Outcome {
    match status {
        StatusCode::TOO_MANY_REQUESTS => Outcome::Refused("rate_limited"),
        StatusCode::SEE_OTHER => Outcome::Refused("redirected"),
        s if s.is_success() => Outcome::Refused("page_refused"),
        s if s.is_client_error() => Outcome::Refused("http_4xx"),
        StatusCode::INTERNAL_SERVER_ERROR => Outcome::Failed("http_500"),
        StatusCode::SERVICE_UNAVAILABLE => Outcome::Failed("http_503"),
        _ => Outcome::Failed("http_5xx"),
    }
}

async fn page(web: &Http, browser: &mut Browser, path: &str) -> Result<Answer, Outcome> {
    let answer = web
        .get(browser, path)
        .await
        .map_err(|_| Outcome::Failed("transport"))?;
    if !answer.status.is_success() {
        return Err(refusal(answer.status));
    }
    Ok(answer)
}

async fn retrying_page(web: &Http, browser: &mut Browser, path: &str) -> Result<Answer, Outcome> {
    for _ in 0..STEP_ATTEMPTS {
        match page(web, browser, path).await {
            Err(Outcome::Failed("transport")) => tokio::time::sleep(STEP_RETRY).await,
            other => return other,
        }
    }
    Err(Outcome::Failed("transport"))
}

/// The value of the first hidden CSRF field of a page.
pub fn csrf(html: &str) -> Option<String> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csrf_field_is_found() {
        let html = r#"<input type="hidden" name="csrf" value="abc123"><input name="x">"#;
        assert_eq!(csrf(html).as_deref(), Some("abc123"));
        assert_eq!(csrf("<form></form>"), None);
        assert_eq!(csrf(r#"name="csrf" value="open"#), None);
    }

    #[test]
    fn every_login_gets_its_own_address_and_agent() {
        let (a1, ip1) = identity(1, 0);
        let (a2, ip2) = identity(257, 0);
        let (a3, _) = identity(1, 1);
        assert_ne!(a1, a2);
        assert_ne!(a1, a3);
        assert_ne!(ip1, ip2);
        assert_eq!(ip2, "10.0.1.1");
    }
}
