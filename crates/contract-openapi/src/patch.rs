//! [`Patch`]: a tri-state request field for partial updates.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

/// A field of a partial update: absent leaves the value as it is, `null`
/// clears it, a value sets it.
///
/// Use with `#[serde(default)]` so that absence deserializes to
/// [`Patch::Absent`]. The schema is the value's, plus `null`, marked
/// `x-patch: true`, and never required.
///
/// ```
/// use contract_openapi::Patch;
///
/// #[derive(serde::Deserialize)]
/// struct UpdateMe {
///     #[serde(default)]
///     year: Patch<u32>,
/// }
///
/// let p: UpdateMe = serde_json::from_str("{}").unwrap();
/// assert_eq!(p.year, Patch::Absent);
/// let p: UpdateMe = serde_json::from_str(r#"{"year": null}"#).unwrap();
/// assert_eq!(p.year, Patch::Null);
/// let p: UpdateMe = serde_json::from_str(r#"{"year": 3}"#).unwrap();
/// assert_eq!(p.year, Patch::Value(3));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Patch<T> {
    /// Not in the request: leave as is.
    #[default]
    Absent,
    /// `null`: clear.
    Null,
    /// A value: set.
    Value(T),
}

impl<T> Patch<T> {
    /// `None` when absent; `Some(None)` to clear; `Some(Some(v))` to set.
    pub fn into_option(self) -> Option<Option<T>> {
        match self {
            Patch::Absent => None,
            Patch::Null => Some(None),
            Patch::Value(v) => Some(Some(v)),
        }
    }

    /// Whether the field was absent.
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }

    /// The value, when one was sent.
    pub fn as_value(&self) -> Option<&T> {
        match self {
            Patch::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The same update with the value mapped by `f`.
    ///
    /// ```
    /// use contract_openapi::Patch;
    ///
    /// assert_eq!(Patch::Value(3_u32).map(i64::from), Patch::Value(3_i64));
    /// assert_eq!(Patch::<u32>::Null.map(i64::from), Patch::Null);
    /// ```
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Absent => Patch::Absent,
            Patch::Null => Patch::Null,
            Patch::Value(v) => Patch::Value(f(v)),
        }
    }
}

/// `None` is absent, `Some(None)` is null, `Some(Some(v))` a value.
impl<T> From<Option<Option<T>>> for Patch<T> {
    fn from(value: Option<Option<T>>) -> Self {
        match value {
            None => Patch::Absent,
            Some(None) => Patch::Null,
            Some(Some(v)) => Patch::Value(v),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Patch<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(d)? {
            None => Patch::Null,
            Some(v) => Patch::Value(v),
        })
    }
}

impl<T: JsonSchema> JsonSchema for Patch<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        format!("Patch_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut inner = generator.subschema_for::<Option<T>>();
        inner.insert(contract_core::keyword::PATCH.to_owned(), true.into());
        inner
    }
}
