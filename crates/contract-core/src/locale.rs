//! Locales as BCP 47 language tags, and `Accept-Language` negotiation.

use std::fmt;
use std::str::FromStr;

use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use http::HeaderValue;
use unic_langid::LanguageIdentifier;

/// A language the message catalog may speak: a BCP 47 language tag such as
/// `en`, `ko`, `zh-Hans` or `pt-BR`.
///
/// Any number of locales exist; which ones a service speaks is decided by
/// the `.ftl` files its [`Catalog`](crate::Catalog) holds.
///
/// ```
/// use contract_core::Locale;
///
/// let pt: Locale = "pt-br".parse().unwrap();
/// assert_eq!(pt.to_string(), "pt-BR");
/// assert!(Locale::parse("not a tag").is_err());
/// assert_eq!(Locale::default(), Locale::from_static("en"));
/// ```
#[derive(Clone)]
pub struct Locale(LanguageIdentifier, HeaderValue);

/// The reason a string is not a [`Locale`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a BCP 47 language tag: {0:?}")]
pub struct InvalidLocale(pub String);

/// At most this many bytes of `Accept-Language` are read; the rest is
/// ignored, so a 10 KB header costs what a 256-byte one does.
pub const MAX_ACCEPT_LANGUAGE_BYTES: usize = 256;

/// At most this many entries of `Accept-Language` are considered.
pub const MAX_ACCEPT_LANGUAGE_ENTRIES: usize = 16;

impl Locale {
    /// Parses a language tag (`ko`, `ko-KR`, `zh_Hant_TW`; case-insensitive).
    ///
    /// # Errors
    /// [`InvalidLocale`] when `tag` is not a well-formed language tag.
    pub fn parse(tag: &str) -> Result<Self, InvalidLocale> {
        let id = LanguageIdentifier::from_bytes(tag.as_bytes())
            .map_err(|_| InvalidLocale(tag.to_owned()))?;
        let header =
            HeaderValue::from_str(&id.to_string()).map_err(|_| InvalidLocale(tag.to_owned()))?;
        Ok(Self(id, header))
    }

    /// A locale from a tag the program itself spells.
    ///
    /// # Panics
    /// When `tag` is not a well-formed language tag: a bug in the caller.
    pub fn from_static(tag: &'static str) -> Self {
        Self::parse(tag).unwrap_or_else(|e| panic!("{e}"))
    }

    /// The language identifier, for Fluent.
    pub fn id(&self) -> &LanguageIdentifier {
        &self.0
    }

    /// The tag as a `Content-Language` value, made once when parsed.
    pub fn header_value(&self) -> HeaderValue {
        self.1.clone()
    }

    /// Whether `self`, read as a range (`zh` covers `zh-Hant-TW`), covers `other`.
    pub fn covers(&self, other: &Locale) -> bool {
        self.0.matches(&other.0, true, false)
    }

    /// Picks the best of `available` for an `Accept-Language` header value
    /// (RFC 9110 §12.5.4) by RFC 4647 lookup: the entries are tried by `q`
    /// (ties keep header order), each down its fallback chain
    /// (`zh-Hant-TW`, `zh-Hant`, `zh`); `q=0` excludes a range; `*` stands
    /// for `default`. Nothing usable, or a malformed header, gives `default`.
    ///
    /// Only the first [`MAX_ACCEPT_LANGUAGE_BYTES`] bytes and
    /// [`MAX_ACCEPT_LANGUAGE_ENTRIES`] entries are read.
    ///
    /// ```
    /// use contract_core::Locale;
    ///
    /// let available: Vec<Locale> = ["en", "ko", "zh-Hant", "pt-BR"]
    ///     .into_iter().map(Locale::from_static).collect();
    /// let en = &available[0];
    /// let pick = |h| Locale::negotiate(h, &available, en).to_string();
    /// assert_eq!(pick("ko-KR,ko;q=0.9,en;q=0.8"), "ko");
    /// assert_eq!(pick("zh-Hant-TW"), "zh-Hant");
    /// assert_eq!(pick("pt"), "pt-BR");
    /// assert_eq!(pick("fr, ko;q=0.5"), "ko");
    /// assert_eq!(pick("fr"), "en");
    /// ```
    pub fn negotiate<'a>(
        accept_language: &str,
        available: &'a [Locale],
        default: &'a Locale,
    ) -> &'a Locale {
        let header = truncate(accept_language, MAX_ACCEPT_LANGUAGE_BYTES);
        let mut requested: Vec<(u16, Option<LanguageIdentifier>)> = Vec::new();
        let mut excluded: Vec<LanguageIdentifier> = Vec::new();
        for item in header.split(',').take(MAX_ACCEPT_LANGUAGE_ENTRIES) {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim();
            let mut q = 1000;
            for param in parts {
                let param = param.trim();
                if let Some(v) = param
                    .strip_prefix("q=")
                    .or_else(|| param.strip_prefix("Q="))
                {
                    q = parse_qvalue(v.trim()).unwrap_or(0);
                }
            }
            let id = if tag == "*" {
                None
            } else {
                match LanguageIdentifier::from_bytes(tag.as_bytes()) {
                    Ok(id) if !id.language.is_empty() => Some(id),
                    _ => continue,
                }
            };
            match (q, id) {
                (0, Some(id)) => excluded.push(id),
                (0, None) => {}
                (q, id) => requested.push((q, id)),
            }
        }
        // Stable: equal q-values keep the header's order. Entries after `*`
        // cannot win over the fallback it stands for.
        requested.sort_by_key(|r| std::cmp::Reverse(r.0));
        let star = requested.iter().position(|(_, id)| id.is_none());
        let requested: Vec<LanguageIdentifier> = requested
            .into_iter()
            .take(star.unwrap_or(usize::MAX))
            .filter_map(|(_, id)| id)
            .collect();
        let allowed = |l: &&Locale| !excluded.iter().any(|x| x.matches(&l.0, true, false));
        let fallback = if allowed(&default) {
            default
        } else {
            available.iter().find(allowed).unwrap_or(default)
        };
        if requested.is_empty() {
            return fallback;
        }
        let found = if excluded.is_empty() {
            negotiate_languages(&requested, available, None, NegotiationStrategy::Lookup)
                .first()
                .copied()
        } else {
            let candidates: Vec<&Locale> = available.iter().filter(allowed).collect();
            negotiate_languages(&requested, &candidates, None, NegotiationStrategy::Lookup)
                .first()
                .copied()
                .copied()
        };
        found.unwrap_or(fallback)
    }
}

