//! What each operation may answer: one `#[derive(ApiError)]` enum per
//! operation (operations that answer the same share one), each variant
//! with its status and code, so the spec lists exactly what each operation
//! can send.
//!
//! The domain's errors ([`StoreError`]) know no HTTP. Each enum's `From`
//! says which of them the operation answers, and how; any other is a bug,
//! answered as `internal` so the spec never lies.

use contract_axum::{ApiError, Declared, DeclaredErrors};

use crate::store::StoreError;

/// What every operation may answer when something fails that is not the
/// caller's doing.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum Unexpected {
    /// The database failed, or a bug.
    #[error("{0}")]
    #[api(internal)]
    Internal(String),
    /// The database cannot be written (its file is gone); it heals when
    /// the file is back.
    #[error("database unavailable: {0}")]
    #[api(status = 503, code = "service_unavailable")]
    Unavailable(String),
}

impl From<StoreError> for Unexpected {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Unavailable(why) => Self::Unavailable(why),
            e @ StoreError::Database(_) => Self::Internal(e.to_string()),
            e => Self::Internal(format!("undeclared error for this operation: {e}")),
        }
    }
}

/// Signing a token failed.
impl From<jsonwebtoken::errors::Error> for Unexpected {
    fn from(e: jsonwebtoken::errors::Error) -> Self {
        Self::Internal(format!("token: {e}"))
    }
}

