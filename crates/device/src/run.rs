//! One function per command: resolve the vault path, read PINs, call the core.

use std::io::BufRead;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use serde_json::json;
use zweifaktor_core::accounts::{AccountKind, AccountPreview, AccountQuery, AccountSummary};
use zweifaktor_core::clock::{Clock, SystemClock};
use zweifaktor_core::export::{ExportFormat, NotExported};
use zweifaktor_core::import::{ImportPreview, ImportReport, MissingPart, Unsupported};
use zweifaktor_core::push::PushAnswer;
use zweifaktor_core::vault::KdfProfile;
use zweifaktor_core::{Authenticator, ShownCode};
use zweifaktor_protocol::otp::ocra::OcraSuite;

use crate::cli::{Cli, Command};
use crate::exit::DeviceError;
use crate::manual::{self, CodeOptions};
use crate::online;
use crate::secret_input::{NEW_PIN_VAR, PIN_VAR, STDIN_ARG, SecretInput};
use crate::transfer;

/// What a command produced, printed as text or JSON.
#[derive(Debug, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Output {
    /// `init`: a new vault.
    Created {
        /// Where the vault was written.
        vault: PathBuf,
        /// The e-mail address it belongs to.
        email: String,
    },
    /// `add` and `add-manual`: the new account.
    Added {
        /// The account, without its seed.
        account: AccountSummary,
    },
    /// `rename`: the account under its new label.
    Renamed {
        /// The account, without its seed.
        account: AccountSummary,
    },
    /// `remove`: the account that is gone.
    Removed {
        /// The account as it was, without its seed.
        account: AccountSummary,
    },
    /// `list`: all accounts.
    Accounts {
        /// The accounts, without seeds.
        accounts: Vec<AccountSummary>,
    },
    /// `code` and `ocra`: a code to type in.
    Code {
        /// The account's label.
        account: String,
        /// The digits.
        code: String,
        /// Seconds until a TOTP code changes.
        seconds_left: Option<u64>,
    },
    /// `poll` and `listen`: how many challenges were shown (each was printed on arrival).
    Challenges {
        /// Number of challenges shown.
        shown: usize,
    },
    /// `accept`: the login was accepted (a Zweifaktor challenge: its code was shown).
    Accepted {
        /// The account's label.
        account: String,
        /// The accepted challenge.
        challenge_id: String,
        /// The code to type into the login page, for a challenge that has one.
        code: Option<String>,
    },
    /// `deny`: the login was refused.
    Denied {
        /// The account's label.
        account: String,
        /// The refused challenge.
        challenge_id: String,
    },
    /// `change-pin`.
    PinChanged,
    /// `import --dry-run`: what an import would do.
    ImportPreview {
        /// The preview.
        preview: ImportPreview,
    },
    /// `import`: what was imported.
    Imported {
        /// The report.
        report: ImportReport,
    },
    /// `export`: the file written.
    Exported {
        /// The file.
        file: PathBuf,
        /// Its format.
        format: ExportFormat,
        /// How many accounts it holds.
        exported: usize,
        /// How many QR codes its links make (Google's format; 0 for the others).
        qr_codes: usize,
        /// The accounts left out, with why.
        not_exported: Vec<NotExported>,
    },
}

impl Output {
    /// Prints the output: one JSON object, or lines for a person.
    pub fn print(&self, json: bool) {
        if json {
            println!("{}", json!(self));
            return;
        }
        match self {
            Self::Created { vault, email } => {
                println!("Vault for {email} created at {}", vault.display())
            }
            Self::Added { account } => {
                println!("Added {} ({})", account.label, account.id);
                if account.weak_secret {
                    println!("{WEAK_SECRET_NOTE}");
                }
            }
            Self::Renamed { account } => {
                println!("Renamed {} to {}", account.id, account.label)
            }
            Self::Removed { account } => {
                println!("Removed {} ({})", account.label, account.id);
                if let Some(portal) = &account.portal_url {
                    println!(
                        "The portal {portal} still lists this device: remove it on the portal's dashboard."
                    );
                }
            }
            Self::Accounts { accounts } => {
                for account in accounts {
                    let weak = if account.weak_secret {
                        "  (weak secret)"
                    } else {
                        ""
                    };
                    println!(
                        "{}  {}  {}{weak}",
                        account.id,
                        describe(account),
                        account.label
                    );
                }
            }
            Self::Code { code, .. } => println!("{code}"),
            Self::Challenges { shown: 0 } => println!("No open challenges"),
            Self::Challenges { .. } => {}
            Self::Accepted {
                account,
                challenge_id,
                code,
            } => match code {
                Some(code) => println!("{code}  {account}  (challenge {challenge_id})"),
                None => println!("Login {challenge_id} for {account} accepted"),
            },
            Self::Denied {
                account,
                challenge_id,
            } => println!("Login {challenge_id} for {account} denied"),
            Self::PinChanged => println!("PIN changed"),
            Self::ImportPreview { preview } => {
                println!("{} file, nothing imported yet (dry run)", preview.format);
                print_previews("To add", &preview.to_add);
                print_previews("Already in the vault", &preview.already_present);
                print_unsupported(&preview.unsupported);
                print_missing(&preview.missing_parts);
            }
            Self::Imported { report } => {
                println!(
                    "Imported {} account(s) from the {} file",
                    report.added.len(),
                    report.format
                );
                for account in &report.added {
                    println!("  {}  {}  {}", account.id, describe(account), account.label);
                }
                print_previews("Already in the vault, skipped", &report.already_present);
                print_unsupported(&report.unsupported);
                print_missing(&report.missing_parts);
            }
            Self::Exported {
                file,
                exported,
                qr_codes,
                not_exported,
                ..
            } => {
                println!("Exported {exported} account(s) to {}", file.display());
                if *qr_codes > 0 {
                    println!("  {qr_codes} QR code(s), one link a line");
                }
                if !not_exported.is_empty() {
                    println!("Not exported ({}):", not_exported.len());
                    for left_out in not_exported {
                        println!("  {}: {}", left_out.label, transfer::advice(left_out));
                    }
                }
            }
        }
    }
}

