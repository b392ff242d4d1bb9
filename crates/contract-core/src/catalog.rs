//! The code catalog (one table of every built-in code) and the message
//! catalog that localizes codes for people.

use std::borrow::Cow;
use std::collections::HashMap;

use http::StatusCode;

use crate::{ErrorCode, Locale};

/// Where a code may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CodeKind {
    /// The envelope's top-level `code`, answered with this status by default.
    Top(StatusCode),
    /// A `fields[].code`.
    Field,
}

/// One row of the built-in code table.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The code.
    pub code: ErrorCode,
    /// Top-level (with its status) or field-level.
    pub kind: CodeKind,
    /// The English message template; `{min}` and `{max}` are parameters.
    pub en: &'static str,
    /// The Korean message template.
    pub ko: &'static str,
    /// One line for the documentation.
    pub doc: &'static str,
}

macro_rules! table {
    ($( $konst:ident $code:literal $kind:expr, $en:literal, $ko:literal, $doc:literal; )*) => {
        impl ErrorCode {
            $(
                #[doc = concat!("`", $code, "`: ", $doc)]
                pub const $konst: ErrorCode = ErrorCode::from_static($code);
            )*
        }

        /// Every built-in code, top-level first, in documentation order.
        pub fn builtin_codes() -> &'static [CodeInfo] {
            static TABLE: std::sync::OnceLock<Vec<CodeInfo>> = std::sync::OnceLock::new();
            TABLE.get_or_init(|| vec![$(
                CodeInfo { code: ErrorCode::$konst, kind: $kind, en: $en, ko: $ko, doc: $doc },
            )*])
        }
    };
}

use CodeKind::{Field, Top};

