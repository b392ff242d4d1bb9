//! The message catalog: Fluent `.ftl` files, one per locale, that localize
//! codes for people.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast::Entry;
use unicode_width::UnicodeWidthStr;

use crate::numbers::{self, Arg, BOUND};
use crate::{CodeKind, Locale};

/// The built-in catalogs, embedded: a binary needs no files at run time.
const BUILTIN_FTL: &[(&str, &str)] = &[
    ("en.ftl", include_str!("../locales/en.ftl")),
    ("ko.ftl", include_str!("../locales/ko.ftl")),
    ("ja.ftl", include_str!("../locales/ja.ftl")),
    ("zh-Hans.ftl", include_str!("../locales/zh-Hans.ftl")),
    ("es.ftl", include_str!("../locales/es.ftl")),
    ("pt-BR.ftl", include_str!("../locales/pt-BR.ftl")),
    ("de.ftl", include_str!("../locales/de.ftl")),
    ("fr.ftl", include_str!("../locales/fr.ftl")),
];

/// The message id a top-level code without any message falls back to.
pub const FALLBACK_TOP_ID: &str = "contract-fallback-top";
/// The message id a field code without any message falls back to.
pub const FALLBACK_FIELD_ID: &str = "contract-fallback-field";

/// The field message budget, in display columns: one line under an input
/// on a phone. CJK characters count 2 columns, so one budget serves every
/// script.
pub const FIELD_BUDGET: usize = 32;

/// The top message budget, in display columns: a two-line snackbar.
pub const TOP_BUDGET: usize = 60;

/// The message budget for a kind of code, in display columns.
pub const fn budget(kind: CodeKind) -> usize {
    match kind {
        CodeKind::Field => FIELD_BUDGET,
        CodeKind::Top(_) => TOP_BUDGET,
    }
}

/// The width of `text` on screen, in columns (`unicode-width`: most CJK
/// characters take 2).
///
/// ```
/// assert_eq!(contract_core::display_width("Required"), 8);
/// assert_eq!(contract_core::display_width("필수 항목입니다"), 15);
/// ```
pub fn display_width(text: &str) -> usize {
    text.width()
}

/// Message parameters: name and rendered value (never the user's input).
/// Values that read as numbers are Fluent numbers, so plurals select on them.
pub type Params = [(&'static str, Cow<'static, str>)];

/// A `.ftl` file that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// Fluent syntax error.
    #[error("{file}:{line}: {message}")]
    Syntax {
        /// The file's name as given.
        file: String,
        /// The line, from 1.
        line: usize,
        /// What the parser says.
        message: String,
    },
    /// The file's name is not `LOCALE.ftl`.
    #[error("{file}: a catalog file is named after its locale, such as `pt-BR.ftl`")]
    FileName {
        /// The file's name as given.
        file: String,
    },
    /// The file or directory cannot be read.
    #[error("{file}: {message}")]
    Io {
        /// The path.
        file: String,
        /// The I/O error.
        message: String,
    },
}

/// One `.ftl` source, parsed.
pub(crate) struct Source {
    pub(crate) file: Arc<str>,
    pub(crate) builtin: bool,
    pub(crate) resource: Arc<FluentResource>,
}

/// Every message of one locale: its sources, later ones overriding.
pub(crate) struct LocaleMessages {
    pub(crate) locale: Locale,
    pub(crate) sources: Vec<Source>,
    pub(crate) bundle: FluentBundle<Arc<FluentResource>>,
    /// The messages that take no argument, formatted once when the catalog
    /// is built: an error borrows them, with no formatting or copy.
    plain: FastMap<Box<str>, &'static str>,
}

/// The maps looked up on every rendered error: keyed by message ids and
/// `Accept-Language` values, hashed with foldhash (seeded per map) rather
/// than SipHash, which took a fifth of localizing a four-field error.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// Formatted messages live as long as the program: each distinct text is
/// kept once, so building catalogs again (tests do) does not grow memory.
pub(crate) fn intern(text: &str) -> &'static str {
    static TEXTS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut texts = TEXTS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(t) = texts.get(text) {
        return t;
    }
    let t: &'static str = Box::leak(text.into());
    texts.insert(t);
    t
}

