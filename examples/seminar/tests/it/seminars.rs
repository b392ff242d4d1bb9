//! Seminars: create, read, list, update, join and drop.

use serde_json::{Value, json};

use crate::support::{
    TestApp, assert_error, assert_fields, create_seminar, drop_seminar, fields, get_seminar,
    is_timestamp, join, me, signup, signup_body, signup_instructor, signup_participant,
};

const SEMINAR: &str = "/api/v1/seminar/";

/// The path of seminar `id`.
fn path(id: i64) -> String {
    format!("/api/v1/seminar/{id}/")
}

/// The sorted property names of a JSON object.
fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

/// Asserts the shape of a **SeminarDetail**.
#[track_caller]
fn assert_detail_shape(d: &Value) {
    assert_eq!(
        keys(d),
        [
            "capacity",
            "count",
            "id",
            "instructors",
            "name",
            "online",
            "participants",
            "time"
        ],
        "{d:#}"
    );
    for i in d["instructors"].as_array().expect("instructors") {
        assert_eq!(
            keys(i),
            [
                "email",
                "first_name",
                "id",
                "joined_at",
                "last_name",
                "username"
            ]
        );
        assert!(is_timestamp(&i["joined_at"]));
    }
    for p in d["participants"].as_array().expect("participants") {
        assert_eq!(
            keys(p),
            [
                "dropped_at",
                "email",
                "first_name",
                "id",
                "is_active",
                "joined_at",
                "last_name",
                "username"
            ]
        );
        assert!(is_timestamp(&p["joined_at"]));
        assert!(p["dropped_at"].is_null() || is_timestamp(&p["dropped_at"]));
    }
}

/// A seminar body.
fn body(name: &str, capacity: i64) -> Value {
    json!({"name": name, "capacity": capacity, "count": 5, "time": "09:30"})
}

/// The ids of a list answer.
fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|s| s["id"].as_i64().expect("id"))
        .collect()
}

/// A participant's membership in a SeminarDetail.
fn participant(d: &Value, user: i64) -> Value {
    d["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["id"] == user)
        .cloned()
        .unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------
// POST /seminar/

#[tokio::test]
async fn create_seminar_makes_the_caller_its_instructor() {
    let app = TestApp::new().await;
    let mut b = signup_body("ian", "instructor");
    b["first_name"] = json!("Ian");
    b["last_name"] = json!("Lee");
    let (ian, token) = signup(&app, b).await;
    let r = app
        .post(
            SEMINAR,
            json!({"name": "  Rust  ", "capacity": 20, "count": 6, "time": "19:05"}),
        )
        .with_token(&token)
        .await;
    r.expect(201);
    let d = &r.json;
    assert_detail_shape(d);
    assert_eq!(d["name"], "Rust", "stored trimmed");
    assert_eq!(
        (&d["capacity"], &d["count"], &d["time"]),
        (&json!(20), &json!(6), &json!("19:05"))
    );
    assert_eq!(d["online"], true, "online defaults to true");
    assert_eq!(d["participants"], json!([]));
    let instructors = d["instructors"].as_array().unwrap();
    assert_eq!(instructors.len(), 1);
    let i = &instructors[0];
    assert_eq!(i["id"], ian);
    assert_eq!(
        (
            &i["username"],
            &i["email"],
            &i["first_name"],
            &i["last_name"]
        ),
        (
            &json!("ian"),
            &json!("ian@example.com"),
            &json!("Ian"),
            &json!("Lee")
        )
    );
    // The instructor's profile shows the charge.
    let u = me(&app, &token).await;
    let charge = &u["instructor"]["charge"];
    assert_eq!(keys(charge), ["id", "joined_at", "name"]);
    assert_eq!(charge["id"], d["id"]);
    assert_eq!(charge["name"], "Rust");
    assert_eq!(charge["joined_at"], i["joined_at"]);
    assert_eq!(get_seminar(&app, &token, r.id()).await, r.json);
}

#[tokio::test]
async fn create_seminar_online_accepts_booleans_and_their_text() {
    let app = TestApp::new().await;
    let cases = [
        (json!(false), false),
        (json!(true), true),
        (json!("TRUE"), true),
        (json!("false"), false),
        (json!("False"), false),
        (json!("tRuE"), true),
        (Value::Null, true),
    ];
    for (n, (online, expected)) in cases.into_iter().enumerate() {
        let (_, token) = signup_instructor(&app, &format!("ian{n}")).await;
        let mut b = body("S", 5);
        b["online"] = online.clone();
        let r = app.post(SEMINAR, b).with_token(&token).await;
        r.expect(201);
        assert_eq!(r.json["online"], expected, "{online}");
    }
    let (_, token) = signup_instructor(&app, "ivy").await;
    for bad in [json!("yes"), json!(1), json!("")] {
        let mut b = body("S", 5);
        b["online"] = bad;
        let r = app.post(SEMINAR, b).with_token(&token).await;
        assert_fields(&r, &[("online", "not_boolean")]);
    }
}

#[tokio::test]
async fn create_seminar_requires_an_instructor() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    let r = app.post(SEMINAR, body("Rust", 5)).with_token(&token).await;
    assert_error(&r, 403, "instructor_required");
    let r = app.get(SEMINAR).with_token(&token).await;
    r.expect(200);
    assert_eq!(r.json, json!([]));
}

#[tokio::test]
async fn create_second_seminar_is_already_in_charge() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let first = create_seminar(&app, &token, "Rust", 5).await;
    let r = app.post(SEMINAR, body("Go", 5)).with_token(&token).await;
    assert_error(&r, 400, "already_in_charge");
    let r = app.get(SEMINAR).with_token(&token).await;
    assert_eq!(ids(&r.json), [first]);
}