fn print_previews(title: &str, accounts: &[AccountPreview]) {
    if accounts.is_empty() {
        return;
    }
    println!("{title} ({}):", accounts.len());
    for account in accounts {
        let weak = if account.weak_secret {
            "  (secret under 128 bits)"
        } else {
            ""
        };
        println!(
            "  {}  {}{weak}",
            describe_kind(account.kind, account.algorithm, account.digits),
            account.label
        );
    }
}

fn print_unsupported(entries: &[Unsupported]) {
    if entries.is_empty() {
        return;
    }
    println!("Not supported ({}):", entries.len());
    for entry in entries {
        println!("  {} [{}]: {}", entry.label, entry.kind, entry.reason);
    }
}

fn print_missing(parts: &[MissingPart]) {
    for part in parts {
        println!(
            "Missing QR code {} of {}: scan it too",
            part.number, part.of
        );
    }
}

/// Printed after adding an account whose secret is under 128 bits: a note, not a refusal.
const WEAK_SECRET_NOTE: &str = "Note: this secret is shorter than 128 bits (RFC 4226 asks for at least 128). It works, but a longer one, if the site offers it, is harder to guess.";

/// The kind column of `list`: `totp/SHA1/6d/30s`, `hotp/SHA1/6d/#3` or `steam`.
fn describe(account: &AccountSummary) -> String {
    describe_kind(account.kind, account.algorithm, account.digits)
}

fn describe_kind(kind: AccountKind, algorithm: &str, digits: u8) -> String {
    match kind {
        AccountKind::Totp { period } => format!("totp/{algorithm}/{digits}d/{period}s"),
        AccountKind::Hotp { counter } => format!("hotp/{algorithm}/{digits}d/#{counter}"),
        AccountKind::Steam => "steam".to_owned(),
    }
}

