//! What each operation may answer.
//!
//! The domain's errors ([`StoreError`]) know no HTTP. One table here gives
//! each its status and code. Each operation then names the domain errors it
//! may answer, as variants: a misspelt or unknown one fails the build, a
//! domain error missing from the table fails the build, and the spec lists
//! exactly what each operation can send.

use std::marker::PhantomData;

use axum::response::{IntoResponse, Response};
use contract_axum::{Declared, DeclaredErrors, Error, ErrorCode};
use http::StatusCode;

use crate::store::StoreError;

/// How a domain error is answered.
#[derive(Debug, Clone)]
pub(crate) enum Answer {
    /// With this status and code.
    Code(u16, ErrorCode),
    /// As `internal` (500): a dependency failed.
    Internal,
    /// As `service_unavailable` (503): the database cannot be written.
    Unavailable,
}

impl Answer {
    const fn code(status: u16, code: &'static str) -> Self {
        Answer::Code(status, ErrorCode::from_static(code))
    }

    fn declared(self) -> Declared {
        match self {
            Answer::Code(status, code) => Declared::new(status, code, None),
            Answer::Internal => Declared::new(500, ErrorCode::INTERNAL, None),
            Answer::Unavailable => Declared::new(503, ErrorCode::SERVICE_UNAVAILABLE, None),
        }
    }

    fn error(self, cause: StoreError) -> Error {
        match self {
            Answer::Code(status, code) => {
                let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
                Error::new(status, code).with_detail(cause)
            }
            Answer::Internal => Error::internal().with_detail(cause),
            Answer::Unavailable => Error::service_unavailable().with_detail(cause),
        }
    }
}

/// The table: each [`StoreError`] variant with its answer. The match it
/// generates has no wildcard, so every variant must be here.
macro_rules! answers {
    ($($variant:ident => $answer:expr;)*) => {
        /// The answer of each domain error, by variant name.
        #[allow(non_upper_case_globals)]
        mod answer {
            use super::Answer;
            $(pub(super) const $variant: Answer = $answer;)*
        }

        impl Answer {
            /// The answer to `e`.
            fn of(e: &StoreError) -> Answer {
                match e {
                    $(StoreError::$variant { .. } => answer::$variant,)*
                }
            }
        }

        /// Every (status, code) the domain's errors are answered with, for
        /// the message catalog's check.
        pub fn declared() -> Vec<Declared> {
            vec![$(answer::$variant.declared()),*]
        }
    };
}

answers! {
    NotFound => Answer::code(404, "not_found");
    EmailTaken => Answer::code(409, "email_taken");
    UsernameTaken => Answer::code(409, "username_taken");
    AlreadyParticipant => Answer::code(400, "already_participant");
    NotInstructor => Answer::code(403, "instructor_required");
    RoleRequired => Answer::code(403, "role_required");
    NotAccepted => Answer::code(403, "participant_not_accepted");
    AlreadyJoined => Answer::code(400, "already_joined");
    DroppedCannotRejoin => Answer::code(400, "dropped_cannot_rejoin");
    SeminarFull => Answer::code(400, "seminar_full");
    AlreadyInCharge => Answer::code(400, "already_in_charge");
    NotSeminarInstructor => Answer::code(403, "not_seminar_instructor");
    InstructorCannotDrop => Answer::code(403, "instructor_cannot_drop");
    CapacityBelowParticipants => Answer::code(400, "capacity_below_participants");
    InvalidCredentials => Answer::code(401, "invalid_credentials");
    Forbidden => Answer::code(403, "forbidden");
    Database => Answer::Internal;
    Unavailable => Answer::Unavailable;
}

/// The domain errors one operation may answer.
pub(crate) trait Answers {
    /// Whether the operation may answer `e`.
    fn admits(e: &StoreError) -> bool;

    /// Appends the (status, code) of each.
    fn declare(out: &mut Vec<Declared>);
}

/// Declares each operation as the list of domain errors it may answer.
macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident => [$($variant:ident),* $(,)?];)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        #[allow(unused_variables)] // an operation with no domain errors
        impl Answers for $name {
            fn admits(e: &StoreError) -> bool {
                false $(|| matches!(e, StoreError::$variant { .. }))*
            }

            fn declare(out: &mut Vec<Declared>) {
                $(out.push(answer::$variant.declared());)*
            }
        }
    )*};
}

