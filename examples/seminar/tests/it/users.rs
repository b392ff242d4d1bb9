//! Users: `POST /signup/`, `POST /login/`, `GET /user/{user_id}/`,
//! `PUT /user/me/` and `POST /user/participant/`.

use serde_json::{Value, json};

use crate::support::{
    PASSWORD, TestApp, assert_error, assert_field, assert_fields, is_timestamp, me, signup,
    signup_body, signup_instructor, signup_participant,
};

const SIGNUP: &str = "/api/v1/signup/";
const LOGIN: &str = "/api/v1/login/";
const ME: &str = "/api/v1/user/me/";
const PARTICIPANT: &str = "/api/v1/user/participant/";

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

const USER_KEYS: [&str; 9] = [
    "date_joined",
    "email",
    "first_name",
    "id",
    "instructor",
    "last_login",
    "last_name",
    "participant",
    "username",
];

/// Asserts the shape of a **User**.
#[track_caller]
fn assert_user_shape(u: &Value) {
    assert_eq!(keys(u), USER_KEYS, "{u:#}");
    assert!(u["id"].is_i64());
    assert!(is_timestamp(&u["date_joined"]), "{u:#}");
    assert!(u["last_login"].is_null() || is_timestamp(&u["last_login"]));
    if !u["participant"].is_null() {
        assert_eq!(
            keys(&u["participant"]),
            ["accepted", "id", "seminars", "university"]
        );
    }
    if !u["instructor"].is_null() {
        assert_eq!(keys(&u["instructor"]), ["charge", "company", "id", "year"]);
    }
}

/// A User as an AuthenticatedUser answers it: without `token`.
fn without_token(mut v: Value) -> Value {
    v.as_object_mut().expect("object").remove("token");
    v
}

/// A valid address of `len` characters (64-character local part, labels
/// of at most 63).
fn email_of_length(len: usize) -> String {
    let mut domain = String::new();
    let mut left = len - 65 - 4; // "a..a@" and ".com"
    while left > 0 {
        let label = left.min(63);
        domain.push_str(&"d".repeat(label));
        left -= label;
        if left > 0 {
            domain.push('.');
            left -= 1;
        }
    }
    let email = format!("{}@{domain}.com", "a".repeat(64));
    assert_eq!(email.len(), len);
    email
}

// ---------------------------------------------------------------------------
// POST /signup/

#[tokio::test]
async fn signup_participant_with_defaults() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, signup_body("ann", "participant")).await;
    r.expect(201);
    let u = &r.json;
    let mut expected: Vec<&str> = USER_KEYS.to_vec();
    expected.push("token");
    expected.sort_unstable();
    assert_eq!(keys(u), expected);
    assert!(!u["token"].as_str().expect("token").is_empty());
    assert_user_shape(&without_token(u.clone()));
    assert_eq!(u["username"], "ann");
    assert_eq!(u["email"], "ann@example.com");
    assert_eq!(
        (&u["first_name"], &u["last_name"]),
        (&json!(""), &json!(""))
    );
    assert_eq!(u["last_login"], Value::Null, "signup is not a login");
    assert_eq!(u["instructor"], Value::Null);
    let p = &u["participant"];
    assert!(p["id"].is_i64());
    assert_eq!(p["university"], "");
    assert_eq!(p["accepted"], true);
    assert_eq!(p["seminars"], json!([]));
    assert!(u.get("password").is_none() && u.get("password_hash").is_none());
}

#[tokio::test]
async fn signup_instructor_with_defaults() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, signup_body("ian", "instructor")).await;
    r.expect(201);
    let u = &r.json;
    assert_user_shape(&without_token(u.clone()));
    assert_eq!(u["participant"], Value::Null);
    assert_eq!(u["last_login"], Value::Null);
    let i = &u["instructor"];
    assert!(i["id"].is_i64());
    assert_eq!(i["company"], "");
    assert_eq!(i["year"], Value::Null);
    assert_eq!(i["charge"], Value::Null);
}