table! {
    // Top-level codes.
    MALFORMED_BODY "malformed_body" Top(StatusCode::BAD_REQUEST),
        "The request body is not valid JSON.", "요청 본문이 올바른 JSON이 아닙니다.",
        "The body is not JSON, or not the JSON value the operation takes.";
    BAD_REQUEST "bad_request" Top(StatusCode::BAD_REQUEST),
        "The request is not valid.", "요청이 올바르지 않습니다.",
        "A malformed request the other codes do not describe.";
    VALIDATION_FAILED "validation_failed" Top(StatusCode::UNPROCESSABLE_ENTITY),
        "Check the highlighted fields.", "표시된 항목을 확인해 주세요.",
        "One or more fields are invalid; `fields` lists each.";
    UNAUTHENTICATED "unauthenticated" Top(StatusCode::UNAUTHORIZED),
        "Please sign in again.", "다시 로그인해 주세요.",
        "Credentials are missing, malformed, expired or unknown.";
    FORBIDDEN "forbidden" Top(StatusCode::FORBIDDEN),
        "You don't have permission to do this.", "이 작업을 할 권한이 없습니다.",
        "The caller is known but may not do this.";
    NOT_FOUND "not_found" Top(StatusCode::NOT_FOUND),
        "We couldn't find what you asked for.", "요청한 항목을 찾을 수 없습니다.",
        "No such route or resource.";
    METHOD_NOT_ALLOWED "method_not_allowed" Top(StatusCode::METHOD_NOT_ALLOWED),
        "This action isn't supported here.", "지원하지 않는 요청 방식입니다.",
        "The route exists but not for this method; see the `Allow` header.";
    CONFLICT "conflict" Top(StatusCode::CONFLICT),
        "This conflicts with existing data.", "기존 데이터와 충돌합니다.",
        "The change conflicts with the current state.";
    PAYLOAD_TOO_LARGE "payload_too_large" Top(StatusCode::PAYLOAD_TOO_LARGE),
        "The request is too large.", "요청이 너무 큽니다.",
        "The body exceeds the size limit.";
    UNSUPPORTED_MEDIA_TYPE "unsupported_media_type" Top(StatusCode::UNSUPPORTED_MEDIA_TYPE),
        "Send the request body as JSON.", "요청 본문을 JSON으로 보내 주세요.",
        "`Content-Type` is missing or not JSON.";
    RATE_LIMITED "rate_limited" Top(StatusCode::TOO_MANY_REQUESTS),
        "Too many requests. Try again later.", "요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.",
        "Slow down; see the `Retry-After` header.";
    INTERNAL "internal" Top(StatusCode::INTERNAL_SERVER_ERROR),
        "Something went wrong on our side.", "서버에 문제가 발생했습니다.",
        "A bug or an unexpected failure; the request id finds the log line.";
    SERVICE_UNAVAILABLE "service_unavailable" Top(StatusCode::SERVICE_UNAVAILABLE),
        "The service is busy. Try again soon.", "서비스가 잠시 혼잡합니다. 곧 다시 시도해 주세요.",
        "A dependency is down or overloaded.";
    TIMEOUT "timeout" Top(StatusCode::GATEWAY_TIMEOUT),
        "The request took too long.", "요청 시간이 초과되었습니다.",
        "The request (408) or its processing (504) took too long.";
    // Field codes.
    REQUIRED "required" Field, "Required", "필수 항목입니다",
        "The field is absent.";
    NULL_NOT_ALLOWED "null_not_allowed" Field, "Can't be null", "null일 수 없습니다",
        "The field is present but null, and may not be.";
    BLANK "blank" Field, "Can't be blank", "비워 둘 수 없습니다",
        "The text is empty or only whitespace.";
    TOO_SHORT "too_short" Field, "At least {min} characters", "{min}자 이상 입력하세요",
        "The text is shorter than `min`.";
    TOO_LONG "too_long" Field, "At most {max} characters", "{max}자 이하로 입력하세요",
        "The text is longer than `max`.";
    NOT_INTEGER "not_integer" Field, "Must be a whole number", "정수를 입력하세요",
        "A whole number was expected.";
    NOT_NUMBER "not_number" Field, "Must be a number", "숫자를 입력하세요",
        "A number was expected.";
    NOT_BOOLEAN "not_boolean" Field, "Must be true or false", "true 또는 false여야 합니다",
        "A boolean was expected.";
    NOT_STRING "not_string" Field, "Must be text", "문자열이어야 합니다",
        "A string was expected.";
    NOT_OBJECT "not_object" Field, "Must be an object", "객체여야 합니다",
        "A JSON object was expected.";
    NOT_ARRAY "not_array" Field, "Must be a list", "목록이어야 합니다",
        "A JSON array was expected.";
    INVALID_TIME "invalid_time" Field, "Use HH:MM (24h)", "HH:MM(24시간) 형식입니다",
        "A time of day as `HH:MM`, 24-hour, was expected.";
    INVALID_DATE "invalid_date" Field, "Not a valid date", "올바른 날짜가 아닙니다",
        "A date or an RFC 3339 timestamp was expected.";
    INVALID_FORMAT "invalid_format" Field, "Invalid format", "형식이 올바르지 않습니다",
        "The text does not match the expected pattern.";
    INVALID_EMAIL "invalid_email" Field, "Enter a valid email", "올바른 이메일을 입력하세요",
        "An email address was expected.";
    TOO_SMALL "too_small" Field, "Must be at least {min}", "{min} 이상이어야 합니다",
        "The number is below `min`.";
    TOO_LARGE "too_large" Field, "Must be at most {max}", "{max} 이하여야 합니다",
        "The number is above `max`.";
    TOO_FEW_ITEMS "too_few_items" Field, "Add at least {min} items", "{min}개 이상 넣으세요",
        "The list is shorter than `min`.";
    TOO_MANY_ITEMS "too_many_items" Field, "At most {max} items", "{max}개 이하로 넣으세요",
        "The list is longer than `max`.";
    NOT_ONE_OF "not_one_of" Field, "Pick one of the allowed values", "허용된 값 중에서 고르세요",
        "The value is not one of the allowed values.";
    UNKNOWN_FIELD "unknown_field" Field, "Unknown field", "알 수 없는 항목입니다",
        "The operation does not take this field (strict types only).";
    ALREADY_EXISTS "already_exists" Field, "Already in use", "이미 사용 중입니다",
        "The value must be unique and is taken.";
    INVALID_VALUE "invalid_value" Field, "Invalid value", "값이 올바르지 않습니다",
        "The value is invalid in a way the other codes do not describe.";
}

