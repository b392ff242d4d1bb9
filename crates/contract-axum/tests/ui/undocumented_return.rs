use axum::response::Html;
use contract_axum::{ApiRouter, SpecBuilder, get};

async fn page() -> Html<String> {
    Html("<p>hi</p>".into())
}

fn main() {
    let _: ApiRouter = ApiRouter::new(SpecBuilder::new("t", "1")).route("/page", get(page));
}
