//! Macros for contract.
//!
//! `#[derive(ApiError)]` turns an app's error enum into contract errors: each
//! variant names its status and code, and the derive implements
//! `From<YourError> for contract_axum::Error`, `IntoResponse`, and
//! `DeclaredErrors`, which documents every variant in the spec.
//!
//! ```ignore
//! #[derive(Debug, thiserror::Error, contract_axum::ApiError)]
//! pub enum JoinError {
//!     #[error("seminar {0} not found")]
//!     #[api(status = 404, code = "not_found")]
//!     NotFound(i64),
//!     #[error("seminar is full")]
//!     #[api(status = 400, code = "seminar_full")]
//!     Full,
//!     #[error("seminar is closed")]
//!     #[api(status = 400, code = "seminar_closed", id = "closed", message = "This seminar is closed.")]
//!     Closed,
//!     #[error(transparent)]
//!     #[api(internal)]
//!     Database(#[from] sqlx::Error),
//!     #[error(transparent)]
//!     #[api(transparent)]
//!     Contract(contract_axum::Error),
//! }
//! ```
//!
//! Messages live in Fluent `.ftl` files, one per locale, under a message id:
//! the code, unless `id = "..."` names another. `message = "..."` is an
//! inline default for convenience: it is used only when no `.ftl` file has
//! the id in the negotiated locale, the default locale or English.
//!
//! `#[handler]` turns an async handler into a value `ApiRouter` documents
//! from its doc comment as well as its signature (see its docs).
//!
//! `include_ftl!("locales")` embeds every `*.ftl` file of a directory
//! (relative to the crate's `Cargo.toml`) and checks its syntax at build
//! time, so a broken file fails the build with its name and line.

mod handler;

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::{ToTokens, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Error, Fields, LitInt, LitStr, parse_macro_input};

/// Turns an async handler into a documented handler value of the same
/// name: `ApiRouter` reads its doc comment (the first paragraph is the
/// operation's summary, the rest its description; a summary the route
/// sets wins), and a compile error names the argument or the return type
/// that does not document itself.
///
/// `#[handler(tag = "users")]` tags the operation (once per tag), as
/// `get_with(h, |op| { op.tag("users"); })` would.
///
/// The function stays callable as `name::call(...)`. It takes no generic
/// parameters; an `impl Trait` it returns is wrapped in
/// `contract_axum::Documented<impl IntoResponse, D>`.
#[proc_macro_attribute]
pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut tags = Vec::new();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("tag") {
            tags.push(meta.value()?.parse::<LitStr>()?);
            Ok(())
        } else {
            Err(meta.error("#[handler] takes `tag = \"...\"` (once per tag)"))
        }
    });
    parse_macro_input!(args with parser);
    let f = parse_macro_input!(item as syn::ItemFn);
    handler::expand(f, &tags)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

