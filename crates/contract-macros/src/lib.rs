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
use quote::quote;
use syn::{Data, DeriveInput, Error, Fields, LitInt, LitStr, parse_macro_input};

/// Turns an async handler into a documented handler value of the same
/// name: `ApiRouter` reads its doc comment (the first paragraph is the
/// operation's summary, the rest its description; a summary the route
/// sets wins), and a compile error names the argument or the return type
/// that does not document itself.
///
/// The function stays callable as `name::call(...)`. It takes no generic
/// parameters; an `impl Trait` it returns is wrapped in
/// `contract_axum::Documented<impl IntoResponse, D>`.
#[proc_macro_attribute]
pub fn handler(args: TokenStream, item: TokenStream) -> TokenStream {
    if !args.is_empty() {
        return Error::new(Span::call_site(), "#[handler] takes no arguments")
            .into_compile_error()
            .into();
    }
    let f = parse_macro_input!(item as syn::ItemFn);
    handler::expand(f)
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
        code: String,
        id: Option<String>,
        message: Option<String>,
    },
    Internal,
    Transparent,
}

fn parse_variant(v: &syn::Variant) -> syn::Result<Kind> {
    let mut status = None;
    let mut code = None;
    let mut id = None;
    let mut message = None;
    let mut internal = false;
    let mut transparent = false;
    let mut seen = false;
    for attr in v.attrs.iter().filter(|a| a.path().is_ident("api")) {
        seen = true;
        attr.parse_nested_meta(|m| {
            if m.path.is_ident("status") {
                let lit: LitInt = m.value()?.parse()?;
                let n: u16 = lit.base10_parse()?;
                if !(400..600).contains(&n) {
                    return Err(Error::new(
                        lit.span(),
                        "an API error's status is 4xx or 5xx",
                    ));
                }
                status = Some(n);
            } else if m.path.is_ident("code") {
                let lit: LitStr = m.value()?.parse()?;
                let s = lit.value();
                let ok = s.len() <= 63
                    && s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
                if !ok {
                    return Err(Error::new(lit.span(), "codes match ^[a-z][a-z0-9_]{0,62}$"));
                }
                code = Some(s);
            } else if m.path.is_ident("id") {
                let lit: LitStr = m.value()?.parse()?;
                let s = lit.value();
                let ok = s.starts_with(|c: char| c.is_ascii_alphabetic())
                    && s.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
                if !ok {
                    return Err(Error::new(
                        lit.span(),
                        "Fluent message ids match ^[a-zA-Z][a-zA-Z0-9_-]*$",
                    ));
                }
                id = Some(s);
            } else if m.path.is_ident("message") {
                message = Some(m.value()?.parse::<LitStr>()?.value());
            } else if m.path.is_ident("en") || m.path.is_ident("ko") {
                return Err(m.error(
                    "messages live in `.ftl` files under the code (or `id`); `message = \"...\"` is an inline default",
                ));
            } else if m.path.is_ident("internal") {
                internal = true;
            } else if m.path.is_ident("transparent") {
                transparent = true;
            } else {
                return Err(
                    m.error("expected `status`, `code`, `id`, `message`, `internal` or `transparent`")
                );
            }
            Ok(())
        })?;
    }
    if !seen {
        return Err(Error::new_spanned(
            &v.ident,
            "each variant needs #[api(status = .., code = \"..\")], #[api(internal)] or #[api(transparent)]",
        ));
    }
    match (internal, transparent, status, code) {
        (true, false, None, None) if id.is_none() && message.is_none() => Ok(Kind::Internal),
        (false, true, None, None) if id.is_none() && message.is_none() => {
            if v.fields.len() != 1 {
                return Err(Error::new_spanned(
                    &v.ident,
                    "a transparent variant has exactly one field",
                ));
            }
            Ok(Kind::Transparent)
        }
        (false, false, Some(status), Some(code)) => Ok(Kind::Coded {
            status,
            code,
            id,
            message,
        }),
        _ => Err(Error::new_spanned(
            &v.ident,
            "use either `status` and `code` (with optional `id`, `message`), or `internal`, or `transparent`",
        )),
    }
}

fn expand(input: DeriveInput) -> syn::Result<Tokens> {
    let Data::Enum(data) = &input.data else {
        return Err(Error::new(Span::call_site(), "ApiError derives on enums"));
    };
    let name = &input.ident;
    let (impl_g, ty_g, where_g) = input.generics.split_for_impl();
    let p = quote!(::contract_axum::__private);
    let mut arms = Vec::new();
    let mut declared = Vec::new();
    for v in &data.variants {
        let ident = &v.ident;
        let pat = match &v.fields {
            Fields::Unit => quote!(#name::#ident),
            Fields::Unnamed(_) => quote!(#name::#ident(..)),
            Fields::Named(_) => quote!(#name::#ident { .. }),
        };
        match parse_variant(v)? {
            Kind::Coded {
                status,
                code,
                id,
                message,
            } => {
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
                arms.push(quote!(#pat => return ::core::convert::Into::<#p::Error>::into(inner),));
                declared.push(quote! {
                    <#ty as #p::DeclaredErrors>::declare(out);
                });
            }
        }
    }
    Ok(quote! {
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
    let mut files: Vec<_> = std::fs::read_dir(&path)
        .map_err(|e| fail(format!("{}: {e}", path.display())))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(fail(format!("{}: no .ftl files", path.display())));
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