/// Static translations an app attaches to its own codes, one per locale.
pub type Messages = &'static [(Locale, &'static str)];

/// Message budgets, in characters: what fits one line under an input
/// (field) and a two-line snackbar (top). Korean glyphs are about twice as
/// wide as Latin ones, so its budgets are smaller.
pub const fn budget(locale: Locale, kind: CodeKind) -> usize {
    match (locale, kind) {
        (Locale::Ko, CodeKind::Field) => 20,
        (Locale::Ko, CodeKind::Top(_)) => 40,
        (_, CodeKind::Field) => 32,
        (_, CodeKind::Top(_)) => 60,
    }
}

/// Localizes codes into messages: the built-in table, plus an app's
/// overrides and additions.
///
/// ```
/// use contract_core::{Catalog, ErrorCode, Locale};
///
/// let catalog = Catalog::new()
///     .with_message(ErrorCode::BLANK, Locale::En, "Please fill this in")
///     .with_default_locale(Locale::Ko);
/// assert_eq!(catalog.field_message(&ErrorCode::BLANK, Locale::En, None, &[]), "Please fill this in");
/// assert_eq!(
///     catalog.field_message(&ErrorCode::TOO_LONG, Locale::En, None, &[("max", "30".into())]),
///     "At most 30 characters",
/// );
/// ```
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    overrides: HashMap<(ErrorCode, Locale), Cow<'static, str>>,
    default_locale: Locale,
}

/// Message parameters: name and rendered value (never the user's input).
pub type Params = [(&'static str, Cow<'static, str>)];

impl Catalog {
    /// The built-in messages, defaulting to English.
    pub fn new() -> Self {
        Self::default()
    }

    /// Overrides (or adds) the message template for `code` in `locale`.
    /// Templates may name parameters as `{min}`, `{max}`.
    pub fn with_message(
        mut self,
        code: ErrorCode,
        locale: Locale,
        template: impl Into<Cow<'static, str>>,
    ) -> Self {
        self.overrides.insert((code, locale), template.into());
        self
    }

    /// The locale used when the client states no supported preference.
    pub fn with_default_locale(mut self, locale: Locale) -> Self {
        self.default_locale = locale;
        self
    }

    /// The locale used when the client states no supported preference.
    pub fn default_locale(&self) -> Locale {
        self.default_locale
    }

    /// Every message this catalog holds beyond the built-ins, for budget tests.
    pub fn overrides(&self) -> impl Iterator<Item = (&ErrorCode, Locale, &str)> {
        self.overrides.iter().map(|((c, l), t)| (c, *l, &**t))
    }

    fn template(
        &self,
        code: &ErrorCode,
        locale: Locale,
        app: Option<Messages>,
    ) -> Option<Cow<'static, str>> {
        let builtin = || {
            builtin_codes()
                .iter()
                .find(|i| i.code == *code)
                .map(|i| match locale {
                    Locale::Ko => Cow::Borrowed(i.ko),
                    _ => Cow::Borrowed(i.en),
                })
        };
        // `overrides` is keyed by owned codes; a lookup clones a Cow::Borrowed
        // for built-in and static codes, which does not allocate.
        let overridden = if self.overrides.is_empty() {
            None
        } else {
            self.overrides.get(&(code.clone(), locale)).cloned()
        };
        overridden
            .or_else(|| {
                app.and_then(|m| {
                    m.iter()
                        .find(|(l, _)| *l == locale)
                        .map(|(_, t)| Cow::Borrowed(*t))
                })
            })
            .or_else(builtin)
    }

    fn resolve(
        &self,
        code: &ErrorCode,
        locale: Locale,
        app: Option<Messages>,
        params: &Params,
        fallback: fn(Locale) -> &'static str,
    ) -> Cow<'static, str> {
        let template = self
            .template(code, locale, app)
            .or_else(|| self.template(code, Locale::En, app))
            .unwrap_or_else(|| Cow::Borrowed(fallback(locale)));
        render(template, params)
    }

    /// The message for a top-level code.
    pub fn top_message(
        &self,
        code: &ErrorCode,
        locale: Locale,
        app: Option<Messages>,
        params: &Params,
    ) -> Cow<'static, str> {
        self.resolve(code, locale, app, params, |l| match l {
            Locale::Ko => "요청을 처리할 수 없습니다.",
            _ => "The request could not be completed.",
        })
    }

    /// The message for a field code.
    pub fn field_message(
        &self,
        code: &ErrorCode,
        locale: Locale,
        app: Option<Messages>,
        params: &Params,
    ) -> Cow<'static, str> {
        self.resolve(code, locale, app, params, |l| match l {
            Locale::Ko => "값이 올바르지 않습니다",
            _ => "Invalid value",
        })
    }
}