#[tokio::test]
async fn create_seminar_validation() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let post = |b: Value| app.post(SEMINAR, b).with_token(&token);
    let with = |key: &str, value: Value| {
        let mut b = body("Rust", 5);
        b[key] = value;
        b
    };
    let r = post(json!({})).await;
    assert_fields(
        &r,
        &[
            ("name", "required"),
            ("capacity", "required"),
            ("count", "required"),
            ("time", "required"),
        ],
    );
    assert_fields(
        &post(with("name", json!("   "))).await,
        &[("name", "blank")],
    );
    assert_fields(
        &post(with("name", json!(""))).await,
        &[("name", "too_short")],
    );
    assert_fields(
        &post(with("name", json!("n".repeat(101)))).await,
        &[("name", "too_long")],
    );
    assert_fields(
        &post(with("capacity", json!(0))).await,
        &[("capacity", "too_small")],
    );
    assert_fields(
        &post(with("capacity", json!(-3))).await,
        &[("capacity", "too_small")],
    );
    assert_fields(
        &post(with("capacity", json!("ten"))).await,
        &[("capacity", "not_integer")],
    );
    assert_fields(
        &post(with("capacity", json!(2.5))).await,
        &[("capacity", "not_integer")],
    );
    assert_fields(
        &post(with("count", json!(0))).await,
        &[("count", "too_small")],
    );
    for bad in ["24:00", "9:30", "09:60", "0930", "09:30:00", "", "noon"] {
        assert_fields(
            &post(with("time", json!(bad))).await,
            &[("time", "invalid_time")],
        );
    }
    assert_fields(
        &post(with("time", json!(930))).await,
        &[("time", "not_string")],
    );
    let r = post(json!({"name": " ", "capacity": 0, "count": 0, "time": "24:00"})).await;
    assert_fields(
        &r,
        &[
            ("name", "blank"),
            ("capacity", "too_small"),
            ("count", "too_small"),
            ("time", "invalid_time"),
        ],
    );
    // Nothing was created; the limits themselves are fine.
    assert_eq!(me(&app, &token).await["instructor"]["charge"], Value::Null);
    let r =
        post(json!({"name": "n".repeat(100), "capacity": 1, "count": 1, "time": "23:59"})).await;
    r.expect(201);
}

#[tokio::test]
async fn create_seminar_name_length_counts_after_trimming() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let name = format!("  {}\t ", "n".repeat(100));
    let r = app
        .post(
            SEMINAR,
            json!({"name": name, "capacity": 1, "count": 1, "time": "00:00"}),
        )
        .with_token(&token)
        .await;
    r.expect(201);
    assert_eq!(r.json["name"], "n".repeat(100));
    assert_eq!(r.json["time"], "00:00");
    let id = r.id();
    let r = app
        .put(&path(id), json!({"name": format!(" {} ", "m".repeat(100))}))
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json["name"], "m".repeat(100));
    let r = app
        .put(&path(id), json!({"name": format!(" {} ", "m".repeat(101))}))
        .with_token(&token)
        .await;
    assert_fields(&r, &[("name", "too_long")]);
}