#[tokio::test]
async fn signup_with_every_field() {
    let app = TestApp::new().await;
    let r = app
        .post(
            SIGNUP,
            json!({
                "email": "p@example.com", "username": "p", "password": PASSWORD,
                "first_name": "Ada", "last_name": "Lovelace", "role": "participant",
                "university": "SNU", "accepted": false,
            }),
        )
        .await;
    r.expect(201);
    assert_eq!(
        (&r.json["first_name"], &r.json["last_name"]),
        (&json!("Ada"), &json!("Lovelace"))
    );
    assert_eq!(r.json["participant"]["university"], "SNU");
    assert_eq!(r.json["participant"]["accepted"], false);

    let r = app
        .post(
            SIGNUP,
            json!({
                "email": "i@example.com", "username": "i", "password": PASSWORD,
                "first_name": "길동", "last_name": "홍", "role": "instructor",
                "company": "Waffle", "year": 3,
            }),
        )
        .await;
    r.expect(201);
    assert_eq!(
        (&r.json["first_name"], &r.json["last_name"]),
        (&json!("길동"), &json!("홍"))
    );
    assert_eq!(r.json["instructor"]["company"], "Waffle");
    assert_eq!(r.json["instructor"]["year"], 3);

    // Null optional fields take their defaults; year 0 is fine.
    let r = app
        .post(
            SIGNUP,
            json!({
                "email": "n@example.com", "username": "n", "password": PASSWORD,
                "role": "participant", "university": null, "accepted": null,
                "first_name": null, "last_name": null,
            }),
        )
        .await;
    r.expect(201);
    assert_eq!(r.json["participant"]["university"], "");
    assert_eq!(r.json["participant"]["accepted"], true);
    let r = app
        .post(
            SIGNUP,
            json!({
                "email": "z@example.com", "username": "z", "password": PASSWORD,
                "role": "instructor", "company": null, "year": 0,
            }),
        )
        .await;
    r.expect(201);
    assert_eq!(r.json["instructor"]["company"], "");
    assert_eq!(r.json["instructor"]["year"], 0);
}

#[tokio::test]
async fn signup_ignores_fields_of_the_other_role() {
    let app = TestApp::new().await;
    let mut body = signup_body("p", "participant");
    body["company"] = json!("Waffle");
    body["year"] = json!(5);
    let r = app.post(SIGNUP, body).await;
    r.expect(201);
    assert_eq!(r.json["instructor"], Value::Null);
    assert_eq!(r.json["participant"]["university"], "");

    let mut body = signup_body("i", "instructor");
    body["university"] = json!("SNU");
    body["accepted"] = json!(false);
    let r = app.post(SIGNUP, body).await;
    r.expect(201);
    assert_eq!(r.json["participant"], Value::Null);
    assert_eq!(r.json["instructor"]["company"], "");
}

#[tokio::test]
async fn signup_names_both_or_neither() {
    let app = TestApp::new().await;
    let with = |first: Value, last: Value| {
        let mut b = signup_body("ann", "participant");
        b["first_name"] = first;
        b["last_name"] = last;
        b
    };
    let r = app.post(SIGNUP, with(json!("Ann"), Value::Null)).await;
    assert_fields(&r, &[("last_name", "required")]);
    let r = app.post(SIGNUP, with(Value::Null, json!("Kim"))).await;
    assert_fields(&r, &[("first_name", "required")]);
    // An empty string counts as not given.
    let r = app.post(SIGNUP, with(json!("Ann"), json!(""))).await;
    assert_fields(&r, &[("last_name", "required")]);
    let r = app.post(SIGNUP, with(json!(""), json!("Kim"))).await;
    assert_fields(&r, &[("first_name", "required")]);
    // Neither: fine, both "".
    let r = app.post(SIGNUP, with(json!(""), json!(""))).await;
    r.expect(201);
    assert_eq!(
        (&r.json["first_name"], &r.json["last_name"]),
        (&json!(""), &json!(""))
    );
}

#[tokio::test]
async fn signup_names_are_letters_only() {
    let app = TestApp::new().await;
    let with = |first: &str, last: &str| {
        let mut b = signup_body("ann", "participant");
        b["first_name"] = json!(first);
        b["last_name"] = json!(last);
        b
    };
    let r = app.post(SIGNUP, with("Ann3", "Kim")).await;
    assert_fields(&r, &[("first_name", "invalid_format")]);
    let r = app.post(SIGNUP, with("Ann", "K1m")).await;
    assert_fields(&r, &[("last_name", "invalid_format")]);
    let r = app.post(SIGNUP, with("4", "2")).await;
    assert_fields(
        &r,
        &[
            ("first_name", "invalid_format"),
            ("last_name", "invalid_format"),
        ],
    );
    // 30 characters is the limit.
    let r = app.post(SIGNUP, with(&"a".repeat(31), "Kim")).await;
    assert_fields(&r, &[("first_name", "too_long")]);
    let r = app.post(SIGNUP, with("Ann", &"b".repeat(31))).await;
    assert_fields(&r, &[("last_name", "too_long")]);
    let r = app
        .post(SIGNUP, with(&"a".repeat(30), &"b".repeat(30)))
        .await;
    r.expect(201);
}

