use contract_axum::{ApiRouter, Json, SpecBuilder, get};

#[derive(serde::Deserialize)]
struct Page {
    limit: u32,
}

async fn list(axum::extract::Query(page): axum::extract::Query<Page>) -> Json<u32> {
    Json(page.limit)
}

fn main() {
    let _: ApiRouter = ApiRouter::new(SpecBuilder::new("t", "1")).route("/list", get(list));
}
