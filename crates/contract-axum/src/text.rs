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
use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::util::primitives::StateID;
use regex_automata::util::start;

use crate::collect::{INVALID_CODE_KEYWORD, NOT_BLANK_PATTERN};

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
    /// The field code of a text that does not match, stated in the schema
    /// as `x-invalid-code`, where it names any failure of the text (a length
    /// rule's too). [`ErrorCode::INVALID_FORMAT`] is the table's own code
    /// for a refused pattern and is left unstated: the table then names a
    /// blank text `blank`, and a length rule's failure `too_short` or
    /// `too_long`, as for `#[validate(regex(..))]` on a `String`.
    const CODE: ErrorCode;
    /// What the text is, for the spec.
    const DESCRIPTION: &'static str;
    /// An example for the spec.
    const EXAMPLE: Option<&'static str> = None;
}

/// The rule of a text that is not blank: at least one character that is
/// not whitespace (Unicode's, so an ideographic space is blank too).
/// `Matching<NonBlank>` is the typed form of
/// `#[validate(regex(path = *NOT_BLANK, code = "blank"))]`: the same
/// pattern and code in the spec and the envelope, checked while the body is
/// parsed, for about two thirds of what the regex costs through `validator`.
/// `#[validate(length(..))]` works on it as on a `String`.
///
/// ```
/// use contract_axum::{Matching, NonBlank};
///
/// #[derive(serde::Deserialize, validator::Validate, schemars::JsonSchema)]
/// struct NewSeminar {
///     #[validate(length(max = 100))]
///     name: Matching<NonBlank>,
/// }
///
/// assert!(serde_json::from_str::<NewSeminar>(r#"{"name": "Rust"}"#).is_ok());
/// assert!(serde_json::from_str::<NewSeminar>(r#"{"name": " \u3000"}"#).is_err());
/// let schema = schemars::schema_for!(NewSeminar);
/// let name = &schema.as_value()["properties"]["name"];
/// assert_eq!(name["pattern"], r"\S");
/// assert_eq!(name["x-invalid-code"], "blank");
/// assert_eq!(name["maxLength"], 100);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct NonBlank;

impl TextRule for NonBlank {
    const PATTERN: &'static str = NOT_BLANK_PATTERN;
    const CODE: ErrorCode = ErrorCode::from_static("blank");
    const DESCRIPTION: &'static str = "Text with at least one character that is not whitespace.";
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
        if matcher_of::<R>().is_match(&text) {
            Ok(Self {
                text,
                rule: PhantomData,
            })
        } else {
            Err(R::CODE)
        }
    }
}

/// A compiled rule. A rule's pattern is short and its texts are shorter:
/// a fully built DFA answers in a few instructions a byte with no set-up,
/// where `Regex::is_match` spends some 200 instructions choosing an engine
/// and taking a cache from its pool. Patterns a small DFA cannot hold (or
/// whose assertions it does not support) stay with `Regex`.
enum Matcher {
    /// The DFA and its start state for a whole text (no byte before it),
    /// found once.
    Dfa(Box<dense::DFA<Vec<u32>>>, StateID),
    Regex(Regex),
}

/// The largest DFA built for a rule, and the most memory building it
/// may take; larger ones fall back to `Regex`.
const DFA_LIMIT: usize = 256 * 1024;

impl Matcher {
    fn new(pattern: &str) -> Self {
        let dfa = dense::Builder::new()
            .configure(
                dense::Config::new()
                    .start_kind(StartKind::Unanchored)
                    .dfa_size_limit(Some(DFA_LIMIT))
                    .determinize_size_limit(Some(DFA_LIMIT)),
            )
            .build(pattern);
        let dfa = dfa.ok().and_then(|dfa| {
            let start = dfa.start_state(&start::Config::new()).ok()?;
            Some((dfa, start))
        });
        match dfa {
            Some((dfa, start)) => Self::Dfa(Box::new(dfa), start),
            None => {
                Self::Regex(Regex::new(pattern).expect("a TextRule's PATTERN is a valid regex"))
            }
        }
    }

    fn is_match(&self, text: &str) -> bool {
        match self {
            Self::Dfa(dfa, start) => dfa_is_match(dfa, *start, text),
            Self::Regex(re) => re.is_match(text),
        }
    }
}

