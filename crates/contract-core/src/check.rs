//! [`Catalog::check`]: every message against the rules a phone sets.

use std::borrow::Cow;

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement, VariantKey};
use http::StatusCode;

use crate::catalog::{
    FALLBACK_FIELD_ID, FALLBACK_TOP_ID, LocaleMessages, Rendered, budget, display_width,
};
use crate::numbers::{self, BOUND};
use crate::{Catalog, CodeKind, ErrorCode, Locale, builtin_codes};

/// What a length or a count (`too_long`, `too_many_items`, an app's own
/// counted message) is tried with.
const COUNTS: &[&str] = &["0", "1", "2", "1000000"];

/// What a bound (a message that selects on `$bound`: `too_small`,
/// `too_large`) is tried with: small values, a decimal, the integer types'
/// limits, and the largest number a message shows. The type limits beyond
/// [`numbers::MAX_SHOWN`] must give the message without its number.
const BOUNDS: &[&str] = &[
    "0",
    "1",
    "2",
    "-1",
    "0.5",
    "-0.25",
    "1000000",
    "-2147483648",
    "4294967295",
    "9007199254740991",
    "-9007199254740991",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551615",
];

/// The values an app declares, tried besides the built-in ones.
struct AppValues<'a> {
    counts: &'a [u64],
    bounds: &'a [&'a str],
}

/// Words of the type system a person holding a phone should not read, by
/// language. Matched as whole words, ignoring case (as substrings in
/// scripts without spaces).
fn jargon(language: &str) -> &'static [&'static str] {
    match language {
        "en" => &[
            "null", "object", "boolean", "integer", "json", "string", "array",
        ],
        "de" => &[
            "null", "json", "objekt", "boolean", "integer", "string", "array",
        ],
        "fr" => &["null", "json", "objet", "booléen", "chaîne"],
        "es" => &["null", "json", "objeto", "booleano", "cadena", "arreglo"],
        "pt" => &["null", "json", "objeto", "booleano", "string", "array"],
        "ko" => &["null", "json", "객체", "불리언", "배열", "문자열"],
        "ja" => &["null", "json", "オブジェクト", "ブール", "配列", "文字列"],
        "zh" => &["null", "json", "对象", "布尔", "数组", "字符串", "字段"],
        _ => &["null", "json"],
    }
}

fn jargon_in(text: &str, language: &str) -> Option<&'static str> {
    let lower = text.to_lowercase();
    jargon(language).iter().copied().find(|word| {
        if word.is_ascii() || language != "ko" && language != "ja" && language != "zh" {
            lower
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == *word)
        } else {
            lower.contains(word)
        }
    })
}

/// The variables a message uses, read from its syntax.
#[derive(Default)]
struct Variables<'s> {
    /// Selected on with plural categories, or shown: tried with numbers.
    numbers: Vec<&'s str>,
    /// Selected on with their own keys (`$bound`): tried with each key.
    keys: Vec<(&'s str, Vec<&'s str>)>,
    /// Plural variants whose text hard-codes a number (`[one] 1 item`).
    hard_coded: Vec<&'s str>,
}

const PLURAL_CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

impl<'s> Variables<'s> {
    fn of(pattern: &ast::Pattern<&'s str>) -> Self {
        let mut v = Self::default();
        v.pattern(pattern);
        v.numbers.retain(|n| !v.keys.iter().any(|(k, _)| k == n));
        v
    }

    fn pattern(&mut self, pattern: &ast::Pattern<&'s str>) {
        for element in &pattern.elements {
            if let PatternElement::Placeable { expression } = element {
                self.expression(expression);
            }
        }
    }

    fn expression(&mut self, expression: &Expression<&'s str>) {
        match expression {
            Expression::Inline(inline) => self.inline(inline),
            Expression::Select { selector, variants } => {
                let plural = variants.iter().any(|v| match &v.key {
                    VariantKey::Identifier { name } => PLURAL_CATEGORIES.contains(name),
                    VariantKey::NumberLiteral { .. } => true,
                });
                match selector {
                    InlineExpression::VariableReference { id } if !plural || id.name == BOUND => {
                        let keys = variants
                            .iter()
                            .filter_map(|v| match &v.key {
                                VariantKey::Identifier { name } => Some(*name),
                                VariantKey::NumberLiteral { .. } => None,
                            })
                            .collect();
                        self.keys.push((id.name, keys));
                    }
                    other => self.inline(other),
                }
                for variant in variants {
                    if let VariantKey::Identifier { name } = &variant.key
                        && plural
                        && *name != "other"
                        && PLURAL_CATEGORIES.contains(name)
                        && variant.value.elements.iter().any(|e| {
                            matches!(e, PatternElement::TextElement { value }
                                if value.bytes().any(|b| b.is_ascii_digit()))
                        })
                    {
                        self.hard_coded.push(name);
                    }
                    self.pattern(&variant.value);
                }
            }
        }
    }