impl LocaleMessages {
    fn new(locale: Locale, sources: Vec<Source>) -> Self {
        let mut bundle = FluentBundle::new_concurrent(vec![locale.id().clone()]);
        // Messages are plain text in JSON: no bidi isolation marks.
        bundle.set_use_isolating(false);
        bundle.set_formatter(Some(numbers::format));
        for s in &sources {
            bundle.add_resource_overriding(s.resource.clone());
        }
        let mut plain = FastMap::default();
        for s in &sources {
            for entry in s.resource.entries() {
                let Entry::Message(m) = entry else { continue };
                let id = m.id.name;
                let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                    continue;
                };
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, None, &mut errors);
                // A message that needs an argument errs without one.
                if errors.is_empty() {
                    plain.insert(id.into(), intern(&text));
                }
            }
        }
        Self {
            locale,
            sources,
            bundle,
            plain,
        }
    }

    /// `id` with `params`, as [`Catalog::message`] explains.
    pub(crate) fn render(&self, id: &str, params: &Params) -> Rendered {
        if let Some(text) = self.plain.get(id) {
            return Rendered::Text(Cow::Borrowed(text));
        }
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return Rendered::Missing;
        };
        let mut args = FluentArgs::with_capacity(params.len() + 1);
        // A bound without its number (a custom rule's bare `too_large`)
        // reads as one.
        let numbered = params.iter().any(|(n, _)| matches!(*n, "min" | "max"));
        let mut bound = if numbered { "inclusive" } else { "none" };
        for (name, value) in params {
            if *name == BOUND {
                if bound != "none" {
                    bound = match &**value {
                        "exclusive" => "exclusive",
                        "none" => "none",
                        _ => "inclusive",
                    };
                }
                continue;
            }
            match numbers::arg(value) {
                Arg::Value(v) => args.set(*name, v),
                Arg::Unshowable => bound = "none",
            }
        }
        args.set(BOUND, bound);
        let mut errors = Vec::new();
        let text = self
            .bundle
            .format_pattern(pattern, Some(&args), &mut errors);
        match errors.first() {
            Some(e) => Rendered::Broken(e.to_string()),
            None => Rendered::Text(Cow::Owned(text.into_owned())),
        }
    }
}

/// One message, formatted.
pub(crate) enum Rendered {
    /// The text.
    Text(Cow<'static, str>),
    /// The locale has no message with this id.
    Missing,
    /// The message does not format with these parameters: a variable it
    /// needs is absent (a number that cannot be shown is dropped), or it
    /// refers to what does not exist. Fluent's error.
    Broken(String),
}

/// Localizes codes into messages: the built-in `.ftl` catalogs in eight
/// locales (en, ko, ja, zh-Hans, es, pt-BR, de, fr), plus an app's files,
/// which add codes, override built-in messages and add whole locales.
///
/// A message id is the code (`seminar_full`), unless an error names another.
/// A file is named after its locale (`vi.ftl`, `locales/pt-BR.ftl`); a file
/// that does not parse fails here, with its name and line, never at request
/// time.
///
/// ```
/// use contract_core::{Catalog, ErrorCode, Locale};
///
/// let catalog = Catalog::new()
///     .with_ftl("en.ftl", "blank = Please fill this in\nseminar_full = This seminar is full.")?
///     .with_ftl("vi.ftl", "seminar_full = Hội thảo đã đủ người.")?;
/// let en = Locale::from_static("en");
/// assert_eq!(catalog.field_message("blank", &en, &[]), "Please fill this in");
/// assert_eq!(
///     catalog.field_message("too_long", &en, &[("max", "30".into())]),
///     "At most 30 characters",
/// );
/// let vi = catalog.negotiate(Some("vi-VN, en;q=0.5"));
/// assert_eq!(catalog.top_message("seminar_full", vi, None, &[]), "Hội thảo đã đủ người.");
///
/// let broken = Catalog::new().with_ftl("locales/ko.ftl", "ok = fine\nbroken = {\n");
/// assert!(broken.unwrap_err().to_string().starts_with("locales/ko.ftl:2: "));
/// # Ok::<(), contract_core::CatalogError>(())
/// ```
#[derive(Clone)]
pub struct Catalog {
    pub(crate) default_locale: Locale,
    pub(crate) locales: Vec<Locale>,
    pub(crate) messages: Vec<Arc<LocaleMessages>>,
    memo: Arc<Memo>,
}

/// Negotiation results by `Accept-Language` value. Clients send few
/// distinct values, so most errors skip parsing; the memo holds at most
/// [`MEMO_CAPACITY`] values and never evicts (junk that fills it only
/// sends later values down the slow path, which gives the same answer).
#[derive(Default)]
struct Memo(RwLock<FastMap<Box<str>, Option<usize>>>);

/// How many `Accept-Language` values a catalog remembers.
const MEMO_CAPACITY: usize = 256;

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Catalog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: Vec<&str> = self
            .messages
            .iter()
            .flat_map(|m| m.sources.iter().map(|s| &*s.file))
            .collect();
        f.debug_struct("Catalog")
            .field("default_locale", &self.default_locale)
            .field("locales", &self.locales)
            .field("files", &files)
            .finish()
    }
}

