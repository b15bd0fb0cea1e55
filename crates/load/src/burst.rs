//! The two bursts of a run, each measured by its rate, its round trips and the CPU both
//! processes used meanwhile:
//! - the code burst: logins prepared up to the code page, then all their codes sent with
//!   `--concurrency` in flight (code checks per second);
//! - the password burst: password steps sent with `--concurrency` in flight (password logins
//!   per second, bounded by Argon2id with the standard profile).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{StreamExt as _, stream};
use hyper::StatusCode;
use tokio::sync::Mutex;
use zeroize::Zeroizing;

use crate::cpu::{self, CpuTime};
use crate::device::Shared;
use crate::http::Browser;
use crate::login::{self, Finished, Outcome};
use crate::options::Options;
use crate::portal::Portals;
use crate::report::{CheckCpu, Latency};

/// Attempts of one password step the portal answers "busy" (503: every hashing slot and
/// queue place taken), each after [`login::BUSY_RETRY`].
const BUSY_ATTEMPTS: u32 = 30;

/// What the bursts need from the run.
pub struct Bursts<'a> {
    /// The run's options.
    pub options: &'a Options,
    /// Browsers' client, devices, waiters.
    pub shared: &'a Arc<Shared>,
    /// Accounts whose devices hold streams.
    pub emails: &'a [String],
    /// Their password.
    pub password: &'a Arc<Zeroizing<String>>,
    /// How long a login waits for its challenge.
    pub timeout: Duration,
    /// The portal's instances, for their CPU time.
    pub portal: &'a Mutex<Portals>,
}

/// The code burst's figures.
#[derive(Debug, Default)]
pub struct CodeFigures {
    /// Code checks per second.
    pub rate: Option<f64>,
    /// Accepted codes.
    pub accepted: usize,
    /// CPU per check.
    pub cpu: Option<CheckCpu>,
    /// Round trips of the checks.
    pub round_trip: Latency,
}

/// The password burst's figures.
#[derive(Debug, Default)]
pub struct PasswordFigures {
    /// Password steps sent.
    pub sent: usize,
    /// Password steps answered with the code page, per second.
    pub rate: Option<f64>,
    /// Password steps answered with the code page.
    pub accepted: usize,
    /// "Busy" answers (503) that were retried.
    pub busy_retries: u64,
    /// CPU per password step, portal and tool.
    pub cpu: Option<CheckCpu>,
    /// Round trips of the accepted steps (the last attempt of each).
    pub round_trip: Latency,
}

