//! The command-line grammar of `zweifaktor-device`.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Headless Zweifaktor authenticator. The PIN comes from `ZF_PIN` or one line of standard input,
/// a set-up link from the next line.
#[derive(Debug, Parser)]
#[command(name = "zweifaktor-device", version, about)]
pub struct Cli {
    /// Vault file (default: the user's data folder, e.g. ~/.local/share/zweifaktor/vault.json).
    #[arg(long, global = true, env = "ZF_VAULT")]
    pub vault: Option<PathBuf>,
    /// Print JSON instead of text, for scripts.
    #[arg(long, global = true)]
    pub json: bool,
    /// Log debug events to standard error (never secrets).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a new vault; the PIN (6 digits) comes from ZF_PIN or standard input.
    Init {
        /// The e-mail address the login screen shows.
        #[arg(long)]
        email: String,
        /// Use the cheap Argon2id profile. Only for tests: it makes the PIN easy to brute-force.
        #[arg(long, hide = true)]
        insecure_test_kdf: bool,
    },
    /// Add an account from a set-up link read from standard input (`add -`); with zf_
    /// parameters, also register with the portal.
    ///
    /// The link (otpauth://totp/... or otpauth://hotp/...) is the line after the PIN, or the
    /// first line when ZF_PIN is set. It is never taken from the command line, where `ps` and
    /// the shell history would show its secret.
    Add {
        /// `-`, for standard input.
        #[arg(value_name = "-")]
        source: String,
    },
    /// List the accounts.
    List,
    /// Show the current code (TOTP) or the next code (HOTP) of an account.
    Code {
        /// ISSUER:NAME, the name alone when unique, or nothing when there is one account.
        account: Option<String>,
        /// Show the TOTP code for this moment (Unix seconds) instead of now.
        #[arg(long)]
        at: Option<u64>,
    },
    /// Answer an OCRA challenge (RFC 6287) with an account's seed.
    Ocra {
        /// The challenge (question), hex for the default suite.
        #[arg(long)]
        challenge: String,
        /// The OCRA suite.
        #[arg(long, default_value = zweifaktor_protocol::otp::ocra::ZWEIFAKTOR_SUITE)]
        suite: String,
        /// ISSUER:NAME, the name alone when unique, or nothing when there is one account.
        account: Option<String>,
    },
    /// Print the open push challenges of the portal-bound accounts with their codes.
    Poll {
        /// Only this account (ISSUER:NAME or unique name); default: every portal account.
        account: Option<String>,
    },
    /// Hold the portals' event streams open and print each challenge as it arrives.
    Listen {
        /// Only this account (ISSUER:NAME or unique name); default: every portal account.
        account: Option<String>,
        /// Stop after this many challenges.
        #[arg(long)]
        max: Option<usize>,
        /// Stop after this many seconds.
        #[arg(long)]
        timeout: Option<u64>,
    },
    /// Refuse a login ("Das war ich nicht"): the portal aborts it at once.
    Deny {
        /// The challenge id, as printed by poll or listen.
        id: String,
        /// Only look at this account's portal.
        account: Option<String>,
    },
    /// Import the accounts of another app's export file (format detected from the content).
    ///
    /// An encrypted file's password comes from ZF_IMPORT_PASSWORD or the line after the PIN.
    /// Accounts the vault holds already are skipped; nothing is saved with --dry-run.
    Import {
        /// The export file.
        file: PathBuf,
        /// Only print what would be imported.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the accounts (except those bound to a portal) into a new file, after the PIN.
    ///
    /// aegis: the encrypted backup (an Aegis vault file), its password from ZF_EXPORT_PASSWORD
    /// or the line after the PIN; uris: otpauth:// links, one a line; google: Google
    /// Authenticator transfer links (otpauth-migration://), one per QR code, one a line. The
    /// last two are plain text: whoever reads the file has every secret.
    Export {
        /// The file format.
        #[arg(long, value_enum)]
        format: ExportFormatArg,
        /// The file to create; an existing file is not overwritten.
        file: PathBuf,
    },
    /// Change the PIN: the current PIN comes from ZF_PIN or the first line of standard input,
    /// the new one from ZF_NEW_PIN or the next line.
    ChangePin {
        /// Use the cheap Argon2id profile. Only for tests.
        #[arg(long, hide = true)]
        insecure_test_kdf: bool,
    },
}

/// The formats `export --format` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// The encrypted backup in Aegis's vault format.
    Aegis,
    /// `otpauth://` links, one a line.
    Uris,
    /// Google Authenticator transfer links, one a line.
    Google,
}