// ---------------------------------------------------------------------------
// GET /seminar/{seminar_id}/

#[tokio::test]
async fn get_seminar_known_unknown_and_bad() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let d = get_seminar(&app, &p, id).await;
    assert_detail_shape(&d);
    assert_eq!(d["id"], id);
    assert_error(
        &app.get(&path(id + 1000)).with_token(&p).await,
        404,
        "not_found",
    );
    for bad in ["abc", "0", "-1", "1.5"] {
        let r = app
            .get(&format!("/api/v1/seminar/{bad}/"))
            .with_token(&p)
            .await;
        assert_error(&r, 400, "validation_failed");
        assert_eq!(fields(&r)[0].0, "seminar_id", "{bad}");
    }
}

// ---------------------------------------------------------------------------
// GET /seminar/

#[tokio::test]
async fn list_seminars() {
    let app = TestApp::new().await;
    let (_, viewer) = signup_participant(&app, "viewer").await;
    let list = |q: &str| app.get(&format!("{SEMINAR}{q}")).with_token(&viewer);
    let r = list("").await;
    r.expect(200);
    assert_eq!(r.json, json!([]), "none yet");

    let mut made = Vec::new();
    for (n, name) in ["Django Basics", "Rust for DJANGO people", "Android"]
        .iter()
        .enumerate()
    {
        let (id, token) = signup_instructor(&app, &format!("ian{n}")).await;
        made.push((create_seminar(&app, &token, name, 5).await, id));
    }
    let [a, b, c] = [made[0].0, made[1].0, made[2].0];

    let r = list("").await;
    r.expect(200);
    assert_eq!(ids(&r.json), [c, b, a], "newest first");
    let s = &r.json[2];
    assert_eq!(keys(s), ["id", "instructors", "name", "participant_count"]);
    assert_eq!(s["name"], "Django Basics");
    assert_eq!(s["participant_count"], 0);
    let inst = s["instructors"].as_array().unwrap();
    assert_eq!(inst.len(), 1);
    assert_eq!(inst[0]["id"], made[0].1);
    assert_eq!(
        keys(&inst[0]),
        [
            "email",
            "first_name",
            "id",
            "joined_at",
            "last_name",
            "username"
        ]
    );

    assert_eq!(ids(&list("?order=earliest").await.json), [a, b, c]);
    assert_eq!(
        ids(&list("?order=latest").await.json),
        [c, b, a],
        "other values ignored"
    );
    assert_eq!(ids(&list("?order=EARLIEST").await.json), [c, b, a]);
    assert_eq!(
        ids(&list("?name=django").await.json),
        [b, a],
        "case-insensitive"
    );
    assert_eq!(ids(&list("?name=DJANGO&order=earliest").await.json), [a, b]);
    assert_eq!(ids(&list("?order=earliest&name=Django").await.json), [a, b]);
    assert_eq!(ids(&list("?name=for%20dj").await.json), [b]);
    assert_eq!(list("?name=cobol").await.json, json!([]));
    assert_eq!(
        list("?name=%25").await.json,
        json!([]),
        "% is a plain character"
    );
    assert_eq!(ids(&list("?name=").await.json), [c, b, a]);
    // A control character matches no name (no name may hold one), and
    // PostgreSQL cannot take a NUL: the client's fault, on both databases.
    for q in ["?name=%00", "?name=dj%01"] {
        let r = list(q).await;
        assert_error(&r, 400, "validation_failed");
        assert_fields(&r, &[("name", "invalid_format")]);
    }
    assert_eq!(
        ids(&list("?page=2&foo=bar&ordering=-id").await.json),
        [c, b, a],
        "other parameters are ignored"
    );
    // `limit` and `cursor` page the list (see `pages_walk_every_seminar_once`).
    let r = list("?limit=x&cursor=nope").await;
    assert_error(&r, 400, "validation_failed");
    assert_fields(
        &r,
        &[("limit", "not_integer"), ("cursor", "invalid_cursor")],
    );
    for (q, code) in [
        ("?limit=0", "too_small"),
        ("?limit=-3", "too_small"),
        ("?limit=101", "too_large"),
    ] {
        let r = list(q).await;
        assert_fields(&r, &[("limit", code)]);
    }
}

