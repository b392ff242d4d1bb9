//! [`Matching`]: a text value whose rule, a regular expression, is stated
//! once and both published and enforced from there.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use contract_core::ErrorCode;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{LazyLock, RwLock};

use regex::Regex;

use crate::collect::INVALID_CODE_KEYWORD;

/// The rule of a [`Matching`] text: a pattern and the field code a text
/// that does not match it is reported with.
///
/// ```
/// use contract_axum::{ErrorCode, Matching, TextRule};
///
/// /// `HH:MM`, 24-hour.
/// struct HhMm;
///
/// impl TextRule for HhMm {
///     const PATTERN: &'static str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
///     const CODE: ErrorCode = ErrorCode::from_static("invalid_time");
///     const DESCRIPTION: &'static str = "A time of day, `HH:MM`, 24-hour.";
///     const EXAMPLE: Option<&'static str> = Some("09:30");
/// }
///
/// type Time = Matching<HhMm>;
///
/// let t: Time = serde_json::from_str(r#""09:30""#).unwrap();
/// assert_eq!(t.as_str(), "09:30");
/// assert!(serde_json::from_str::<Time>(r#""9:30""#).is_err());
/// let schema = schemars::schema_for!(Time);
/// assert_eq!(schema.get("pattern").unwrap(), HhMm::PATTERN);
/// assert_eq!(schema.get("x-invalid-code").unwrap(), "invalid_time");
/// ```
pub trait TextRule: 'static {
    /// The regular expression a text must match (`regex` syntax, which
    /// JSON Schema's `pattern` shares for the usual classes and anchors).
    const PATTERN: &'static str;
    /// The field code of a text that does not match.
    const CODE: ErrorCode;
    /// What the text is, for the spec.
    const DESCRIPTION: &'static str;
    /// An example for the spec.
    const EXAMPLE: Option<&'static str> = None;
}

/// A text that matches `R`'s pattern. The rule is written once, in `R`:
/// deserializing checks it, and the schema publishes it (`pattern` and
/// `x-invalid-code`), which is what the request walk reports a refused
/// text from. So the spec, the happy path and the error path cannot
/// disagree.
pub struct Matching<R> {
    text: String,
    rule: PhantomData<fn() -> R>,
}

impl<R: TextRule> Matching<R> {
    /// `text` when it matches the rule.
    ///
    /// # Errors
    /// The rule's code when it does not.
    pub fn new(text: impl Into<String>) -> Result<Self, ErrorCode> {
        let text = text.into();
        if regex_of::<R>().is_match(&text) {
            Ok(Self {
                text,
                rule: PhantomData,
            })
        } else {
            Err(R::CODE)
        }
    }
}

/// `R`'s compiled pattern: compiled once per rule type for the life of
/// the process (rule types are few and fixed), and found per thread
/// without a lock.
fn regex_of<R: TextRule>() -> &'static Regex {
    type Compiled = RwLock<HashMap<TypeId, &'static Regex>>;
    static COMPILED: LazyLock<Compiled> = LazyLock::new(Default::default);
    thread_local! {
        static SEEN: RefCell<Vec<(TypeId, &'static Regex)>> = const { RefCell::new(Vec::new()) };
    }
    let id = TypeId::of::<R>();
    if let Some(re) = SEEN.with_borrow(|seen| seen.iter().find(|(t, _)| *t == id).map(|e| e.1)) {
        return re;
    }
    let known = COMPILED.read().expect("not poisoned").get(&id).copied();
    let re = known.unwrap_or_else(|| {
        *COMPILED
            .write()
            .expect("not poisoned")
            .entry(id)
            .or_insert_with(|| {
                let re = Regex::new(R::PATTERN).expect("a TextRule's PATTERN is a valid regex");
                Box::leak(Box::new(re))
            })
    });
    SEEN.with_borrow_mut(|seen| seen.push((id, re)));
    re
}

impl<R> Matching<R> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The text, owned.
    pub fn into_inner(self) -> String {
        self.text
    }
}

impl<R> Deref for Matching<R> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl<R> fmt::Debug for Matching<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text.fmt(f)
    }
}

impl<R> fmt::Display for Matching<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.text.fmt(f)
    }
}

impl<R> Clone for Matching<R> {
    fn clone(&self) -> Self {
        Self {
            text: self.text.clone(),
            rule: PhantomData,
        }
    }
}

impl<R> PartialEq for Matching<R> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl<R> Eq for Matching<R> {}

impl<R> std::hash::Hash for Matching<R> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text.hash(state);
    }
}

impl<R> Serialize for Matching<R> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de, R: TextRule> Deserialize<'de> for Matching<R> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::new(text).map_err(|code| serde::de::Error::custom(format!("{code}: {}", R::PATTERN)))
    }
}

impl<R: TextRule> JsonSchema for Matching<R> {
    fn schema_name() -> Cow<'static, str> {
        "Matching".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut schema = json_schema!({
            "description": R::DESCRIPTION,
            "type": "string",
            "pattern": R::PATTERN,
            INVALID_CODE_KEYWORD: R::CODE.as_str(),
        });
        if let Some(example) = R::EXAMPLE {
            schema.insert("examples".into(), serde_json::json!([example]));
        }
        schema
    }
}
