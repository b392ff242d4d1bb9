//! Derive macros for contract.
//!
//! `#[derive(ApiError)]` turns an app's error enum into contract errors: each
//! variant names its status and code (and, for the app's own codes, its
//! English and Korean messages), and the derive implements
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
//!     #[api(status = 400, code = "seminar_full", en = "This seminar is full.", ko = "정원이 찼습니다.")]
//!     Full,
//!     #[error(transparent)]
//!     #[api(internal)]
//!     Database(#[from] sqlx::Error),
//!     #[error(transparent)]
//!     #[api(transparent)]
//!     Contract(contract_axum::Error),
//! }
//! ```

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as Tokens};
use quote::quote;
use syn::{Data, DeriveInput, Error, Fields, LitInt, LitStr, parse_macro_input};

/// Derives `From<T> for contract_axum::Error`, `IntoResponse` and
/// `DeclaredErrors` for an error enum whose variants carry
/// `#[api(status = N, code = "...", en = "...", ko = "...")]`,
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
        en: Option<String>,
        ko: Option<String>,
    },
    Internal,
    Transparent,
}

fn parse_variant(v: &syn::Variant) -> syn::Result<Kind> {
    let mut status = None;
    let mut code = None;
    let mut en = None;
    let mut ko = None;
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
            } else if m.path.is_ident("en") {
                en = Some(m.value()?.parse::<LitStr>()?.value());
            } else if m.path.is_ident("ko") {
                ko = Some(m.value()?.parse::<LitStr>()?.value());
            } else if m.path.is_ident("internal") {
                internal = true;
            } else if m.path.is_ident("transparent") {
                transparent = true;
            } else {
                return Err(
                    m.error("expected `status`, `code`, `en`, `ko`, `internal` or `transparent`")
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
        (true, false, None, None) if en.is_none() && ko.is_none() => Ok(Kind::Internal),
        (false, true, None, None) if en.is_none() && ko.is_none() => {
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
            en,
            ko,
        }),
        _ => Err(Error::new_spanned(
            &v.ident,
            "use either `status` and `code` (with optional `en`, `ko`), or `internal`, or `transparent`",
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
                en,
                ko,
            } => {
                let mut msgs = Vec::new();
                if let Some(en) = &en {
                    msgs.push(quote!((#p::Locale::En, #en)));
                }
                if let Some(ko) = &ko {
                    msgs.push(quote!((#p::Locale::Ko, #ko)));
                }
                let with_messages = if msgs.is_empty() {
                    quote!()
                } else {
                    quote!(.with_messages(&[#(#msgs),*]))
                };
                arms.push(quote! {
                    #pat => #p::Error::new(
                        #p::StatusCode::from_u16(#status).expect("checked by the derive"),
                        #p::ErrorCode::from_static(#code),
                    ) #with_messages .with_detail(::std::string::ToString::to_string(&err)),
                });
                let en = match en {
                    Some(en) => quote!(::core::option::Option::Some(#en)),
                    None => quote!(::core::option::Option::None),
                };
                declared.push(quote! {
                    out.push(
                        #p::Declared::new(#status, #p::ErrorCode::from_static(#code), #en)
                            .with_messages(&[#(#msgs),*]),
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
