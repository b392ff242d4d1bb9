//! A plain axum app, before contract: a todo list kept in memory, with
//! axum's own extractors. `.ci/outside` applies the README's steps to it.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::extract::{Json, Path, Query, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::{get, patch};
use axum::Router;
use serde::{Deserialize, Serialize};

type Db = Arc<RwLock<HashMap<u32, Todo>>>;

#[derive(Debug, Clone, Serialize)]
struct Todo {
    id: u32,
    text: String,
    completed: bool,
}

#[derive(Debug, Deserialize)]
struct Pagination {
    offset: Option<usize>,
    limit: Option<usize>,
}

#[derive(Debug, Deserialize)]
struct CreateTodo {
    text: String,
}

#[derive(Debug, Deserialize)]
struct UpdateTodo {
    text: Option<String>,
    completed: Option<bool>,
}

async fn list(Query(page): Query<Pagination>, State(db): State<Db>) -> impl IntoResponse {
    let todos = db.read().unwrap();
    let todos: Vec<Todo> = todos
        .values()
        .skip(page.offset.unwrap_or(0))
        .take(page.limit.unwrap_or(usize::MAX))
        .cloned()
        .collect();
    Json(todos)
}

async fn create(State(db): State<Db>, Json(input): Json<CreateTodo>) -> impl IntoResponse {
    let mut todos = db.write().unwrap();
    let id = todos.keys().max().map_or(1, |max| max + 1);
    let todo = Todo { id, text: input.text, completed: false };
    todos.insert(id, todo.clone());
    (StatusCode::CREATED, Json(todo))
}

async fn update(
    Path(id): Path<u32>,
    State(db): State<Db>,
    Json(input): Json<UpdateTodo>,
) -> Result<impl IntoResponse, StatusCode> {
    let mut todos = db.write().unwrap();
    let todo = todos.get_mut(&id).ok_or(StatusCode::NOT_FOUND)?;
    if let Some(text) = input.text {
        todo.text = text;
    }
    if let Some(completed) = input.completed {
        todo.completed = completed;
    }
    Ok(Json(todo.clone()))
}

async fn remove(Path(id): Path<u32>, State(db): State<Db>) -> impl IntoResponse {
    match db.write().unwrap().remove(&id) {
        Some(_) => StatusCode::NO_CONTENT,
        None => StatusCode::NOT_FOUND,
    }
}

#[tokio::main]
async fn main() {
    let db = Db::default();
    let app = Router::new()
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", patch(update).delete(remove))
        .with_state(db);

    let addr = std::env::args().nth(1).unwrap_or_else(|| "127.0.0.1:3000".into());
    let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
    println!("listening on {}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}
