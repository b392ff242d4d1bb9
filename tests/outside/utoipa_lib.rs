//! A utoipa app, before contract: todo items kept in memory, documented
//! with `#[utoipa::path]` and served by `OpenApiRouter`, an API key on the
//! writes. `.ci/outside` applies the README's utoipa step to it and runs
//! the README's kit over it.

use axum::Router;
use utoipa::openapi::OpenApi as Document;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(modifiers(&SecurityAddon), tags((name = "todo", description = "Todo items")))]
struct ApiDoc;

struct SecurityAddon;

impl Modify for SecurityAddon {
    fn modify(&self, openapi: &mut Document) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "api_key",
                SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("todo_apikey"))),
            );
        }
    }
}

/// The router and its OpenAPI document.
pub fn app() -> (Router, Document) {
    let (router, api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .nest("/api/v1/todo", todo::router())
        .with_state(todo::Store::default())
        .split_for_parts();
    (router, api)
}

mod todo {
    use std::sync::{Arc, Mutex};

    use axum::extract::{Path, Query, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::Json;
    use serde::{Deserialize, Serialize};
    use utoipa::{IntoParams, ToSchema};
    use utoipa_axum::{router::OpenApiRouter, routes};

    pub(super) type Store = Arc<Mutex<Vec<Todo>>>;

    /// A todo item.
    #[derive(Serialize, Deserialize, ToSchema, Clone)]
    pub(super) struct Todo {
        id: i32,
        #[schema(example = "Buy groceries")]
        value: String,
        done: bool,
    }

    /// What can go wrong.
    #[derive(Serialize, Deserialize, ToSchema)]
    enum TodoError {
        /// The todo exists already.
        Conflict(String),
        /// No such todo.
        NotFound(String),
        /// No or a wrong API key.
        Unauthorized(String),
    }

    #[derive(Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    struct TodoQuery {
        /// Only todos done (or not).
        done: Option<bool>,
    }

    pub(super) fn router() -> OpenApiRouter<Store> {
        OpenApiRouter::new()
            .routes(routes!(list_todos, create_todo))
            .routes(routes!(mark_done, delete_todo))
    }

    fn authorized(headers: &HeaderMap) -> Result<(), Response> {
        match headers.get("todo_apikey") {
            Some(key) if key == "utoipa-rocks" => Ok(()),
            _ => Err((
                StatusCode::UNAUTHORIZED,
                Json(TodoError::Unauthorized("missing api key".into())),
            )
                .into_response()),
        }
    }

    /// List the todo items.
    #[utoipa::path(get, path = "", tag = "todo", params(TodoQuery),
        responses((status = 200, description = "The todo items", body = [Todo])))]
    async fn list_todos(Query(q): Query<TodoQuery>, State(store): State<Store>) -> Json<Vec<Todo>> {
        let todos = store.lock().unwrap();
        Json(todos.iter().filter(|t| q.done.is_none_or(|d| t.done == d)).cloned().collect())
    }

    /// Create a todo item.
    #[utoipa::path(post, path = "", tag = "todo", request_body = Todo,
        responses(
            (status = 201, description = "Created", body = Todo),
            (status = 409, description = "The todo exists already", body = TodoError),
            (status = 401, description = "No or a wrong API key", body = TodoError),
        ),
        security(("api_key" = [])))]
    async fn create_todo(
        State(store): State<Store>,
        headers: HeaderMap,
        Json(todo): Json<Todo>,
    ) -> Response {
        if let Err(denied) = authorized(&headers) {
            return denied;
        }
        let mut todos = store.lock().unwrap();
        if todos.iter().any(|t| t.id == todo.id) {
            return (StatusCode::CONFLICT, Json(TodoError::Conflict(format!("id = {}", todo.id))))
                .into_response();
        }
        todos.push(todo.clone());
        (StatusCode::CREATED, Json(todo)).into_response()
    }

    /// Mark a todo item done.
    #[utoipa::path(put, path = "/{id}", tag = "todo", params(("id" = i32, Path, description = "The todo's id")),
        responses(
            (status = 200, description = "Marked done", body = Todo),
            (status = 404, description = "No such todo", body = TodoError),
            (status = 401, description = "No or a wrong API key", body = TodoError),
        ),
        security(("api_key" = [])))]
    async fn mark_done(Path(id): Path<i32>, State(store): State<Store>, headers: HeaderMap) -> Response {
        if let Err(denied) = authorized(&headers) {
            return denied;
        }
        let mut todos = store.lock().unwrap();
        match todos.iter_mut().find(|t| t.id == id) {
            Some(todo) => {
                todo.done = true;
                Json(todo.clone()).into_response()
            }
            None => (StatusCode::NOT_FOUND, Json(TodoError::NotFound(format!("id = {id}"))))
                .into_response(),
        }
    }

    /// Delete a todo item.
    #[utoipa::path(delete, path = "/{id}", tag = "todo", params(("id" = i32, Path, description = "The todo's id")),
        responses(
            (status = 204, description = "Deleted"),
            (status = 404, description = "No such todo", body = TodoError),
            (status = 401, description = "No or a wrong API key", body = TodoError),
        ),
        security(("api_key" = [])))]
    async fn delete_todo(Path(id): Path<i32>, State(store): State<Store>, headers: HeaderMap) -> Response {
        if let Err(denied) = authorized(&headers) {
            return denied;
        }
        let mut todos = store.lock().unwrap();
        let before = todos.len();
        todos.retain(|t| t.id != id);
        if todos.len() == before {
            return (StatusCode::NOT_FOUND, Json(TodoError::NotFound(format!("id = {id}"))))
                .into_response();
        }
        StatusCode::NO_CONTENT.into_response()
    }
}
