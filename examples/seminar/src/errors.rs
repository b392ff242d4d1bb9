//! What each operation may answer: the store's errors, narrowed per
//! operation so that the spec lists exactly the codes each one can send.

use std::marker::PhantomData;

use axum::response::{IntoResponse, Response};
use contract_axum::{Declared, DeclaredErrors, Error, ErrorCode};

use crate::store::StoreError;

/// The codes one operation may answer beyond its extractors' (`internal`
/// is always possible).
pub(crate) trait Codes {
    /// The codes.
    const CODES: &'static [&'static str];
}

/// A [`StoreError`] as operation `L` may answer it. A variant outside `L`'s
/// codes is a bug and is answered as `internal`, so the spec never lies.
pub(crate) struct Failure<L>(StoreError, PhantomData<L>);

impl<L> std::fmt::Debug for Failure<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<L, E: Into<StoreError>> From<E> for Failure<L> {
    fn from(e: E) -> Self {
        Failure(e.into(), PhantomData)
    }
}

impl<L: Codes> DeclaredErrors for Failure<L> {
    fn declare(out: &mut Vec<Declared>) {
        out.extend(
            StoreError::declared()
                .into_iter()
                .filter(|d| L::CODES.contains(&d.code.as_str()) || d.code == ErrorCode::INTERNAL),
        );
    }
}

impl<L: Codes> IntoResponse for Failure<L> {
    fn into_response(self) -> Response {
        let err = Error::from(self.0);
        let declared = L::CODES.contains(&err.code().as_str())
            || err.code() == &ErrorCode::INTERNAL
            || err.code() == &ErrorCode::VALIDATION_FAILED;
        if declared {
            err.into_response()
        } else {
            Error::internal()
                .with_detail(format!("undeclared error for this operation: {err}"))
                .into_response()
        }
    }
}

macro_rules! operations {
    ($($(#[$doc:meta])* $name:ident => [$($code:literal),* $(,)?];)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;
        impl Codes for $name {
            const CODES: &'static [&'static str] = &[$($code),*];
        }
    )*};
}

operations! {
    /// `POST /signup/`.
    Signup => ["email_taken", "username_taken"];
    /// `POST /login/`.
    Login => ["invalid_credentials"];
    /// `GET /user/{user_id}/`.
    GetUser => ["not_found"];
    /// `PUT /user/{user_id}/`.
    UpdateUser => ["forbidden", "username_taken"];
    /// `POST /user/participant/`.
    AddParticipant => ["already_participant"];
    /// `POST /seminar/`.
    CreateSeminar => ["instructor_required", "already_in_charge"];
    /// `PUT /seminar/{seminar_id}/`.
    UpdateSeminar => ["not_found", "not_seminar_instructor", "capacity_below_participants"];
    /// `GET /seminar/{seminar_id}/`.
    GetSeminar => ["not_found"];
    /// `GET /seminar/`.
    ListSeminars => [];
    /// `POST /seminar/{seminar_id}/user/`.
    JoinSeminar => [
        "not_found", "role_required", "participant_not_accepted", "already_joined",
        "dropped_cannot_rejoin", "seminar_full", "already_in_charge",
    ];
    /// `DELETE /seminar/{seminar_id}/user/`.
    DropSeminar => ["not_found", "instructor_cannot_drop"];
}
