//! The command-line grammar of `zweifaktor-device`.

use std::path::PathBuf;

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use zweifaktor_protocol::HashAlgorithm;

/// What `--help` prints after the commands: the exit codes scripts branch on.
const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  any other failure (portal unreachable or refusing, unknown or duplicate account, bad link,
     no such open challenge, an expired challenge)
  2  usage: bad arguments, a PIN that breaks the PIN rules, a set-up link on the command line,
     a typed secret that is not base32, digits or period out of range, a missing input line,
     a missing file password, a weak backup password, an answer the challenge does not ask
     for (a number not offered, a number for a yes/no question)
  3  wrong PIN, or locked after too many wrong PINs; a wrong password for a file to import
  4  the vault is missing, damaged or unreadable; a file to import is missing, damaged or in
     no known format
With --json, every error is one JSON object with a stable `kind`.";

/// Headless Zweifaktor authenticator. The PIN comes from `ZF_PIN` or one line of standard input,
/// a set-up link or a typed secret from the next line.
#[derive(Debug, Parser)]
#[command(name = "zweifaktor-device", version, about, after_help = EXIT_CODES)]
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
    /// Add an account typed in by hand; the secret (base32, as the site prints it: spaces and
    /// lower case are fine) is the line after the PIN, or the first line when ZF_PIN is set.
    ///
    /// The secret is never taken from the command line, where `ps` and the shell history
    /// would show it.
    #[command(group(ArgGroup::new("moving").args(["period", "counter"])))]
    AddManual {
        /// Who issued the account (the site's name); leave out for none.
        #[arg(long)]
        issuer: Option<String>,
        /// The account name, usually the e-mail address or user name.
        #[arg(long)]
        name: String,
        /// How codes are made.
        #[arg(long = "type", value_enum, default_value_t = OtpType::Totp)]
        otp_type: OtpType,
        /// The HMAC hash: SHA1, SHA256 or SHA512 (default SHA1; not for Steam).
        #[arg(long, value_parser = parse_algorithm)]
        algorithm: Option<HashAlgorithm>,
        /// Digits per code, 6 to 8 (default 6; not for Steam).
        #[arg(long)]
        digits: Option<u8>,
        /// Seconds per TOTP code (default 30; totp only).
        #[arg(long)]
        period: Option<u64>,
        /// The HOTP counter of the next code (default 0; hotp only).
        #[arg(long)]
        counter: Option<u64>,
    },
    /// Give an account a new issuer or name (`--issuer ''` removes the issuer).
    #[command(group(ArgGroup::new("new_label").args(["issuer", "name"]).required(true).multiple(true)))]
    Rename {
        /// ISSUER:NAME, the name alone when unique, or the account's id.
        account: String,
        /// The new issuer; empty for none.
        #[arg(long)]
        issuer: Option<String>,
        /// The new account name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Remove an account from the vault. A portal still lists the device until it is removed
    /// on the portal's dashboard.
    Remove {
        /// ISSUER:NAME, the name alone when unique, or the account's id.
        account: String,
    },
    /// List the accounts (Steam accounts and secrets under 128 bits are marked).
    List,
    /// Show the current code (TOTP, Steam as Steam shows it) or the next code (HOTP) of an
    /// account.
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
    /// Print the open push challenges of every push account (Zweifaktor portals with their
    /// codes, privacyIDEA tokens with their question); a server that fails is reported and
    /// hides no other's challenges.
    Poll {
        /// Only this account (ISSUER:NAME or unique name); default: every portal account.
        account: Option<String>,
    },
    /// Watch every push server (Zweifaktor's stream, privacyIDEA's poll every few seconds) and
    /// print each challenge as it arrives.
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
    /// Accept a login ("Akzeptieren"). A privacyIDEA challenge is approved, with the number
    /// the login page shows for one that offers numbers (`--answer N`); a Zweifaktor
    /// challenge's security code is printed and the portal told it was shown (type the code
    /// into the login page).
    Accept {
        /// The challenge id, as printed by poll or listen.
        id: String,
        /// The number picked among those offered (privacyIDEA's number matching).
        #[arg(long, value_name = "N")]
        answer: Option<String>,
        /// Only look at this account's server.
        account: Option<String>,
    },
    /// Refuse a login ("Das war ich nicht"): the server aborts it at once.
    Deny {
        /// The challenge id, as printed by poll or listen.
        id: String,
        /// Only look at this account's server.
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

/// The kinds of account `add-manual` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OtpType {
    /// Time-based (RFC 6238).
    Totp,
    /// Counter-based (RFC 4226).
    Hotp,
    /// Steam Guard: five characters, SHA-1, 30 s.
    Steam,
}

impl OtpType {
    /// The name as typed after `--type`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Totp => "totp",
            Self::Hotp => "hotp",
            Self::Steam => "steam",
        }
    }
}

/// `--algorithm` in any letter case.
fn parse_algorithm(
    text: &str,
) -> Result<HashAlgorithm, zweifaktor_protocol::otp::UnknownHashAlgorithm> {
    text.parse()
}