/// Derives `From<T> for contract_axum::Error`, `IntoResponse` and
/// `DeclaredErrors` for an error enum whose variants carry
/// `#[api(status = N, code = "...")]` (optionally with `id = "..."`, the
/// Fluent message id, and `message = "..."`, an inline default),
/// `#[api(internal)]` or `#[api(transparent)]`.
#[proc_macro_derive(ApiError, attributes(api))]
pub fn derive_api_error(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    expand(input)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

enum Kind {
    Coded {
        status: u16,
        /// Where `status = N` was written: the table check points there.
        status_span: Span,
        code: String,
        id: Option<String>,
        message: Option<String>,
    },
    Internal,
    Transparent,
}

/// The keys an `#[api(...)]` attribute takes, for the error on any other.
const KEYS: &str = "`status`, `code`, `id`, `message`, `internal` or `transparent`";

/// One key of a variant's `#[api(...)]` attributes: its value and where it
/// was written, so that a conflict can point at it.
struct Key<T> {
    value: Option<(T, Span)>,
}

impl<T> Key<T> {
    const fn new() -> Self {
        Self { value: None }
    }

    fn set(&mut self, variant: &syn::Ident, key: &str, value: T, span: Span) -> syn::Result<()> {
        if self.value.is_some() {
            return Err(Error::new(
                span,
                format!("`{key}` is given twice for `{variant}`"),
            ));
        }
        self.value = Some((value, span));
        Ok(())
    }

    fn span(&self) -> Option<Span> {
        self.value.as_ref().map(|(_, s)| *s)
    }

    fn take(self) -> Option<T> {
        self.value.map(|(v, _)| v)
    }
}

fn parse_variant(v: &syn::Variant) -> syn::Result<Kind> {
    let name = &v.ident;
    let mut status = Key::new();
    let mut code = Key::new();
    let mut id = Key::new();
    let mut message = Key::new();
    let mut internal = Key::new();
    let mut transparent = Key::new();
    let mut seen = false;
    for attr in v.attrs.iter().filter(|a| a.path().is_ident("api")) {
        seen = true;
        attr.parse_nested_meta(|m| {
            let span = m.path.span();
            if m.path.is_ident("status") {
                let lit: LitInt = m.value()?.parse().map_err(|e| {
                    Error::new(
                        e.span(),
                        format!("`status` of `{name}` is an integer, e.g. `status = 404`"),
                    )
                })?;
                let n = lit.base10_parse::<u64>().ok().filter(|n| (400..600).contains(n));
                let Some(n) = n else {
                    return Err(Error::new(
                        lit.span(),
                        format!(
                            "`status = {lit}` on `{name}`: an API error's status is 4xx or 5xx"
                        ),
                    ));
                };
                status.set(name, "status", (n as u16, lit.span()), span)?;
            } else if m.path.is_ident("code") {
                let lit = string(&m, name, "code", "code = \"not_found\"")?;
                let s = lit.value();
                let ok = s.len() <= 63
                    && s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok {
                    return Err(Error::new(
                        lit.span(),
                        format!(
                            "`code = {:?}` on `{name}`: codes are snake_case, ^[a-z][a-z0-9_]{{0,62}}$",
                            s
                        ),
                    ));
                }
                code.set(name, "code", s, span)?;
            } else if m.path.is_ident("id") {
                let lit = string(&m, name, "id", "id = \"seminar-closed\"")?;
                let s = lit.value();
                let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !ok {
                    return Err(Error::new(
                        lit.span(),
                        format!(
                            "`id = {s:?}` on `{name}`: Fluent message ids match ^[a-zA-Z][a-zA-Z0-9_-]*$"
                        ),
                    ));
                }
                id.set(name, "id", s, span)?;
            } else if m.path.is_ident("message") {
                let lit = string(&m, name, "message", "message = \"This seminar is full.\"")?;
                message.set(name, "message", lit.value(), span)?;
            } else if m.path.is_ident("en") || m.path.is_ident("ko") {
                return Err(m.error(format!(
                    "`{} = \"...\"` on `{name}`: per-language messages moved to `.ftl` files, \
                     under the code (or `id`); `message = \"...\"` is an inline default",
                    m.path.get_ident().map(ToString::to_string).unwrap_or_default()
                )));
            } else if m.path.is_ident("internal") {
                internal.set(name, "internal", (), span)?;
            } else if m.path.is_ident("transparent") {
                transparent.set(name, "transparent", (), span)?;
            } else {
                let key = m.path.to_token_stream().to_string().replace(' ', "");
                return Err(m.error(format!(
                    "unknown key `{key}` in `#[api(...)]` on `{name}`; expected {KEYS}"
                )));
            }
            Ok(())
        })?;
    }
    if !seen {
        return Err(Error::new_spanned(
            name,
            format!(
                "`{name}` needs #[api(status = .., code = \"..\")], #[api(internal)] or #[api(transparent)]"
            ),
        ));
    }
    // A key that does not go with the variant's kind, and where it is.
    let stray = |kind: &str, keys: [(&str, Option<Span>); 4]| -> syn::Result<()> {
        match keys.iter().find_map(|(k, s)| s.map(|s| (k, s))) {
            Some((key, span)) => Err(Error::new(
                span,
                format!("`{name}` is `{kind}`: it takes no `{key}`"),
            )),
            None => Ok(()),
        }
    };
    if internal.span().is_some() {
        if let Some(t) = transparent.span() {
            return Err(Error::new(
                t,
                format!("`{name}` is either `internal` or `transparent`, not both"),
            ));
        }
        stray(
            "internal",
            [
                ("status", status.span()),
                ("code", code.span()),
                ("id", id.span()),
                ("message", message.span()),
            ],
        )?;
        return Ok(Kind::Internal);
    }
    if transparent.span().is_some() {
        stray(
            "transparent",
            [
                ("status", status.span()),
                ("code", code.span()),
                ("id", id.span()),
                ("message", message.span()),
            ],
        )?;
        if v.fields.len() != 1 {
            return Err(Error::new_spanned(
                name,
                format!(
                    "`{name}` is `transparent`: it has exactly one field (the error it wraps), not {}",
                    v.fields.len()
                ),
            ));
        }
        return Ok(Kind::Transparent);
    }
    match (status.take(), code.take()) {
        (Some((status, status_span)), Some(code)) => Ok(Kind::Coded {
            status,
            status_span,
            code,
            id: id.take(),
            message: message.take(),
        }),
        (Some(_), None) => Err(Error::new_spanned(
            name,
            format!("`{name}` has a `status` but no `code = \"...\"`"),
        )),
        (None, Some(_)) => Err(Error::new_spanned(
            name,
            format!("`{name}` has a `code` but no `status = ...`"),
        )),
        (None, None) => Err(Error::new_spanned(
            name,
            format!(
                "`{name}` needs `status` and `code` (with optional `id`, `message`), or `internal`, or `transparent`"
            ),
        )),
    }
}

/// The string value of `key`, or an error naming the variant and the key.
fn string(
    m: &syn::meta::ParseNestedMeta<'_>,
    variant: &syn::Ident,
    key: &str,
    example: &str,
) -> syn::Result<LitStr> {
    m.value()?.parse::<LitStr>().map_err(|e| {
        Error::new(
            e.span(),
            format!("`{key}` of `{variant}` is a string, e.g. `{example}`"),
        )
    })
}

/// The error for a struct or union: the derive reads variants.
fn not_enum(name: &syn::Ident, at: Span, what: &str) -> Error {
    Error::new(
        at,
        format!("`#[derive(ApiError)]` is for enums, one variant per error; `{name}` is {what}"),
    )
}

fn expand(input: DeriveInput) -> syn::Result<Tokens> {
    let name = &input.ident;
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(s) => return Err(not_enum(name, s.struct_token.span, "a struct")),
        Data::Union(u) => return Err(not_enum(name, u.union_token.span, "a union")),
    };
    let (impl_g, ty_g, where_g) = input.generics.split_for_impl();
    let p = quote!(::contract_axum::__private);
    // Every variant's mistakes at once, not one per build.
    let mut kinds = Vec::new();
    let mut errors: Option<Error> = None;
    for v in &data.variants {
        match parse_variant(v) {
            Ok(kind) => kinds.push(kind),
            Err(e) => match &mut errors {
                Some(all) => all.combine(e),
                None => errors = Some(e),
            },
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let mut arms = Vec::new();
    let mut declared = Vec::new();
    let mut checks = Vec::new();
    for (v, kind) in data.variants.iter().zip(kinds) {
        let ident = &v.ident;
        let pat = match &v.fields {
            Fields::Unit => quote!(#name::#ident),
            Fields::Unnamed(_) => quote!(#name::#ident(..)),
            Fields::Named(_) => quote!(#name::#ident { .. }),
        };
        match kind {
            Kind::Coded {
                status,
                status_span,
                code,
                id,
                message,
            } => {
                // A built-in code at another status than the table's fails
                // the build here, naming the table's status.
                checks.push(quote_spanned! {status_span=>
                    const _: () = ::contract_axum::__private::check_declared(#code, #status);
                });
                let mut with = Tokens::new();
                let mut declared_with = Tokens::new();
                if let Some(id) = &id {
                    with.extend(quote!(.with_message_id(#id)));
                    declared_with.extend(quote!(.with_message_id(#id)));
                }
                if let Some(message) = &message {
                    with.extend(quote!(.with_default_message(#message)));
                }
                arms.push(quote! {
                    #pat => #p::Error::new(
                        #p::StatusCode::from_u16(#status).expect("checked by the derive"),
                        #p::ErrorCode::from_static(#code),
                    ) #with .with_detail(::std::string::ToString::to_string(&err)),
                });
                let message = match message {
                    Some(m) => quote!(::core::option::Option::Some(#m)),
                    None => quote!(::core::option::Option::None),
                };
                declared.push(quote! {
                    out.push(
                        #p::Declared::new(#status, #p::ErrorCode::from_static(#code), #message)
                            #declared_with,
                    );
                });
            }
            Kind::Internal => {
                arms.push(quote!(#pat => #p::Error::internal().with_detail(::std::string::ToString::to_string(&err)),));
                declared.push(quote! {
                    out.push(#p::Declared::new(500, #p::ErrorCode::INTERNAL, ::core::option::Option::None));
                });
            }
            Kind::Transparent => {
                let (pat, ty) = match &v.fields {
                    Fields::Unnamed(f) => (quote!(#name::#ident(inner)), &f.unnamed[0].ty),
                    Fields::Named(f) => {
                        let field = f.named[0].ident.as_ref().expect("named");
                        (quote!(#name::#ident { #field: inner }), &f.named[0].ty)
                    }
                    Fields::Unit => unreachable!("checked: one field"),
                };
                // Spanned at the field's type: a type contract does not know
                // is reported there, not at the derive.
                let into = quote_spanned!(ty.span()=> <#ty as ::core::convert::Into<#p::Error>>::into(inner));
                arms.push(quote!(#pat => return #into,));
                declared.push(quote! {
                    <#ty as #p::DeclaredErrors>::declare(out);
                });
            }
        }
    }
    Ok(quote! {
        #(#checks)*

        impl #impl_g ::core::convert::From<#name #ty_g> for #p::Error #where_g {
            fn from(err: #name #ty_g) -> Self {
                match err {
                    #(#arms)*
                }
            }
        }

        impl #impl_g #p::IntoResponse for #name #ty_g #where_g {
            fn into_response(self) -> #p::Response {
                #p::IntoResponse::into_response(<#p::Error as ::core::convert::From<Self>>::from(self))
            }
        }

        impl #impl_g #p::DeclaredErrors for #name #ty_g #where_g {
            fn declare(out: &mut ::std::vec::Vec<#p::Declared>) {
                #(#declared)*
            }
        }
    })
}

/// Embeds every `*.ftl` file of a directory (relative to the calling
/// crate's `Cargo.toml`) as `&[(name, text)]`, in name order, for
/// `Catalog::with_files`. Each file's Fluent syntax is checked here, so a
/// broken file fails the build with its name and line. Cargo rebuilds when
/// an embedded file changes; for a file *added* to the directory to be
/// picked up, give the crate a `build.rs` that prints
/// `cargo:rerun-if-changed=locales` (as the seminar does).
#[proc_macro]
pub fn include_ftl(input: TokenStream) -> TokenStream {
    let dir = parse_macro_input!(input as LitStr);
    expand_ftl(&dir)
        .unwrap_or_else(Error::into_compile_error)
        .into()
}

fn expand_ftl(dir: &LitStr) -> syn::Result<Tokens> {
    let span = dir.span();
    let fail = |msg: String| Error::new(span, msg);
    let base = std::env::var("CARGO_MANIFEST_DIR")
        .map_err(|_| fail("CARGO_MANIFEST_DIR is not set".into()))?;
    let rel = dir.value();
    let path = std::path::Path::new(&base).join(&rel);
    // Named as written, relative to the crate: an absolute path would say
    // nothing the caller does not know and differs on every machine.
    let mut files: Vec<_> = std::fs::read_dir(&path)
        .map_err(|e| {
            fail(format!(
                "include_ftl!({rel:?}): cannot read the directory (relative to the crate's Cargo.toml): {e}"
            ))
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail(format!(
            "include_ftl!({rel:?}): the directory holds no `.ftl` file"
        )));
    }
    let mut entries = Vec::new();
    for file in files {
        let name = format!(
            "{}/{}",
            rel.trim_end_matches('/'),
            file.file_name().unwrap_or_default().to_string_lossy()
        );
        let source = std::fs::read_to_string(&file).map_err(|e| fail(format!("{name}: {e}")))?;
        if let Err((_, errors)) = fluent_syntax::parser::parse(source.as_str()) {
            let e = &errors[0];
            let at = e.pos.start.min(source.trim_end().len());
            let line = source[..at].bytes().filter(|&b| b == b'\n').count() + 1;
            return Err(fail(format!("{name}:{line}: {}", e.kind)));
        }
        let abs = file.display().to_string();
        entries.push(quote!((#name, ::core::include_str!(#abs))));
    }
    Ok(quote!({
        const FILES: &[(&str, &str)] = &[#(#entries),*];
        FILES
    }))
}

/// `include_ftl!`'s errors, which a trybuild case cannot reach: trybuild
/// builds its cases in a crate of its own, so a directory of fixtures is
/// not at a path relative to that crate's `Cargo.toml`.
#[cfg(test)]
mod tests {
    use super::*;

    fn ftl_error(dir: &str) -> String {
        match expand_ftl(&LitStr::new(dir, Span::call_site())) {
            Ok(_) => panic!("{dir}: expected an error"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn broken_file_names_file_line_and_problem() {
        let e = ftl_error("tests/ftl/broken");
        assert!(e.starts_with("tests/ftl/broken/en.ftl:"), "{e}");
        // Fluent reports a select expression without a default at its end.
        assert_eq!(
            e,
            "tests/ftl/broken/en.ftl:6: The select expression must have a default variant"
        );
    }

    #[test]
    fn missing_directory() {
        assert_eq!(
            ftl_error("tests/ftl/nowhere"),
            "include_ftl!(\"tests/ftl/nowhere\"): cannot read the directory (relative to the \
             crate's Cargo.toml): No such file or directory (os error 2)"
        );
    }

    #[test]
    fn directory_without_ftl_files() {
        assert_eq!(
            ftl_error("tests/ftl/empty"),
            "include_ftl!(\"tests/ftl/empty\"): the directory holds no `.ftl` file"
        );
    }
}
