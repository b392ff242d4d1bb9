/// Says hello.
#[contract_axum::handler]
async fn hello() -> impl axum::response::IntoResponse {
    "hello"
}

fn main() {}
