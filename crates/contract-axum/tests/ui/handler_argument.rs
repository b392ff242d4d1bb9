#[derive(serde::Deserialize)]
struct Page {
    limit: u32,
}

/// Lists things.
#[contract_axum::handler]
async fn list(
    axum::extract::Query(page): axum::extract::Query<Page>,
) -> contract_axum::Json<u32> {
    contract_axum::Json(page.limit)
}

fn main() {}
