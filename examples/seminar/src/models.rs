//! The response models of the seminar API (see "Response shapes" in the
//! API's restatement): what the handlers serialize, and what the OpenAPI
//! document describes.
//!
//! Every property is always present; `Option` marks exactly the properties
//! that may be `null`. Timestamps are RFC 3339 strings in UTC, such as
//! `2026-11-25T03:14:15.123456Z`.

use schemars::JsonSchema;
use serde::Serialize;

/// A user, with the profiles they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct User {
    /// The user's id.
    pub id: i64,
    /// The user's unique name.
    pub username: String,
    /// The user's email address, unique; it identifies the user at login.
    pub email: String,
    /// The first name, `""` when not given.
    pub first_name: String,
    /// The last name, `""` when not given.
    pub last_name: String,
    /// When the user last logged in; null until the first login (signing up
    /// does not count as one).
    #[schemars(extend("format" = "date-time"))]
    pub last_login: Option<String>,
    /// When the user signed up.
    #[schemars(extend("format" = "date-time"))]
    pub date_joined: String,
    /// The participant profile, null when the user has none.
    pub participant: Option<ParticipantProfile>,
    /// The instructor profile, null when the user has none.
    pub instructor: Option<InstructorProfile>,
}

/// A user, with the profiles they hold, and a token to authenticate with:
/// the answer to signup and login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct AuthenticatedUser {
    /// The user, whose members are the answer's own.
    #[serde(flatten)]
    pub user: User,
    /// The token to send as `Authorization: JWT <token>` (or
    /// `Bearer <token>`); it expires after 7 days.
    pub token: String,
}

/// A user's participant profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ParticipantProfile {
    /// The profile's id.
    pub id: i64,
    /// The participant's university, `""` when none.
    pub university: String,
    /// Whether the participant is accepted; only accepted participants may
    /// join seminars.
    pub accepted: bool,
    /// Every seminar the user ever joined as a participant, dropped ones
    /// included, in the order joined; `[]` when none.
    pub seminars: Vec<ParticipantSeminar>,
}

/// A seminar a participant joined.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ParticipantSeminar {
    /// The seminar's id.
    pub id: i64,
    /// The seminar's name.
    pub name: String,
    /// When the participant joined the seminar.
    #[schemars(extend("format" = "date-time"))]
    pub joined_at: String,
    /// False once the participant dropped the seminar.
    pub is_active: bool,
    /// When the participant dropped the seminar, null while active.
    #[schemars(extend("format" = "date-time"))]
    pub dropped_at: Option<String>,
}

/// A user's instructor profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InstructorProfile {
    /// The profile's id.
    pub id: i64,
    /// The instructor's company, `""` when none.
    pub company: String,
    /// Years of experience, null when not given.
    pub year: Option<i64>,
    /// The seminar this instructor is in charge of, null when none.
    pub charge: Option<InstructorCharge>,
}

/// The seminar an instructor is in charge of.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct InstructorCharge {
    /// The seminar's id.
    pub id: i64,
    /// The seminar's name.
    pub name: String,
    /// When the instructor took charge of the seminar.
    #[schemars(extend("format" = "date-time"))]
    pub joined_at: String,
}

/// A seminar, with its instructors and participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeminarDetail {
    /// The seminar's id.
    pub id: i64,
    /// The seminar's name.
    pub name: String,
    /// The most active participants the seminar takes.
    pub capacity: i64,
    /// The number of sessions.
    pub count: i64,
    /// The time of day of the sessions, `"HH:MM"`, 24-hour.
    pub time: String,
    /// Whether the seminar is held online.
    pub online: bool,
    /// The seminar's instructors, in the order they joined.
    pub instructors: Vec<SeminarInstructor>,
    /// The seminar's participants, in the order they joined, dropped ones
    /// included; `[]` when none.
    pub participants: Vec<SeminarParticipant>,
}

/// An instructor of a seminar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeminarInstructor {
    /// The user's id.
    pub id: i64,
    /// The user's unique name.
    pub username: String,
    /// The user's email address.
    pub email: String,
    /// The first name, `""` when not given.
    pub first_name: String,
    /// The last name, `""` when not given.
    pub last_name: String,
    /// When the instructor joined the seminar.
    #[schemars(extend("format" = "date-time"))]
    pub joined_at: String,
}

/// A participant of a seminar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeminarParticipant {
    /// The user's id.
    pub id: i64,
    /// The user's unique name.
    pub username: String,
    /// The user's email address.
    pub email: String,
    /// The first name, `""` when not given.
    pub first_name: String,
    /// The last name, `""` when not given.
    pub last_name: String,
    /// When the participant joined the seminar.
    #[schemars(extend("format" = "date-time"))]
    pub joined_at: String,
    /// False once the participant dropped the seminar.
    pub is_active: bool,
    /// When the participant dropped the seminar, null while active.
    #[schemars(extend("format" = "date-time"))]
    pub dropped_at: Option<String>,
}

/// A seminar in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SeminarSummary {
    /// The seminar's id.
    pub id: i64,
    /// The seminar's name.
    pub name: String,
    /// The seminar's instructors, in the order they joined.
    pub instructors: Vec<SeminarInstructor>,
    /// The number of active participants (dropped ones not counted).
    pub participant_count: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn schema<T: JsonSchema>() -> Value {
        schemars::generate::SchemaSettings::draft2020_12()
            .for_serialize()
            .into_generator()
            .into_root_schema_for::<T>()
            .to_value()
    }

    /// The properties of an object schema, and its `required` list, sorted.
    fn keys(schema: &Value) -> (Vec<String>, Vec<String>) {
        let mut props: Vec<String> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .cloned()
            .collect();
        let mut required: Vec<String> = schema["required"]
            .as_array()
            .expect("required")
            .iter()
            .map(|v| v.as_str().expect("string").to_owned())
            .collect();
        props.sort();
        required.sort();
        (props, required)
    }

    #[test]
    fn every_property_is_required() {
        for s in [
            schema::<User>(),
            schema::<AuthenticatedUser>(),
            schema::<SeminarDetail>(),
            schema::<SeminarSummary>(),
        ] {
            let (props, required) = keys(&s);
            assert_eq!(props, required, "{s:#}");
            for (_, def) in s["$defs"].as_object().expect("$defs") {
                let (props, required) = keys(def);
                assert_eq!(props, required, "{def:#}");
            }
        }
        let (props, _) = keys(&schema::<AuthenticatedUser>());
        let (user_props, _) = keys(&schema::<User>());
        let mut expected = user_props;
        expected.push("token".to_owned());
        expected.sort();
        assert_eq!(props, expected);
    }

    #[test]
    fn timestamps_are_date_times_and_nulls_stay() {
        let s = schema::<User>();
        assert_eq!(s["properties"]["date_joined"]["format"], "date-time");
        assert_eq!(s["properties"]["last_login"]["format"], "date-time");
        let user = User {
            id: 1,
            username: "u".into(),
            email: "u@example.com".into(),
            first_name: String::new(),
            last_name: String::new(),
            last_login: None,
            date_joined: "2026-11-25T03:14:15.123456Z".into(),
            participant: None,
            instructor: None,
        };
        let authed = serde_json::to_value(AuthenticatedUser {
            user,
            token: "t".into(),
        })
        .expect("json");
        assert_eq!(
            authed,
            json!({
                "id": 1, "username": "u", "email": "u@example.com",
                "first_name": "", "last_name": "", "last_login": null,
                "date_joined": "2026-11-25T03:14:15.123456Z",
                "participant": null, "instructor": null, "token": "t"
            })
        );
    }
}