impl Bursts<'_> {
    /// CPU time of the portal and of the tool now.
    async fn cpu_now(&self) -> (Option<CpuTime>, Option<CpuTime>) {
        (self.portal.lock().await.cpu_time(), cpu::cpu_time("self"))
    }

    /// CPU per item of the `count` sent between `before` and `after`, in microseconds; no
    /// portal figure in-process, where its CPU is the tool's.
    async fn cpu_per(
        &self,
        before: (Option<CpuTime>, Option<CpuTime>),
        after: (Option<CpuTime>, Option<CpuTime>),
        count: usize,
    ) -> Option<CheckCpu> {
        let per = |b: Option<CpuTime>, a: Option<CpuTime>| {
            let used = a? - b?;
            let us = |secs: f64| secs * 1e6 / count.max(1) as f64;
            Some((us(used.total()), us(used.system)))
        };
        let in_process = self.portal.lock().await.in_process();
        let portal = per(before.0, after.0).filter(|_| !in_process);
        per(before.1, after.1).map(|(tool_us, _)| CheckCpu {
            portal_us: portal.map(|(total, _)| total),
            portal_system_us: portal.map(|(_, system)| system),
            tool_us,
        })
    }

    /// Prepares `--code-burst` logins up to the code page, then sends all their codes with
    /// `--concurrency` in flight. Logins that end early go to `finished`, the others too once
    /// their code is answered.
    pub async fn codes(&self, finished: &mut Vec<Finished>) -> CodeFigures {
        let first = self.options.logins;
        let in_flight = self.options.concurrency.max(1);
        let prepared: Vec<_> = stream::iter(first..first + self.options.code_burst)
            .map(|i| {
                let shared = Arc::clone(self.shared);
                let email = self.emails[i % self.emails.len()].clone();
                let password = Arc::clone(self.password);
                let timeout = self.timeout;
                async move { login::prepare(&shared, i, &email, &password, timeout).await }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let mut ready = Vec::new();
        for p in prepared {
            match p {
                Ok(p) => ready.push(p),
                Err(outcome) => finished.push(Finished::without_figures(outcome)),
            }
        }
        let sent = ready.len();
        eprintln!("code burst: sending {sent} codes");
        let before = self.cpu_now().await;
        let started = Instant::now();
        let outcomes: Vec<Finished> = stream::iter(ready)
            .map(|p| {
                let shared = Arc::clone(self.shared);
                async move {
                    let (push_latency, password_step) = (p.push_latency, p.password_step);
                    let (outcome, code_check) = login::submit_code(&shared, p).await;
                    Finished {
                        outcome,
                        push_latency: Some(push_latency),
                        password_step: Some(password_step),
                        code_check,
                    }
                }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let secs = started.elapsed().as_secs_f64();
        let after = self.cpu_now().await;
        eprintln!("code burst: done in {secs:.2} s");
        let accepted = outcomes
            .iter()
            .filter(|f| f.outcome == Outcome::Completed)
            .count();
        let round_trip = Latency::of(outcomes.iter().filter_map(|f| f.code_check).collect());
        finished.extend(outcomes);
        CodeFigures {
            rate: (secs > 0.0).then(|| sent as f64 / secs),
            accepted,
            cpu: self.cpu_per(before, after, sent).await,
            round_trip,
        }
    }

    /// Sends `--password-burst` password steps (form, then `POST /login`) with
    /// `--concurrency` in flight; a "busy" answer is retried after a second. The form is
    /// fetched before the clock starts, so the figures are the password step's.
    pub async fn passwords(&self) -> PasswordFigures {
        let count = self.options.password_burst;
        let first = self.options.logins + self.options.code_burst;
        let in_flight = self.options.concurrency.max(1);
        let forms: Vec<_> = stream::iter(first..first + count)
            .map(|i| {
                let shared = Arc::clone(self.shared);
                async move { login_form(&shared, i).await }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let forms: Vec<_> = forms.into_iter().flatten().collect();
        eprintln!("password burst: sending {} password steps", forms.len());
        let before = self.cpu_now().await;
        let started = Instant::now();
        let steps: Vec<(bool, u64, Option<Duration>)> = stream::iter(forms.into_iter().enumerate())
            .map(|(n, (login, browser, csrf))| {
                let shared = Arc::clone(self.shared);
                let email = self.emails[n % self.emails.len()].clone();
                let password = Arc::clone(self.password);
                async move {
                    password_step(&shared, login, browser, &csrf, &email, &password).await
                }
            })
            .buffer_unordered(in_flight)
            .collect()
            .await;
        let secs = started.elapsed().as_secs_f64();
        let after = self.cpu_now().await;
        let accepted = steps.iter().filter(|(ok, _, _)| *ok).count();
        PasswordFigures {
            sent: steps.len(),
            rate: (secs > 0.0).then(|| accepted as f64 / secs),
            accepted,
            busy_retries: steps.iter().map(|(_, busy, _)| busy).sum(),
            cpu: self.cpu_per(before, after, steps.len()).await,
            round_trip: Latency::of(steps.iter().filter_map(|(_, _, rt)| *rt).collect()),
        }
    }
}

/// Login `i` with a browser holding the login form's CSRF token; `None` if the form failed.
async fn login_form(shared: &Shared, i: usize) -> Option<(usize, Browser, String)> {
    let (agent, address) = login::identity(i, 0);
    let mut browser = Browser::new(&agent, &address).ok()?;
    let form = shared.web(i).get(&mut browser, "/login").await.ok()?;
    let csrf = login::csrf(form.text())?;
    Some((i, browser, csrf))
}

/// One password step: whether the code page followed, the busy answers retried, and the
/// round trip of the last attempt.
async fn password_step(
    shared: &Shared,
    login: usize,
    mut browser: Browser,
    csrf: &str,
    email: &str,
    password: &str,
) -> (bool, u64, Option<Duration>) {
    let mut busy = 0;
    for _ in 0..BUSY_ATTEMPTS {
        let sent = Instant::now();
        let answer = shared
            .web(login)
            .post_form(
                &mut browser,
                "/login",
                &[("csrf", csrf), ("email", email), ("password", password)],
            )
            .await;
        let round_trip = sent.elapsed();
        match answer {
            Ok(a) if a.status == StatusCode::SERVICE_UNAVAILABLE => {
                busy += 1;
                tokio::time::sleep(login::BUSY_RETRY).await;
            }
            Ok(a) => {
                let ok = a.status == StatusCode::SEE_OTHER
                    && a.location.as_deref() == Some("/login/code");
                return (ok, busy, Some(round_trip));
            }
            Err(_) => return (false, busy, None),
        }
    }
    (false, busy, None)
}
