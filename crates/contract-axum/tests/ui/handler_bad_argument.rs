/// Lists things.
#[contract_axum::handler(tags = "things")]
async fn list() -> contract_axum::Json<u32> {
    contract_axum::Json(1)
}

fn main() {}