#[tokio::test]
async fn list_filter_ignores_case_beyond_ascii() {
    let app = TestApp::new().await;
    let (_, a) = signup_instructor(&app, "ian").await;
    let (_, b) = signup_instructor(&app, "ivy").await;
    let s1 = create_seminar(&app, &a, "Ärger mit Rust", 3).await;
    let s2 = create_seminar(&app, &b, "세미나 Rust", 3).await;
    let list = |q: &str| app.get(&format!("{SEMINAR}?{q}")).with_token(&a);
    assert_eq!(ids(&list("name=%C3%A4RGER").await.json), [s1]);
    assert_eq!(
        ids(&list("name=%EC%84%B8%EB%AF%B8%EB%82%98").await.json),
        [s2]
    );
    assert_eq!(ids(&list("name=rust&order=earliest").await.json), [s1, s2]);
}

#[tokio::test]
async fn list_counts_active_participants_only() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let (_, p1) = signup_participant(&app, "p1").await;
    let (_, p2) = signup_participant(&app, "p2").await;
    let (_, p3) = signup_participant(&app, "p3").await;
    for t in [&p1, &p2, &p3] {
        join(&app, t, id, "participant").await.expect(201);
    }
    drop_seminar(&app, &p2, id).await.expect(200);
    // A second instructor is not a participant either.
    let (_, i2) = signup_instructor(&app, "ivy").await;
    join(&app, &i2, id, "instructor").await.expect(201);
    let r = app.get(SEMINAR).with_token(&p1).await;
    assert_eq!(r.json[0]["participant_count"], 2);
    assert_eq!(r.json[0]["instructors"].as_array().unwrap().len(), 2);
    let d = get_seminar(&app, &p1, id).await;
    assert_eq!(
        d["participants"].as_array().unwrap().len(),
        3,
        "dropped included"
    );
}

// ---------------------------------------------------------------------------
// PUT /seminar/{seminar_id}/

#[tokio::test]
async fn update_seminar_by_its_instructor() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let before = get_seminar(&app, &i, id).await;
    let r = app
        .put(&path(id), json!({"capacity": 8}))
        .with_token(&i)
        .await;
    r.expect(200);
    assert_detail_shape(&r.json);
    let mut expected = before.clone();
    expected["capacity"] = json!(8);
    assert_eq!(r.json, expected, "only capacity changed");
    let r = app
        .put(
            &path(id),
            json!({"name": " Rust II ", "count": 9, "time": "00:00", "online": "FALSE"}),
        )
        .with_token(&i)
        .await;
    r.expect(200);
    assert_eq!(
        (
            &r.json["name"],
            &r.json["capacity"],
            &r.json["count"],
            &r.json["time"],
            &r.json["online"]
        ),
        (
            &json!("Rust II"),
            &json!(8),
            &json!(9),
            &json!("00:00"),
            &json!(false)
        )
    );
    assert_eq!(get_seminar(&app, &i, id).await, r.json);
    // The listing and the charge follow the new name.
    let r = app
        .get(&format!("{SEMINAR}?name=rust%20ii"))
        .with_token(&i)
        .await;
    assert_eq!(ids(&r.json), [id]);
    assert_eq!(
        me(&app, &i).await["instructor"]["charge"]["name"],
        "Rust II"
    );
}

#[tokio::test]
async fn update_seminar_with_nothing_changes_nothing() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let before = get_seminar(&app, &i, id).await;
    let r = app.put(&path(id), json!({})).with_token(&i).await;
    r.expect(200);
    assert_eq!(r.json, before);
    let r = app.put(&path(id), json!({})).no_body().with_token(&i).await;
    r.expect(200);
    assert_eq!(r.json, before);
}

