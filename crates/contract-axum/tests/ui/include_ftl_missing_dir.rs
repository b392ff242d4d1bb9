//! The directory is read relative to the crate's `Cargo.toml`.
const FILES: &[(&str, &str)] = contract_axum::include_ftl!("no-such-locales");

fn main() {
    let _ = FILES;
}
