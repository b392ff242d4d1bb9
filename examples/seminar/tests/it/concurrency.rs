//! Parallel requests: the capacity is never exceeded, a user never holds two
//! memberships of one seminar, an instructor is never in charge of two, and
//! unique fields stay unique. Each test runs on SQLite and, when
//! `DATABASE_URL` names a server, on PostgreSQL too.
//!
//! Users are made through the store with one precomputed password hash, and
//! tokens minted with the test secret, so that setting up 100 users does not
//! hash 100 passwords.

use std::collections::BTreeMap;

use seminar::store::Role;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use crate::support::{
    Backend, Reply, TestApp, assert_error, every_backend, get_seminar, quick_seminar, quick_user,
    signup_body,
};

/// Spawns each request on the runtime, all at once; returns the replies in
/// order.
async fn all(requests: Vec<crate::support::Req>) -> Vec<Reply> {
    let tasks: Vec<JoinHandle<Reply>> = requests
        .into_iter()
        .map(|r| tokio::spawn(r.send()))
        .collect();
    let mut out = Vec::with_capacity(tasks.len());
    for t in tasks {
        out.push(t.await.expect("the request task"));
    }
    out
}

/// How many replies had each `(status, code)` (`code` is `""` on success).
fn tally(replies: &[Reply]) -> BTreeMap<(u16, String), usize> {
    let mut out = BTreeMap::new();
    for r in replies {
        let code = r.json["code"].as_str().unwrap_or_default().to_owned();
        *out.entry((r.status, code)).or_default() += 1;
    }
    out
}

/// The expected tally.
fn counts(pairs: &[(u16, &str, usize)]) -> BTreeMap<(u16, String), usize> {
    pairs
        .iter()
        .filter(|(_, _, n)| *n > 0)
        .map(|(s, c, n)| ((*s, (*c).to_owned()), *n))
        .collect()
}

/// The join request of `token` for seminar `id`.
fn join_req(app: &TestApp, token: &str, id: i64, role: &str) -> crate::support::Req {
    app.post(
        &format!("/api/v1/seminar/{id}/user/"),
        json!({"role": role}),
    )
    .with_token(token)
}

/// `(active, all)` participants of a seminar detail.
fn participants(d: &Value) -> (usize, usize) {
    let list = d["participants"].as_array().expect("participants");
    (
        list.iter().filter(|p| p["is_active"] == true).count(),
        list.len(),
    )
}