operations! {
    /// `POST /signup/`.
    Signup => [EmailTaken, UsernameTaken];
    /// `POST /login/`.
    Login => [InvalidCredentials];
    /// `GET /user/{user_id}/`.
    GetUser => [NotFound];
    /// `PUT /user/{user_id}/`.
    UpdateUser => [Forbidden, UsernameTaken];
    /// `POST /user/participant/`.
    AddParticipant => [AlreadyParticipant];
    /// `POST /seminar/`.
    CreateSeminar => [NotInstructor, AlreadyInCharge];
    /// `PUT /seminar/{seminar_id}/`.
    UpdateSeminar => [NotFound, NotSeminarInstructor, CapacityBelowParticipants];
    /// `GET /seminar/{seminar_id}/`.
    GetSeminar => [NotFound];
    /// `GET /seminar/`.
    ListSeminars => [];
    /// `POST /seminar/{seminar_id}/user/`.
    JoinSeminar => [
        NotFound, RoleRequired, NotAccepted, AlreadyJoined, DroppedCannotRejoin, SeminarFull,
        AlreadyInCharge,
    ];
    /// `DELETE /seminar/{seminar_id}/user/`.
    DropSeminar => [NotFound, InstructorCannotDrop];
}

/// A failure of operation `L`: a domain error it answers as declared, or
/// an error the handler built itself (only ever `internal`).
pub(crate) struct Failure<L>(Cause, PhantomData<L>);

#[derive(Debug)]
enum Cause {
    Domain(StoreError),
    Contract(Error),
}

impl<L> std::fmt::Debug for Failure<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<L> From<StoreError> for Failure<L> {
    fn from(e: StoreError) -> Self {
        Failure(Cause::Domain(e), PhantomData)
    }
}

impl<L> From<Error> for Failure<L> {
    fn from(e: Error) -> Self {
        Failure(Cause::Contract(e), PhantomData)
    }
}

impl<L: Answers> DeclaredErrors for Failure<L> {
    fn declare(out: &mut Vec<Declared>) {
        L::declare(out);
        out.push(Answer::Internal.declared());
        out.push(Answer::Unavailable.declared());
    }
}

impl<L: Answers> IntoResponse for Failure<L> {
    fn into_response(self) -> Response {
        let error = match self.0 {
            Cause::Contract(e) => e,
            Cause::Domain(e) => match Answer::of(&e) {
                answer @ (Answer::Internal | Answer::Unavailable) => answer.error(e),
                answer if L::admits(&e) => answer.error(e),
                // A domain error the operation does not declare is a bug:
                // answered as `internal`, so the spec never lies.
                _ => Error::internal()
                    .with_detail(format!("undeclared error for this operation: {e}")),
            },
        };
        error.into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes<L: Answers>() -> Vec<String> {
        Failure::<L>::declared()
            .iter()
            .map(|d| format!("{} {}", d.status, d.code.as_str()))
            .collect()
    }

    #[test]
    fn each_operation_declares_its_own_errors_and_internal() {
        assert_eq!(
            codes::<Signup>(),
            [
                "409 email_taken",
                "409 username_taken",
                "500 internal",
                "503 service_unavailable"
            ]
        );
        assert_eq!(
            codes::<ListSeminars>(),
            ["500 internal", "503 service_unavailable"]
        );
    }

    #[test]
    fn a_domain_error_is_answered_only_where_declared() {
        let status = |r: Response| r.status().as_u16();
        assert_eq!(
            status(Failure::<Signup>::from(StoreError::EmailTaken).into_response()),
            409
        );
        // Not one of GetSeminar's errors: a bug, answered as internal.
        assert_eq!(
            status(Failure::<GetSeminar>::from(StoreError::EmailTaken).into_response()),
            500
        );
        assert_eq!(
            status(Failure::<GetSeminar>::from(StoreError::NotFound).into_response()),
            404
        );
    }

    #[test]
    fn the_table_covers_every_domain_error_once() {
        let all = declared();
        let mut codes: Vec<&str> = all.iter().map(|d| d.code.as_str()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len(), "one code per domain error");
    }
}