    fn inline(&mut self, inline: &InlineExpression<&'s str>) {
        match inline {
            InlineExpression::VariableReference { id } if !self.numbers.contains(&id.name) => {
                self.numbers.push(id.name);
            }
            InlineExpression::FunctionReference { arguments, .. } => {
                for a in &arguments.positional {
                    self.inline(a);
                }
            }
            InlineExpression::Placeable { expression } => self.expression(expression),
            _ => {}
        }
    }

    /// Every combination to try: each number with each value, each keyed
    /// variable with each key. Bounds are messages that select on `$bound`,
    /// and `too_small`/`too_large` whatever their text.
    fn trials(&self, id: &str, app: &AppValues<'_>) -> Vec<Vec<(&'static str, Cow<'static, str>)>> {
        let bound = self.keys.iter().any(|(k, _)| *k == BOUND)
            || id == ErrorCode::TOO_SMALL.as_str()
            || id == ErrorCode::TOO_LARGE.as_str();
        let values: Vec<String> = match (self.numbers.is_empty(), bound) {
            (true, _) => vec![String::new()],
            (false, true) => BOUNDS
                .iter()
                .map(|v| (*v).to_owned())
                .chain(app.bounds.iter().map(|v| (*v).to_owned()))
                .collect(),
            (false, false) => COUNTS
                .iter()
                .map(|v| (*v).to_owned())
                .chain(app.counts.iter().map(u64::to_string))
                .collect(),
        };
        let mut out: Vec<Vec<(&'static str, Cow<'static, str>)>> = values
            .iter()
            .map(|value| {
                self.numbers
                    .iter()
                    .map(|n| (crate::catalog::intern(n), Cow::Owned(value.clone())))
                    .collect()
            })
            .collect();
        for (name, keys) in &self.keys {
            let name = crate::catalog::intern(name);
            out = out
                .into_iter()
                .flat_map(|trial| {
                    keys.iter().map(move |key| {
                        let mut t = trial.clone();
                        t.push((name, Cow::Owned((*key).to_owned())));
                        t
                    })
                })
                .collect();
        }
        out
    }
}

impl Catalog {
    /// Checks every message against the rules a phone sets, in every locale
    /// this catalog holds. Each used id (the built-in codes plus `used`, the
    /// app's own message ids and where they appear) must have a message,
    /// and every id an app's file defines must be used. Each message is
    /// formatted with every value its numbers can receive: 0, 1, 2, a
    /// decimal, one million for counts and lengths; for bounds (messages
    /// that select on `$bound`) also the integer types' limits and the
    /// largest number shown, 2^53 − 1. With each it must
    /// - format, also when the number is a type's limit and is left out
    ///   (the `none` variant of `$bound`);
    /// - fit its [`budget`] in display columns;
    /// - show each number exactly as the locale writes it, and no other
    ///   number (a plural variant such as `[one] 1 item` prints 1 for 0 in
    ///   French and Portuguese, where `one` covers 0 too);
    /// - use no type-system word (`null`, `object`, `JSON`…; each locale has
    ///   its list).
    ///
    /// Run it in a test, or with `contract messages check`.
    ///
    /// ```
    /// use contract_core::{Catalog, CodeKind};
    /// use http::StatusCode;
    ///
    /// let top = CodeKind::Top(StatusCode::BAD_REQUEST);
    /// let catalog = Catalog::new().with_ftl("en.ftl", "seminar_full = Full.\nstale = Old.")?;
    /// let problems = catalog.check(&[("seminar_full", top)]);
    /// let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    /// assert!(text.contains(&"ko: `seminar_full` has no message".to_owned()));
    /// assert!(text.contains(&"en.ftl: `stale` is used by no code".to_owned()));
    /// # Ok::<(), contract_core::CatalogError>(())
    /// ```
    pub fn check(&self, used: &[(&str, CodeKind)]) -> Vec<MessageProblem> {
        self.check_with_values(used, &[], &[])
    }