#[tokio::test]
async fn update_seminar_forbidden_unknown_and_invalid() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, other) = signup_instructor(&app, "ivy").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    create_seminar(&app, &other, "Go", 5).await;
    let change = json!({"name": "Mine now"});
    let r = app.put(&path(id), change.clone()).with_token(&other).await;
    assert_error(&r, 403, "not_seminar_instructor");
    let r = app.put(&path(id), change.clone()).with_token(&p).await;
    assert_error(&r, 403, "not_seminar_instructor");
    // Even a participant of it.
    join(&app, &p, id, "participant").await.expect(201);
    let r = app.put(&path(id), change.clone()).with_token(&p).await;
    assert_error(&r, 403, "not_seminar_instructor");
    let r = app
        .put(&path(id + 1000), change.clone())
        .with_token(&i)
        .await;
    assert_error(&r, 404, "not_found");
    let r = app
        .put(&path(id + 1000), change.clone())
        .with_token(&p)
        .await;
    assert_error(&r, 404, "not_found");
    let r = app
        .put("/api/v1/seminar/abc/", change.clone())
        .with_token(&i)
        .await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(fields(&r)[0].0, "seminar_id");
    // The same rules as at creation.
    let put = |b: Value| app.put(&path(id), b).with_token(&i);
    assert_fields(&put(json!({"name": "  "})).await, &[("name", "blank")]);
    assert_fields(
        &put(json!({"name": "n".repeat(101)})).await,
        &[("name", "too_long")],
    );
    assert_fields(
        &put(json!({"capacity": 0})).await,
        &[("capacity", "too_small")],
    );
    assert_fields(&put(json!({"count": 0})).await, &[("count", "too_small")]);
    assert_fields(
        &put(json!({"time": "24:00"})).await,
        &[("time", "invalid_time")],
    );
    assert_fields(
        &put(json!({"online": "nope"})).await,
        &[("online", "not_boolean")],
    );
    assert_eq!(get_seminar(&app, &i, id).await["name"], "Rust");
}

#[tokio::test]
async fn update_seminar_capacity_not_below_active_participants() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let mut tokens = Vec::new();
    for n in 0..3 {
        let (_, t) = signup_participant(&app, &format!("p{n}")).await;
        join(&app, &t, id, "participant").await.expect(201);
        tokens.push(t);
    }
    let r = app
        .put(&path(id), json!({"capacity": 2, "name": "Renamed"}))
        .with_token(&i)
        .await;
    assert_error(&r, 400, "capacity_below_participants");
    assert_eq!(
        get_seminar(&app, &i, id).await["name"],
        "Rust",
        "nothing changed"
    );
    app.put(&path(id), json!({"capacity": 3}))
        .with_token(&i)
        .await
        .expect(200);
    // Dropped participants do not count.
    drop_seminar(&app, &tokens[0], id).await.expect(200);
    let r = app
        .put(&path(id), json!({"capacity": 2}))
        .with_token(&i)
        .await;
    r.expect(200);
    assert_eq!(r.json["capacity"], 2);
    let r = app
        .put(&path(id), json!({"capacity": 1}))
        .with_token(&i)
        .await;
    assert_error(&r, 400, "capacity_below_participants");
}

#[tokio::test]
async fn a_second_instructor_may_update() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ivy, i2) = signup_instructor(&app, "ivy").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let r = join(&app, &i2, id, "instructor").await;
    r.expect(201);
    let inst = r.json["instructors"].as_array().unwrap();
    assert_eq!(inst.len(), 2);
    assert_eq!(inst[1]["id"], ivy);
    assert_eq!(me(&app, &i2).await["instructor"]["charge"]["id"], id);
    let r = app
        .put(&path(id), json!({"count": 12}))
        .with_token(&i2)
        .await;
    r.expect(200);
    assert_eq!(r.json["count"], 12);
    // Now in charge, the second instructor cannot open a seminar.
    let r = app.post(SEMINAR, body("Go", 5)).with_token(&i2).await;
    assert_error(&r, 400, "already_in_charge");
    // Nor drop this one.
    assert_error(
        &drop_seminar(&app, &i2, id).await,
        403,
        "instructor_cannot_drop",
    );
}

// ---------------------------------------------------------------------------
// POST /seminar/{seminar_id}/user/

#[tokio::test]
async fn join_as_participant() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ann, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let r = join(&app, &p, id, "participant").await;
    r.expect(201);
    assert_detail_shape(&r.json);
    let m = participant(&r.json, ann);
    assert_eq!(m["username"], "ann");
    assert_eq!(m["is_active"], true);
    assert_eq!(m["dropped_at"], Value::Null);
    assert!(is_timestamp(&m["joined_at"]));
    assert_eq!(get_seminar(&app, &p, id).await, r.json);
    // The participant's profile lists it.
    let seminars = me(&app, &p).await["participant"]["seminars"].clone();
    assert_eq!(
        seminars,
        json!([{
            "id": id, "name": "Rust", "joined_at": m["joined_at"],
            "is_active": true, "dropped_at": null,
        }])
    );
}

