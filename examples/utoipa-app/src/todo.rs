//! The todo routes: a shared store, an API key for writes, one error enum
//! for every handler.

use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use validator::Validate;

/// The header that carries the API key.
pub const API_KEY_HEADER: &str = "todo_apikey";
const API_KEY: &str = "utoipa-rocks";

/// The todo store, shared by every handler.
#[derive(Debug, Clone, Default)]
pub struct Store {
    todos: Arc<Mutex<Vec<Todo>>>,
}

/// A todo item.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct Todo {
    /// The todo's id.
    id: i32,
    /// What to do.
    #[schema(example = "Buy groceries")]
    value: String,
    /// Whether it is done.
    done: bool,
    /// A note, null when none.
    note: Option<String>,
}

/// A todo to add.
// One type for contract's `Json`, which holds a body to its `#[validate]`
// rules, and for the document, which states them (through schemars).
#[derive(Debug, Deserialize, Validate, JsonSchema)]
pub(crate) struct NewTodo {
    /// What to do; unique.
    #[validate(length(min = 1, max = 100))]
    value: String,
    /// A note.
    #[serde(default)]
    #[validate(length(max = 500))]
    note: Option<String>,
}

contract_utoipa::schemars_schema!(NewTodo);

/// Which todos to list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct TodoFilter {
    /// Only done (true) or open (false) ones.
    done: Option<bool>,
}

/// What a todo operation can fail with.
#[derive(Debug, Serialize, ToSchema, thiserror::Error, contract_axum::ApiError)]
pub enum TodoError {
    /// A todo with this value already exists.
    #[error("todo already exists: {0}")]
    #[api(status = 409, code = "todo_exists")]
    Conflict(String),
    /// No todo has this id.
    #[error("todo not found: {0}")]
    #[api(status = 404, code = "todo_not_found")]
    NotFound(String),
    /// The API key is missing or wrong.
    #[error("unauthorized: {0}")]
    #[api(status = 401, code = "unauthenticated")]
    Unauthorized(String),
}

/// The todo routes, documented by utoipa.
pub(crate) fn router() -> OpenApiRouter<Store> {
    OpenApiRouter::new()
        .routes(routes!(list_todos, create_todo))
        .routes(routes!(get_todo, mark_done, delete_todo))
}

fn check_api_key(headers: &HeaderMap) -> Result<(), TodoError> {
    match headers.get(API_KEY_HEADER) {
        Some(key) if key == API_KEY => Ok(()),
        Some(_) => Err(TodoError::Unauthorized("wrong API key".into())),
        None => Err(TodoError::Unauthorized("missing API key".into())),
    }
}

/// List todos.
///
/// Anyone may list; the API key is optional.
#[utoipa::path(
    get,
    path = "",
    tag = "todo",
    params(TodoFilter),
    responses((status = 200, description = "The todos, oldest first", body = [Todo])),
    security((), ("api_key" = []))
)]
async fn list_todos(
    State(store): State<Store>,
    Query(filter): Query<TodoFilter>,
) -> Json<Vec<Todo>> {
    let todos = store.todos.lock().expect("not poisoned");
    Json(
        todos
            .iter()
            .filter(|t| filter.done.is_none_or(|d| t.done == d))
            .cloned()
            .collect(),
    )
}

/// Create a todo.
#[utoipa::path(
    post,
    path = "",
    tag = "todo",
    request_body = NewTodo,
    responses(
        (status = 201, description = "The todo, created", body = Todo),
        (status = 409, description = "A todo with this value exists", body = TodoError),
        (status = 401, description = "No valid API key", body = TodoError)
    ),
    security(("api_key" = []))
)]
async fn create_todo(
    State(store): State<Store>,
    headers: HeaderMap,
    contract_axum::Json(new): contract_axum::Json<NewTodo>,
) -> Result<(StatusCode, Json<Todo>), TodoError> {
    check_api_key(&headers)?;
    let mut todos = store.todos.lock().expect("not poisoned");
    if todos.iter().any(|t| t.value == new.value) {
        return Err(TodoError::Conflict(new.value));
    }
    let todo = Todo {
        id: todos.iter().map(|t| t.id).max().unwrap_or(0) + 1,
        value: new.value,
        done: false,
        note: new.note,
    };
    todos.push(todo.clone());
    Ok((StatusCode::CREATED, Json(todo)))
}

/// Read a todo.
#[utoipa::path(
    get,
    path = "/{id}",
    tag = "todo",
    params(("id" = i32, Path, description = "The todo's id")),
    responses(
        (status = 200, description = "The todo", body = Todo),
        (status = 404, description = "No such todo", body = TodoError)
    ),
    security(())
)]
async fn get_todo(
    State(store): State<Store>,
    Path(id): Path<i32>,
) -> Result<Json<Todo>, TodoError> {
    let todos = store.todos.lock().expect("not poisoned");
    todos
        .iter()
        .find(|t| t.id == id)
        .cloned()
        .map(Json)
        .ok_or_else(|| TodoError::NotFound(format!("id = {id}")))
}

/// Mark a todo done.
#[utoipa::path(
    put,
    path = "/{id}",
    tag = "todo",
    params(("id" = i32, Path, description = "The todo's id")),
    responses(
        (status = 200, description = "The todo, done", body = Todo),
        (status = 404, description = "No such todo", body = TodoError),
        (status = 401, description = "No valid API key", body = TodoError)
    ),
    security(("api_key" = []))
)]
async fn mark_done(
    State(store): State<Store>,
    headers: HeaderMap,
    Path(id): Path<i32>,
) -> Result<Json<Todo>, TodoError> {
    check_api_key(&headers)?;
    let mut todos = store.todos.lock().expect("not poisoned");
    let todo = todos
        .iter_mut()
        .find(|t| t.id == id)
        .ok_or_else(|| TodoError::NotFound(format!("id = {id}")))?;
    todo.done = true;
    Ok(Json(todo.clone()))
}

/// Delete a todo.
#[utoipa::path(
    delete,
    path = "/{id}",
    tag = "todo",
    params(("id" = i32, Path, description = "The todo's id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such todo", body = TodoError),
        (status = 401, description = "No valid API key", body = TodoError)
    ),
    security(("api_key" = []))
)]
async fn delete_todo(
    State(store): State<Store>,
    headers: HeaderMap,
    Path(id): Path<i32>,
) -> Result<impl IntoResponse, TodoError> {
    check_api_key(&headers)?;
    let mut todos = store.todos.lock().expect("not poisoned");
    let len = todos.len();
    todos.retain(|t| t.id != id);
    if todos.len() == len {
        return Err(TodoError::NotFound(format!("id = {id}")));
    }
    Ok(StatusCode::NO_CONTENT)
}
