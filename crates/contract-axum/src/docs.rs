//! A self-contained API reference page: no CDN, no download, works offline.

use axum::response::Html;

const PAGE: &str = include_str!("docs.html");

/// The reference page for the spec served at `spec_url`: operations with
/// their parameters, bodies, statuses and error codes, and every schema
/// with each property's nullability class. Plain HTML and a small script,
/// embedded in the binary.
///
/// ```
/// let page = contract_axum::docs_page("/openapi.json");
/// assert!(page.0.contains("/openapi.json"));
/// // Nothing is loaded from elsewhere: it renders with the network cut off.
/// assert!(!page.0.contains("http://") && !page.0.contains("https://"));
/// assert!(!page.0.contains("<script src") && !page.0.contains("<link"));
/// ```
pub fn docs_page(spec_url: &str) -> Html<String> {
    let url = serde_json::to_string(spec_url).expect("a string serializes");
    Html(PAGE.replace("\"__SPEC_URL__\"", &url))
}