    /// [`check`](Self::check), also trying the values the app declares:
    /// `counts`, its lengths and item counts (`maxLength`, `minItems`…),
    /// with every count message; `bounds`, its numeric bounds (`minimum`,
    /// `maximum`…), with every bound message. `contract messages check`
    /// reads both from the app's spec.
    ///
    /// ```
    /// use contract_core::Catalog;
    ///
    /// let up_to = "too_long = { $max ->\n *[other] Up to { $max } characters\n}";
    /// let catalog = Catalog::new().with_ftl("en.ftl", up_to)?;
    /// assert!(catalog.check_with_values(&[], &[], &[]).is_empty());
    /// let problems = catalog.check_with_values(&[], &[10_000_000_000_000], &[]);
    /// let en = problems.iter().map(ToString::to_string).find(|p| p.starts_with("en: `too_long`"));
    /// assert_eq!(
    ///     en.as_deref(),
    ///     Some("en: `too_long` is 35 columns, budget 32: Up to 10,000,000,000,000 characters"),
    /// );
    /// # Ok::<(), contract_core::CatalogError>(())
    /// ```
    pub fn check_with_values(
        &self,
        used: &[(&str, CodeKind)],
        counts: &[u64],
        bounds: &[&str],
    ) -> Vec<MessageProblem> {
        let app = AppValues { counts, bounds };
        let builtin = builtin_codes().iter().map(|i| (i.code.as_str(), i.kind));
        let fallbacks = [
            (FALLBACK_TOP_ID, CodeKind::Top(StatusCode::BAD_REQUEST)),
            (FALLBACK_FIELD_ID, CodeKind::Field),
        ];
        let all: Vec<(&str, CodeKind)> = builtin
            .chain(fallbacks)
            .chain(used.iter().copied())
            .collect();
        let mut problems = Vec::new();
        if !self.locales.contains(&self.default_locale) {
            problems.push(MessageProblem::NoDefaultLocale {
                locale: self.default_locale.clone(),
            });
        }
        for m in &self.messages {
            for &(id, kind) in &all {
                check_message(m, id, kind, &app, &mut problems);
            }
            for s in m.sources.iter().filter(|s| !s.builtin) {
                for entry in s.resource.entries() {
                    if let Entry::Message(msg) = entry
                        && !all.iter().any(|(id, _)| *id == msg.id.name)
                    {
                        problems.push(MessageProblem::Unused {
                            file: s.file.to_string(),
                            id: msg.id.name.to_owned(),
                        });
                    }
                }
            }
        }
        problems
    }

    /// [`check`](Self::check) for the codes an error type declares (its
    /// `DeclaredErrors`), each with its top-level budget: the test helper an
    /// app runs on its catalog.
    ///
    /// ```
    /// use contract_core::{Catalog, Declared, ErrorCode};
    ///
    /// let declared = [Declared::new(400, ErrorCode::from_static("seminar_full"), None)];
    /// let catalog = Catalog::new().with_ftl("en.ftl", "seminar_full = Full.")?;
    /// assert_eq!(catalog.check_declared(&declared).len(), 7, "7 locales lack it");
    /// # Ok::<(), contract_core::CatalogError>(())
    /// ```
    pub fn check_declared(&self, declared: &[crate::Declared]) -> Vec<MessageProblem> {
        let used: Vec<(&str, CodeKind)> = declared
            .iter()
            .map(|d| {
                let status = StatusCode::from_u16(d.status).unwrap_or(StatusCode::BAD_REQUEST);
                (d.message_id(), CodeKind::Top(status))
            })
            .collect();
        self.check(&used)
    }
}