#[tokio::test]
async fn signup_lengths_and_formats() {
    let app = TestApp::new().await;
    let with = |key: &str, value: Value| {
        let mut b = signup_body("ann", "participant");
        b[key] = value;
        b
    };
    // email: a valid address, at most 254 characters.
    let r = app.post(SIGNUP, with("email", json!("not-an-email"))).await;
    assert_fields(&r, &[("email", "invalid_email")]);
    let r = app
        .post(SIGNUP, with("email", json!(email_of_length(255))))
        .await;
    assert_fields(&r, &[("email", "too_long")]);
    // username: 1-150 characters.
    let r = app.post(SIGNUP, with("username", json!(""))).await;
    assert_fields(&r, &[("username", "too_short")]);
    let r = app.post(SIGNUP, with("username", json!("   "))).await;
    assert_field(&r, "username", "blank");
    let r = app
        .post(SIGNUP, with("username", json!("u".repeat(151))))
        .await;
    assert_fields(&r, &[("username", "too_long")]);
    // password: 8-128 characters.
    let r = app.post(SIGNUP, with("password", json!("1234567"))).await;
    assert_fields(&r, &[("password", "too_short")]);
    let r = app
        .post(SIGNUP, with("password", json!("p".repeat(129))))
        .await;
    assert_fields(&r, &[("password", "too_long")]);
    // university, company: at most 100 characters.
    let r = app
        .post(SIGNUP, with("university", json!("u".repeat(101))))
        .await;
    assert_fields(&r, &[("university", "too_long")]);
    let mut b = signup_body("ian", "instructor");
    b["company"] = json!("c".repeat(101));
    assert_fields(&app.post(SIGNUP, b).await, &[("company", "too_long")]);
    // year: an integer >= 0.
    let mut b = signup_body("ian", "instructor");
    b["year"] = json!(-1);
    assert_fields(&app.post(SIGNUP, b).await, &[("year", "too_small")]);
    let mut b = signup_body("ian", "instructor");
    b["year"] = json!(1.5);
    assert_fields(&app.post(SIGNUP, b).await, &[("year", "not_integer")]);
    let mut b = signup_body("ian", "instructor");
    b["year"] = json!("three");
    assert_fields(&app.post(SIGNUP, b).await, &[("year", "not_integer")]);
    // accepted: a boolean.
    let r = app.post(SIGNUP, with("accepted", json!("maybe"))).await;
    assert_fields(&r, &[("accepted", "not_boolean")]);

    // The limits themselves are fine.
    let mut b = signup_body("u".repeat(150).as_str(), "participant");
    b["email"] = json!(email_of_length(254));
    b["password"] = json!("p".repeat(128));
    b["university"] = json!("u".repeat(100));
    app.post(SIGNUP, b).await.expect(201);
    let mut b = signup_body("pw8", "participant");
    b["password"] = json!("12345678");
    app.post(SIGNUP, b).await.expect(201);
}

#[tokio::test]
async fn signup_reports_every_field_at_once() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, json!({})).await;
    assert_fields(
        &r,
        &[
            ("email", "required"),
            ("username", "required"),
            ("password", "required"),
            ("role", "required"),
        ],
    );
    let r = app
        .post(
            SIGNUP,
            json!({"email": "x", "username": "ok", "password": "short", "role": "admin"}),
        )
        .await;
    assert_fields(
        &r,
        &[
            ("email", "invalid_email"),
            ("password", "too_short"),
            ("role", "not_one_of"),
        ],
    );
}

#[tokio::test]
async fn signup_role_must_be_participant_or_instructor() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, signup_body("ann", "x")).await;
    assert_fields(&r, &[("role", "not_one_of")]);
    for role in [json!("admin"), json!("Participant"), json!(""), json!(1)] {
        let mut b = signup_body("ann", "participant");
        b["role"] = role.clone();
        let r = app.post(SIGNUP, b).await;
        assert_error(&r, 400, "validation_failed");
        assert_eq!(crate::support::fields(&r)[0].0, "role", "{role}");
    }
    let mut b = signup_body("ann", "participant");
    b["role"] = Value::Null;
    let r = app.post(SIGNUP, b).await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(crate::support::fields(&r)[0].0, "role");
}

