//! A todo service written the utoipa way (`#[derive(ToSchema)]`,
//! `#[utoipa::path]`, `OpenApiRouter`, nested routers, state, an API key,
//! one error enum shared by the handlers) that adopts contract: its
//! `ErrorLayer` puts every error into the envelope, and
//! `contract_utoipa::apply` makes the spec say so. One handler changed: the
//! create body is contract's `Json`, held to `NewTodo`'s `#[validate]` rules,
//! which the spec states through `contract_utoipa::schemars_schema!`.

use axum::Router;
use contract_axum::{Catalog, Contract};
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

mod todo;

pub use todo::{API_KEY_HEADER, Store, TodoError};

#[derive(OpenApi)]
#[openapi(
    info(title = "Todo API", description = "Todo items, kept in memory."),
    modifiers(&SecurityAddon),
    tags((name = "todo", description = "Todo items"))
)]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut Document) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new(API_KEY_HEADER))),
            );
        }
    }
}

/// The router, with contract's layer, and its OpenAPI document.
pub fn app() -> (Router, Document) {
    let (router, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1/todo", todo::router())
        .with_state(Store::default())
        .split_for_parts();
    // contract: every error is the envelope, and the spec says so.
    let messages = Catalog::new()
        .with_files(contract_axum::include_ftl!("locales"))
        .expect("the build checked the .ftl syntax");
    let contract = Contract::new().catalog(messages);
    let policy = contract.adopt().errors::<TodoError>();
    contract_utoipa::apply(&mut api, &policy).expect("every operation is classified");
    (router.layer(contract.layer()), api)
}
