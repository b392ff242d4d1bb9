//! Error codes: the stable, snake_case strings clients switch on.

use std::borrow::Cow;
use std::fmt;

/// A stable machine code such as `validation_failed` or `seminar_full`.
///
/// Only `^[a-z][a-z0-9_]{0,62}$` is representable, so a code can always be
/// used as an identifier in generated clients and in log queries.
///
/// ```
/// use contract_core::ErrorCode;
///
/// const FULL: ErrorCode = ErrorCode::from_static("seminar_full");
/// assert_eq!(FULL.as_str(), "seminar_full");
/// assert!(ErrorCode::new("Seminar-Full").is_err());
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ErrorCode(Cow<'static, str>);

/// The reason a string is not an [`ErrorCode`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error codes match {pattern}; got {0:?}", pattern = ErrorCode::PATTERN)]
pub struct InvalidCode(pub String);

const fn is_valid(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > 63 || !b[0].is_ascii_lowercase() {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        let c = b[i];
        if !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_') {
            return false;
        }
        i += 1;
    }
    true
}

impl ErrorCode {
    /// What a code is, as a regular expression: the spec's `pattern` for
    /// `code` in the envelope and its field violations.
    pub const PATTERN: &'static str = "^[a-z][a-z0-9_]{0,62}$";

    /// A code from a literal, checked at compile time when used in a `const`.
    ///
    /// # Panics
    /// When `code` does not match `^[a-z][a-z0-9_]{0,62}$`.
    pub const fn from_static(code: &'static str) -> Self {
        assert!(is_valid(code), "error codes match ^[a-z][a-z0-9_]{{0,62}}$");
        Self(Cow::Borrowed(code))
    }

    /// A code from a runtime string.
    ///
    /// # Errors
    /// [`InvalidCode`] when `code` does not match `^[a-z][a-z0-9_]{0,62}$`.
    pub fn new(code: impl Into<Cow<'static, str>>) -> Result<Self, InvalidCode> {
        let code = code.into();
        if is_valid(&code) {
            Ok(Self(code))
        } else {
            Err(InvalidCode(code.into_owned()))
        }
    }

    /// A code from a runtime string, kept for the program's life (each
    /// distinct code once), so that cloning it never allocates: for codes
    /// read once and cloned per request (a compiled schema's).
    ///
    /// # Errors
    /// [`InvalidCode`], as [`ErrorCode::new`].
    pub fn interned(code: &str) -> Result<Self, InvalidCode> {
        if is_valid(code) {
            Ok(Self(Cow::Borrowed(crate::catalog::intern(code))))
        } else {
            Err(InvalidCode(code.to_owned()))
        }
    }

    /// The code as a `Cow`: borrowed (no allocation) for static codes.
    pub fn to_cow(&self) -> Cow<'static, str> {
        self.0.clone()
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for ErrorCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for ErrorCode {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl serde::Serialize for ErrorCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for ErrorCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::new(s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_snake_case_only() {
        for ok in ["a", "not_found", "e2e_failed", &"a".repeat(63)] {
            assert!(ErrorCode::new(ok.to_owned()).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "_x",
            "9lives",
            "NotFound",
            "not-found",
            "not found",
            "ünïcode",
            &"a".repeat(64),
        ] {
            assert!(ErrorCode::new(bad.to_owned()).is_err(), "{bad}");
        }
    }

    #[test]
    fn serde_round_trip_rejects_bad_codes() {
        let code: ErrorCode = serde_json::from_str("\"seminar_full\"").unwrap();
        assert_eq!(code, "seminar_full");
        assert!(serde_json::from_str::<ErrorCode>("\"Seminar\"").is_err());
    }
}
