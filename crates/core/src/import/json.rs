//! Reading the JSON of export files field by field, with errors that name the field.
//!
//! Export files are read into a [`serde_json::Value`] and picked apart with [`Obj`], so a
//! damaged file yields [`ImportError::Malformed`] naming the path of what is missing or of the
//! wrong type (`entries[3].info.period is missing`), never a value from the file. The parsed
//! document holds secrets as plain strings, so [`Document`] wipes every string in it when
//! dropped.

use serde_json::{Map, Value};
use zeroize::Zeroize;

use super::{Format, ImportError};

/// A parsed JSON document whose strings are wiped on drop.
pub(crate) struct Document(Value);

impl Document {
    /// Parses `bytes` as JSON.
    ///
    /// # Errors
    /// [`ImportError::Malformed`] with the line and column where the JSON breaks.
    pub(crate) fn parse(format: Format, bytes: &[u8]) -> Result<Self, ImportError> {
        serde_json::from_slice(bytes).map(Self).map_err(|error| {
            malformed(
                format,
                format!(
                    "not valid JSON (line {}, column {})",
                    error.line(),
                    error.column()
                ),
            )
        })
    }

    /// The top-level object.
    ///
    /// # Errors
    /// [`ImportError::Malformed`] when the document is not an object.
    pub(crate) fn root(&self, format: Format) -> Result<Obj<'_>, ImportError> {
        Obj::new(format, String::new(), &self.0)
    }

    /// The top-level value.
    pub(crate) fn value(&self) -> &Value {
        &self.0
    }
}

impl Drop for Document {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Overwrites every string in `value` (object keys excepted: they are the format's own names).
fn wipe(value: &mut Value) {
    match value {
        Value::String(text) => text.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// A damaged-file error for `format`.
pub(crate) fn malformed(format: Format, what: impl Into<String>) -> ImportError {
    ImportError::Malformed {
        format,
        what: what.into(),
    }
}

/// A JSON object inside an export file, with its path for error messages.
pub(crate) struct Obj<'a> {
    format: Format,
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Obj<'a> {
    /// `value` as an object found at `path`.
    pub(crate) fn new(format: Format, path: String, value: &'a Value) -> Result<Self, ImportError> {
        match value {
            Value::Object(map) => Ok(Self { format, path, map }),
            _ => Err(malformed(
                format,
                format!("{} is not an object", shown(&path)),
            )),
        }
    }

    /// The path of `key` inside this object.
    fn path_of(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_owned()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A damaged-file error about `key`.
    pub(crate) fn error(&self, key: &str, problem: &str) -> ImportError {
        malformed(self.format, format!("{} {problem}", self.path_of(key)))
    }

    /// The value of `key`; `None` when absent or `null`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|value| !value.is_null())
    }

    /// Whether `key` is present (even as `null`).
    pub(crate) fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// A required string.
    pub(crate) fn str(&self, key: &str) -> Result<&'a str, ImportError> {
        self.opt_str(key)?
            .ok_or_else(|| self.error(key, "is missing"))
    }

    /// An optional string (absent or `null` is `None`).
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(self.error(key, "is not a string")),
        }
    }

    /// A required unsigned integer.
    pub(crate) fn u64(&self, key: &str) -> Result<u64, ImportError> {
        self.opt_u64(key)?
            .ok_or_else(|| self.error(key, "is missing"))
    }

    /// An optional unsigned integer.
    pub(crate) fn opt_u64(&self, key: &str) -> Result<Option<u64>, ImportError> {
        match self.get(key) {
            None => Ok(None),
            Some(value) => value
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.error(key, "is not a whole number of at least 0")),
        }
    }

    /// A required nested object.
    pub(crate) fn obj(&self, key: &str) -> Result<Obj<'a>, ImportError> {
        let value = self.get(key).ok_or_else(|| self.error(key, "is missing"))?;
        Obj::new(self.format, self.path_of(key), value)
    }

    /// An optional nested object.
    pub(crate) fn opt_obj(&self, key: &str) -> Result<Option<Obj<'a>>, ImportError> {
        self.get(key)
            .map(|value| Obj::new(self.format, self.path_of(key), value))
            .transpose()
    }

    /// A required array of objects, each with its path (`key[i]`).
    pub(crate) fn objects(&self, key: &str) -> Result<Vec<Obj<'a>>, ImportError> {
        match self.get(key) {
            None => Err(self.error(key, "is missing")),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, item)| Obj::new(self.format, format!("{}[{i}]", self.path_of(key)), item))
                .collect(),
            Some(_) => Err(self.error(key, "is not a list")),
        }
    }
}

/// The path as shown in messages; the top level is "the file".
fn shown(path: &str) -> &str {
    if path.is_empty() { "the file" } else { path }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn what(error: ImportError) -> String {
        match error {
            ImportError::Malformed { what, .. } => what,
            other => panic!("expected Malformed, got {other:?}"),
        }
    }

    #[test]
    fn errors_name_the_path_and_never_the_value() {
        let doc = Document::parse(
            Format::Aegis,
            br#"{"entries": [{"info": {"secret": 7, "period": "JBSWY3DP"}}]}"#,
        )
        .unwrap();
        let root = doc.root(Format::Aegis).unwrap();
        let entries = root.objects("entries").unwrap();
        let info = entries[0].obj("info").unwrap();
        assert_eq!(
            what(info.str("secret").unwrap_err()),
            "entries[0].info.secret is not a string"
        );
        let period = what(info.u64("period").unwrap_err());
        assert_eq!(
            period,
            "entries[0].info.period is not a whole number of at least 0"
        );
        assert!(!period.contains("JBSWY3DP"));
        assert_eq!(
            what(info.u64("digits").unwrap_err()),
            "entries[0].info.digits is missing"
        );
        assert_eq!(what(root.obj("db").err().unwrap()), "db is missing");
    }

    #[test]
    fn broken_json_names_line_and_column() {
        let error = Document::parse(Format::TwoFas, b"{\n  \"services\": [")
            .err()
            .unwrap();
        assert_eq!(what(error), "not valid JSON (line 2, column 15)");
    }

    #[test]
    fn null_counts_as_absent() {
        let doc = Document::parse(Format::Aegis, br#"{"slots": null, "n": 3}"#).unwrap();
        let root = doc.root(Format::Aegis).unwrap();
        assert!(root.has("slots") && root.get("slots").is_none());
        assert_eq!(root.opt_u64("n").unwrap(), Some(3));
        assert!(root.opt_obj("slots").unwrap().is_none());
    }

    #[test]
    fn strings_are_wiped_on_drop() {
        let mut value: Value = serde_json::from_str(r#"{"a": ["secret", {"b": "seed"}]}"#).unwrap();
        wipe(&mut value);
        assert_eq!(value, serde_json::json!({"a": ["", {"b": ""}]}));
    }
}