#[tokio::test]
async fn join_role_must_be_valid() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let url = format!("/api/v1/seminar/{id}/user/");
    for role in ["admin", "Participant", ""] {
        let r = join(&app, &p, id, role).await;
        assert_fields(&r, &[("role", "not_one_of")]);
    }
    let r = app.post(&url, json!({})).with_token(&p).await;
    assert_fields(&r, &[("role", "required")]);
    let r = app.post(&url, json!({"role": 1})).with_token(&p).await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(fields(&r)[0].0, "role");
    let r = app
        .post(&url, json!({}))
        .raw_body("nope")
        .with_token(&p)
        .await;
    assert_error(&r, 400, "malformed_body");
    let r = app.post(&url, json!({})).no_body().with_token(&p).await;
    assert_error(&r, 415, "unsupported_media_type");
    let r = app
        .post("/api/v1/seminar/abc/user/", json!({"role": "participant"}))
        .with_token(&p)
        .await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(fields(&r)[0].0, "seminar_id");
    assert_eq!(get_seminar(&app, &p, id).await["participants"], json!([]));
}

#[tokio::test]
async fn join_unknown_seminar_is_404_first() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let (_, np) = signup(&app, {
        let mut b = signup_body("nope", "participant");
        b["accepted"] = json!(false);
        b
    })
    .await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let unknown = id + 1000;
    // Before every other check: a missing profile, an unaccepted one, a
    // charge elsewhere.
    assert_error(
        &join(&app, &i, unknown, "participant").await,
        404,
        "not_found",
    );
    assert_error(
        &join(&app, &p, unknown, "instructor").await,
        404,
        "not_found",
    );
    assert_error(
        &join(&app, &np, unknown, "participant").await,
        404,
        "not_found",
    );
    assert_error(
        &join(&app, &i, unknown, "instructor").await,
        404,
        "not_found",
    );
    assert_error(
        &join(&app, &p, unknown, "participant").await,
        404,
        "not_found",
    );
}

#[tokio::test]
async fn join_without_the_profile_is_role_required() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, i2) = signup_instructor(&app, "ivy").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let (_, np) = signup(&app, {
        let mut b = signup_body("nope", "participant");
        b["accepted"] = json!(false);
        b
    })
    .await;
    let id = create_seminar(&app, &i, "Rust", 1).await;
    join(&app, &p, id, "participant").await.expect(201);
    // An instructor without a participant profile, even for a full seminar.
    assert_error(
        &join(&app, &i2, id, "participant").await,
        403,
        "role_required",
    );
    // The seminar's own instructor: the profile check comes before "already
    // joined".
    assert_error(
        &join(&app, &i, id, "participant").await,
        403,
        "role_required",
    );
    // A participant without an instructor profile, even an already-joined one.
    assert_error(
        &join(&app, &p, id, "instructor").await,
        403,
        "role_required",
    );
    // An unaccepted participant asking to instruct: role first.
    assert_error(
        &join(&app, &np, id, "instructor").await,
        403,
        "role_required",
    );
}

#[tokio::test]
async fn join_unaccepted_participant_is_refused() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, np) = signup(&app, {
        let mut b = signup_body("nope", "participant");
        b["accepted"] = json!(false);
        b
    })
    .await;
    let id = create_seminar(&app, &i, "Rust", 1).await;
    assert_error(
        &join(&app, &np, id, "participant").await,
        403,
        "participant_not_accepted",
    );
    // Even for a full seminar (the check comes before capacity).
    let (_, p) = signup_participant(&app, "ann").await;
    join(&app, &p, id, "participant").await.expect(201);
    assert_error(
        &join(&app, &np, id, "participant").await,
        403,
        "participant_not_accepted",
    );
    // An instructor who became an unaccepted participant too.
    let (_, i2) = signup_instructor(&app, "ivy").await;
    app.post("/api/v1/user/participant/", json!({"accepted": false}))
        .with_token(&i2)
        .await
        .expect(201);
    assert_error(
        &join(&app, &i2, id, "participant").await,
        403,
        "participant_not_accepted",
    );
}

