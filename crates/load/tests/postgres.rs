//! Two portal instances on one PostgreSQL database: every device's stream is held by one
//! instance and every login talks to the other, so each challenge reaches its device through
//! PostgreSQL's `NOTIFY`. Needs a server: `scripts/test.sh` starts one and sets
//! `ZF_TEST_POSTGRES_URL`. Bounded by count; nothing is timed.

use clap::Parser as _;
use sqlx::Connection as _;
use zweifaktor_load::{Options, run};

mod support;

/// The admin URL of the test server (`postgres://USER@HOST:PORT/postgres`).
const POSTGRES_ENV: &str = "ZF_TEST_POSTGRES_URL";

/// A fresh, empty database named `name` on the server of `admin` (a URL ending in
/// `/postgres`); returns its URL.
async fn fresh_database(admin: &str, name: &str) -> Result<String, sqlx::Error> {
    let mut conn = sqlx::PgConnection::connect(admin).await?;
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut conn)
        .await?;
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await?;
    let server = admin.strip_suffix("/postgres").unwrap_or(admin);
    Ok(format!("{server}/{name}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs a PostgreSQL server in ZF_TEST_POSTGRES_URL (scripts/test.sh starts one)"]
async fn two_instances_deliver_every_challenge_across_instances() {
    let admin = std::env::var(POSTGRES_ENV).expect("ZF_TEST_POSTGRES_URL names the server");
    let url = fresh_database(&admin, "zf_load_two_instances")
        .await
        .unwrap();
    let args = [
        "zweifaktor-load",
        "--portal-from-tool",
        "--portal-bin",
        env!("CARGO_BIN_EXE_zweifaktor-load"),
        "--database-url",
        &url,
        "--instances",
        "2",
    ];
    let options = Options::parse_from(args.into_iter().chain(support::SMALL_RUN));
    let report = run(&options).await.unwrap();
    assert_eq!(report.instances, 2);
    assert_eq!(report.database, "postgresql");
    assert!(report.database_bytes > 0, "{}", report.table());
    support::assert_small_run_clean(&report);
}

#[test]
fn several_instances_need_postgresql() {
    let sqlite = Options::parse_from(["zweifaktor-load", "--instances", "2"]);
    assert!(sqlite.check().is_err());
    let postgres = Options::parse_from([
        "zweifaktor-load",
        "--instances",
        "2",
        "--database-url",
        "postgres://127.0.0.1/zf",
    ]);
    assert!(postgres.check().is_ok());
    let none = Options::parse_from(["zweifaktor-load", "--instances", "0"]);
    assert!(none.check().is_err());
}