async fn hundred_joins_for_ten_places(backend: Backend) {
    let app = TestApp::on(backend).await;
    let mut tokens = Vec::new();
    for n in 0..100 {
        tokens.push(
            quick_user(&app, &format!("p{n}"), Role::Participant)
                .await
                .1,
        );
    }
    // A few rounds, each on a fresh seminar: a race shows up more surely.
    for round in 0..3 {
        let (inst, inst_token) = quick_user(&app, &format!("inst{round}"), Role::Instructor).await;
        let seminar = quick_seminar(&app, inst, &format!("Hot {round}"), 10).await;
        let replies = all(tokens
            .iter()
            .map(|t| join_req(&app, t, seminar, "participant"))
            .collect())
        .await;
        assert_eq!(
            tally(&replies),
            counts(&[(201, "", 10), (400, "seminar_full", 90)]),
            "{backend:?}, round {round}"
        );
        for r in replies.iter().filter(|r| r.status == 201) {
            let (active, _) = participants(&r.json);
            assert!(
                active <= 10,
                "{backend:?}: a reply shows {active} participants"
            );
        }
        let d = get_seminar(&app, &inst_token, seminar).await;
        assert_eq!(participants(&d), (10, 10), "{backend:?}, round {round}");
        let list = app
            .get(&format!("/api/v1/seminar/?name=hot%20{round}"))
            .with_token(&inst_token)
            .await;
        assert_eq!(list.json[0]["participant_count"], 10, "{backend:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_joins_never_exceed_the_capacity() {
    for backend in every_backend() {
        hundred_joins_for_ten_places(backend).await;
    }
}

async fn one_user_joining_twice(backend: Backend) {
    let app = TestApp::on(backend).await;
    let (user, token) = quick_user(&app, "ann", Role::Participant).await;
    let rounds = 20;
    let mut seminars = Vec::new();
    for round in 0..rounds {
        let (inst, _) = quick_user(&app, &format!("inst{round}"), Role::Instructor).await;
        let seminar = quick_seminar(&app, inst, &format!("S{round}"), 5).await;
        seminars.push(seminar);
        let replies = all(vec![
            join_req(&app, &token, seminar, "participant"),
            join_req(&app, &token, seminar, "participant"),
        ])
        .await;
        assert_eq!(
            tally(&replies),
            counts(&[(201, "", 1), (400, "already_joined", 1)]),
            "{backend:?}, round {round}"
        );
        let d = get_seminar(&app, &token, seminar).await;
        let mine: Vec<&Value> = d["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["id"] == user)
            .collect();
        assert_eq!(mine.len(), 1, "{backend:?}, round {round}: {d:#}");
    }
    let me = crate::support::me(&app, &token).await;
    let listed: Vec<i64> = me["participant"]["seminars"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, seminars, "{backend:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_joins_of_one_user_make_one_membership() {
    for backend in every_backend() {
        one_user_joining_twice(backend).await;
    }
}

async fn drops_and_joins_racing(backend: Backend) {
    let app = TestApp::on(backend).await;
    let (inst, inst_token) = quick_user(&app, "inst", Role::Instructor).await;
    let seminar = quick_seminar(&app, inst, "Busy", 5).await;
    let mut members = Vec::new();
    for n in 0..5 {
        let (_, t) = quick_user(&app, &format!("m{n}"), Role::Participant).await;
        join_req(&app, &t, seminar, "participant").await.expect(201);
        members.push(t);
    }
    let mut newcomers = Vec::new();
    for n in 0..20 {
        newcomers.push(
            quick_user(&app, &format!("n{n}"), Role::Participant)
                .await
                .1,
        );
    }
    let mut requests: Vec<crate::support::Req> = Vec::new();
    for (n, t) in newcomers.iter().enumerate() {
        requests.push(join_req(&app, t, seminar, "participant"));
        if let Some(m) = members.get(n) {
            requests.push(
                app.delete(&format!("/api/v1/seminar/{seminar}/user/"))
                    .with_token(m),
            );
        }
    }
    let replies = all(requests).await;
    let t = tally(&replies);
    let joined = t.get(&(201, String::new())).copied().unwrap_or(0);
    let full = t
        .get(&(400, "seminar_full".to_owned()))
        .copied()
        .unwrap_or(0);
    assert_eq!(
        t.get(&(200, String::new())).copied(),
        Some(5),
        "{backend:?}: {t:?}"
    );
    assert_eq!(joined + full, 20, "{backend:?}: {t:?}");
    assert!(joined <= 5, "{backend:?}: {t:?}");
    let d = get_seminar(&app, &inst_token, seminar).await;
    assert_eq!(participants(&d), (joined, 5 + joined), "{backend:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_drops_and_joins_keep_the_count() {
    for backend in every_backend() {
        drops_and_joins_racing(backend).await;
    }
}

async fn instructors_racing(backend: Backend) {
    let app = TestApp::on(backend).await;
    for round in 0..5 {
        // One instructor opening several seminars at once.
        let (_, token) = quick_user(&app, &format!("opener{round}"), Role::Instructor).await;
        let replies = all(
            (0..4)
                .map(|n| {
                    app.post(
                        "/api/v1/seminar/",
                        json!({"name": format!("R{round}-{n}"), "capacity": 3, "count": 1, "time": "10:00"}),
                    )
                    .with_token(&token)
                })
                .collect(),
        )
        .await;
        assert_eq!(
            tally(&replies),
            counts(&[(201, "", 1), (400, "already_in_charge", 3)]),
            "{backend:?}, round {round}"
        );
        let me = crate::support::me(&app, &token).await;
        let opened = replies.iter().find(|r| r.status == 201).unwrap().id();
        assert_eq!(me["instructor"]["charge"]["id"], opened);

        // One instructor joining several seminars as instructor at once.
        let mut seminars = Vec::new();
        for n in 0..3 {
            let (inst, _) = quick_user(&app, &format!("owner{round}_{n}"), Role::Instructor).await;
            seminars.push(quick_seminar(&app, inst, &format!("J{round}-{n}"), 3).await);
        }
        let (_, joiner) = quick_user(&app, &format!("joiner{round}"), Role::Instructor).await;
        let replies = all(seminars
            .iter()
            .map(|s| join_req(&app, &joiner, *s, "instructor"))
            .collect())
        .await;
        assert_eq!(
            tally(&replies),
            counts(&[(201, "", 1), (400, "already_in_charge", 2)]),
            "{backend:?}, round {round}"
        );
        let mut in_charge = 0;
        for s in &seminars {
            let d = get_seminar(&app, &joiner, *s).await;
            in_charge += d["instructors"].as_array().unwrap().len() - 1;
        }
        assert_eq!(in_charge, 1, "{backend:?}, round {round}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_charges_of_one_instructor() {
    for backend in every_backend() {
        instructors_racing(backend).await;
    }
}

async fn unique_fields_racing(backend: Backend) {
    let app = TestApp::on(backend).await;
    // The same email, different usernames.
    let replies = all((0..4)
        .map(|n| {
            let mut b = signup_body(&format!("racer{n}"), "participant");
            b["email"] = json!("same@example.com");
            app.post("/api/v1/signup/", b)
        })
        .collect())
    .await;
    assert_eq!(
        tally(&replies),
        counts(&[(201, "", 1), (409, "email_taken", 3)]),
        "{backend:?}"
    );
    // The same username, different emails.
    let replies = all((0..4)
        .map(|n| {
            let mut b = signup_body("samename", "instructor");
            b["email"] = json!(format!("u{n}@example.com"));
            app.post("/api/v1/signup/", b)
        })
        .collect())
    .await;
    assert_eq!(
        tally(&replies),
        counts(&[(201, "", 1), (409, "username_taken", 3)]),
        "{backend:?}"
    );
    // One participant profile, however many asks.
    let (_, token) = quick_user(&app, "ian", Role::Instructor).await;
    let replies = all((0..4)
        .map(|_| {
            app.post("/api/v1/user/participant/", json!({}))
                .with_token(&token)
        })
        .collect())
    .await;
    assert_eq!(
        tally(&replies),
        counts(&[(201, "", 1), (400, "already_participant", 3)]),
        "{backend:?}"
    );
    // Two users renaming themselves to the same username.
    let (_, a) = quick_user(&app, "a", Role::Participant).await;
    let (_, b) = quick_user(&app, "b", Role::Participant).await;
    let replies = all(vec![
        app.put("/api/v1/user/me/", json!({"username": "taken"}))
            .with_token(&a),
        app.put("/api/v1/user/me/", json!({"username": "taken"}))
            .with_token(&b),
    ])
    .await;
    assert_eq!(
        tally(&replies),
        counts(&[(200, "", 1), (409, "username_taken", 1)]),
        "{backend:?}"
    );
    let loser = replies.iter().find(|r| r.status == 409).unwrap();
    assert_error(loser, 409, "username_taken");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_writes_keep_unique_fields_unique() {
    for backend in every_backend() {
        unique_fields_racing(backend).await;
    }
}

/// Two instructors edit one seminar from two phones, each from the copy it
/// read: with `If-Match`, the second write is refused instead of silently
/// overwriting the first, and a read of the current copy is `304`.
async fn two_phones_one_version(backend: Backend) {
    let app = TestApp::on(backend).await;
    let (a, token_a) = quick_user(&app, "ada", Role::Instructor).await;
    let (b, token_b) = quick_user(&app, "bob", Role::Instructor).await;
    let seminar = quick_seminar(&app, a, "Rust", 5).await;
    join_req(&app, &token_b, seminar, "instructor")
        .await
        .expect(201);
    let path = format!("/api/v1/seminar/{seminar}/");
    let read = app.get(&path).with_token(&token_a).await;
    let etag = read.headers["etag"].to_str().unwrap().to_owned();
    for round in 0..10 {
        let (tag, a_body, b_body) = if round == 0 {
            (etag.clone(), json!({"capacity": 6}), json!({"count": 9}))
        } else {
            let now = app.get(&path).with_token(&token_a).await;
            let tag = now.headers["etag"].to_str().unwrap().to_owned();
            (
                tag,
                json!({"capacity": 6 + round}),
                json!({"count": 9 + round}),
            )
        };
        let replies = all(vec![
            app.put(&path, a_body)
                .with_token(&token_a)
                .header("if-match", &tag),
            app.put(&path, b_body)
                .with_token(&token_b)
                .header("if-match", &tag),
        ])
        .await;
        assert_eq!(
            tally(&replies),
            counts(&[(200, "", 1), (412, "precondition_failed", 1)]),
            "{backend:?}, round {round}"
        );
        // The winner's answer is the current version: its tag reads as 304.
        let won = replies.iter().find(|r| r.status == 200).unwrap();
        let new_tag = won.headers["etag"].to_str().unwrap();
        assert_ne!(new_tag, tag);
        let again = app
            .get(&path)
            .with_token(&token_b)
            .header("if-none-match", new_tag)
            .await;
        assert_eq!(
            (again.status, &again.json),
            (304, &Value::Null),
            "{backend:?}"
        );
        let stale = app
            .get(&path)
            .with_token(&token_b)
            .header("if-none-match", &tag)
            .await;
        stale.expect(200);
    }
    // Without If-Match, the course's clients write as before.
    app.put(&path, json!({"count": 2}))
        .with_token(&token_a)
        .await
        .expect(200);
    let _ = b;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_updates_of_one_version_make_one_change() {
    for backend in every_backend() {
        two_phones_one_version(backend).await;
    }
}

/// Keyset pages: a walk with `limit` sees every seminar once, in order,
/// while seminars are created during it; the first page of the course's
/// clients (no parameters) is the same array as before; a cursor of one
/// filter does not read in another.
async fn walk_pages(backend: Backend) {
    let app = TestApp::on(backend).await;
    let (viewer, token) = quick_user(&app, "viewer", Role::Participant).await;
    let _ = viewer;
    let mut made = Vec::new();
    for n in 0..37 {
        let (inst, _) = quick_user(&app, &format!("inst{n}"), Role::Instructor).await;
        made.push(quick_seminar(&app, inst, &format!("Walk {n}"), 5).await);
    }
    for order in ["", "&order=earliest"] {
        let mut seen = Vec::new();
        let mut next = format!("/api/v1/seminar/?name=walk&limit=4{order}");
        let mut pages = 0;
        loop {
            let r = app.get(&next).with_token(&token).await;
            r.expect(200);
            pages += 1;
            seen.extend(
                r.json
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["id"].as_i64().unwrap()),
            );
            // Created during the walk: newer than the walk's start, so after
            // its last page when walking newest first, and reached at the end
            // when walking oldest first; never a repeat or a gap.
            if pages == 3 {
                let (inst, _) = quick_user(&app, &format!("late{order}"), Role::Instructor).await;
                let late = quick_seminar(&app, inst, "Walk late", 5).await;
                made.push(late);
            }
            let Some(link) = r.headers.get("link") else {
                break;
            };
            let link = link.to_str().unwrap();
            assert!(link.ends_with(">; rel=\"next\""), "{link}");
            next = link
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned();
            assert!(
                next.starts_with("/api/v1/seminar/?") && next.contains("name=walk"),
                "{next}"
            );
        }
        let mut expected = made.clone();
        if order.is_empty() {
            expected.reverse();
            // The seminar created during a newest-first walk is newer than
            // the pages already read: not in this walk, and only it.
            assert_eq!(
                expected.first().filter(|id| !seen.contains(id)),
                made.last()
            );
            expected.remove(0);
        }
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(
            unique.len(),
            seen.len(),
            "{backend:?} {order}: a seminar twice"
        );
        assert_eq!(seen, expected, "{backend:?} {order}");
        assert!(pages >= 10, "{backend:?}: {pages} pages");
    }
    // No parameters: the course's clients see an array, the first page.
    let r = app.get("/api/v1/seminar/").with_token(&token).await;
    r.expect(200);
    assert!(
        r.json
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.len() <= 50)
    );
    // A cursor of one filter, in another list: refused.
    let first = app
        .get("/api/v1/seminar/?name=walk&limit=2")
        .with_token(&token)
        .await;
    let link = first.headers["link"].to_str().unwrap().to_owned();
    let cursor = link
        .split("cursor=")
        .nth(1)
        .unwrap()
        .split('>')
        .next()
        .unwrap()
        .to_owned();
    let r = app
        .get(&format!(
            "/api/v1/seminar/?name=other&limit=2&cursor={cursor}"
        ))
        .with_token(&token)
        .await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(r.json["fields"][0]["field"], "cursor");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_walk_every_seminar_once() {
    for backend in every_backend() {
        walk_pages(backend).await;
    }
}

/// A phone whose answer was lost retries its join 50 times at once with
/// one `Idempotency-Key`: one membership, and every answer is the first
/// 201 body or `409 idempotency_key_in_flight`; a retry after it is that
/// body again; the key with another body is `422`.
async fn retried_join(backend: Backend) {
    let app = TestApp::on(backend).await;
    let (inst, _) = quick_user(&app, "inst", Role::Instructor).await;
    let seminar = quick_seminar(&app, inst, "Retried", 5).await;
    let (user, token) = quick_user(&app, "ann", Role::Participant).await;
    let key = format!("\"{}\"", crate::support::unique("join"));
    let retry = || join_req(&app, &token, seminar, "participant").header("idempotency-key", &key);
    let replies = all((0..50).map(|_| retry()).collect()).await;
    let created: Vec<&Reply> = replies.iter().filter(|r| r.status == 201).collect();
    assert!(!created.is_empty(), "{backend:?}: {:?}", tally(&replies));
    for r in &replies {
        match r.status {
            201 => assert_eq!(r.json, created[0].json, "{backend:?}: one answer"),
            409 => assert_eq!(r.json["code"], "idempotency_key_in_flight", "{backend:?}"),
            other => panic!("{backend:?}: {other} {}", r.json),
        }
    }
    let after = retry().await;
    after.expect(201);
    assert_eq!(after.json, created[0].json, "{backend:?}");
    assert_eq!(after.headers["idempotent-replayed"], "true");
    let mine = after.json["participants"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] == user)
        .count();
    assert_eq!(mine, 1, "{backend:?}: one membership");
    let other = join_req(&app, &token, seminar, "instructor")
        .header("idempotency-key", &key)
        .await;
    assert_error(&other, 422, "idempotency_key_reused");
    // Without the key, the course's clients see what they always saw.
    assert_error(
        &join_req(&app, &token, seminar, "participant").await,
        400,
        "already_joined",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn retried_joins_with_one_key_join_once() {
    for backend in every_backend() {
        retried_join(backend).await;
    }
}

/// The list over 1,000 seeded seminars, 10 at a time, newest first, while
/// 100 seminars are created during the walk (one per page): 100 pages, each
/// seeded seminar once; the ones created during the walk are newer than its
/// start, so none of them shows up in the middle.
async fn thousand_in_pages(backend: Backend) {
    let app = TestApp::on(backend).await;
    app.db.seed(1000, 1000).await.expect("seed");
    let (_, token) = quick_user(&app, "walker", Role::Participant).await;
    let mut instructors = Vec::new();
    for n in 0..100 {
        instructors.push(
            quick_user(&app, &format!("late{n}"), Role::Instructor)
                .await
                .0,
        );
    }
    let mut next = Some("/api/v1/seminar/?limit=10".to_owned());
    let (mut pages, mut seen, mut names) = (0, Vec::new(), Vec::new());
    while let Some(uri) = next.take() {
        let r = app.get(&uri).with_token(&token).await;
        r.expect(200);
        pages += 1;
        for s in r.json.as_array().unwrap() {
            seen.push(s["id"].as_i64().unwrap());
            names.push(s["name"].as_str().unwrap().to_owned());
        }
        if let Some(&inst) = instructors.get(pages - 1) {
            quick_seminar(&app, inst, &format!("Created during the walk {pages}"), 5).await;
        }
        next = r.headers.get("link").map(|l| {
            l.to_str()
                .unwrap()
                .trim_start_matches('<')
                .split('>')
                .next()
                .unwrap()
                .to_owned()
        });
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        (pages, seen.len(), unique.len()),
        (100, 1000, 1000),
        "{backend:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with("Created during")),
        "{backend:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_seminars_walk_in_a_hundred_pages() {
    for backend in every_backend() {
        thousand_in_pages(backend).await;
    }
}