/// Fills `{name}` placeholders; unknown placeholders stay as written. A
/// template without placeholders is returned as it is, without copying.
fn render(template: Cow<'static, str>, params: &Params) -> Cow<'static, str> {
    if !template.contains('{') {
        return template;
    }
    let template = &*template;
    let mut out = String::with_capacity(template.len() + 8);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match params.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The widest parameter values the built-in rules produce.
    const WIDE: &[(&str, Cow<'static, str>)] = &[
        ("min", Cow::Borrowed("1000000")),
        ("max", Cow::Borrowed("1000000")),
    ];

    #[test]
    fn every_builtin_message_fits_its_budget() {
        let catalog = Catalog::new();
        for info in builtin_codes() {
            for &locale in Locale::ALL {
                let msg = match info.kind {
                    CodeKind::Top(_) => catalog.top_message(&info.code, locale, None, WIDE),
                    CodeKind::Field => catalog.field_message(&info.code, locale, None, WIDE),
                };
                let limit = budget(locale, info.kind);
                assert!(
                    msg.chars().count() <= limit,
                    "{} ({locale}) is {} chars, budget {limit}: {msg}",
                    info.code,
                    msg.chars().count()
                );
                assert!(
                    !msg.contains('{'),
                    "{} ({locale}) has an unfilled parameter",
                    info.code
                );
            }
        }
    }

    #[test]
    fn codes_are_unique_and_top_codes_are_errors() {
        let mut seen = std::collections::HashSet::new();
        for info in builtin_codes() {
            assert!(seen.insert(info.code.clone()), "duplicate {}", info.code);
            if let CodeKind::Top(s) = info.kind {
                assert!(s.is_client_error() || s.is_server_error());
            }
        }
    }

    #[test]
    fn resolution_order() {
        const APP: Messages = &[(Locale::En, "Full"), (Locale::Ko, "정원 초과")];
        let full = ErrorCode::from_static("seminar_full");
        let c = Catalog::new().with_message(full.clone(), Locale::Ko, "꽉 찼어요");
        assert_eq!(
            c.top_message(&full, Locale::Ko, Some(APP), &[]),
            "꽉 찼어요"
        );
        assert_eq!(c.top_message(&full, Locale::En, Some(APP), &[]), "Full");
        let en_only: Messages = &[(Locale::En, "Full")];
        assert_eq!(
            Catalog::new().top_message(&full, Locale::Ko, Some(en_only), &[]),
            "Full"
        );
        assert_eq!(
            Catalog::new().top_message(&full, Locale::Ko, None, &[]),
            "요청을 처리할 수 없습니다."
        );
    }

    #[test]
    fn templates() {
        let p: &Params = &[("max", "30".into())];
        assert_eq!(render("At most {max} chars".into(), p), "At most 30 chars");
        assert_eq!(render("{other} {max}".into(), p), "{other} 30");
        assert_eq!(render("open { brace".into(), p), "open { brace");
        assert!(matches!(render("plain".into(), p), Cow::Borrowed("plain")));
    }
}