/// Whether `dfa`, from `start`, matches anywhere in `text`, stopping at the
/// first match. The DFA is unanchored and built with no quit bytes, and its
/// match states come one byte late, so any match state reached means a
/// match.
fn dfa_is_match(dfa: &dense::DFA<Vec<u32>>, start: StateID, text: &str) -> bool {
    let mut state = start;
    for &byte in text.as_bytes() {
        state = dfa.next_state(state, byte);
        if dfa.is_special_state(state) {
            if dfa.is_match_state(state) {
                return true;
            }
            if dfa.is_dead_state(state) {
                return false;
            }
        }
    }
    dfa.is_match_state(dfa.next_eoi_state(state))
}

/// `R`'s compiled pattern: compiled once per rule type for the life of
/// the process (rule types are few and fixed), and found per thread
/// without a lock.
fn matcher_of<R: TextRule>() -> &'static Matcher {
    type Compiled = RwLock<HashMap<TypeId, &'static Matcher>>;
    static COMPILED: LazyLock<Compiled> = LazyLock::new(Default::default);
    thread_local! {
        static SEEN: RefCell<Vec<(TypeId, &'static Matcher)>> = const { RefCell::new(Vec::new()) };
    }
    let id = TypeId::of::<R>();
    if let Some(m) = SEEN.with_borrow(|seen| seen.iter().find(|(t, _)| *t == id).map(|e| e.1)) {
        return m;
    }
    let known = COMPILED.read().expect("not poisoned").get(&id).copied();
    let m = known.unwrap_or_else(|| {
        *COMPILED
            .write()
            .expect("not poisoned")
            .entry(id)
            .or_insert_with(|| Box::leak(Box::new(Matcher::new(R::PATTERN))))
    });
    SEEN.with_borrow_mut(|seen| seen.push((id, m)));
    m
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

/// `#[validate(length(..))]` counts characters, as for a `String` (and as
/// JSON Schema's `minLength`/`maxLength` do).
impl<R> validator::ValidateLength<u64> for Matching<R> {
    fn length(&self) -> Option<u64> {
        Some(self.text.chars().count() as u64)
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
        Self::new(text).map_err(|_| serde::de::Error::custom(Refused::<R>(PhantomData)))
    }
}

/// The message of a refused text, its code (`invalid_time`), written
/// straight into the deserializer's error. One `write_str`: the error of
/// every refused text is built on the error path, and formatting arguments
/// (the pattern too) cost more than the rest of the message's making.
struct Refused<R>(PhantomData<fn() -> R>);

impl<R: TextRule> fmt::Display for Refused<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(R::CODE.as_str())
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
        });
        // `invalid_format` is the table's own code for a refused pattern:
        // left unstated, the table names the failure (`blank` for a blank
        // text), and a length rule beside the pattern keeps its own code.
        if R::CODE != ErrorCode::INVALID_FORMAT {
            schema.insert(INVALID_CODE_KEYWORD.into(), R::CODE.as_str().into());
        }
        if let Some(example) = R::EXAMPLE {
            schema.insert("examples".into(), serde_json::json!([example]));
        }
        schema
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The DFA (or its fallback) answers as `Regex::is_match` does.
    #[test]
    fn matchers_agree_with_regex() {
        let patterns = [
            r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
            r"\S",
            r"^[a-z][a-z0-9_]{0,62}$",
            r"^\p{Hangul}+$",
            r"(?i)^seminar-\d+$",
            // Unicode word boundaries: no DFA, so `Regex` answers.
            r"\bkim\b",
            r"^$",
        ];
        let texts = [
            "",
            " ",
            "\u{3000}",
            "09:30",
            "9:30",
            "24:00",
            "23:59",
            " 23:59",
            "23:59\n",
            "abc_1",
            "Abc",
            "김민수",
            "김 민수",
            "SEMINAR-12",
            "seminar-١٢",
            "kim",
            "kimchi",
            "a kim b",
            "é kim",
            "\t\n",
        ];
        for pattern in patterns {
            let (matcher, regex) = (Matcher::new(pattern), Regex::new(pattern).unwrap());
            for text in texts {
                assert_eq!(
                    matcher.is_match(text),
                    regex.is_match(text),
                    "{pattern:?} on {text:?}"
                );
            }
        }
        assert!(matches!(Matcher::new(r"\bkim\b"), Matcher::Regex(_)));
        assert!(matches!(Matcher::new(r"^[0-9]{2}$"), Matcher::Dfa(..)));
    }
}
