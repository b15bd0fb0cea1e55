//! What the importers' tests share: editing a sample file's JSON, and reading what a
//! damaged-file error says.

#![allow(clippy::unwrap_used)]

use serde_json::Value;

use super::{Format, ImportBatch, ImportError};

/// `bytes` (JSON) with `edit` applied, for the damaged-file cases.
pub(crate) fn edited(bytes: &[u8], edit: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut value: Value = serde_json::from_slice(bytes).unwrap();
    edit(&mut value);
    serde_json::to_vec(&value).unwrap()
}

/// What a [`ImportError::Malformed`] of `format` says; anything else fails the test.
pub(crate) fn malformed_what(format: Format, result: Result<ImportBatch, ImportError>) -> String {
    match result {
        Err(ImportError::Malformed {
            format: found,
            what,
        }) if found == format => what,
        other => panic!("expected Malformed ({format}), got {other:?}"),
    }
}