#[tokio::test]
async fn signup_email_and_username_are_unique() {
    let app = TestApp::new().await;
    signup_participant(&app, "ann").await;
    let mut b = signup_body("other", "instructor");
    b["email"] = json!("ann@example.com");
    assert_error(&app.post(SIGNUP, b).await, 409, "email_taken");
    let mut b = signup_body("ann", "instructor");
    b["email"] = json!("other@example.com");
    assert_error(&app.post(SIGNUP, b).await, 409, "username_taken");
    // No user was created by the refused signups.
    let r = app
        .post(
            LOGIN,
            json!({"email": "other@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(&r, 401, "invalid_credentials");
    // An email no account can have (PostgreSQL cannot even take its NUL):
    // the same answer as any unknown one.
    let r = app
        .post(
            LOGIN,
            json!({"email": "a\0@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(&r, 401, "invalid_credentials");
}

#[tokio::test]
async fn signup_rejects_bodies_that_are_not_json_objects() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, json!({})).raw_body("{not json").await;
    assert_error(&r, 400, "malformed_body");
    let r = app.post(SIGNUP, json!([1, 2])).await;
    assert_error(&r, 400, "malformed_body");
    let r = app
        .post(SIGNUP, json!({}))
        .header("content-type", "text/plain")
        .await;
    assert_error(&r, 415, "unsupported_media_type");
    let r = app.request(http::Method::POST, SIGNUP).await;
    assert_error(&r, 415, "unsupported_media_type");
}

#[tokio::test]
async fn signup_token_authenticates() {
    let app = TestApp::new().await;
    let r = app.post(SIGNUP, signup_body("ann", "participant")).await;
    r.expect(201);
    let token = r.json["token"].as_str().expect("token");
    assert_eq!(me(&app, token).await, without_token(r.json.clone()));
}

// ---------------------------------------------------------------------------
// POST /login/

#[tokio::test]
async fn login_with_the_right_pair() {
    let app = TestApp::new().await;
    let (id, _) = signup_instructor(&app, "ian").await;
    let r = app
        .post(
            LOGIN,
            json!({"email": "ian@example.com", "password": PASSWORD}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.id(), id);
    assert!(is_timestamp(&r.json["last_login"]), "{:#}", r.json);
    assert!(r.json["instructor"].is_object());
    let token = r.json["token"].as_str().expect("token");
    let u = me(&app, token).await;
    assert_eq!(u, without_token(r.json.clone()));
    assert_user_shape(&u);

    // A later login moves last_login forward.
    let first = r.json["last_login"].as_str().unwrap().to_owned();
    let r = app
        .post(
            LOGIN,
            json!({"email": "ian@example.com", "password": PASSWORD}),
        )
        .await;
    r.expect(200);
    assert!(r.json["last_login"].as_str().unwrap() >= first.as_str());
}

#[tokio::test]
async fn login_wrong_password_and_unknown_email_look_the_same() {
    let app = TestApp::new().await;
    signup_participant(&app, "ann").await;
    let wrong = app
        .post(
            LOGIN,
            json!({"email": "ann@example.com", "password": "wrong-password"}),
        )
        .await;
    assert_error(&wrong, 401, "invalid_credentials");
    let unknown = app
        .post(
            LOGIN,
            json!({"email": "nobody@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(&unknown, 401, "invalid_credentials");
    assert_eq!(wrong.json["message"], unknown.json["message"]);
    assert_eq!(wrong.json["fields"], unknown.json["fields"]);
    // A failed login does not count as one.
    let r = app
        .post(
            LOGIN,
            json!({"email": "ann@example.com", "password": PASSWORD}),
        )
        .await;
    r.expect(200);
}

#[tokio::test]
async fn login_requires_both_fields() {
    let app = TestApp::new().await;
    let r = app.post(LOGIN, json!({})).await;
    assert_fields(&r, &[("email", "required"), ("password", "required")]);
    let r = app.post(LOGIN, json!({"email": "a@example.com"})).await;
    assert_fields(&r, &[("password", "required")]);
}

// ---------------------------------------------------------------------------
// GET /user/{user_id}/

#[tokio::test]
async fn get_me_and_others() {
    let app = TestApp::new().await;
    let (ann, ann_token) = signup_participant(&app, "ann").await;
    let (ian, ian_token) = signup_instructor(&app, "ian").await;
    let mine = me(&app, &ann_token).await;
    assert_user_shape(&mine);
    assert_eq!(mine["id"], ann);
    let by_id = app
        .get(&format!("/api/v1/user/{ann}/"))
        .with_token(&ann_token)
        .await;
    by_id.expect(200);
    assert_eq!(by_id.json, mine);
    // Another user's profile is readable too.
    let other = app
        .get(&format!("/api/v1/user/{ann}/"))
        .with_token(&ian_token)
        .await;
    other.expect(200);
    assert_eq!(other.json, mine);
    let r = app
        .get(&format!("/api/v1/user/{ian}/"))
        .with_token(&ann_token)
        .await;
    r.expect(200);
    assert_eq!(r.json["username"], "ian");
}

#[tokio::test]
async fn get_unknown_user_is_404() {
    let app = TestApp::new().await;
    let (id, token) = signup_participant(&app, "ann").await;
    let r = app
        .get(&format!("/api/v1/user/{}/", id + 1000))
        .with_token(&token)
        .await;
    assert_error(&r, 404, "not_found");
    let r = app
        .get("/api/v1/user/999999999999999999/")
        .with_token(&token)
        .await;
    assert_error(&r, 404, "not_found");
}

#[tokio::test]
async fn get_user_with_a_bad_id_is_400() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    for bad in ["abc", "-1", "0", "1.5", "ME", "01", "99999999999999999999"] {
        let r = app
            .get(&format!("/api/v1/user/{bad}/"))
            .with_token(&token)
            .await;
        assert_error(&r, 400, "validation_failed");
        let f = crate::support::fields(&r);
        assert_eq!(f.len(), 1, "{bad}: {f:?}");
        assert_eq!(f[0].0, "user_id", "{bad}");
    }
}

// ---------------------------------------------------------------------------
// PUT /user/me/

#[tokio::test]
async fn update_me_partially() {
    let app = TestApp::new().await;
    let (id, token) = signup_participant(&app, "ann").await;
    let before = me(&app, &token).await;
    let r = app
        .put(ME, json!({"username": "annie"}))
        .with_token(&token)
        .await;
    r.expect(200);
    assert_user_shape(&r.json);
    assert_eq!(r.json["username"], "annie");
    let mut expected = before.clone();
    expected["username"] = json!("annie");
    assert_eq!(r.json, expected);
    let r = app
        .put(ME, json!({"first_name": "Ann", "last_name": "Kim"}))
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(
        (&r.json["first_name"], &r.json["last_name"]),
        (&json!("Ann"), &json!("Kim"))
    );
    assert_eq!(r.json["username"], "annie");
    assert_eq!(me(&app, &token).await, r.json);
    // The own id works like `me`.
    let r = app
        .put(
            &format!("/api/v1/user/{id}/"),
            json!({"university": "KAIST"}),
        )
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json["participant"]["university"], "KAIST");
}

#[tokio::test]
async fn update_me_with_nothing_changes_nothing() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    app.put(ME, json!({"company": "Waffle", "year": 2}))
        .with_token(&token)
        .await
        .expect(200);
    let before = me(&app, &token).await;
    let r = app.put(ME, json!({})).with_token(&token).await;
    r.expect(200);
    assert_eq!(r.json, before);
    let r = app.put(ME, json!({})).no_body().with_token(&token).await;
    r.expect(200);
    assert_eq!(r.json, before);
    // Empty names count as not given.
    let r = app
        .put(ME, json!({"first_name": "", "last_name": ""}))
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json, before);
}

#[tokio::test]
async fn update_me_ignores_what_cannot_change() {
    let app = TestApp::new().await;
    let (id, token) = signup_participant(&app, "ann").await;
    let before = me(&app, &token).await;
    let r = app
        .put(
            ME,
            json!({
                "email": "new@example.com", "accepted": false, "id": id + 1,
                "date_joined": "2000-01-01T00:00:00Z", "last_login": "2000-01-01T00:00:00Z",
                "participant": null, "instructor": {"company": "x"},
            }),
        )
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json, before);
}

#[tokio::test]
async fn update_me_username_taken() {
    let app = TestApp::new().await;
    signup_participant(&app, "ann").await;
    let (_, token) = signup_participant(&app, "bob").await;
    let r = app
        .put(ME, json!({"username": "ann"}))
        .with_token(&token)
        .await;
    assert_error(&r, 409, "username_taken");
    // Keeping one's own is fine.
    let r = app
        .put(ME, json!({"username": "bob"}))
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json["username"], "bob");
}

/// A rule between fields is reported with the fields' own problems, in
/// request order (an absent field last), whichever of them serde or the
/// rules caught first.
#[tokio::test]
async fn cross_field_rules_are_reported_with_field_rules() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let put = |body: Value| app.put(ME, body).with_token(&token);
    assert_fields(
        &put(json!({"first_name": "Kim", "password": "short"})).await,
        &[("password", "too_short"), ("last_name", "required")],
    );
    assert_fields(
        &put(json!({"first_name": "Kim", "password": 5})).await,
        &[("password", "not_string"), ("last_name", "required")],
    );
    assert_fields(
        &put(json!({"last_name": "", "first_name": "Kim", "username": "   "})).await,
        &[("last_name", "required"), ("username", "blank")],
    );
    assert_fields(
        &put(json!({"first_name": "Kim", "last_name": null, "year": -1})).await,
        &[("last_name", "required"), ("year", "too_small")],
    );
    // The same rule on signup, with a wrong type elsewhere.
    let mut body = signup_body("ann", "participant");
    body["first_name"] = json!("Ann");
    body["password"] = json!(["not", "text"]);
    assert_fields(
        &app.post(SIGNUP, body).await,
        &[("password", "not_string"), ("last_name", "required")],
    );
    // Nothing was written.
    let r = app.get(ME).with_token(&token).await;
    r.expect(200);
    assert_eq!(r.json["first_name"], "");
}

#[tokio::test]
async fn update_me_validates_like_signup() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let put = |body: Value| app.put(ME, body).with_token(&token);
    assert_fields(
        &put(json!({"first_name": "Ann"})).await,
        &[("last_name", "required")],
    );
    assert_fields(
        &put(json!({"last_name": "Kim"})).await,
        &[("first_name", "required")],
    );
    assert_fields(
        &put(json!({"first_name": "Ann", "last_name": ""})).await,
        &[("last_name", "required")],
    );
    assert_fields(
        &put(json!({"first_name": "Ann1", "last_name": "Kim"})).await,
        &[("first_name", "invalid_format")],
    );
    assert_fields(
        &put(json!({"first_name": "Ann", "last_name": "k".repeat(31)})).await,
        &[("last_name", "too_long")],
    );
    assert_fields(
        &put(json!({"username": "u".repeat(151)})).await,
        &[("username", "too_long")],
    );
    let r = put(json!({"username": ""})).await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(crate::support::fields(&r)[0].0, "username");
    assert_fields(
        &put(json!({"password": "short"})).await,
        &[("password", "too_short")],
    );
    assert_fields(
        &put(json!({"password": "p".repeat(129)})).await,
        &[("password", "too_long")],
    );
    assert_fields(
        &put(json!({"company": "c".repeat(101)})).await,
        &[("company", "too_long")],
    );
    assert_fields(
        &put(json!({"university": "u".repeat(101)})).await,
        &[("university", "too_long")],
    );
    assert_fields(&put(json!({"year": -1})).await, &[("year", "too_small")]);
    assert_fields(
        &put(json!({"year": "two"})).await,
        &[("year", "not_integer")],
    );
    assert_fields(&put(json!({"year": 2.5})).await, &[("year", "not_integer")]);
    let r = app
        .put(ME, json!({}))
        .raw_body("{oops")
        .with_token(&token)
        .await;
    assert_error(&r, 400, "malformed_body");
    // Nothing changed.
    let u = me(&app, &token).await;
    assert_eq!(
        (&u["username"], &u["first_name"]),
        (&json!("ian"), &json!(""))
    );
}