#[tokio::test]
async fn join_twice_is_already_joined() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ann, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 1).await;
    join(&app, &p, id, "participant").await.expect(201);
    // Checked before capacity: the seminar is full now.
    assert_error(
        &join(&app, &p, id, "participant").await,
        400,
        "already_joined",
    );
    // The seminar's instructor, as instructor: already joined, before the
    // "in charge" check.
    assert_error(
        &join(&app, &i, id, "instructor").await,
        400,
        "already_joined",
    );
    // An instructor of the seminar who is also a participant.
    app.post("/api/v1/user/participant/", json!({}))
        .with_token(&i)
        .await
        .expect(201);
    assert_error(
        &join(&app, &i, id, "participant").await,
        400,
        "already_joined",
    );
    let d = get_seminar(&app, &p, id).await;
    assert_eq!(d["participants"].as_array().unwrap().len(), 1);
    assert_eq!(participant(&d, ann)["is_active"], true);
}

#[tokio::test]
async fn join_after_dropping_is_refused() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ann, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 1).await;
    join(&app, &p, id, "participant").await.expect(201);
    drop_seminar(&app, &p, id).await.expect(200);
    assert_error(
        &join(&app, &p, id, "participant").await,
        400,
        "dropped_cannot_rejoin",
    );
    // Before capacity: fill the seminar, try again.
    let (_, p2) = signup_participant(&app, "bob").await;
    join(&app, &p2, id, "participant").await.expect(201);
    assert_error(
        &join(&app, &p, id, "participant").await,
        400,
        "dropped_cannot_rejoin",
    );
    let d = get_seminar(&app, &p, id).await;
    assert_eq!(participant(&d, ann)["is_active"], false);
    assert_eq!(d["participants"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn join_a_full_seminar() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let id = create_seminar(&app, &i, "Rust", 2).await;
    let (_, p1) = signup_participant(&app, "p1").await;
    let (_, p2) = signup_participant(&app, "p2").await;
    let (p3_id, p3) = signup_participant(&app, "p3").await;
    join(&app, &p1, id, "participant").await.expect(201);
    join(&app, &p2, id, "participant").await.expect(201);
    assert_error(
        &join(&app, &p3, id, "participant").await,
        400,
        "seminar_full",
    );
    // Instructors do not take places.
    let (_, i2) = signup_instructor(&app, "ivy").await;
    join(&app, &i2, id, "instructor").await.expect(201);
    // A drop frees a place.
    drop_seminar(&app, &p1, id).await.expect(200);
    let r = join(&app, &p3, id, "participant").await;
    r.expect(201);
    assert_eq!(participant(&r.json, p3_id)["is_active"], true);
    let (_, p4) = signup_participant(&app, "p4").await;
    assert_error(
        &join(&app, &p4, id, "participant").await,
        400,
        "seminar_full",
    );
}

#[tokio::test]
async fn join_as_instructor() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, i2) = signup_instructor(&app, "ivy").await;
    let (ida, i3) = signup_instructor(&app, "ida").await;
    let a = create_seminar(&app, &i, "Rust", 5).await;
    let b = create_seminar(&app, &i2, "Go", 5).await;
    // In charge of another seminar.
    assert_error(
        &join(&app, &i2, a, "instructor").await,
        400,
        "already_in_charge",
    );
    // Free: joins, and is in charge of it from now on.
    let r = join(&app, &i3, a, "instructor").await;
    r.expect(201);
    let inst = r.json["instructors"].as_array().unwrap();
    assert_eq!(inst.len(), 2);
    assert_eq!(inst[1]["id"], ida);
    assert!(is_timestamp(&inst[1]["joined_at"]));
    let charge = me(&app, &i3).await["instructor"]["charge"].clone();
    assert_eq!(
        (&charge["id"], &charge["name"]),
        (&json!(a), &json!("Rust"))
    );
    assert_eq!(charge["joined_at"], inst[1]["joined_at"]);
    assert_error(
        &join(&app, &i3, b, "instructor").await,
        400,
        "already_in_charge",
    );
    assert_eq!(
        get_seminar(&app, &i, b).await["instructors"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn instructor_attends_another_seminar_as_participant() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ivy, i2) = signup_instructor(&app, "ivy").await;
    let a = create_seminar(&app, &i, "Rust", 5).await;
    let b = create_seminar(&app, &i2, "Go", 5).await;
    app.post("/api/v1/user/participant/", json!({}))
        .with_token(&i2)
        .await
        .expect(201);
    let r = join(&app, &i2, a, "participant").await;
    r.expect(201);
    assert_eq!(participant(&r.json, ivy)["is_active"], true);
    let u = me(&app, &i2).await;
    assert_eq!(u["instructor"]["charge"]["id"], b);
    assert_eq!(u["participant"]["seminars"][0]["id"], a);
    // Not in the seminar it runs.
    assert_error(
        &join(&app, &i2, b, "participant").await,
        400,
        "already_joined",
    );
}