/// Runs one parsed command line.
pub fn run(cli: Cli) -> Result<Output, DeviceError> {
    let json = cli.json;
    let vault = match cli.vault {
        Some(path) => path,
        None => default_vault_path()?,
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let stdin = std::io::stdin();
    let mut input = SecretInput::new(stdin.lock());
    match cli.command {
        Command::Init {
            email,
            insecure_test_kdf,
        } => {
            let pin = input.read_pin(PIN_VAR)?;
            Authenticator::create(&vault, &email, &pin, profile(insecure_test_kdf), clock)?;
            Ok(Output::Created { vault, email })
        }
        Command::Add { source } => {
            // Refused before the PIN is read: the link is in `ps` already, and the habit
            // must not work.
            if source != STDIN_ARG {
                return Err(DeviceError::LinkOnCommandLine);
            }
            let mut auth = unlock(&vault, &mut input, clock)?;
            let link = input.read_link()?;
            let account = online::add(&mut auth, &link)?;
            Ok(Output::Added { account })
        }
        Command::AddManual {
            issuer,
            name,
            otp_type,
            algorithm,
            digits,
            period,
            counter,
        } => {
            let options = CodeOptions {
                otp_type,
                algorithm,
                digits,
                period,
                counter,
            };
            // Checked before the PIN is read, so a wrong option costs no unlock.
            options.kind()?;
            let mut auth = unlock(&vault, &mut input, clock)?;
            let secret = input.read_secret()?;
            let entry = manual::entry(issuer, name, secret, options)?;
            Ok(Output::Added {
                account: auth.add_manual(&entry)?,
            })
        }
        Command::Rename {
            account,
            issuer,
            name,
        } => {
            let mut auth = unlock(&vault, &mut input, clock)?;
            let id = auth.find(&AccountQuery::Named(account))?;
            let current = auth.account(&id)?;
            let issuer = issuer.or(current.issuer);
            let name = name.unwrap_or(current.name);
            Ok(Output::Renamed {
                account: auth.rename(&id, issuer.as_deref(), &name)?,
            })
        }
        Command::Remove { account } => {
            let mut auth = unlock(&vault, &mut input, clock)?;
            let id = auth.find(&AccountQuery::Named(account))?;
            let account = auth.account(&id)?;
            auth.delete(&id)?;
            Ok(Output::Removed { account })
        }
        Command::List => {
            let auth = unlock(&vault, &mut input, clock)?;
            Ok(Output::Accounts {
                accounts: auth.accounts(),
            })
        }
        Command::Code { account, at } => {
            let mut auth = unlock(&vault, &mut input, clock)?;
            let id = auth.find(&AccountQuery::from_option(account))?;
            let ShownCode { code, seconds_left } = auth.code(&id, at)?;
            Ok(Output::Code {
                account: auth.account(&id)?.label,
                code: code.as_str().to_owned(),
                seconds_left,
            })
        }
        Command::Ocra {
            challenge,
            suite,
            account,
        } => {
            let suite: OcraSuite = suite.parse()?;
            let auth = unlock(&vault, &mut input, clock)?;
            let id = auth.find(&AccountQuery::from_option(account))?;
            let code = auth.ocra_code(&id, &suite, &challenge)?;
            Ok(Output::Code {
                account: auth.account(&id)?.label,
                code: code.as_str().to_owned(),
                seconds_left: None,
            })
        }
        Command::Poll { account } => {
            let auth = unlock(&vault, &mut input, clock)?;
            let shown = online::poll(&auth, account, json)?;
            Ok(Output::Challenges { shown })
        }
        Command::Listen {
            account,
            max,
            timeout,
        } => {
            let auth = unlock(&vault, &mut input, clock)?;
            let timeout = timeout.map(Duration::from_secs);
            let shown = online::listen(&auth, account, json, max, timeout)?;
            Ok(Output::Challenges { shown })
        }
        Command::Accept {
            id,
            answer,
            account,
        } => {
            let auth = unlock(&vault, &mut input, clock)?;
            let reply = answer.map_or(PushAnswer::Accept, PushAnswer::AcceptNumber);
            let shown = online::answer(&auth, &id, reply, account)?;
            Ok(Output::Accepted {
                account: shown.challenge.info.account_label,
                challenge_id: id,
                code: shown.code.map(|c| c.as_str().to_owned()),
            })
        }
        Command::Deny { id, account } => {
            let auth = unlock(&vault, &mut input, clock)?;
            let shown = online::answer(&auth, &id, PushAnswer::Deny, account)?;
            Ok(Output::Denied {
                account: shown.challenge.info.account_label,
                challenge_id: id,
            })
        }
        Command::Import { file, dry_run } => {
            let mut auth = unlock(&vault, &mut input, clock)?;
            transfer::import(&mut auth, &file, dry_run, &mut input)
        }
        Command::Export { format, file } => {
            let pin = input.read_pin(PIN_VAR)?;
            let mut auth = open(&vault, &pin, clock)?;
            transfer::export(&mut auth, &pin, format, &file, &mut input)
        }
        Command::ChangePin { insecure_test_kdf } => {
            let mut auth = unlock(&vault, &mut input, clock)?;
            let new_pin = input.read_pin(NEW_PIN_VAR)?;
            auth.change_pin(&new_pin, profile(insecure_test_kdf))?;
            Ok(Output::PinChanged)
        }
    }
}

fn unlock<R: BufRead>(
    vault: &std::path::Path,
    input: &mut SecretInput<R>,
    clock: Arc<dyn Clock>,
) -> Result<Authenticator, DeviceError> {
    let pin = input.read_pin(PIN_VAR)?;
    open(vault, &pin, clock)
}

/// Unlocks the vault with a PIN already read, warning when the backup stood in.
fn open(
    vault: &std::path::Path,
    pin: &zweifaktor_core::pin::Pin,
    clock: Arc<dyn Clock>,
) -> Result<Authenticator, DeviceError> {
    let auth = Authenticator::unlock(vault, pin, clock)?;
    if let Some(corrupt) = auth.vault().opened_from_backup() {
        eprintln!("zweifaktor-device: warning: {corrupt}; opened the backup instead");
    }
    Ok(auth)
}

fn profile(insecure_test_kdf: bool) -> KdfProfile {
    if insecure_test_kdf {
        KdfProfile::TESTING
    } else {
        KdfProfile::PRODUCTION
    }
}

/// `vault.json` in the platform's data folder (XDG on Linux).
///
/// That folder belongs to this program alone, so one an older version created readable by
/// others is restricted to the owner here; a missing one is created private with the vault.
/// A folder given with `--vault` is the user's choice and keeps its mode.
fn default_vault_path() -> Result<PathBuf, DeviceError> {
    let dirs = directories::ProjectDirs::from("org", "Zweifaktor", "zweifaktor")
        .ok_or(DeviceError::NoDataDir)?;
    let folder = dirs.data_dir();
    zweifaktor_private_fs::restrict(folder);
    Ok(folder.join("vault.json"))
}