#[tokio::test]
async fn update_me_password_then_login() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    app.put(ME, json!({"password": "new-password-1"}))
        .with_token(&token)
        .await
        .expect(200);
    let old = app
        .post(
            LOGIN,
            json!({"email": "ann@example.com", "password": PASSWORD}),
        )
        .await;
    assert_error(&old, 401, "invalid_credentials");
    let new = app
        .post(
            LOGIN,
            json!({"email": "ann@example.com", "password": "new-password-1"}),
        )
        .await;
    new.expect(200);
    // The old token still works (tokens are stateless).
    me(&app, &token).await;
}

#[tokio::test]
async fn update_me_year_is_tri_state() {
    let app = TestApp::new().await;
    let (_, token) = signup_instructor(&app, "ian").await;
    let year = |r: &crate::support::Reply| {
        r.expect(200);
        r.json["instructor"]["year"].clone()
    };
    let r = app.put(ME, json!({"year": 4})).with_token(&token).await;
    assert_eq!(year(&r), 4);
    // Absent leaves it.
    let r = app
        .put(ME, json!({"company": "X"}))
        .with_token(&token)
        .await;
    assert_eq!(year(&r), 4);
    assert_eq!(r.json["instructor"]["company"], "X");
    // Null clears it.
    let r = app.put(ME, json!({"year": null})).with_token(&token).await;
    assert_eq!(year(&r), Value::Null);
    let r = app.put(ME, json!({})).with_token(&token).await;
    assert_eq!(year(&r), Value::Null);
    let r = app.put(ME, json!({"year": 0})).with_token(&token).await;
    assert_eq!(year(&r), 0);
}