// ---------------------------------------------------------------------------
// DELETE /seminar/{seminar_id}/user/

#[tokio::test]
async fn drop_a_seminar() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (ann, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    let joined = join(&app, &p, id, "participant").await;
    joined.expect(201);
    let joined_at = participant(&joined.json, ann)["joined_at"].clone();
    let r = drop_seminar(&app, &p, id).await;
    r.expect(200);
    assert_detail_shape(&r.json);
    let m = participant(&r.json, ann);
    assert_eq!(m["is_active"], false);
    assert!(is_timestamp(&m["dropped_at"]), "{m}");
    assert_eq!(m["joined_at"], joined_at);
    assert!(m["dropped_at"].as_str() >= m["joined_at"].as_str());
    assert_eq!(get_seminar(&app, &p, id).await, r.json);
    // Dropping again changes nothing.
    let again = drop_seminar(&app, &p, id).await;
    again.expect(200);
    assert_eq!(again.json, r.json);
    // The profile keeps the dropped seminar.
    let seminars = me(&app, &p).await["participant"]["seminars"].clone();
    assert_eq!(
        seminars,
        json!([{
            "id": id, "name": "Rust", "joined_at": joined_at,
            "is_active": false, "dropped_at": m["dropped_at"],
        }])
    );
}

#[tokio::test]
async fn drop_without_being_a_participant_changes_nothing() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, i2) = signup_instructor(&app, "ivy").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let (_, other) = signup_participant(&app, "bob").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    join(&app, &other, id, "participant").await.expect(201);
    let before = get_seminar(&app, &p, id).await;
    let r = drop_seminar(&app, &p, id).await;
    r.expect(200);
    assert_eq!(r.json, before);
    // An instructor of no seminar, or of another one.
    let r = drop_seminar(&app, &i2, id).await;
    r.expect(200);
    assert_eq!(r.json, before);
    assert_eq!(me(&app, &p).await["participant"]["seminars"], json!([]));
}

#[tokio::test]
async fn drop_errors() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let id = create_seminar(&app, &i, "Rust", 5).await;
    assert_error(&drop_seminar(&app, &p, id + 1000).await, 404, "not_found");
    assert_error(&drop_seminar(&app, &i, id + 1000).await, 404, "not_found");
    assert_error(
        &drop_seminar(&app, &i, id).await,
        403,
        "instructor_cannot_drop",
    );
    // Also when the instructor holds a participant profile.
    app.post("/api/v1/user/participant/", json!({}))
        .with_token(&i)
        .await
        .expect(201);
    assert_error(
        &drop_seminar(&app, &i, id).await,
        403,
        "instructor_cannot_drop",
    );
    let r = app.delete("/api/v1/seminar/abc/user/").with_token(&p).await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(fields(&r)[0].0, "seminar_id");
    assert_eq!(
        get_seminar(&app, &i, id).await["instructors"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn profiles_follow_memberships() {
    let app = TestApp::new().await;
    let (_, i) = signup_instructor(&app, "ian").await;
    let (_, i2) = signup_instructor(&app, "ivy").await;
    let (_, p) = signup_participant(&app, "ann").await;
    let a = create_seminar(&app, &i, "Rust", 5).await;
    let b = create_seminar(&app, &i2, "Go", 5).await;
    join(&app, &p, a, "participant").await.expect(201);
    join(&app, &p, b, "participant").await.expect(201);
    drop_seminar(&app, &p, a).await.expect(200);
    let seminars = me(&app, &p).await["participant"]["seminars"].clone();
    let got: Vec<(i64, bool)> = seminars
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_i64().unwrap(), s["is_active"].as_bool().unwrap()))
        .collect();
    assert_eq!(
        got,
        [(a, false), (b, true)],
        "in joining order, dropped included"
    );
    assert!(is_timestamp(&seminars[0]["dropped_at"]));
    assert_eq!(seminars[1]["dropped_at"], Value::Null);
    // Another user sees the same profile.
    let pid = me(&app, &p).await["id"].as_i64().unwrap();
    let r = app
        .get(&format!("/api/v1/user/{pid}/"))
        .with_token(&i)
        .await;
    assert_eq!(r.json["participant"]["seminars"], seminars);
}