/// What `POST /signup/` answers.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum SignupError {
    #[error("the email address is taken")]
    #[api(status = 409, code = "email_taken")]
    EmailTaken,
    #[error("the username is taken")]
    #[api(status = 409, code = "username_taken")]
    UsernameTaken,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for SignupError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::EmailTaken => Self::EmailTaken,
            StoreError::UsernameTaken => Self::UsernameTaken,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `POST /login/` answers: which of the email and the password was wrong is not revealed.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum LoginError {
    #[error("wrong email or password")]
    #[api(status = 401, code = "invalid_credentials")]
    InvalidCredentials,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for LoginError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// What `GET /user/{user_id}/` and `GET /seminar/{seminar_id}/` answer.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum NotFoundError {
    #[error("not found")]
    #[api(status = 404, code = "not_found")]
    NotFound,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for NotFoundError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `PUT /user/{user_id}/` answers: only the caller may be updated.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum UpdateUserError {
    #[error("only the caller may be updated")]
    #[api(status = 403, code = "forbidden")]
    Forbidden,
    #[error("the username is taken")]
    #[api(status = 409, code = "username_taken")]
    UsernameTaken,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for UpdateUserError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UsernameTaken => Self::UsernameTaken,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `POST /user/participant/` answers.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum AddParticipantError {
    #[error("the user is already a participant")]
    #[api(status = 400, code = "already_participant")]
    AlreadyParticipant,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for AddParticipantError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::AlreadyParticipant => Self::AlreadyParticipant,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `POST /seminar/` answers.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum CreateSeminarError {
    #[error("only instructors can open seminars")]
    #[api(status = 403, code = "instructor_required")]
    NotInstructor,
    #[error("the instructor is already in charge of a seminar")]
    #[api(status = 400, code = "already_in_charge")]
    AlreadyInCharge,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for CreateSeminarError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotInstructor => Self::NotInstructor,
            StoreError::AlreadyInCharge => Self::AlreadyInCharge,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `PUT /seminar/{seminar_id}/` answers.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum UpdateSeminarError {
    #[error("no such seminar")]
    #[api(status = 404, code = "not_found")]
    NotFound,
    #[error("the caller is not an instructor of this seminar")]
    #[api(status = 403, code = "not_seminar_instructor")]
    NotSeminarInstructor,
    #[error("the seminar changed since the version given")]
    #[api(status = 412, code = "precondition_failed")]
    Stale,
    #[error("the capacity is below the active participants")]
    #[api(status = 400, code = "capacity_below_participants")]
    CapacityBelowParticipants,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for UpdateSeminarError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::NotSeminarInstructor => Self::NotSeminarInstructor,
            StoreError::Stale => Self::Stale,
            StoreError::CapacityBelowParticipants => Self::CapacityBelowParticipants,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `POST /seminar/{seminar_id}/user/` answers, in the order it checks.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum JoinError {
    #[error("no such seminar")]
    #[api(status = 404, code = "not_found")]
    NotFound,
    #[error("the caller has no profile for the role")]
    #[api(status = 403, code = "role_required")]
    RoleRequired,
    #[error("the participant is not accepted")]
    #[api(status = 403, code = "participant_not_accepted")]
    NotAccepted,
    #[error("the caller already belongs to this seminar")]
    #[api(status = 400, code = "already_joined")]
    AlreadyJoined,
    #[error("the caller dropped this seminar")]
    #[api(status = 400, code = "dropped_cannot_rejoin")]
    DroppedCannotRejoin,
    #[error("the seminar is full")]
    #[api(status = 400, code = "seminar_full")]
    SeminarFull,
    #[error("the instructor is already in charge of a seminar")]
    #[api(status = 400, code = "already_in_charge")]
    AlreadyInCharge,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for JoinError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::RoleRequired => Self::RoleRequired,
            StoreError::NotAccepted => Self::NotAccepted,
            StoreError::AlreadyJoined => Self::AlreadyJoined,
            StoreError::DroppedCannotRejoin => Self::DroppedCannotRejoin,
            StoreError::SeminarFull => Self::SeminarFull,
            StoreError::AlreadyInCharge => Self::AlreadyInCharge,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `DELETE /seminar/{seminar_id}/user/` answers.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum DropError {
    #[error("no such seminar")]
    #[api(status = 404, code = "not_found")]
    NotFound,
    #[error("an instructor cannot drop their seminar")]
    #[api(status = 403, code = "instructor_cannot_drop")]
    InstructorCannotDrop,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for DropError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Self::NotFound,
            StoreError::InstructorCannotDrop => Self::InstructorCannotDrop,
            e => Self::Unexpected(e.into()),
        }
    }
}

/// What `GET /seminar/` answers when it fails: a cursor whose key does
/// not read (its `validation_failed` is documented by `Paging`).
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum ListError {
    #[error(transparent)]
    #[api(transparent)]
    Cursor(#[from] contract_axum::Error),
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for ListError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// Every (status, code) the operations answer with, for the message
/// catalog's check.
pub fn declared() -> Vec<Declared> {
    let mut all = Vec::new();
    SignupError::declare(&mut all);
    LoginError::declare(&mut all);
    NotFoundError::declare(&mut all);
    UpdateUserError::declare(&mut all);
    AddParticipantError::declare(&mut all);
    CreateSeminarError::declare(&mut all);
    UpdateSeminarError::declare(&mut all);
    JoinError::declare(&mut all);
    DropError::declare(&mut all);
    all.sort_by(|a, b| (a.status, a.code.as_str()).cmp(&(b.status, b.code.as_str())));
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use axum::response::IntoResponse;

    use super::*;

    #[test]
    fn each_operation_declares_its_own_codes_and_the_unexpected_ones() {
        let codes: Vec<String> = SignupError::declared()
            .iter()
            .map(|d| format!("{} {}", d.status, d.code.as_str()))
            .collect();
        let expected = ["409 email_taken", "409 username_taken"];
        let unexpected = ["500 internal", "503 service_unavailable"];
        assert_eq!(codes, [&expected[..], &unexpected[..]].concat());
    }

    #[test]
    fn a_domain_error_is_answered_only_where_declared() {
        let status = |r: axum::response::Response| r.status().as_u16();
        assert_eq!(
            status(SignupError::from(StoreError::EmailTaken).into_response()),
            409
        );
        assert_eq!(
            status(NotFoundError::from(StoreError::NotFound).into_response()),
            404
        );
        // Not one of this operation's errors: a bug, answered as internal.
        assert_eq!(
            status(NotFoundError::from(StoreError::EmailTaken).into_response()),
            500
        );
        let gone = StoreError::Unavailable("the file is gone".into());
        assert_eq!(status(JoinError::from(gone).into_response()), 503);
    }
}