/// Checks one message of one locale; at most one problem of each kind.
fn check_message(
    m: &LocaleMessages,
    id: &str,
    kind: CodeKind,
    app: &AppValues<'_>,
    out: &mut Vec<MessageProblem>,
) {
    let locale = &m.locale;
    let Some(pattern) = m.bundle.get_message(id).and_then(|msg| msg.value()) else {
        out.push(MessageProblem::Missing {
            locale: locale.clone(),
            id: id.to_owned(),
        });
        return;
    };
    let vars = Variables::of(pattern);
    if let Some(variant) = vars.hard_coded.first() {
        out.push(MessageProblem::HardCodedPlural {
            locale: locale.clone(),
            id: id.to_owned(),
            variant: (*variant).to_owned(),
        });
    }
    let language = locale.id().language.as_str();
    let (mut widest, mut wrong, mut jargon_seen) = (None::<(usize, String)>, false, false);
    for trial in vars.trials(id, app) {
        let value = trial
            .iter()
            .find(|(n, _)| vars.numbers.contains(n))
            .map(|(_, v)| v.to_string());
        let text = match m.render(id, &trial) {
            Rendered::Text(text) => text,
            Rendered::Missing => return,
            Rendered::Broken(error) => {
                let with: Vec<String> = trial.iter().map(|(n, v)| format!("{n} = {v}")).collect();
                out.push(MessageProblem::Broken {
                    locale: locale.clone(),
                    id: id.to_owned(),
                    error: if with.is_empty() {
                        error
                    } else {
                        format!("with {}: {error}", with.join(", "))
                    },
                });
                return;
            }
        };
        let width = display_width(&text);
        if widest.as_ref().is_none_or(|(w, _)| width > *w) {
            widest = Some((width, text.to_string()));
        }
        if !jargon_seen && let Some(word) = jargon_in(&text, language) {
            jargon_seen = true;
            out.push(MessageProblem::Jargon {
                locale: locale.clone(),
                id: id.to_owned(),
                word: word.to_owned(),
                message: text.to_string(),
            });
        }
        if !wrong
            && let Some(value) = value
            && let Some(shown) = wrong_number(&text, &value, locale)
        {
            {
                wrong = true;
                out.push(MessageProblem::WrongNumber {
                    locale: locale.clone(),
                    id: id.to_owned(),
                    value,
                    shown: shown.to_owned(),
                    message: text.to_string(),
                });
            }
        }
    }
    if let Some((width, message)) = widest
        && width > budget(kind)
    {
        out.push(MessageProblem::OverBudget {
            locale: locale.clone(),
            id: id.to_owned(),
            width,
            budget: budget(kind),
            message,
        });
    }
}

/// The first number `text` shows that is not `value` exactly as `locale`
/// writes it (any number, where `value` is not shown at all).
fn wrong_number<'t>(text: &'t str, value: &str, locale: &Locale) -> Option<&'t str> {
    let expected = numbers::decimal(value)
        .filter(|_| matches!(numbers::arg(value), numbers::Arg::Value(_)))
        .map(|d| numbers::display(&d, locale.id()));
    numbers::numbers_in(text)
        .into_iter()
        .find(|n| expected.as_deref() != Some(*n))
}

