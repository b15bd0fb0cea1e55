//! Google Authenticator transfer links (`otpauth-migration://offline?data=…`), one per QR
//! code, in the format [`crate::import::google`] reads.
//!
//! Accounts are packed in the vault's order, at most [`MAX_ACCOUNTS_PER_CODE`] to a code and
//! while the link stays within [`MAX_LINK_BYTES`]; the codes share a random batch id and carry
//! their size and index, as Google Authenticator's own export does, so that an app importing
//! them can tell when one is missing.

use prost::Message as _;
use zeroize::Zeroizing;

use super::{ExportAccount, NotExportedReason};
use crate::import::google::{self, MigrationPayload, NotWritable, OtpParameters};

/// Accounts per QR code: ten, as Google Authenticator puts into each of its own codes, which
/// keeps a code at a density a phone camera reads from a screen.
pub const MAX_ACCOUNTS_PER_CODE: usize = 10;

/// Longest link put into one code: 2,048 bytes. A version-40 QR code holds 2,331 bytes at
/// error-correction level M (ISO/IEC 18004, table 7), so every code fits with room to spare;
/// an account whose link alone is longer (a name of hundreds of characters) gets a code of
/// its own.
pub const MAX_LINK_BYTES: usize = 2048;

/// Room kept in [`MAX_LINK_BYTES`] for the batch fields, which are written after the packing:
/// version, size, index and id are at most 22 bytes of protobuf, 30 of base64 and 90 once
/// percent-encoded.
const BATCH_FIELDS_BYTES: usize = 90;

/// The entry for `account`, or why this format cannot hold it.
pub(super) fn entry(account: &ExportAccount<'_>) -> Result<OtpParameters, NotExportedReason> {
    google::write_entry(account).map_err(|err| match err {
        NotWritable::Steam => NotExportedReason::SteamNotInFormat,
        NotWritable::Digits(digits) => NotExportedReason::DigitsNotInFormat { digits },
        NotWritable::Period(period) => NotExportedReason::PeriodNotInFormat { period },
    })
}

/// The links for `entries`, one per QR code, with `batch_id` as the batch's id.
pub(super) fn links(entries: Vec<OtpParameters>, batch_id: i32) -> Vec<Zeroizing<String>> {
    let groups = pack(entries);
    let size = i32::try_from(groups.len()).unwrap_or(i32::MAX);
    groups
        .into_iter()
        .enumerate()
        .map(|(index, otp_parameters)| {
            let payload = MigrationPayload {
                otp_parameters,
                version: google::PAYLOAD_VERSION,
                batch_size: size,
                batch_index: i32::try_from(index).unwrap_or(i32::MAX),
                batch_id,
            };
            google::link::encode(&Zeroizing::new(payload.encode_to_vec()))
        })
        .collect()
}

/// Splits `entries` into groups that each fit one code, keeping their order.
fn pack(entries: Vec<OtpParameters>) -> Vec<Vec<OtpParameters>> {
    let budget = MAX_LINK_BYTES - BATCH_FIELDS_BYTES;
    let mut groups: Vec<Vec<OtpParameters>> = Vec::new();
    for entry in entries {
        let overflow = match groups.last_mut() {
            Some(group) if group.len() < MAX_ACCOUNTS_PER_CODE => {
                group.push(entry);
                if link_len(group) > budget {
                    group.pop()
                } else {
                    None
                }
            }
            _ => Some(entry),
        };
        if let Some(entry) = overflow {
            groups.push(vec![entry]);
        }
    }
    groups
}

/// The length of the link that would hold `group` (batch fields aside).
fn link_len(group: &mut Vec<OtpParameters>) -> usize {
    let payload = MigrationPayload {
        otp_parameters: std::mem::take(group),
        ..MigrationPayload::default()
    };
    let len = google::link::encode(&Zeroizing::new(payload.encode_to_vec())).len();
    *group = payload.otp_parameters;
    len
}
