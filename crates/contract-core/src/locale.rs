//! Locales and `Accept-Language` negotiation.

use std::fmt;

/// A language the message catalog speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Locale {
    /// English (`en`), the default.
    #[default]
    En,
    /// Korean (`ko`).
    Ko,
}

impl Locale {
    /// Every supported locale, in catalog order.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::Ko];

    /// The primary language subtag, as sent in `Content-Language`.
    pub const fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    /// The locale for a language tag (`ko`, `ko-KR`, `EN-us`), if supported.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Self::ALL
            .iter()
            .copied()
            .find(|l| primary.eq_ignore_ascii_case(l.tag()))
    }

    /// Picks the best supported locale for an `Accept-Language` header value
    /// (RFC 9110 §12.5.4): the highest `q` wins, ties go to the earlier entry,
    /// `q=0` excludes, and `*` or nothing usable yields `default`.
    ///
    /// ```
    /// use contract_core::Locale;
    ///
    /// assert_eq!(Locale::negotiate("ko-KR,ko;q=0.9,en;q=0.8", Locale::En), Locale::Ko);
    /// assert_eq!(Locale::negotiate("fr, en;q=0.5", Locale::Ko), Locale::En);
    /// assert_eq!(Locale::negotiate("fr", Locale::Ko), Locale::Ko);
    /// ```
    pub fn negotiate(accept_language: &str, default: Locale) -> Locale {
        let mut best: Option<(u16, Locale)> = None;
        for item in accept_language.split(',') {
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
            if q == 0 {
                continue;
            }
            let locale = if tag == "*" {
                default
            } else {
                match Self::from_tag(tag) {
                    Some(l) => l,
                    None => continue,
                }
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, locale));
            }
        }
        best.map_or(default, |(_, l)| l)
    }
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

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

#[cfg(test)]
mod tests {
    use super::Locale::{self, En, Ko};

    #[test]
    fn negotiation() {
        let cases = [
            ("", En, En),
            ("ko", En, Ko),
            ("ko-KR", En, Ko),
            ("KO_kr", En, Ko),
            ("en-US,en;q=0.9", Ko, En),
            ("en;q=0.5, ko;q=0.9", En, Ko),
            ("ko;q=0.9, en;q=0.9", En, Ko),
            ("ko;q=0, en;q=0.1", Ko, En),
            ("ko;q=0", En, En),
            ("fr-FR, de", Ko, Ko),
            ("*", Ko, Ko),
            ("fr, *;q=0.5, ko;q=0.4", En, En),
            ("ko;q=abc, en;q=0.2", Ko, En),
            ("ko;q=1.5", En, En),
            ("ko;q=0.001", En, Ko),
            (",,;;,", Ko, Ko),
        ];
        for (header, default, want) in cases {
            assert_eq!(Locale::negotiate(header, default), want, "{header:?}");
        }
    }
}
