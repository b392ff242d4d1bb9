//! API reference pages, served without a CDN: they work offline.
//!
//! [`docs_page`] is contract's own page (every property's nullability
//! class); [`swagger_ui`] (feature `swagger-ui`) serves Swagger UI, the page
//! people know and can try requests from, with that page beside it.

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
    page_with_nav(spec_url, "")
}

fn page_with_nav(spec_url: &str, nav: &str) -> Html<String> {
    let url = serde_json::to_string(spec_url).expect("a string serializes");
    Html(
        PAGE.replace("\"__SPEC_URL__\"", &url)
            .replace("__ERROR_CODES__", contract_core::keyword::ERROR_CODES)
            .replace("__NAV__", nav),
    )
}

#[cfg(feature = "swagger-ui")]
pub use swagger::{SWAGGER_UI_PATH, swagger_ui};

#[cfg(feature = "swagger-ui")]
mod swagger {
    use std::sync::Arc;

    use axum::Router;
    use axum::response::{Html, IntoResponse};
    use axum::routing::get;
    use bytes::Bytes;
    use http::header;

    use super::page_with_nav;

    /// Where [`swagger_ui`] serves Swagger UI; the nullability-class page
    /// is at `/docs/classes`, its files under `/docs/`.
    pub const SWAGGER_UI_PATH: &str = "/docs";

    const PAGE: &str = include_str!("swagger.html");

    /// Swagger UI for the spec served at `spec_url`, at `/docs`, and
    /// [`docs_page`](super::docs_page) at `/docs/classes`, each linking to
    /// the other. Swagger UI's files (the `swagger-ui-dist` release that
    /// `utoipa-swagger-ui` vendors) are embedded in the binary and served
    /// from `/docs/`: nothing is loaded from elsewhere, and "Try it out"
    /// sends its requests to the server that served the page (the spec
    /// lists no `servers`). Merge it into the app's router, inside its
    /// `ErrorLayer`:
    ///
    /// ```
    /// use axum::Router;
    /// use contract_axum::ErrorLayer;
    ///
    /// let app: Router = Router::new()
    ///     // .route("/openapi.json", ...) and the API
    ///     .merge(contract_axum::swagger_ui("/openapi.json"))
    ///     .layer(ErrorLayer::new());
    /// ```
    pub fn swagger_ui<S>(spec_url: &str) -> Router<S>
    where
        S: Clone + Send + Sync + 'static,
    {
        let base = SWAGGER_UI_PATH;
        let js_url = serde_json::to_string(spec_url).expect("a string serializes");
        let page = PAGE
            .replace("__BASE__", base)
            .replace("\"__SPEC_URL__\"", &js_url)
            .replace("__SPEC_HREF__", &escape(spec_url));
        let page = Html(page);
        let classes = page_with_nav(
            spec_url,
            &format!("<p><a href=\"{base}\">Swagger UI</a> (try requests from the browser)</p>"),
        );
        let mut router = Router::new()
            .route(base, get(move || async move { page }))
            .route(
                &format!("{base}/classes"),
                get(move || async move { classes }),
            );
        for file in [
            "swagger-ui-bundle.js",
            "swagger-ui.css",
            "favicon-16x16.png",
            "favicon-32x32.png",
        ] {
            let asset = asset(file);
            router = router.route(
                &format!("{base}/{file}"),
                get(move || {
                    let asset = asset.clone();
                    async move { asset.into_response() }
                }),
            );
        }
        router
    }

    /// One of Swagger UI's embedded files, with its content type.
    fn asset(file: &str) -> ([(header::HeaderName, &'static str); 2], Bytes) {
        let config = Arc::new(utoipa_swagger_ui::Config::default());
        let found = utoipa_swagger_ui::serve(file, config)
            .ok()
            .flatten()
            .unwrap_or_else(|| panic!("utoipa-swagger-ui embeds {file}"));
        assert!(!found.gzpipped, "{file} is embedded as it is");
        let bytes = match found.bytes {
            std::borrow::Cow::Borrowed(bytes) => Bytes::from_static(bytes),
            std::borrow::Cow::Owned(bytes) => Bytes::from(bytes),
        };
        let content_type = match file.rsplit('.').next() {
            Some("js") => "text/javascript; charset=utf-8",
            Some("css") => "text/css; charset=utf-8",
            _ => "image/png",
        };
        (
            [
                (header::CONTENT_TYPE, content_type),
                // The files change only with the binary.
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            bytes,
        )
    }

    fn escape(text: &str) -> String {
        text.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    }
}
