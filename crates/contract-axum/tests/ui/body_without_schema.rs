// A body type without `JsonSchema`, on a plain axum router: with
// `#[contract_axum::handler]`, the error names the type and the trait
// (without it, axum only says the function is not a `Handler`).
use axum::routing::post;

#[derive(serde::Deserialize, validator::Validate)]
struct NewTodo {
    text: String,
}

/// Creates a todo.
#[contract_axum::handler]
async fn create(contract_axum::Json(todo): contract_axum::Json<NewTodo>) -> contract_axum::Json<String> {
    contract_axum::Json(todo.text)
}

fn main() {
    let _: axum::Router = axum::Router::new().route("/todos", post(create));
}
