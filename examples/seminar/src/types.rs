//! Request value types with their wire rules: a time of day, a lenient
//! boolean, a user reference, names.

use std::borrow::Cow;
use std::sync::LazyLock;

use contract_axum::{ErrorCode, INVALID_CODE_KEYWORD, Matching, TextRule};
use contract_openapi::ALTERNATE_KEYWORD;
use regex::Regex;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// `"HH:MM"`, 24-hour: the rule of [`Time`], stated once.
pub(crate) struct HhMm;

impl TextRule for HhMm {
    const PATTERN: &'static str = "^([01][0-9]|2[0-3]):[0-5][0-9]$";
    const CODE: ErrorCode = ErrorCode::from_static("invalid_time");
    const DESCRIPTION: &'static str = "A time of day, `HH:MM`, 24-hour.";
    const EXAMPLE: Option<&'static str> = Some("09:30");
}

/// A time of day, `"HH:MM"`, 24-hour.
pub(crate) type Time = Matching<HhMm>;

/// A boolean that also accepts `"true"` and `"false"` in any letter case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LenientBool(pub(crate) bool);

const BOOL_TEXT_PATTERN: &str = "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee])$";

impl<'de> Deserialize<'de> for LenientBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Bool(bool),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Bool(b) => Ok(LenientBool(b)),
            Raw::Text(t) if t.eq_ignore_ascii_case("true") => Ok(LenientBool(true)),
            Raw::Text(t) if t.eq_ignore_ascii_case("false") => Ok(LenientBool(false)),
            Raw::Text(_) => Err(serde::de::Error::custom("expected a boolean")),
        }
    }
}

impl JsonSchema for LenientBool {
    fn schema_name() -> Cow<'static, str> {
        "LenientBool".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A boolean; the strings `true` and `false` in any letter case are accepted too.",
            "anyOf": [
                { "type": "boolean" },
                // Accepted, but published as an alternate: generated clients send booleans.
                {
                    "type": "string",
                    "pattern": BOOL_TEXT_PATTERN,
                    INVALID_CODE_KEYWORD: "not_boolean",
                    ALTERNATE_KEYWORD: true,
                },
            ],
        })
    }
}

/// A user in a path: `me` or a positive id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum UserRef {
    /// The caller.
    Me,
    /// A user id.
    Id(i64),
}

impl UserRef {
    /// The user's id (`me` is `caller`).
    pub(crate) fn resolve(self, caller: i64) -> i64 {
        match self {
            UserRef::Me => caller,
            UserRef::Id(id) => id,
        }
    }
}

const USER_REF_PATTERN: &str = "^(me|[1-9][0-9]*)$";

/// `me`, or an id up to `i64::MAX` (9223372036854775807), as a pattern:
/// any id of up to 18 digits, and the 19-digit ones that do not exceed it.
static USER_ID_RANGE: LazyLock<String> = LazyLock::new(|| {
    let max = i64::MAX.to_string();
    let mut branches = vec![
        "me".to_owned(),
        format!("[1-9][0-9]{{0,{}}}", max.len() - 2),
    ];
    for (i, d) in max.bytes().map(|b| b - b'0').enumerate() {
        let low = u8::from(i == 0);
        if d > low {
            let rest = match max.len() - i - 1 {
                0 => String::new(),
                n => format!("[0-9]{{{n}}}"),
            };
            branches.push(format!("{}[{low}-{}]{rest}", &max[..i], d - 1));
        }
    }
    branches.push(max);
    format!("^({})$", branches.join("|"))
});

impl<'de> Deserialize<'de> for UserRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        static RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(USER_REF_PATTERN).expect("valid"));
        let s = String::deserialize(d)?;
        if !RE.is_match(&s) {
            return Err(serde::de::Error::custom("expected me or a positive id"));
        }
        match s.as_str() {
            "me" => Ok(UserRef::Me),
            // Beyond `i64`: the schema's range rule names it `too_large`.
            id => id
                .parse()
                .map(UserRef::Id)
                .map_err(serde::de::Error::custom),
        }
    }
}

impl JsonSchema for UserRef {
    fn schema_name() -> Cow<'static, str> {
        "UserRef".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Two rules, in order: the form (`invalid_format`), then the range
        // of an id (`too_large`, as an integer path parameter's).
        json_schema!({
            "description": "`me`, or a user's id (a positive integer).",
            "type": "string",
            "allOf": [
                { "pattern": USER_REF_PATTERN },
                { "pattern": &*USER_ID_RANGE, INVALID_CODE_KEYWORD: "too_large" },
            ],
            "examples": ["me", "42"],
        })
    }
}

