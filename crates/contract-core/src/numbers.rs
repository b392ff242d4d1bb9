//! Numbers in messages: exact, in the locale's own digits and separators
//! (ICU4X's `icu_decimal`, with CLDR data compiled in), or not shown at all.
//!
//! A message parameter that reads as a number reaches Fluent as a number,
//! so plurals select on it, only when the value is exact there: an integer
//! of magnitude at most [`MAX_SHOWN`] or a decimal that round-trips. The
//! bundle's formatter then writes it with `icu_decimal`, never with `f64`'s
//! `to_string` (which shows `9223372036854775807` as `9223372036854776000`).
//! Any other number is a machine limit, not a rule a person set: the
//! message is given without it (see [`BOUND`]).

use std::borrow::Cow;

use fluent_bundle::FluentValue;
use fluent_bundle::types::FluentNumber;
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use intl_memoizer::Memoizable;
use intl_memoizer::concurrent::IntlLangMemoizer;
use unic_langid::LanguageIdentifier;

/// The largest magnitude a message shows: 2^53 − 1, the largest integer
/// every client (JavaScript's `Number` too) holds exactly. Beyond it a
/// bound is a type's limit, and the message is given without the number.
pub const MAX_SHOWN: i64 = (1 << 53) - 1;

/// The parameter that says what kind of bound `min`/`max` is, selected on
/// by `too_small` and `too_large`: `inclusive`, `exclusive`, or `none` (no
/// number is shown: the bound is only the type's range, or cannot be shown
/// exactly). When absent it is `inclusive` if a `min` or `max` is given,
/// else `none`.
pub const BOUND: &str = "bound";

/// What a parameter's text is in a message.
pub(crate) enum Arg {
    /// Text, or a number exact in Fluent.
    Value(FluentValue<'static>),
    /// A number that cannot be shown exactly.
    Unshowable,
}

/// Reads a parameter: numbers (`-12`, `0.5`) become Fluent numbers when
/// they are exact there; anything else stays text.
pub(crate) fn arg(text: &str) -> Arg {
    // Integers, the common case, without a decimal's parse.
    if let Ok(int) = text.parse::<i128>() {
        return if int.unsigned_abs() <= u128::from(MAX_SHOWN.unsigned_abs()) {
            Arg::Value(FluentValue::from(int as f64))
        } else {
            Arg::Unshowable
        };
    }
    let Some(exact) = decimal(text) else {
        return Arg::Value(FluentValue::String(Cow::Owned(text.to_owned())));
    };
    let Ok(float) = text.parse::<f64>() else {
        return Arg::Unshowable;
    };
    if float.abs() > MAX_SHOWN as f64 {
        return Arg::Unshowable;
    }
    // A decimal whose shortest `f64` reading differs would be shown wrong.
    if decimal(&float.to_string()).is_none_or(|d| !same(&d, &exact)) {
        return Arg::Unshowable;
    }
    Arg::Value(FluentValue::try_number(text).into_owned())
}

/// The exact value of a plain decimal numeral (`-12`, `0.50`); `None` for
/// anything else (`1e5`, `inf`, `0x1f`, text).
pub(crate) fn decimal(text: &str) -> Option<Decimal> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
        && (frac.is_empty() != digits.contains('.'));
    if !plain {
        return None;
    }
    text.parse().ok()
}

fn same(a: &Decimal, b: &Decimal) -> bool {
    let (mut a, mut b) = (a.clone(), b.clone());
    a.trim_end();
    b.trim_end();
    a == b
}

/// `value` as `locale` writes it.
pub(crate) fn display(value: &Decimal, locale: &LanguageIdentifier) -> String {
    match LocaleDigits::construct(locale.clone(), ()) {
        Ok(digits) => digits.0.format(value).to_string(),
        Err(()) => value.to_string(),
    }
}

/// The bundle's formatter: Fluent numbers in the bundle's locale, through
/// ICU4X. Other values keep Fluent's own formatting.
pub(crate) fn format(value: &FluentValue<'_>, intls: &IntlLangMemoizer) -> Option<String> {
    let FluentValue::Number(n) = value else {
        return None;
    };
    let d = fluent_decimal(n)?;
    intls
        .with_try_get::<LocaleDigits, _, _>((), |digits| digits.0.format(&d).to_string())
        .ok()
}

