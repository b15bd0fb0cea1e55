//! Google Authenticator's transfer QR codes: `otpauth-migration://offline?data=…`.
//!
//! "Transfer accounts → Export accounts" shows one or more QR codes; each holds a link whose
//! `data` is a base64 `MigrationPayload` (see [`proto`] for the schema and its sources, and
//! [`link`] for the encoding). A file for this importer is the text of those links, one per QR
//! code, separated by line breaks or spaces, as a QR scanner would save them.
//!
//! The codes of one export form a batch (`batch_id`, `batch_size`, `batch_index`). The links
//! are read as one batch: a code scanned twice counts once, and the codes that are missing
//! are listed in [`ImportBatch::missing_parts`] so that the preview can ask for them. Entries
//! with an MD5 hash, an unknown algorithm, digit count or type are listed as unsupported.

mod entry;
pub(crate) mod link;
mod proto;

use std::collections::BTreeSet;

use prost::Message as _;

use super::{Format, ImportBatch, ImportError, ImportPassword, Importer, MissingPart, text};
pub(crate) use entry::{NotWritable, write as write_entry};
pub(crate) use proto::{MigrationPayload, OtpParameters};

/// The payload version Google Authenticator writes; newer ones are refused rather than
/// misread. Links without a version (0, as some converters write them) are read as version 1.
pub(crate) const PAYLOAD_VERSION: i32 = 1;

/// Most QR codes one batch may claim: 1,000. Google Authenticator puts about ten accounts into
/// a code, so that is ten thousand accounts, beyond any real export; a larger claimed size is a
/// broken or hostile file and is refused before any missing code is listed.
pub(crate) const MAX_BATCH_SIZE: i32 = 1000;

/// Reads transfer links.
pub(crate) struct GoogleMigration;

impl Importer for GoogleMigration {
    fn format(&self) -> Format {
        Format::GoogleMigration
    }

    fn recognizes(&self, bytes: &[u8]) -> bool {
        text(bytes, Format::GoogleMigration)
            .is_ok_and(|text| link::is_migration_link(text.trim_start()))
    }

    fn read(
        &self,
        bytes: &[u8],
        _password: Option<&ImportPassword>,
    ) -> Result<ImportBatch, ImportError> {
        let mut batches = Batches::default();
        let mut batch = ImportBatch::new(Format::GoogleMigration);
        for (number, link) in text(bytes, Format::GoogleMigration)?
            .split_whitespace()
            .enumerate()
            .map(|(i, link)| (i + 1, link))
        {
            let payload =
                decode(link).map_err(|what| malformed(format!("link {number} {what}")))?;
            let (size, index) =
                position(&payload).map_err(|what| malformed(format!("link {number} {what}")))?;
            if !batches.add(payload.batch_id, size, index)? {
                continue;
            }
            for parameters in payload.otp_parameters.into_iter() {
                match entry::read(parameters) {
                    Ok(account) => batch.accounts.push(account),
                    Err(unsupported) => batch.unsupported.push(unsupported),
                }
            }
        }
        batch.missing_parts = batches.missing();
        Ok(batch)
    }
}

/// The payload of one link.
fn decode(link: &str) -> Result<MigrationPayload, &'static str> {
    let bytes = link::decode(link).map_err(link::LinkError::describe)?;
    let payload =
        MigrationPayload::decode(bytes.as_slice()).map_err(|_| "holds no valid transfer data")?;
    if payload.version > PAYLOAD_VERSION || payload.version < 0 {
        return Err("is of a payload version this app does not know");
    }
    Ok(payload)
}

/// The code's batch size and index, checked; a payload without batch fields is a batch of one.
fn position(payload: &MigrationPayload) -> Result<(u32, u32), &'static str> {
    let size = payload.batch_size.max(1);
    if size > MAX_BATCH_SIZE {
        return Err("claims a batch of more QR codes than any export has");
    }
    if !(0..size).contains(&payload.batch_index) {
        return Err("has a batch index outside its batch");
    }
    // Both are in 0..=MAX_BATCH_SIZE here, so they fit.
    Ok((size.unsigned_abs(), payload.batch_index.unsigned_abs()))
}

fn malformed(what: String) -> ImportError {
    ImportError::Malformed {
        format: Format::GoogleMigration,
        what,
    }
}

/// The batches seen so far, in the order of their first code.
#[derive(Default)]
struct Batches(Vec<(i32, u32, BTreeSet<u32>)>);

impl Batches {
    /// Records one code; `false` if it was seen before (scanned twice).
    fn add(&mut self, id: i32, size: u32, index: u32) -> Result<bool, ImportError> {
        match self.0.iter_mut().find(|(seen, _, _)| *seen == id) {
            Some((_, known, _)) if *known != size => Err(malformed(
                "the links of one batch disagree on how many QR codes it has".to_owned(),
            )),
            Some((_, _, indices)) => Ok(indices.insert(index)),
            None => {
                self.0.push((id, size, BTreeSet::from([index])));
                Ok(true)
            }
        }
    }

    /// The codes not seen, numbered from 1 as the app counts them on screen.
    fn missing(&self) -> Vec<MissingPart> {
        self.0
            .iter()
            .flat_map(|(_, size, seen)| {
                (0..*size)
                    .filter(|index| !seen.contains(index))
                    .map(|index| MissingPart {
                        number: index + 1,
                        of: *size,
                    })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