impl PartialEq for Locale {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl Eq for Locale {}

impl std::hash::Hash for Locale {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl fmt::Debug for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Locale({})", self.0)
    }
}

impl AsRef<LanguageIdentifier> for Locale {
    fn as_ref(&self) -> &LanguageIdentifier {
        &self.0
    }
}

impl Default for Locale {
    /// English (`en`).
    fn default() -> Self {
        Self::from_static("en")
    }
}

impl FromStr for Locale {
    type Err = InvalidLocale;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The longest prefix of `s` within `max` bytes that ends on a char boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// A q-value in thousandths (`0.8` -> 800); `None` when malformed.
fn parse_qvalue(v: &str) -> Option<u16> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut thousandths: u16 = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    for (i, b) in frac.bytes().enumerate() {
        thousandths += u16::from(b - b'0') * [100, 10, 1][i];
    }
    (thousandths <= 1000).then_some(thousandths)
}

#[cfg(test)]
mod tests {
    use super::Locale;

    fn available() -> Vec<Locale> {
        [
            "en", "ko", "ja", "zh-Hans", "zh-Hant", "es", "pt-BR", "de", "fr",
        ]
        .into_iter()
        .map(Locale::from_static)
        .collect()
    }

    #[test]
    fn negotiation() {
        let available = available();
        let cases = [
            ("", "en", "en"),
            ("ko", "en", "ko"),
            ("ko-KR", "en", "ko"),
            ("KO_kr", "en", "ko"),
            ("en-US,en;q=0.9", "ko", "en"),
            ("en;q=0.5, ko;q=0.9", "en", "ko"),
            ("ko;q=0.9, en;q=0.9", "en", "ko"),
            ("ko;q=0, en;q=0.1", "ko", "en"),
            ("ko;q=0", "en", "en"),
            ("it-IT, nl", "ko", "ko"),
            ("*", "ko", "ko"),
            ("it, *;q=0.5, ko;q=0.4", "en", "en"),
            ("ko;q=abc, en;q=0.2", "ko", "en"),
            ("ko;q=1.5", "en", "en"),
            ("ko;q=0.001", "en", "ko"),
            (",,;;,", "ko", "ko"),
            // Fallback chains and likely scripts.
            ("zh-Hant-TW", "en", "zh-Hant"),
            ("zh-TW", "en", "zh-Hant"),
            ("zh-CN", "en", "zh-Hans"),
            ("zh", "en", "zh-Hans"),
            ("pt", "en", "pt-BR"),
            ("pt-PT", "en", "pt-BR"),
            ("es-419", "en", "es"),
            ("de-CH-1996", "en", "de"),
            ("fr-CA;q=0.8, ja;q=0.9", "en", "ja"),
            // `q=0` excludes a whole range, the default included.
            ("en;q=0", "en", "ko"),
            ("*, en;q=0", "en", "ko"),
            ("ko, ko-KR;q=0", "en", "ko"),
            // Junk.
            ("\u{1F600}", "en", "en"),
            ("123, -, x-private", "ko", "ko"),
        ];
        for (header, default, want) in cases {
            let default = Locale::from_static(default);
            let got = Locale::negotiate(header, &available, &default);
            assert_eq!(got.to_string(), want, "{header:?}");
        }
    }

    #[test]
    fn traditional_chinese_is_not_served_simplified() {
        let en = Locale::default();
        let built_in: Vec<Locale> = ["en", "zh-Hans"].map(Locale::from_static).into();
        assert_eq!(Locale::negotiate("zh-TW", &built_in, &en), &en);
        assert_eq!(Locale::negotiate("zh-Hant-HK", &built_in, &en), &en);
        assert_eq!(
            Locale::negotiate("zh-SG", &built_in, &built_in[0]),
            &built_in[1]
        );
    }

    #[test]
    fn negotiation_cost_is_bounded() {
        let available = available();
        let en = Locale::default();
        let long_junk = "x".repeat(10 * 1024);
        let many = "zz;q=0.5,".repeat(5000) + "ko";
        let late = format!("{},ko", "a".repeat(300));
        for header in [&long_junk, &many, &late] {
            let got = Locale::negotiate(header, &available, &en);
            assert_eq!(got, &en, "{:.40}", header);
        }
        // Multi-byte text cut at the byte limit does not panic.
        let wide = "한".repeat(400);
        assert_eq!(Locale::negotiate(&wide, &available, &en), &en);
    }
}