#[tokio::test]
async fn update_me_profile_fields_apply_to_holders_only() {
    let app = TestApp::new().await;
    let (_, p) = signup_participant(&app, "ann").await;
    let (_, i) = signup_instructor(&app, "ian").await;

    // A participant: university applies; company and year are ignored.
    let r = app
        .put(ME, json!({"university": "SNU", "company": "X", "year": 3}))
        .with_token(&p)
        .await;
    r.expect(200);
    assert_eq!(r.json["participant"]["university"], "SNU");
    assert_eq!(r.json["instructor"], Value::Null);
    // "" and null clear it.
    let r = app.put(ME, json!({"university": ""})).with_token(&p).await;
    r.expect(200);
    assert_eq!(r.json["participant"]["university"], "");
    app.put(ME, json!({"university": "SNU"}))
        .with_token(&p)
        .await
        .expect(200);
    let r = app
        .put(ME, json!({"university": null}))
        .with_token(&p)
        .await;
    r.expect(200);
    assert_eq!(r.json["participant"]["university"], "", "null clears it");

    // An instructor: company and year apply; university is ignored.
    let r = app
        .put(
            ME,
            json!({"university": "SNU", "company": "Waffle", "year": 7}),
        )
        .with_token(&i)
        .await;
    r.expect(200);
    assert_eq!(r.json["participant"], Value::Null);
    assert_eq!(r.json["instructor"]["company"], "Waffle");
    assert_eq!(r.json["instructor"]["year"], 7);
    let r = app.put(ME, json!({"company": null})).with_token(&i).await;
    r.expect(200);
    assert_eq!(r.json["instructor"]["company"], "", "null clears it");
    assert_eq!(r.json["instructor"]["year"], 7);
    app.put(ME, json!({"company": "Waffle"}))
        .with_token(&i)
        .await
        .expect(200);
    let r = app.put(ME, json!({"company": ""})).with_token(&i).await;
    r.expect(200);
    assert_eq!(r.json["instructor"]["company"], "");
}

