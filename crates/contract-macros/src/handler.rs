//! `#[handler]`: an async fn turned into a documented handler value that
//! carries its doc comment (dropshot's `#[endpoint]` shape).

use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Error, FnArg, GenericArgument, ItemFn, PathArguments, ReturnType, Type};

/// The doc comment's first paragraph (on one line) and the rest.
fn doc_of(f: &ItemFn) -> Option<(String, Option<String>)> {
    let mut lines = Vec::new();
    for attr in &f.attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            for line in s.value().split('\n') {
                lines.push(line.strip_prefix(' ').unwrap_or(line).trim_end().to_owned());
            }
        }
    }
    let text = lines.join("\n");
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (first, rest) = match text.split_once("\n\n") {
        Some((first, rest)) => (first, Some(rest.trim().to_owned())),
        None => (text, None),
    };
    let summary = first.lines().map(str::trim).collect::<Vec<_>>().join(" ");
    Some((summary, rest.filter(|r| !r.is_empty())))
}

/// The return type with each `impl Trait` that `Documented<_, D>` wraps
/// replaced by `()`: `Documented` documents itself from `D` alone. Any
/// other `impl Trait` cannot be named, so it is an error.
struct Nameable {
    errors: Vec<Error>,
}

impl VisitMut for Nameable {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(p) = ty
            && let Some(last) = p.path.segments.last_mut()
            && last.ident == "Documented"
            && let PathArguments::AngleBracketed(args) = &mut last.arguments
        {
            if let Some(GenericArgument::Type(first)) = args.args.first_mut()
                && matches!(first, Type::ImplTrait(_))
            {
                *first = syn::parse_quote!(());
            }
            for arg in args.args.iter_mut() {
                if let GenericArgument::Type(t) = arg {
                    self.visit_type_mut(t);
                }
            }
            return;
        }
        if let Type::ImplTrait(i) = ty {
            self.errors.push(Error::new(
                i.span(),
                "a documented handler names what it returns: wrap an `impl Trait` in \
                 `contract_axum::Documented<impl IntoResponse, D>`, `D` being the documented response",
            ));
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

pub(crate) fn expand(f: ItemFn, tags: &[syn::LitStr]) -> Result<Tokens, Error> {
    let sig = &f.sig;
    if sig.asyncness.is_none() {
        return Err(Error::new(
            sig.fn_token.span(),
            "#[handler] takes an `async fn`",
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(Error::new(
            sig.generics.span(),
            "#[handler] takes a handler without generic parameters",
        ));
    }
    let mut types = Vec::new();
    for arg in &sig.inputs {
        match arg {
            FnArg::Typed(t) => types.push((*t.ty).clone()),
            FnArg::Receiver(r) => {
                return Err(Error::new(r.span(), "#[handler] takes a free function"));
            }
        }
    }
    let returned: Type = match &sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, t) => (**t).clone(),
    };
    let mut output = returned.clone();
    let mut nameable = Nameable { errors: Vec::new() };
    nameable.visit_type_mut(&mut output);
    if let Some(mut e) = nameable.errors.pop() {
        for other in nameable.errors {
            e.combine(other);
        }
        return Err(e);
    }

    let name = &sig.ident;
    let vis = &f.vis;
    let docs: Vec<_> = f
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .collect();
    let others: Vec<_> = f
        .attrs
        .iter()
        .filter(|a| !a.path().is_ident("doc"))
        .collect();
    let inputs = &sig.inputs;
    let block = &f.block;
    let ret = &sig.output;

    let c = quote!(::contract_axum::__private);
    let some = |s: Option<String>| match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let doc = match (doc_of(&f), tags.is_empty()) {
        (None, true) => quote!(::core::option::Option::None),
        (doc, _) => {
            let (summary, description) = doc.map_or((None, None), |(s, d)| (Some(s), d));
            let (summary, description) = (some(summary), some(description));
            quote!(::core::option::Option::Some(
                #c::HandlerDoc::new(#summary, #description).with_tags(&[#(#tags),*])
            ))
        }
    };
    // The marker tuple axum's `Handler` uses for these arguments.
    let m = format_ident!("__M");
    let s = format_ident!("__S");
    let marker = if types.is_empty() {
        quote!(((),))
    } else {
        quote!((#m, #(#types,)*))
    };
    let marker_param = (!types.is_empty()).then(|| quote!(#m,));
    let extract_bounds = match types.split_last() {
        None => quote!(),
        Some((last, parts)) => quote! {
            #s: ::core::marker::Send + ::core::marker::Sync + 'static,
            #(#parts: #c::FromRequestParts<#s> + ::core::marker::Send,)*
            #last: #c::FromRequest<#s, #m> + ::core::marker::Send,
        },
    };
    // Each argument and the return type must document themselves: the
    // error points at the one that does not.
    let checks = types
        .iter()
        .map(|t| quote_spanned!(t.span()=> __input::<#t>();));
    let output_check = quote_spanned!(returned.span()=> __output::<#output>(););
    let call_doc = format!(
        "The handler itself, for a direct call: `{name}::call(...)`. As a value, `{name}` \
         is the handler to route."
    );

    Ok(quote! {
        #(#docs)*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug)]
        #vis struct #name;

        impl #name {
            #[doc = #call_doc]
            #(#others)*
            #vis async fn call(#inputs) #ret #block
        }

        impl<#marker_param #s> #c::Handler<#marker, #s> for #name
        where
            #extract_bounds
        {
            type Future = ::core::pin::Pin<::std::boxed::Box<
                dyn ::core::future::Future<Output = #c::Response> + ::core::marker::Send,
            >>;

            fn call(self, req: #c::Request, state: #s) -> Self::Future {
                <_ as #c::Handler<#marker, #s>>::call(#name::call, req, state)
            }
        }

        impl<#marker_param> #c::DocumentedHandler<#marker> for #name {
            type Output = #output;

            fn doc() -> ::core::option::Option<#c::HandlerDoc> {
                #doc
            }
        }

        const _: () = {
            fn __input<T: #c::OperationInput>() {}
            fn __output<T: #c::OperationOutput>() {}
            #[allow(dead_code)]
            fn __check() {
                #(#checks)*
                #output_check
            }
        };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(f: &str) -> Option<(String, Option<String>)> {
        doc_of(&syn::parse_str::<ItemFn>(f).expect("a function"))
    }

    #[test]
    fn the_first_paragraph_is_the_summary_on_one_line() {
        assert_eq!(doc("async fn h() {}"), None);
        assert_eq!(
            doc("/// Reads a note.\nasync fn h() {}"),
            Some(("Reads a note.".into(), None))
        );
        assert_eq!(
            doc("/// Reads\n/// a note.\n///\n/// Any note.\n///\n/// - `id`\nasync fn h() {}"),
            Some(("Reads a note.".into(), Some("Any note.\n\n- `id`".into())))
        );
        assert_eq!(
            doc("/** Reads a note.\n\n   Any note. */\nasync fn h() {}").map(|d| d.0),
            Some("Reads a note.".into())
        );
    }

    #[test]
    fn only_an_impl_trait_that_documented_wraps_is_accepted() {
        let check = |ty: &str| {
            let mut ty: Type = syn::parse_str(ty).expect("a type");
            let mut n = Nameable { errors: Vec::new() };
            n.visit_type_mut(&mut ty);
            (quote!(#ty).to_string(), n.errors.len())
        };
        assert_eq!(
            check("Documented<impl IntoResponse, Json<T>>"),
            ("Documented < () , Json < T > >".into(), 0)
        );
        assert_eq!(check("Result<impl IntoResponse, E>").1, 1);
        assert_eq!(check("impl IntoResponse").1, 1);
    }
}
