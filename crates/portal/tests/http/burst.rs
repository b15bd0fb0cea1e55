//! Bounded hostile load on the real portal binary: a burst of wrong logins with the standard
//! Argon2 profile, measured through `/proc/PID/status`.

use std::sync::Arc;

use crate::binary::{free_port, login, output_of, portal_cmd_with, serve_with};
use crate::common::{browser, csrf};

/// Clients sending wrong passwords at once: the review used 150.
const CLIENTS: usize = 150;
/// Wrong logins per client (450 in all, as in the review).
const LOGINS_PER_CLIENT: usize = 3;
/// Hashing slots the portal gets in this test, so the bound does not depend on the machine's
/// core count.
const SLOTS: usize = 4;
/// Memory cost of one standard-profile hash, KiB (`password::STANDARD_M_COST_KIB`).
const HASH_KIB: u64 = 19 * 1024;
/// What the portal may hold besides its hashing slots, KiB: the debug binary, SQLite's page
/// cache, the runtime and 150 open connections came to about 20 MiB at rest and stayed
/// under 60 MiB in every run; 160 MiB leaves room for a slower machine's longer queues.
const BASE_ALLOWANCE_KIB: u64 = 160 * 1024;
/// The stated bound on the portal's resident memory during and after the burst:
/// `SLOTS × 19 MiB + BASE_ALLOWANCE` (236 MiB). Unbounded, 150 concurrent hashes need
/// 2.8 GiB for their blocks alone.
const RSS_BOUND_KIB: u64 = SLOTS as u64 * HASH_KIB + BASE_ALLOWANCE_KIB;

/// A `kB` figure of `/proc/PID/status` (`VmRSS`, `VmHWM`).
fn proc_status_kib(pid: u32, field: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or_else(|| panic!("{field} missing in /proc/{pid}/status"))
}

/// Regression (issue 9, finding 2): 450 wrong logins from 150 clients (distinct addresses, so
/// the rate limits let them through to the hash) keep the portal's peak and final RSS under
/// [`RSS_BOUND_KIB`]; each request is refused either with the login page or with a 503 and
/// `Retry-After`; a correct login still succeeds afterwards.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_wrong_logins_keeps_memory_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let added = output_of(portal_cmd_with(dir.path(), port, "standard").args([
        "user",
        "add",
        "burst@example.org",
    ]));
    let password = added
        .lines()
        .find_map(|l| l.strip_prefix("One-time initial password: "))
        .expect("password printed")
        .to_string();
    let mut cmd = portal_cmd_with(dir.path(), port, "standard");
    cmd.args(["--max-concurrent-hashes", &SLOTS.to_string()])
        .arg("--trust-forwarded-for")
        .env("RUST_LOG", "info");
    let server = serve_with(cmd, port).await;
    let pid = server.pid();
    let before = proc_status_kib(pid, "VmRSS:");

    let start = Arc::new(tokio::sync::Barrier::new(CLIENTS));
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let (base, start) = (base.clone(), Arc::clone(&start));
            tokio::spawn(async move {
                let client = browser();
                let address = format!("198.51.{}.{}", i / 200, i % 200 + 1);
                let page = client.get(format!("{base}/login")).send().await.unwrap();
                let token = csrf(&page.text().await.unwrap());
                start.wait().await;
                let mut answers = Vec::new();
                for n in 0..LOGINS_PER_CLIENT {
                    let response = client
                        .post(format!("{base}/login"))
                        .header("x-forwarded-for", &address)
                        .form(&[
                            ("csrf", token.as_str()),
                            ("email", &format!("nobody-{i}-{n}@example.org")),
                            ("password", "wrong-password"),
                        ])
                        .send()
                        .await
                        .unwrap();
                    let retry_after = response.headers().contains_key("retry-after");
                    answers.push((response.status().as_u16(), retry_after));
                }
                answers
            })
        })
        .collect();
    let mut answers = Vec::new();
    for client in clients {
        answers.extend(client.await.unwrap());
    }
    let peak = proc_status_kib(pid, "VmHWM:");
    let after = proc_status_kib(pid, "VmRSS:");
    let refused = answers.iter().filter(|(s, _)| *s == 200).count();
    let busy = answers.iter().filter(|(s, _)| *s == 503).count();
    eprintln!(
        "burst: {} requests, {refused} refused with the login page, {busy} answered 503; \
         VmRSS before {before} kB, peak (VmHWM) {peak} kB, after {after} kB; bound {RSS_BOUND_KIB} kB",
        answers.len()
    );
    assert_eq!(refused + busy, CLIENTS * LOGINS_PER_CLIENT, "{answers:?}");
    assert!(
        answers.iter().all(|(s, retry)| *s != 503 || *retry),
        "every 503 carries Retry-After"
    );
    assert!(peak < RSS_BOUND_KIB, "peak RSS {peak} kB");
    assert!(after < RSS_BOUND_KIB, "RSS after the burst {after} kB");

    let (_, response) = login(&base, "burst@example.org", &password).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.url().path(),
        "/enroll",
        "the right password still works"
    );
    server.kill();
}