#[tokio::test]
async fn update_another_user_is_forbidden() {
    let app = TestApp::new().await;
    let (ann, _) = signup_participant(&app, "ann").await;
    let (_, bob) = signup_participant(&app, "bob").await;
    let r = app
        .put(
            &format!("/api/v1/user/{ann}/"),
            json!({"username": "hacked"}),
        )
        .with_token(&bob)
        .await;
    assert_error(&r, 403, "forbidden");
    // Even an id that does not exist, and even with an empty body.
    let r = app
        .put(&format!("/api/v1/user/{}/", ann + 1000), json!({}))
        .with_token(&bob)
        .await;
    assert_error(&r, 403, "forbidden");
    let r = app
        .put("/api/v1/user/abc/", json!({}))
        .with_token(&bob)
        .await;
    assert_error(&r, 400, "validation_failed");
    assert_eq!(crate::support::fields(&r)[0].0, "user_id");
    let u = app
        .get(&format!("/api/v1/user/{ann}/"))
        .with_token(&bob)
        .await;
    assert_eq!(u.json["username"], "ann");
}

// ---------------------------------------------------------------------------
// POST /user/participant/

#[tokio::test]
async fn instructor_becomes_participant() {
    let app = TestApp::new().await;
    let (id, token) = signup_instructor(&app, "ian").await;
    let r = app
        .post(PARTICIPANT, json!({}))
        .no_body()
        .with_token(&token)
        .await;
    r.expect(201);
    assert_user_shape(&r.json);
    assert_eq!(r.id(), id);
    let p = &r.json["participant"];
    assert_eq!(
        (&p["university"], &p["accepted"]),
        (&json!(""), &json!(true))
    );
    assert_eq!(p["seminars"], json!([]));
    assert!(
        r.json["instructor"].is_object(),
        "the instructor profile stays"
    );
    assert_eq!(me(&app, &token).await, r.json);
    // Again: already a participant.
    let r = app.post(PARTICIPANT, json!({})).with_token(&token).await;
    assert_error(&r, 400, "already_participant");
}