/// What [`Catalog::check`] finds wrong with a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MessageProblem {
    /// A used id has no message in a locale the catalog ships.
    #[error("{locale}: `{id}` has no message")]
    Missing {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
    },
    /// The message is wider than its budget.
    #[error("{locale}: `{id}` is {width} columns, budget {budget}: {message}")]
    OverBudget {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
        /// Its display width, with the widest parameters.
        width: usize,
        /// The budget.
        budget: usize,
        /// The message as formatted.
        message: String,
    },
    /// The message does not format (an unknown variable or reference, or
    /// no variant for a number that is not shown), with the values tried.
    #[error("{locale}: `{id}` does not format {error}")]
    Broken {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
        /// The values tried and Fluent's error.
        error: String,
    },
    /// The message shows a number other than its parameter's, exactly as
    /// the locale writes it: a rounded bound, or a number in the text.
    #[error("{locale}: `{id}` shows {shown} for {value}: {message}")]
    WrongNumber {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
        /// The value given.
        value: String,
        /// The number the message shows.
        shown: String,
        /// The message as formatted.
        message: String,
    },
    /// A plural variant other than `other` writes a number instead of the
    /// placeable: CLDR's categories are not numbers (`one` is 0 and 1 in
    /// French and Portuguese).
    #[error("{locale}: `{id}` writes a number in its [{variant}] variant; use the placeable")]
    HardCodedPlural {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
        /// The variant's key.
        variant: String,
    },
    /// The message uses a type-system word.
    #[error("{locale}: `{id}` says `{word}`, a word of the type system: {message}")]
    Jargon {
        /// The locale.
        locale: Locale,
        /// The message id.
        id: String,
        /// The word.
        word: String,
        /// The message as formatted.
        message: String,
    },
    /// The default locale has no file: clients that state no supported
    /// preference would get English under its tag.
    #[error("the default locale {locale} has no .ftl file")]
    NoDefaultLocale {
        /// The default locale.
        locale: Locale,
    },
    /// An app's file defines an id no code uses.
    #[error("{file}: `{id}` is used by no code")]
    Unused {
        /// The file.
        file: String,
        /// The message id.
        id: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(file: &str, ftl: &str) -> Vec<MessageProblem> {
        Catalog::new().with_ftl(file, ftl).unwrap().check(&[])
    }

    #[test]
    fn the_builtin_catalogs_pass_with_every_extreme() {
        let found: Vec<String> = Catalog::new()
            .check(&[])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn a_rounded_bound_is_a_wrong_number() {
        let en = Locale::from_static("en");
        // What Fluent's own formatting (through `f64`) makes of these.
        let rounded = "At most 9223372036854776000";
        assert_eq!(
            wrong_number(rounded, "9223372036854775807", &en),
            Some("9223372036854776000")
        );
        let rounded = "At most 9,007,199,254,740,992";
        assert!(wrong_number(rounded, "9007199254740993", &en).is_some());
        assert_eq!(
            wrong_number("At most 0.5", "0.5", &Locale::from_static("de")),
            Some("0.5")
        );
        assert_eq!(
            wrong_number("Maximum 0,5", "0.5", &Locale::from_static("de")),
            None
        );
        // A number in the text of a message that takes one.
        let found = problems(
            "en.ftl",
            "too_long = { $max ->\n *[other] At most { $max } characters (of 1000)\n}",
        );
        assert!(
            found.iter().any(
                |p| matches!(p, MessageProblem::WrongNumber { id, shown, .. }
                if id == "too_long" && shown == "1000")
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn a_bound_without_a_variant_for_no_number_names_the_value() {
        let found = problems("en.ftl", "too_large = At most { $max }");
        let text: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|t| t.starts_with("en: `too_large` does not format with max = ")),
            "{text:#?}"
        );
    }

    #[test]
    fn a_plural_variant_that_writes_1_is_caught_where_one_covers_0() {
        let found = problems(
            "fr.ftl",
            "too_long = { $max ->\n [one] 1 caractère maximum\n *[other] { $max } caractères maximum\n}",
        );
        assert!(found.iter().any(
            |p| matches!(p, MessageProblem::HardCodedPlural { id, variant, .. }
            if id == "too_long" && variant == "one")
        ));
        assert!(
            found.iter().any(
                |p| matches!(p, MessageProblem::WrongNumber { value, shown, .. }
                if value == "0" && shown == "1")
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn type_words_are_jargon() {
        let found = problems("en.ftl", "not_object = Must be an object");
        assert!(
            found
                .iter()
                .any(|p| matches!(p, MessageProblem::Jargon { word, .. } if word == "object"))
        );
        let found = problems("zh-Hans.ftl", "unknown_field = 未知字段");
        assert!(
            found
                .iter()
                .any(|p| matches!(p, MessageProblem::Jargon { word, .. } if word == "字段"))
        );
    }

    #[test]
    fn a_message_over_budget_at_the_largest_number_shown() {
        let found = problems(
            "en.ftl",
            "too_small = { $bound ->\n [none] Too small\n *[inclusive] The smallest value you may enter is { $min }\n}",
        );
        assert!(
            found.iter().any(
                |p| matches!(p, MessageProblem::OverBudget { id, message, .. }
                if id == "too_small" && message.contains("-9,007,199,254,740,991"))
            ),
            "{found:#?}"
        );
    }

    #[test]
    fn numbers_are_exact_localized_or_left_out() {
        let c = Catalog::new();
        let l = Locale::from_static;
        let max = |v: &'static str| [("max", Cow::Borrowed(v))];
        assert_eq!(
            c.field_message("too_large", &l("en"), &max("9223372036854775807")),
            "Too large"
        );
        assert_eq!(
            c.field_message("too_large", &l("en"), &max("9007199254740991")),
            "At most 9,007,199,254,740,991"
        );
        assert_eq!(
            c.field_message("too_large", &l("de"), &max("0.5")),
            "Maximum 0,5"
        );
        assert_eq!(
            c.field_message("too_large", &l("fr"), &max("10000")),
            "10\u{202f}000 maximum"
        );
        assert_eq!(
            c.field_message("too_long", &l("fr"), &max("0")),
            "0 caractère maximum"
        );
        assert_eq!(
            c.field_message("too_long", &l("pt-BR"), &max("0")),
            "No máximo 0 caractere"
        );
        let exclusive = [
            ("min", Cow::Borrowed("0")),
            ("bound", Cow::Borrowed("exclusive")),
        ];
        assert_eq!(
            c.field_message("too_small", &l("en"), &exclusive),
            "More than 0"
        );
        // An app's message that needs the number falls back, in the same
        // locale, to the message without it.
        let app = Catalog::new()
            .with_ftl("ko.ftl", "too_large = { $max } 이하")
            .unwrap();
        assert_eq!(
            app.field_message("too_large", &l("ko"), &max("18446744073709551615")),
            "값이 올바르지 않습니다"
        );
    }
}