/// Letters only (Latin and Hangul), for first and last names; may be empty.
pub(crate) struct Letters;

impl TextRule for Letters {
    const PATTERN: &'static str =
        r"^[A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u3131-\u318E\uAC00-\uD7A3]*$";
    const CODE: ErrorCode = ErrorCode::INVALID_FORMAT;
    const DESCRIPTION: &'static str = "Letters only (Latin and Hangul); may be empty.";
}

/// Puts "both names or neither" in a body's schema (`#[schemars(transform =
/// both_names_or_neither)]`): a non-empty `first_name` requires a non-empty
/// `last_name`, and the other way round (`""` and null count as not given,
/// and a missing name is reported as `required`). The rule is written here
/// only: extraction checks it, with the body's other rules, from the schema.
pub(crate) fn both_names_or_neither(schema: &mut Schema) {
    let given = |name: &str| json!({ "required": [name], "properties": { name: { "type": "string", "minLength": 1 } } });
    let needed = |name: &str| json!({ "required": [name], "properties": { name: { "type": "string", "minLength": 1, INVALID_CODE_KEYWORD: "required" } } });
    let rule = |a: &str, b: &str| json!({ "if": given(a), "then": needed(b) });
    let rules = [
        rule("first_name", "last_name"),
        rule("last_name", "first_name"),
    ];
    match schema.ensure_object().entry("allOf") {
        serde_json::map::Entry::Occupied(mut e) => {
            if let Value::Array(all) = e.get_mut() {
                all.extend(rules);
            }
        }
        serde_json::map::Entry::Vacant(e) => {
            e.insert(Value::Array(rules.into()));
        }
    }
}

/// One line of text: at least one visible character (not whitespace, not
/// a control or an invisible format character such as a zero-width space
/// or a soft hyphen), no control characters (PostgreSQL cannot store NUL,
/// and no client wants the rest), and no bidirectional embedding, override
/// or isolate (they make one name read as another).
///
/// Characters up to U+00FF are written `\xHH`, the others `\uHHHH`: every
/// client generator's regex dialect reads both, and a generator that turns
/// `\u` escapes into the characters themselves (hey-api's zod plugin) would
/// write NUL and the other controls into its source, which git and grep then
/// take for a binary file.
pub(crate) struct Line;

impl TextRule for Line {
    const PATTERN: &'static str = concat!(
        r"^[^\x00-\x1F\x7F\u202A-\u202E\u2066-\u2069]*",
        r"[^\s\x00-\x1F\x7F-\x9F\xAD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]",
        r"[^\x00-\x1F\x7F\u202A-\u202E\u2066-\u2069]*$",
    );
    const CODE: ErrorCode = ErrorCode::INVALID_FORMAT;
    const DESCRIPTION: &'static str = "One line of text, with a visible character.";
}

/// Text without control characters; may be empty.
pub(crate) struct NoControl;

impl TextRule for NoControl {
    const PATTERN: &'static str = r"^[^\x00-\x1F\x7F]*$";
    const CODE: ErrorCode = ErrorCode::INVALID_FORMAT;
    const DESCRIPTION: &'static str = "Text without control characters.";
}

/// An instructor's years of experience: a whole number from 0 to
/// [`Years::MAX`]. A bound a person can read: no career is longer, and a
/// larger number is a typo (the type's own limit would tell nobody anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub(crate) struct Years(u8);

impl Years {
    /// The most years of experience accepted.
    pub(crate) const MAX: u8 = 100;
}

impl From<Years> for i64 {
    fn from(y: Years) -> i64 {
        y.0.into()
    }
}

impl<'de> Deserialize<'de> for Years {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        u8::try_from(n)
            .ok()
            .filter(|y| *y <= Self::MAX)
            .map(Years)
            .ok_or_else(|| serde::de::Error::custom("expected 0 to 100 years"))
    }
}

impl JsonSchema for Years {
    fn schema_name() -> Cow<'static, str> {
        "Years".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "integer",
            "format": "int64",
            "minimum": 0,
            "maximum": Self::MAX,
        })
    }
}