#[tokio::test]
async fn participant_profile_with_a_body() {
    let app = TestApp::new().await;
    let (_, a) = signup_instructor(&app, "ian").await;
    let r = app
        .post(PARTICIPANT, json!({"university": "SNU", "accepted": false}))
        .with_token(&a)
        .await;
    r.expect(201);
    assert_eq!(r.json["participant"]["university"], "SNU");
    assert_eq!(r.json["participant"]["accepted"], false);

    let (_, b) = signup_instructor(&app, "ivy").await;
    let r = app.post(PARTICIPANT, json!({})).with_token(&b).await;
    r.expect(201);
    assert_eq!(r.json["participant"]["accepted"], true);

    let (_, c) = signup_instructor(&app, "ida").await;
    let r = app
        .post(PARTICIPANT, json!({"university": null, "accepted": null}))
        .with_token(&c)
        .await;
    r.expect(201);
    assert_eq!(r.json["participant"]["university"], "");
    assert_eq!(r.json["participant"]["accepted"], true);

    let (_, d) = signup_instructor(&app, "ike").await;
    let r = app
        .post(
            PARTICIPANT,
            json!({"university": "u".repeat(101), "accepted": "yes"}),
        )
        .with_token(&d)
        .await;
    assert_fields(
        &r,
        &[("university", "too_long"), ("accepted", "not_boolean")],
    );
    assert_eq!(me(&app, &d).await["participant"], Value::Null);
}

#[tokio::test]
async fn participant_cannot_become_participant_again() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    let r = app
        .post(PARTICIPANT, json!({}))
        .no_body()
        .with_token(&token)
        .await;
    assert_error(&r, 400, "already_participant");
}

#[tokio::test]
async fn a_user_with_both_profiles() {
    let app = TestApp::new().await;
    let (_, token) = signup(&app, signup_body("ian", "instructor")).await;
    app.post(PARTICIPANT, json!({"university": "SNU"}))
        .with_token(&token)
        .await
        .expect(201);
    let r = app
        .put(
            ME,
            json!({"university": "KAIST", "company": "Waffle", "year": 1}),
        )
        .with_token(&token)
        .await;
    r.expect(200);
    assert_eq!(r.json["participant"]["university"], "KAIST");
    assert_eq!(r.json["instructor"]["company"], "Waffle");
    assert_eq!(r.json["instructor"]["year"], 1);
}

/// The message of `field` in an error answer.
fn message_of<'a>(r: &'a crate::support::Reply, field: &str) -> &'a str {
    r.json["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == field)
        .unwrap_or_else(|| panic!("no {field}: {}", r.json))["message"]
        .as_str()
        .unwrap()
}

#[tokio::test]
async fn ids_beyond_any_row_are_too_large_on_every_path_without_a_number() {
    let app = TestApp::new().await;
    let (_, token) = signup_participant(&app, "ann").await;
    for (path, field) in [
        ("/api/v1/user/99999999999999999999/", "user_id"),
        ("/api/v1/seminar/99999999999999999999/", "seminar_id"),
        ("/api/v1/seminar/99999999999999999999/user/", "seminar_id"),
    ] {
        for (lang, message) in [
            ("en", "Too large"),
            ("de", "Zu groß"),
            ("ko", "너무 큽니다"),
        ] {
            let r = app
                .get(path)
                .with_token(&token)
                .header("accept-language", lang)
                .await;
            if path.ends_with("/user/") {
                // Only POST and DELETE there.
                assert_error(&r, 405, "method_not_allowed");
                continue;
            }
            assert_error(&r, 400, "validation_failed");
            assert_fields(&r, &[(field, "too_large")]);
            assert_eq!(message_of(&r, field), message, "{path} {lang}");
        }
    }
}

#[tokio::test]
async fn years_of_experience_have_a_bound_a_person_reads() {
    let app = TestApp::new().await;
    let mut body = signup_body("ian", "instructor");
    body["year"] = json!(101);
    for (lang, message) in [
        ("en", "At most 100"),
        ("fr", "100 maximum"),
        ("ja", "100以下"),
    ] {
        let r = app
            .post(SIGNUP, body.clone())
            .header("accept-language", lang)
            .await;
        assert_fields(&r, &[("year", "too_large")]);
        assert_eq!(message_of(&r, "year"), message, "{lang}");
    }
    body["year"] = json!(9_223_372_036_854_775_807_i64);
    let r = app.post(SIGNUP, body.clone()).await;
    assert_fields(&r, &[("year", "too_large")]);
    assert_eq!(message_of(&r, "year"), "At most 100");
    body["year"] = json!(-1);
    let r = app.post(SIGNUP, body.clone()).await;
    assert_fields(&r, &[("year", "too_small")]);
    assert_eq!(message_of(&r, "year"), "At least 0");
    body["year"] = json!(100);
    let r = app.post(SIGNUP, body).await;
    assert_eq!(r.status, 201, "{}", r.json);
}