/// A Fluent number as a decimal. Only values [`arg`] let through reach
/// here, so the `f64` holds them exactly.
fn fluent_decimal(n: &FluentNumber) -> Option<Decimal> {
    let v = n.value;
    if !v.is_finite() || v.abs() > MAX_SHOWN as f64 {
        return None;
    }
    let mut d = if v.fract() == 0.0 {
        Decimal::from(v as i64)
    } else {
        decimal(&v.to_string())?
    };
    if let Some(min) = n.options.minimum_fraction_digits {
        d.pad_end(-i16::try_from(min).ok()?);
    }
    Some(d)
}

/// A locale's decimal formatter, built once per bundle by Fluent's memoizer.
struct LocaleDigits(DecimalFormatter);

impl Memoizable for LocaleDigits {
    type Args = ();
    type Error = ();

    fn construct(lang: LanguageIdentifier, _: ()) -> Result<Self, ()> {
        let locale: icu_locale_core::Locale = lang.to_string().parse().map_err(|_| ())?;
        DecimalFormatter::try_new((&locale).into(), Default::default())
            .map(LocaleDigits)
            .map_err(|_| ())
    }
}

/// The numbers in `text`: runs of digits with the separators locales put
/// between them (`1,000`, `0,5`, `10 000`), with a leading minus sign.
pub(crate) fn numbers_in(text: &str) -> Vec<&str> {
    const SEPARATORS: &[char] = &['.', ',', ' ', '\u{a0}', '\u{202f}', '\'', '’'];
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].1.is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut start = chars[i].0;
        if i > 0 && matches!(chars[i - 1].1, '-' | '\u{2212}') {
            start = chars[i - 1].0;
        }
        let mut j = i;
        while j + 1 < chars.len() {
            let next = chars[j + 1].1;
            if next.is_ascii_digit() {
                j += 1;
            } else if SEPARATORS.contains(&next)
                && chars.get(j + 2).is_some_and(|c| c.1.is_ascii_digit())
            {
                j += 2;
            } else {
                break;
            }
        }
        let end = chars.get(j + 1).map_or(text.len(), |c| c.0);
        out.push(&text[start..end]);
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(s: &str) -> LanguageIdentifier {
        s.parse().unwrap()
    }

    #[test]
    fn numbers_are_exact_and_in_the_locales_own_format() {
        let d = |s: &str| decimal(s).unwrap();
        assert_eq!(
            display(&d("9007199254740991"), &lang("en")),
            "9,007,199,254,740,991"
        );
        assert_eq!(display(&d("0.5"), &lang("de")), "0,5");
        assert_eq!(display(&d("10000"), &lang("fr")), "10\u{202f}000");
        assert_eq!(display(&d("10000"), &lang("pt-BR")), "10.000");
        assert_eq!(display(&d("1000"), &lang("es")), "1000");
        assert_eq!(display(&d("-3"), &lang("ko")), "-3");
    }

    #[test]
    fn only_exact_numbers_reach_fluent() {
        assert!(matches!(
            arg("9007199254740991"),
            Arg::Value(FluentValue::Number(_))
        ));
        assert!(matches!(arg("9007199254740992"), Arg::Unshowable));
        assert!(matches!(arg("9223372036854775807"), Arg::Unshowable));
        assert!(matches!(arg("-9223372036854775808"), Arg::Unshowable));
        assert!(matches!(arg("0.1"), Arg::Value(FluentValue::Number(_))));
        assert!(matches!(arg("0.12345678901234567890123"), Arg::Unshowable));
        assert!(matches!(arg("HH:MM"), Arg::Value(FluentValue::String(_))));
        assert!(matches!(arg("1e5"), Arg::Value(FluentValue::String(_))));
    }

    #[test]
    fn numbers_are_found_with_their_separators() {
        assert_eq!(numbers_in("At most 1,000 items"), ["1,000"]);
        assert_eq!(
            numbers_in("Au moins -0,5 ou 10\u{202f}000."),
            ["-0,5", "10\u{202f}000"]
        );
        assert_eq!(numbers_in("HH:MM (24h), 1. Stock"), ["24", "1"]);
    }
}
