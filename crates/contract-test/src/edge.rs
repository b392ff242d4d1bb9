//! The API edge, checked on the app's own data: conditional writes
//! ([`Kit::conditional`]), idempotent retries ([`Kit::idempotent`]) and
//! pages ([`Kit::pages`]). Each needs a resource that exists, which only
//! the app can make, so the app names it; the kit does the rest, under the
//! conformance check like every other request.

use super::*;

/// One check of the edge, with the credential current when it was added.
#[derive(Clone)]
pub(crate) enum Edge {
    Conditional {
        read: String,
        method: Method,
        write: String,
        body: Value,
        auth: Vec<(HeaderName, HeaderValue)>,
    },
    Idempotent {
        method: Method,
        uri: String,
        body: Value,
        other: Value,
        auth: Vec<(HeaderName, HeaderValue)>,
    },
    Pages {
        uri: String,
        key: String,
        auth: Vec<(HeaderName, HeaderValue)>,
    },
    Accepted {
        method: Method,
        uri: String,
        media: String,
        body: Vec<u8>,
        auth: Vec<(HeaderName, HeaderValue)>,
    },
}

impl Kit {
    /// Checks conditional requests on a resource that exists: a `GET` of
    /// `read` answers an `ETag`, and with it in `If-None-Match` a `304`
    /// without a body; `method` on `write` with it in `If-Match` succeeds
    /// once, and a second time (now stale) answers the declared `412
    /// precondition_failed` envelope.
    pub fn conditional(mut self, read: &str, method: &str, write: &str, body: Value) -> Self {
        let auth = self.auth.iter().cloned().collect();
        self.edges.push(Edge::Conditional {
            read: read.to_owned(),
            method: Method::from_bytes(method.as_bytes()).expect("an HTTP method"),
            write: write.to_owned(),
            body,
            auth,
        });
        self
    }

    /// Checks an idempotent operation: `method` on `uri` with `body`, sent
    /// twice with one new `Idempotency-Key`, answers the same status and
    /// body the second time, marked `Idempotent-Replayed: true`; the key
    /// with `other` (another body) answers `422 idempotency_key_reused`.
    pub fn idempotent(mut self, method: &str, uri: &str, body: Value, other: Value) -> Self {
        let auth = self.auth.iter().cloned().collect();
        self.edges.push(Edge::Idempotent {
            method: Method::from_bytes(method.as_bytes()).expect("an HTTP method"),
            uri: uri.to_owned(),
            body,
            other,
            auth,
        });
        self
    }

    /// Checks a paged list: from `uri` (with a small `limit`), every
    /// `Link: <…>; rel="next"` is followed to the end, each item (told by
    /// its `key` member, `id` say) is seen once, and no page is longer than
    /// its `limit`.
    pub fn pages(mut self, uri: &str, key: &str) -> Self {
        let auth = self.auth.iter().cloned().collect();
        self.edges.push(Edge::Pages {
            uri: uri.to_owned(),
            key: key.to_owned(),
            auth,
        });
        self
    }
}

impl Kit {
    /// Checks a long-running operation: `method` on `uri` with `body` (of
    /// the media type `media`) answers `202` with `Location` and
    /// `Retry-After`; the status resource at `Location` answers `200` with
    /// every member (`id`, `status`, `created_at`, `updated_at`,
    /// `progress`, `result`, `error`), `Retry-After` until it is final,
    /// and is polled until it is; a `failed` one's `error` is an envelope
    /// whose code the spec lists for the job (`x-error-codes` on the
    /// status resource's `error`). The app's workers must be running.
    pub fn accepted(
        mut self,
        method: &str,
        uri: &str,
        media: &str,
        body: impl Into<Vec<u8>>,
    ) -> Self {
        let auth = self.auth.iter().cloned().collect();
        self.edges.push(Edge::Accepted {
            method: Method::from_bytes(method.as_bytes()).expect("an HTTP method"),
            uri: uri.to_owned(),
            media: media.to_owned(),
            body: body.into(),
            auth,
        });
        self
    }
}

/// One answer: status, headers, body (JSON, or `null`).
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: http::HeaderMap,
    pub(crate) body: Value,
}

pub(crate) async fn call(
    router: &Router,
    method: Method,
    uri: &str,
    headers: &[(HeaderName, HeaderValue)],
    body: Option<&Value>,
) -> Result<Answer, String> {
    let body = body.map(|b| ("application/json".to_owned(), b.to_string().into_bytes()));
    let (status, headers, bytes) =
        super::cases::exchange(router, method, uri, headers, body).await?;
    let status = status.as_u16();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Ok(Answer {
        status,
        headers,
        body,
    })
}

fn header(name: &'static str, value: &str) -> Result<(HeaderName, HeaderValue), String> {
    let v = HeaderValue::from_str(value).map_err(|e| format!("{name}: {e}"))?;
    Ok((HeaderName::from_static(name), v))
}