/// Parses one `.ftl` source; the error names the file and the line.
fn parse(file: &str, source: &str) -> Result<FluentResource, CatalogError> {
    FluentResource::try_new(source.to_owned()).map_err(|(_, errors)| {
        let e = &errors[0];
        // An error at the end of the file belongs to its last line of text.
        let at = e.pos.start.min(source.trim_end().len());
        let line = source[..at].bytes().filter(|&b| b == b'\n').count() + 1;
        CatalogError::Syntax {
            file: file.to_owned(),
            line,
            message: e.kind.to_string(),
        }
    })
}

/// The locale a catalog file is for: its name without `.ftl`.
fn locale_of(file: &str) -> Result<Locale, CatalogError> {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".ftl")
        .and_then(|stem| Locale::parse(stem).ok())
        .ok_or_else(|| CatalogError::FileName {
            file: file.to_owned(),
        })
}

impl Catalog {
    /// The built-in messages in every built-in locale, defaulting to English.
    pub fn new() -> Self {
        static BUILTIN: OnceLock<Catalog> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                let mut catalog = Catalog {
                    default_locale: Locale::default(),
                    locales: Vec::new(),
                    messages: Vec::new(),
                    memo: Arc::default(),
                };
                for (file, source) in BUILTIN_FTL {
                    catalog = catalog
                        .add(file, source, true)
                        .unwrap_or_else(|e| panic!("built-in catalog: {e}"));
                }
                catalog
            })
            .clone()
    }

    /// Adds one `.ftl` file (its name, such as `locales/vi.ftl`, gives the
    /// locale and is named in errors; its text, say from `include_str!`).
    /// Its messages override earlier ones with the same id; a new locale
    /// becomes available to negotiation.
    ///
    /// # Errors
    /// [`CatalogError`] when the file does not parse or is not named `LOCALE.ftl`.
    pub fn with_ftl(self, file: &str, source: &str) -> Result<Self, CatalogError> {
        self.add(file, source, false)
    }

    /// Adds several `.ftl` files, as [`with_ftl`](Self::with_ftl); made for
    /// `contract_axum::include_ftl!("locales")`, which embeds a directory.
    ///
    /// # Errors
    /// The first file that does not load.
    pub fn with_files(mut self, files: &[(&str, &str)]) -> Result<Self, CatalogError> {
        for (file, source) in files {
            self = self.add(file, source, false)?;
        }
        Ok(self)
    }

    /// Adds every `*.ftl` file of a directory, read now (at startup), in
    /// name order.
    ///
    /// # Errors
    /// A file that cannot be read or does not load.
    pub fn with_dir(mut self, dir: impl AsRef<Path>) -> Result<Self, CatalogError> {
        let dir = dir.as_ref();
        let io = |e: std::io::Error| CatalogError::Io {
            file: dir.display().to_string(),
            message: e.to_string(),
        };
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort();
        for path in files {
            let source = std::fs::read_to_string(&path).map_err(|e| CatalogError::Io {
                file: path.display().to_string(),
                message: e.to_string(),
            })?;
            self = self.add(&path.display().to_string(), &source, false)?;
        }
        Ok(self)
    }

    fn add(mut self, file: &str, source: &str, builtin: bool) -> Result<Self, CatalogError> {
        let locale = locale_of(file)?;
        let resource = Arc::new(parse(file, source)?);
        let source = Source {
            file: file.into(),
            builtin,
            resource,
        };
        let index = match self.locales.iter().position(|l| *l == locale) {
            Some(i) => i,
            None => {
                self.locales.push(locale.clone());
                self.messages
                    .push(Arc::new(LocaleMessages::new(locale.clone(), Vec::new())));
                self.locales.len() - 1
            }
        };
        let old = &self.messages[index];
        let mut sources: Vec<Source> = old
            .sources
            .iter()
            .map(|s| Source {
                file: s.file.clone(),
                builtin: s.builtin,
                resource: s.resource.clone(),
            })
            .collect();
        sources.push(source);
        self.messages[index] = Arc::new(LocaleMessages::new(locale, sources));
        self.memo = Arc::default();
        Ok(self)
    }

    /// Serves only the `keep` locales (say, an app that translates its own
    /// codes into English and Korean only): the others are dropped from
    /// negotiation and from [`check`](Self::check). Call it after adding
    /// files: a file added later for a dropped locale brings back only its
    /// own messages.
    ///
    /// ```
    /// use contract_core::{Catalog, Locale};
    ///
    /// let catalog = Catalog::new().with_locales(&["en", "ko"].map(Locale::from_static));
    /// assert_eq!(catalog.locales().len(), 2);
    /// assert_eq!(catalog.negotiate(Some("ja, ko;q=0.5")).to_string(), "ko");
    /// ```
    pub fn with_locales(mut self, keep: &[Locale]) -> Self {
        let mut i = 0;
        while i < self.locales.len() {
            if keep.contains(&self.locales[i]) {
                i += 1;
            } else {
                self.locales.remove(i);
                self.messages.remove(i);
            }
        }
        self.memo = Arc::default();
        self
    }

    /// The locale used when the client states no supported preference; it
    /// should have a file ([`check`](Self::check) says when it has none).
    pub fn with_default_locale(mut self, locale: Locale) -> Self {
        self.default_locale = locale;
        self.memo = Arc::default();
        self
    }

    /// The locale used when the client states no supported preference.
    pub fn default_locale(&self) -> &Locale {
        &self.default_locale
    }

    /// Every locale this catalog has a file for, built-in ones first.
    pub fn locales(&self) -> &[Locale] {
        &self.locales
    }

    /// The best locale for an `Accept-Language` value (see
    /// [`Locale::negotiate`]); no header gives the default.
    pub fn negotiate(&self, accept_language: Option<&str>) -> &Locale {
        let Some(header) = accept_language else {
            return &self.default_locale;
        };
        let pick = |i: Option<usize>| i.map_or(&self.default_locale, |i| &self.locales[i]);
        let memo = &self.memo.0;
        if let Some(&hit) = memo
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(header)
        {
            return pick(hit);
        }
        let found = Locale::negotiate(header, &self.locales, &self.default_locale);
        let index = self.locales.iter().position(|l| std::ptr::eq(l, found));
        if header.len() <= crate::MAX_ACCEPT_LANGUAGE_BYTES {
            let mut memo = memo
                .write()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if memo.len() < MEMO_CAPACITY {
                memo.insert(header.into(), index);
            }
        }
        pick(index)
    }

    fn messages_for(&self, locale: &Locale) -> Option<&LocaleMessages> {
        // `locales` and `messages` are parallel. The locale the error path
        // renders in is one `negotiate` returned, an element of `locales`:
        // found by its address first, without comparing tags.
        let i = self
            .locales
            .iter()
            .position(|l| std::ptr::eq(l, locale))
            .or_else(|| self.locales.iter().position(|l| l == locale))?;
        self.messages.get(i).map(|m| &**m)
    }

    /// The message `id` in exactly `locale`, if its files have one.
    pub fn message(&self, id: &str, locale: &Locale, params: &Params) -> Option<Cow<'static, str>> {
        match self.messages_for(locale)?.render(id, params) {
            Rendered::Text(text) => Some(text),
            Rendered::Missing | Rendered::Broken(_) => None,
        }
    }

    /// `id` in `locale`, else in the default locale, else in English. A
    /// message that does not format with `params` ends the search: the
    /// caller falls back to its generic message, in the same locale.
    fn lookup(&self, id: &str, locale: &Locale, params: &Params) -> Option<Cow<'static, str>> {
        // Each fallback is looked up only when the one before has no message.
        let chain = std::iter::once_with(|| self.messages_for(locale))
            .chain(std::iter::once_with(|| {
                self.messages_for(&self.default_locale)
            }))
            .chain(std::iter::once_with(|| {
                self.messages
                    .iter()
                    .find(|m| m.locale.id().language.as_str() == "en")
                    .map(|m| &**m)
            }));
        for m in chain.flatten() {
            match m.render(id, params) {
                Rendered::Text(text) => return Some(text),
                Rendered::Broken(_) => return None,
                Rendered::Missing => {}
            }
        }
        None
    }

    /// The message for a top-level code's message `id`: the files' message
    /// in `locale` (then the default locale, then English), else the inline
    /// default the error carries, else a generic message.
    pub fn top_message(
        &self,
        id: &str,
        locale: &Locale,
        inline: Option<&'static str>,
        params: &Params,
    ) -> Cow<'static, str> {
        self.lookup(id, locale, params)
            .or(inline.map(Cow::Borrowed))
            .or_else(|| self.lookup(FALLBACK_TOP_ID, locale, &[]))
            .unwrap_or(Cow::Borrowed("The request could not be completed."))
    }

    /// The message for a field code's message `id`.
    pub fn field_message(&self, id: &str, locale: &Locale, params: &Params) -> Cow<'static, str> {
        self.lookup(id, locale, params)
            .or_else(|| self.lookup(FALLBACK_FIELD_ID, locale, &[]))
            .unwrap_or(Cow::Borrowed("Invalid value"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MessageProblem;

    #[test]
    fn every_builtin_message_is_there_formats_and_fits_its_budget() {
        let catalog = Catalog::new();
        assert_eq!(catalog.locales().len(), 8);
        let problems: Vec<String> = catalog.check(&[]).iter().map(ToString::to_string).collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn resolution_order() {
        let (en, ko, ja) = (
            Locale::from_static("en"),
            Locale::from_static("ko"),
            Locale::from_static("ja"),
        );
        let c = Catalog::new()
            .with_ftl("en.ftl", "seminar_full = Full")
            .unwrap()
            .with_ftl("ko.ftl", "seminar_full = 정원 초과")
            .unwrap()
            .with_ftl("ko.ftl", "seminar_full = 꽉 찼어요")
            .unwrap();
        assert_eq!(c.top_message("seminar_full", &ko, None, &[]), "꽉 찼어요");
        // A locale without the message falls back to the default, English.
        assert_eq!(c.top_message("seminar_full", &ja, None, &[]), "Full");
        let plain = Catalog::new();
        assert_eq!(
            plain.top_message("seminar_full", &ko, Some("Full"), &[]),
            "Full"
        );
        assert_eq!(
            plain.top_message("seminar_full", &ko, None, &[]),
            "요청을 처리할 수 없습니다."
        );
        assert_eq!(plain.field_message("nope", &en, &[]), "Invalid value");
    }

    #[test]
    fn plurals_and_numbers_go_through_fluent() {
        let c = Catalog::new();
        let en = Locale::from_static("en");
        let one: &Params = &[("min", "1".into())];
        let many: &Params = &[("min", "8".into())];
        assert_eq!(
            c.field_message("too_short", &en, one),
            "At least 1 character"
        );
        assert_eq!(
            c.field_message("too_short", &en, many),
            "At least 8 characters"
        );
        let ko = Locale::from_static("ko");
        assert_eq!(
            c.field_message("too_short", &ko, many),
            "8자 이상 입력하세요"
        );
    }

    #[test]
    fn messages_without_arguments_are_borrowed() {
        let c = Catalog::new();
        let ko = Locale::from_static("ko");
        assert!(matches!(
            c.field_message("blank", &ko, &[]),
            Cow::Borrowed("비워 둘 수 없습니다")
        ));
        let p: &Params = &[("max", "3".into())];
        assert!(matches!(c.field_message("too_long", &ko, p), Cow::Owned(_)));
        assert!(std::ptr::eq(
            intern("same text"),
            intern(&String::from("same text"))
        ));
    }

    #[test]
    fn negotiation_is_remembered_and_forgotten_when_the_locales_change() {
        let c = Catalog::new();
        for _ in 0..2 {
            assert_eq!(c.negotiate(Some("vi, ko;q=0.5")).to_string(), "ko");
            assert_eq!(c.negotiate(Some("nl")).to_string(), "en");
        }
        let c = c.with_ftl("vi.ftl", "blank = Không được để trống").unwrap();
        assert_eq!(c.negotiate(Some("vi, ko;q=0.5")).to_string(), "vi");
        let c = c.with_default_locale(Locale::from_static("ja"));
        assert_eq!(c.negotiate(Some("nl")).to_string(), "ja");
        let no_file = Catalog::new().with_default_locale(Locale::from_static("vi"));
        assert_eq!(
            no_file.check(&[]),
            [MessageProblem::NoDefaultLocale {
                locale: Locale::from_static("vi")
            }]
        );
        let junk: Vec<String> = (0..2 * MEMO_CAPACITY).map(|i| format!("x{i}")).collect();
        for j in &junk {
            assert_eq!(c.negotiate(Some(j)).to_string(), "ja");
        }
        assert_eq!(c.memo.0.read().unwrap().len(), MEMO_CAPACITY);
        assert_eq!(c.negotiate(Some("ko")).to_string(), "ko");
    }

    #[test]
    fn broken_files_and_names_fail_with_file_and_line() {
        let err = Catalog::new()
            .with_ftl("app/vi.ftl", "a = b\n\nc = {\n")
            .unwrap_err();
        assert!(
            matches!(&err, CatalogError::Syntax { file, line: 3, .. } if file == "app/vi.ftl"),
            "{err}"
        );
        let err = Catalog::new()
            .with_ftl("messages.txt", "a = b")
            .unwrap_err();
        assert!(matches!(err, CatalogError::FileName { .. }));
    }
}
