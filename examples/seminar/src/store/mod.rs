//! The domain operations of the seminar API, on a [`Db`].
//!
//! Each operation that writes runs in one write transaction
//! ([`Db::begin_write`]) and performs its checks in the order the API
//! prescribes, inside that transaction, so that what it checked still holds
//! when it writes. The database's constraints back the checks up (a unique
//! violation that slips past a check, say from another process, maps to the
//! same domain error).
//!
//! Input validation (lengths, formats, trimming, defaults of the HTTP layer)
//! is the caller's: the store takes values as given. It knows no HTTP: its
//! errors are domain errors, which the HTTP layer answers.
//!
//! One file per aggregate: `users` (users and their profiles), `seminars`,
//! `memberships` (joining and dropping), and `seed` (demo data).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

/// Why a domain operation failed. Each operation's error enum
/// (`errors.rs`) says which it answers, with what status and code.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The user or seminar does not exist.
    #[error("not found")]
    NotFound,
    /// Another user has this email address.
    #[error("the email address is taken")]
    EmailTaken,
    /// Another user has this username.
    #[error("the username is taken")]
    UsernameTaken,
    /// The user already has a participant profile.
    #[error("the user is already a participant")]
    AlreadyParticipant,
    /// The caller has no instructor profile (only instructors open seminars).
    #[error("only instructors can open seminars")]
    NotInstructor,
    /// The caller has no profile for the role they asked to join in.
    #[error("the caller has no profile for the requested role")]
    RoleRequired,
    /// The caller's participant profile is not accepted.
    #[error("the participant is not accepted")]
    NotAccepted,
    /// The caller already belongs to the seminar.
    #[error("the caller already belongs to this seminar")]
    AlreadyJoined,
    /// The caller dropped the seminar, and may not join it again.
    #[error("the caller dropped this seminar and cannot rejoin it")]
    DroppedCannotRejoin,
    /// The seminar has `capacity` active participants already.
    #[error("the seminar is full")]
    SeminarFull,
    /// The caller is already in charge of a seminar (an instructor is in
    /// charge of at most one).
    #[error("the instructor is already in charge of a seminar")]
    AlreadyInCharge,
    /// The caller is not an instructor of this seminar.
    #[error("the caller is not an instructor of this seminar")]
    NotSeminarInstructor,
    /// An instructor cannot drop their own seminar.
    #[error("an instructor cannot drop their seminar")]
    InstructorCannotDrop,
    /// The seminar changed since the version the caller named.
    #[error("the seminar changed since the version given")]
    Stale,
    /// The new capacity is below the seminar's active participants.
    #[error("the capacity is below the number of active participants")]
    CapacityBelowParticipants,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// The database cannot be written at all (its file is gone).
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl StoreError {
    /// A failure of the database, not of the request: worth a retry.
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Database(_) | Self::Unavailable(_))
    }
}

impl From<crate::db::TxError> for StoreError {
    fn from(e: crate::db::TxError) -> Self {
        match e {
            crate::db::TxError::Unavailable(why) => StoreError::Unavailable(why),
            crate::db::TxError::Database(e) => StoreError::Database(e),
        }
    }
}

impl crate::db::Db {
    /// Runs one statement in a write transaction of its own; returns the
    /// number of rows it changed.
    async fn write_one<'q>(
        &self,
        statement: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    ) -> Result<u64, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = statement.execute(&mut *tx).await.map_err(StoreError::from);
        Ok(tx.finish(out).await?.rows_affected())
    }
}

/// The role a user holds in a seminar, or signs up as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Attends seminars.
    Participant,
    /// Runs seminars.
    Instructor,
}

impl Role {
    /// The role's name, as stored and serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Participant => "participant",
            Self::Instructor => "instructor",
        }
    }
}

mod memberships;
mod operations;
mod seed;
mod seminars;
mod users;

pub use contract_axum::Patch;
pub use operations::OperationRow;
pub use seed::SEED_PASSWORD;
pub use seminars::{NewSeminar, SeminarCounts, SeminarPatch};
pub use users::{NewUser, UserPatch};

/// Fixed-width RFC 3339 UTC with microseconds, so stored timestamps sort
/// lexicographically.
const TIMESTAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// `t` as stored: `2026-11-25T03:14:15.123456Z`.
pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .expect("a four-digit year")
}

/// Now, as stored.
pub(crate) fn now() -> String {
    timestamp(OffsetDateTime::now_utc())
}

/// `%text%` for `LIKE ... ESCAPE '\'`, lower-cased like `seminars.name_lower`,
/// with the wildcards of `text` escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Whether `text` can be a stored value: PostgreSQL refuses a NUL in a
/// text parameter, so a lookup by a text holding one (which no stored value
/// holds, since every written text is checked first) finds nothing without
/// asking the database, rather than failing.
fn storable(text: &str) -> bool {
    !text.contains('\0')
}

/// Maps the unique violations the schema names to domain errors; any other
/// error is [`StoreError::Database`].
fn map_db(err: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &err
        && db.is_unique_violation()
    {
        // PostgreSQL names the constraint (or unique index); SQLite only says
        // "UNIQUE constraint failed: table.column[, table.column]".
        let key = db
            .constraint()
            .map(str::to_owned)
            .unwrap_or_else(|| db.message().to_owned());
        let mapped = if key == "users_email_key"
            || key == "users_email_key_unique"
            || key.contains("users.email")
        {
            Some(StoreError::EmailTaken)
        } else if key == "users_username_key" || key.contains("users.username") {
            Some(StoreError::UsernameTaken)
        } else if key == "participant_profiles_user_key"
            || key.contains("participant_profiles.user_id")
        {
            Some(StoreError::AlreadyParticipant)
        } else if key == "memberships_user_seminar_key" || key.contains("memberships.seminar_id") {
            Some(StoreError::AlreadyJoined)
        } else if key == "memberships_one_charge" || key.contains("memberships.user_id") {
            Some(StoreError::AlreadyInCharge)
        } else {
            None
        };
        if let Some(mapped) = mapped {
            return mapped;
        }
    }
    StoreError::Database(err)
}

/// Whether `sql`, with `arg` as `$1`, returns a row.
async fn exists<'a, T>(
    conn: &mut AnyConnection,
    sql: &'static str,
    arg: T,
) -> Result<bool, sqlx::Error>
where
    T: sqlx::Encode<'a, sqlx::Any> + sqlx::Type<sqlx::Any> + 'a,
{
    Ok(sqlx::query(sql)
        .bind(arg)
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// A boolean column: BOOLEAN on PostgreSQL, INTEGER 0/1 on SQLite.
fn get_bool(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    match row.try_get::<bool, _>(column) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<i64, _>(column)? != 0),
    }
}

/// A nullable boolean column (see [`get_bool`]).
fn get_opt_bool(row: &AnyRow, column: &str) -> Result<Option<bool>, sqlx::Error> {
    match row.try_get::<Option<bool>, _>(column) {
        Ok(b) => Ok(b),
        Err(_) => Ok(row.try_get::<Option<i64>, _>(column)?.map(|i| i != 0)),
    }
}

/// The role stored as `s` (the schema's CHECK allows only the two).
fn role_of(s: &str) -> Role {
    if s == "instructor" {
        Role::Instructor
    } else {
        Role::Participant
    }
}

/// `($1, $2, ...), ($k, ...)`: `rows` tuples of `cols` placeholders, for
/// an `INSERT` of many rows. (sqlx's `QueryBuilder` writes `?` for `Any`,
/// which PostgreSQL refuses.)
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}