/// Runs one check; each problem found, as a sentence.
pub(crate) async fn check(router: &Router, spec: &Value, edge: &Edge) -> Vec<String> {
    let out = match edge {
        Edge::Conditional {
            read,
            method,
            write,
            body,
            auth,
        } => conditional(router, read, method, write, body, auth).await,
        Edge::Idempotent {
            method,
            uri,
            body,
            other,
            auth,
        } => idempotent(router, method, uri, body, other, auth).await,
        Edge::Pages { uri, key, auth } => pages(router, uri, key, auth).await,
        Edge::Accepted {
            method,
            uri,
            media,
            body,
            auth,
        } => super::accepted::check(router, spec, method, uri, (media, body), auth).await,
    };
    out.err().into_iter().collect()
}

async fn conditional(
    router: &Router,
    read: &str,
    method: &Method,
    write: &str,
    body: &Value,
    auth: &[(HeaderName, HeaderValue)],
) -> Result<(), String> {
    let at = format!("conditional {method} {write}");
    let first = call(router, Method::GET, read, auth, None).await?;
    let etag = first
        .headers
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .ok_or_else(|| format!("{at}: GET {read} answered {} without an ETag", first.status))?
        .to_owned();
    let mut with = auth.to_vec();
    with.push(header("if-none-match", &etag)?);
    let same = call(router, Method::GET, read, &with, None).await?;
    if same.status != 304 || !same.body.is_null() {
        return Err(format!(
            "{at}: GET {read} with its ETag in If-None-Match answered {}, not 304",
            same.status
        ));
    }
    let mut with = auth.to_vec();
    with.push(header("if-match", &etag)?);
    let ok = call(router, method.clone(), write, &with, Some(body)).await?;
    if !(200..300).contains(&ok.status) {
        return Err(format!(
            "{at}: with the current ETag in If-Match: {} {}",
            ok.status, ok.body
        ));
    }
    let stale = call(router, method.clone(), write, &with, Some(body)).await?;
    if stale.status != 412 || stale.body["code"] != "precondition_failed" {
        return Err(format!(
            "{at}: again with the now stale ETag: {} {}, not 412 precondition_failed",
            stale.status, stale.body
        ));
    }
    Ok(())
}

async fn idempotent(
    router: &Router,
    method: &Method,
    uri: &str,
    body: &Value,
    other: &Value,
    auth: &[(HeaderName, HeaderValue)],
) -> Result<(), String> {
    let at = format!("idempotent {method} {uri}");
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let mut with = auth.to_vec();
    with.push(header(
        "idempotency-key",
        &format!("\"contract-kit-{nanos}\""),
    )?);
    let first = call(router, method.clone(), uri, &with, Some(body)).await?;
    if !(200..300).contains(&first.status) {
        return Err(format!(
            "{at}: the first request failed: {} {}",
            first.status, first.body
        ));
    }
    let again = call(router, method.clone(), uri, &with, Some(body)).await?;
    let replayed = again
        .headers
        .get("idempotent-replayed")
        .is_some_and(|v| v == "true");
    if (again.status, &again.body) != (first.status, &first.body) || !replayed {
        return Err(format!(
            "{at}: the retry answered {} {} (replayed: {replayed}), not the first answer {} {}",
            again.status, again.body, first.status, first.body
        ));
    }
    let reused = call(router, method.clone(), uri, &with, Some(other)).await?;
    if reused.status != 422 || reused.body["code"] != "idempotency_key_reused" {
        return Err(format!(
            "{at}: the key with another body answered {} {}, not 422 idempotency_key_reused",
            reused.status, reused.body
        ));
    }
    Ok(())
}

async fn pages(
    router: &Router,
    uri: &str,
    key: &str,
    auth: &[(HeaderName, HeaderValue)],
) -> Result<(), String> {
    let at = format!("pages of {uri}");
    let mut seen = std::collections::BTreeSet::new();
    let mut next = Some(uri.to_owned());
    let mut pages = 0;
    while let Some(page) = next.take() {
        pages += 1;
        if pages > 10_000 {
            return Err(format!("{at}: more than 10,000 pages: a loop?"));
        }
        let a = call(router, Method::GET, &page, auth, None).await?;
        let Some(items) = a.body.as_array() else {
            return Err(format!(
                "{at}: {page} answered {} {}, not an array",
                a.status, a.body
            ));
        };
        let limit = page
            .split(['?', '&'])
            .find_map(|p| p.strip_prefix("limit="))
            .and_then(|l| l.parse::<usize>().ok());
        if let Some(limit) = limit.filter(|l| items.len() > *l) {
            return Err(format!(
                "{at}: {page} answered {} items, over its limit {limit}",
                items.len()
            ));
        }
        for item in items {
            let id = item.get(key).map(Value::to_string).unwrap_or_default();
            if !seen.insert(id.clone()) {
                return Err(format!("{at}: item {key}={id} seen twice (page {pages})"));
            }
        }
        next = a
            .headers
            .get(header::LINK)
            .and_then(|v| v.to_str().ok())
            .filter(|l| l.contains("rel=\"next\""))
            .and_then(|l| l.trim().strip_prefix('<'))
            .and_then(|l| l.split('>').next())
            .map(str::to_owned);
    }
    if pages < 2 {
        return Err(format!(
            "{at}: one page only; give a `limit` below the list's length"
        ));
    }
    Ok(())
}
