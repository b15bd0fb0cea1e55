//! Load tool: starts a portal in-process (SQLite in a temporary folder, or `--database`), creates
//! accounts with one registered device each, and runs complete logins concurrently, each as a
//! browser and a phone would: login form, password, signed challenge over the device API, OCRA
//! code, dashboard. Prints throughput and latency percentiles.
//!
//! `cargo run --release -p zweifaktor-portal --example load -- --users 50 --logins 10 --concurrency 16`
//!
//! Uses the load-test Argon2 profile, so the figures measure the portal, not password hashing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use ed25519_dalek::SigningKey;
use tokio::sync::Semaphore;
use zeroize::Zeroizing;
use zweifaktor_portal::clock::SystemClock;
use zweifaktor_portal::config::Config;
use zweifaktor_portal::password::PasswordProfile;
use zweifaktor_portal::{AppState, accounts};
use zweifaktor_protocol::messages::{
    Challenge, ChallengeList, DeviceRegistered, EnrollToken, Platform, RegisterDevice,
};
use zweifaktor_protocol::otp::zweifaktor_code;
use zweifaktor_protocol::{OtpAuthUri, Seed};

/// Options of the load run.
#[derive(Debug, Parser)]
struct Args {
    /// Accounts (each with one device).
    #[arg(long, default_value_t = 20)]
    users: usize,
    /// Complete logins per account.
    #[arg(long, default_value_t = 5)]
    logins: usize,
    /// Logins in flight at once.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Database URL; default a SQLite file in a temporary folder.
    #[arg(long)]
    database: Option<String>,
}

/// One account as the load tool drives it.
struct Account {
    email: String,
    address: String,
    seed: Seed,
    portal_key: ed25519_dalek::VerifyingKey,
    device_token: String,
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args = Args::parse();
    let dir = tempfile::tempdir()?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let database = args
        .database
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}", dir.path().join("load.db").display()));
    let mut config = Config::new(&base, database);
    config.key_dir = dir.path().to_path_buf();
    config.password_profile = PasswordProfile::LoadTest;
    config.trust_forwarded_for = true;
    let state = AppState::open(config, Arc::new(SystemClock)).await?;
    let server = tokio::spawn(zweifaktor_portal::run(
        state.clone(),
        listener,
        std::future::pending(),
    ));

    let started = Instant::now();
    let mut people = Vec::new();
    for i in 0..args.users {
        people.push(Arc::new(account(&state, &base, i).await?));
    }
    println!(
        "set-up: {} accounts with devices in {:.2?}",
        args.users,
        started.elapsed()
    );

    let gate = Arc::new(Semaphore::new(args.concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    let started = Instant::now();
    for round in 0..args.logins {
        for person in &people {
            let person = Arc::clone(person);
            let gate = Arc::clone(&gate);
            let base = base.clone();
            tasks.spawn(async move {
                let _slot = gate.acquire().await?;
                let t = Instant::now();
                full_login(&base, &person, round).await?;
                Ok::<Duration, BoxError>(t.elapsed())
            });
        }
    }
    let mut latencies = Vec::new();
    let mut failures = 0usize;
    while let Some(result) = tasks.join_next().await {
        match result? {
            Ok(latency) => latencies.push(latency),
            Err(e) => {
                failures += 1;
                eprintln!("login failed: {e}");
            }
        }
    }
    let total = started.elapsed();
    latencies.sort();
    let pct = |p: usize| {
        latencies.get((latencies.len() * p / 100).min(latencies.len().saturating_sub(1)))
    };
    println!(
        "{} complete logins ({} failed) in {:.2?} with {} in flight: {:.1} logins/s",
        latencies.len(),
        failures,
        total,
        args.concurrency,
        latencies.len() as f64 / total.as_secs_f64()
    );
    println!(
        "latency per login: p50 {:.2?}, p95 {:.2?}, p99 {:.2?}, max {:.2?}",
        pct(50).copied().unwrap_or_default(),
        pct(95).copied().unwrap_or_default(),
        pct(99).copied().unwrap_or_default(),
        latencies.last().copied().unwrap_or_default()
    );
    server.abort();
    Ok(())
}

/// Creates account `i` and registers a device for it through the API.
async fn account(state: &AppState, base: &str, i: usize) -> Result<Account, BoxError> {
    let email = format!("load{i}@example.org");
    let id = accounts::create_user_with_password(state, &email, Zeroizing::new("load-pw".into()))
        .await?;
    state.db.set_must_enroll(&id, false).await?;
    let user = state.db.user_by_id(&id).await?.ok_or("account vanished")?;
    let uri = OtpAuthUri::parse(&accounts::enrollment_uri(state, &user).await?)?;
    let zf = uri.zweifaktor.ok_or("no zf_ parameters")?;
    let key = SigningKey::from_bytes(&rand::random::<[u8; 32]>());
    let registered: DeviceRegistered = reqwest::Client::new()
        .post(format!("{base}/api/v1/devices"))
        .json(&RegisterDevice {
            enroll_token: EnrollToken::new(zf.enroll_token.expose_secret().to_string()),
            device_key: key.verifying_key(),
            label: format!("load {i}"),
            platform: Platform::Headless,
            push_token: None,
        })
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(Account {
        email,
        address: format!("10.{}.{}.{}", (i >> 16) & 255, (i >> 8) & 255, i & 255),
        seed: uri.seed,
        portal_key: zf.portal_key,
        device_token: registered.device_token.expose_secret().to_string(),
    })
}

/// The value of the first hidden CSRF field.
fn csrf(html: &str) -> Result<String, BoxError> {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).ok_or("no CSRF field")? + marker.len();
    let end = html[start..].find('"').ok_or("unterminated CSRF field")?;
    Ok(html[start..start + end].to_string())
}

/// One complete login: form, password, challenge, code, dashboard.
async fn full_login(base: &str, person: &Account, round: usize) -> Result<(), BoxError> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-forwarded-for", person.address.parse()?);
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .user_agent(format!("zweifaktor-load/{round}"))
        .build()?;
    let form = browser
        .get(format!("{base}/login"))
        .send()
        .await?
        .text()
        .await?;
    let code_page = browser
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf(&form)?.as_str()),
            ("email", &person.email),
            ("password", "load-pw"),
        ])
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    let list: ChallengeList = reqwest::Client::new()
        .get(format!("{base}/api/v1/device/challenges"))
        .bearer_auth(&person.device_token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let agent = format!("zweifaktor-load/{round}");
    let challenge = list
        .challenges
        .iter()
        .filter_map(|envelope| envelope.open::<Challenge>(&person.portal_key).ok())
        .find(|c| c.context.user_agent == agent)
        .ok_or("no challenge for this login")?;
    let code = zweifaktor_code(&person.seed, &challenge.nonce.0)?;
    let done = browser
        .post(format!("{base}/login/code"))
        .form(&[
            ("csrf", csrf(&code_page)?.as_str()),
            ("code", code.as_str()),
        ])
        .send()
        .await?
        .error_for_status()?;
    if done.url().path() != "/dashboard" {
        return Err(format!("ended at {}", done.url().path()).into());
    }
    Ok(())
}
