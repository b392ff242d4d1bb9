//! A seminar scenario through the Rust client progenitor generates from
//! `openapi/seminar.3.0.json` (progenitor reads only OpenAPI 3.0), against a
//! live server: sign up, create, list with no filter, read, and two errors
//! decoded as the envelope. Run by `.ci/openapi-3.0` with the server's URL.

use std::num::{NonZeroU32, NonZeroU64};

use seminar_client::{Client, Error, types};
use serde_json::json;

fn check(what: &str, ok: bool) {
    if !ok {
        eprintln!("progenitor scenario: FAILED: {what}");
        std::process::exit(1);
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let base = std::env::args().nth(1).expect("the server's URL");
    let anonymous = Client::new(&base);
    let signup: types::SignupBody = serde_json::from_value(json!({
        "email": "progenitor@example.com", "username": "progenitor",
        "password": "progenitor-1234", "role": "instructor", "company": "Rust", "year": 3,
    }))
    .expect("a valid signup body");
    let me = anonymous.signup(&signup).await.expect("signup").into_inner();
    check("signup answers the instructor profile", me.instructor.is_some() && me.participant.is_none());

    // The same email again: the envelope, decoded as the client's ApiError.
    match anonymous.signup(&signup).await {
        Err(Error::ErrorResponse(e)) => {
            check("a second signup is 409", e.status().as_u16() == 409);
            check("its code is declared", e.code.as_str() == "email_taken" && !e.request_id.is_empty());
        }
        other => check(&format!("a second signup fails: {other:?}"), false),
    }

    let mut headers = reqwest::header::HeaderMap::new();
    let token = format!("JWT {}", me.token.as_str());
    headers.insert(reqwest::header::AUTHORIZATION, token.parse().expect("a header value"));
    let http = reqwest::Client::builder().default_headers(headers).build().expect("a client");
    let client = Client::new_with_client(&base, http.clone());

    let body: types::SeminarBody = serde_json::from_value(json!({
        "name": "Rust from 3.0", "capacity": 10, "count": 4, "time": "18:30", "online": true,
    }))
    .expect("a valid seminar body");
    // Retried with one idempotency key: the second answer is the first.
    let key = types::CreateSeminarIdempotencyKey::try_from(format!("create-{}", std::process::id()))
        .expect("a key");
    let created = client.create_seminar(Some(&key), &body).await.expect("create");
    let replayed = client.create_seminar(Some(&key), &body).await.expect("create, retried");
    let same = serde_json::to_value(&*replayed).ok() == serde_json::to_value(&*created).ok();
    check(
        "a retry with the key is the first answer, replayed",
        same && replayed.headers().get("idempotent-replayed").is_some_and(|v| v == "true"),
    );
    let created = created.into_inner();
    check("created with its name", created.name.as_str() == "Rust from 3.0");

    // No filter given: no `name` sent; the first page lists the newest.
    let all = client.list_seminars(None, None, None, None).await.expect("list").into_inner();
    check("the list has the new seminar", all.iter().any(|s| s.id == created.id));
    let page = client
        .list_seminars(None, Some(NonZeroU32::new(1).expect("one")), None, None)
        .await
        .expect("a page of one");
    check(
        "a page of one, with the next page's link",
        page.headers().get("link").is_some_and(|l| l.to_str().is_ok_and(|l| l.contains("rel=\"next\"")))
            || all.len() == 1,
    );

    let id = NonZeroU64::new(created.id as u64).expect("a positive id");
    let one = client.get_seminar(id, None).await.expect("get");
    let etag = one.headers().get("etag").expect("an ETag").to_str().expect("ASCII").to_owned();
    let one = one.into_inner();
    check("read back", one.id == created.id && one.instructors.len() == 1);
    // The copy the client holds is current: 304, no body.
    let again = http
        .get(format!("{base}/api/v1/seminar/{}/", created.id))
        .header("if-none-match", &etag)
        .send()
        .await
        .expect("a conditional GET");
    check("a GET with its ETag in If-None-Match is 304", again.status().as_u16() == 304);
    let change: types::SeminarUpdateBody =
        serde_json::from_value(json!({"count": 5})).expect("a valid update");
    // The generated client checks the tag against the spec's pattern.
    let version = types::UpdateSeminarIfMatch::try_from(etag.clone()).expect("an entity tag");
    client.update_seminar(id, Some(&version), &change).await.expect("an update of the version read");
    match client.update_seminar(id, Some(&version), &change).await {
        Err(Error::ErrorResponse(e)) => check(
            "a second update of the same version is 412 precondition_failed",
            e.status().as_u16() == 412 && e.code.as_str() == "precondition_failed",
        ),
        other => check(&format!("a stale If-Match fails: {other:?}"), false),
    }

    match client.get_seminar(NonZeroU64::new(999_999).expect("an id"), None).await {
        Err(Error::ErrorResponse(e)) => {
            check("a missing seminar is 404 not_found", e.status().as_u16() == 404 && e.code.as_str() == "not_found");
        }
        other => check(&format!("a missing seminar fails: {other:?}"), false),
    }
    println!(
        "progenitor scenario: ok (signup, 409 email_taken, create and its replay, list of {}, a page of one, get, 304 with If-None-Match, update with If-Match, 412 precondition_failed, 404 not_found)",
        all.len()
    );
}
