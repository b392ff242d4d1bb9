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
//! is the caller's: the store takes values as given.

use std::collections::HashMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, AssertSqlSafe, Row};
use time::OffsetDateTime;
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;

use crate::db::Db;
use crate::models::{
    InstructorCharge, InstructorProfile, ParticipantProfile, ParticipantSeminar, SeminarDetail,
    SeminarInstructor, SeminarParticipant, SeminarSummary, User,
};
use crate::password;

/// The store is the [`Db`]: its domain operations are defined here.
pub type Store = Db;

/// Why a domain operation failed. The HTTP layer's one table
/// (`errors.rs`) gives each its status and code.
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
    /// The new capacity is below the seminar's active participants.
    #[error("the capacity is below the number of active participants")]
    CapacityBelowParticipants,
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Wrong email or password (one code for both: which was wrong is not
    /// revealed).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// The caller may not do this (another user's profile).
    #[error("forbidden")]
    Forbidden,
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

/// A tri-state update of a nullable field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Patch<T> {
    /// Leave the field unchanged.
    #[default]
    Absent,
    /// Set the field to null.
    Null,
    /// Set the field to this value.
    Value(T),
}

impl<T> From<Option<Option<T>>> for Patch<T> {
    /// `None` is absent, `Some(None)` is null.
    fn from(value: Option<Option<T>>) -> Self {
        match value {
            None => Self::Absent,
            Some(None) => Self::Null,
            Some(Some(v)) => Self::Value(v),
        }
    }
}

/// A user to sign up, with the profile of `role`.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The email address.
    pub email: String,
    /// The username.
    pub username: String,
    /// The password's hash ([`password::hash`]).
    pub password_hash: String,
    /// The first name, `""` for none.
    pub first_name: String,
    /// The last name, `""` for none.
    pub last_name: String,
    /// Which profile to create.
    pub role: Role,
    /// Participants: the university, `None` for `""`.
    pub university: Option<String>,
    /// Participants: whether accepted, `None` for `true`.
    pub accepted: Option<bool>,
    /// Instructors: the company, `None` for `""`.
    pub company: Option<String>,
    /// Instructors: years of experience.
    pub year: Option<i64>,
}

/// A partial update of a user; `None` (or [`Patch::Absent`]) leaves a field
/// unchanged.
#[derive(Debug, Clone, Default)]
pub struct UserPatch {
    /// The new username.
    pub username: Option<String>,
    /// The new first and last names.
    pub names: Option<(String, String)>,
    /// The new password's hash.
    pub password_hash: Option<String>,
    /// The new university; applies only if the user is a participant.
    pub university: Option<String>,
    /// The new company; applies only if the user is an instructor.
    pub company: Option<String>,
    /// The new years of experience; applies only if the user is an instructor.
    pub year: Patch<i64>,
}

/// A seminar to open.
#[derive(Debug, Clone)]
pub struct NewSeminar {
    /// The name.
    pub name: String,
    /// The most active participants it takes, at least 1.
    pub capacity: i64,
    /// The number of sessions, at least 1.
    pub count: i64,
    /// The time of day, `"HH:MM"`.
    pub time: String,
    /// Whether it is held online.
    pub online: bool,
}

/// A partial update of a seminar; `None` leaves a field unchanged.
#[derive(Debug, Clone, Default)]
pub struct SeminarPatch {
    /// The new name.
    pub name: Option<String>,
    /// The new capacity.
    pub capacity: Option<i64>,
    /// The new number of sessions.
    pub count: Option<i64>,
    /// The new time of day, `"HH:MM"`.
    pub time: Option<String>,
    /// Whether it is held online.
    pub online: Option<bool>,
}

// ---------------------------------------------------------------------------
// Users

impl Db {
    /// Signs a user up: the user and the profile of `new.role`, in one
    /// transaction. Returns the user's id.
    ///
    /// # Errors
    /// [`StoreError::EmailTaken`], then [`StoreError::UsernameTaken`].
    pub async fn create_user(&self, new: NewUser) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            if exists(&mut tx, "SELECT 1 FROM users WHERE email = $1", &new.email).await? {
                return Err(StoreError::EmailTaken);
            }
            if exists(
                &mut tx,
                "SELECT 1 FROM users WHERE username = $1",
                &new.username,
            )
            .await?
            {
                return Err(StoreError::UsernameTaken);
            }
            let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (username, email, password_hash, first_name, last_name, date_joined)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(&new.username)
        .bind(&new.email)
        .bind(&new.password_hash)
        .bind(&new.first_name)
        .bind(&new.last_name)
        .bind(now())
        .fetch_one(&mut *tx)
        .await
        .map_err(map_db)?;
            match new.role {
                Role::Participant => {
                    sqlx::query(
                        "INSERT INTO participant_profiles (user_id, university, accepted)
                     VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(new.university.unwrap_or_default())
                    .bind(new.accepted.unwrap_or(true))
                    .execute(&mut *tx)
                    .await
                    .map_err(map_db)?;
                }
                Role::Instructor => {
                    sqlx::query(
                    "INSERT INTO instructor_profiles (user_id, company, year) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(new.company.unwrap_or_default())
                .bind(new.year)
                .execute(&mut *tx)
                .await
                .map_err(map_db)?;
                }
            }
            Ok::<_, StoreError>(id)
        }
        .await;
        tx.finish(out).await
    }

    /// The id and password hash of the user with this email, if any.
    ///
    /// # Errors
    /// Only [`StoreError::Database`].
    pub async fn find_login(&self, email: &str) -> Result<Option<(i64, String)>, StoreError> {
        let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(self.pool())
            .await?;
        Ok(match row {
            Some(row) => Some((row.try_get("id")?, row.try_get("password_hash")?)),
            None => None,
        })
    }

    /// Sets the user's `last_login` to now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn touch_last_login(&self, id: i64) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            let done = sqlx::query("UPDATE users SET last_login = $1 WHERE id = $2")
                .bind(now())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::NotFound);
            }
            Ok::<_, StoreError>(())
        }
        .await;
        tx.finish(out).await
    }

    /// Whether a user with this id exists.
    ///
    /// # Errors
    /// Only [`StoreError::Database`].
    pub async fn user_exists(&self, id: i64) -> Result<bool, StoreError> {
        let mut conn = self.pool().acquire().await?;
        Ok(exists(&mut conn, "SELECT 1 FROM users WHERE id = $1", id).await?)
    }

    /// The user, with their profiles.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_user(&self, id: i64) -> Result<User, StoreError> {
        let mut conn = self.pool().acquire().await?;
        load_user(&mut conn, id).await?.ok_or(StoreError::NotFound)
    }

    /// Updates the user; returns them as updated.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::UsernameTaken`] (by another
    /// user; keeping one's own username is fine).
    pub async fn update_me(&self, id: i64, patch: UserPatch) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            if !exists(&mut tx, "SELECT 1 FROM users WHERE id = $1", id).await? {
                return Err(StoreError::NotFound);
            }
            if let Some(username) = &patch.username {
                let other: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM users WHERE username = $1 AND id <> $2")
                        .bind(username)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                if other.is_some() {
                    return Err(StoreError::UsernameTaken);
                }
                sqlx::query("UPDATE users SET username = $1 WHERE id = $2")
                    .bind(username)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(map_db)?;
            }
            if let Some((first, last)) = &patch.names {
                sqlx::query("UPDATE users SET first_name = $1, last_name = $2 WHERE id = $3")
                    .bind(first)
                    .bind(last)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(hash) = &patch.password_hash {
                sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(hash)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            // The profile updates match no row when the user lacks the profile.
            if let Some(university) = &patch.university {
                sqlx::query("UPDATE participant_profiles SET university = $1 WHERE user_id = $2")
                    .bind(university)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(company) = &patch.company {
                sqlx::query("UPDATE instructor_profiles SET company = $1 WHERE user_id = $2")
                    .bind(company)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let year = match patch.year {
                Patch::Absent => None,
                Patch::Null => Some(None),
                Patch::Value(y) => Some(Some(y)),
            };
            if let Some(year) = year {
                sqlx::query("UPDATE instructor_profiles SET year = $1 WHERE user_id = $2")
                    .bind(year)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let user = load_user(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
            Ok::<_, StoreError>(user)
        }
        .await;
        tx.finish(out).await
    }

    /// Adds a participant profile to the user; returns them as updated.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::AlreadyParticipant`].
    pub async fn add_participant(
        &self,
        id: i64,
        university: String,
        accepted: bool,
    ) -> Result<User, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            if !exists(&mut tx, "SELECT 1 FROM users WHERE id = $1", id).await? {
                return Err(StoreError::NotFound);
            }
            if exists(
                &mut tx,
                "SELECT 1 FROM participant_profiles WHERE user_id = $1",
                id,
            )
            .await?
            {
                return Err(StoreError::AlreadyParticipant);
            }
            sqlx::query(
            "INSERT INTO participant_profiles (user_id, university, accepted) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(university)
        .bind(accepted)
        .execute(&mut *tx)
        .await
        .map_err(map_db)?;
            let user = load_user(&mut tx, id).await?.ok_or(StoreError::NotFound)?;
            Ok::<_, StoreError>(user)
        }
        .await;
        tx.finish(out).await
    }
}

// ---------------------------------------------------------------------------
// Seminars

impl Db {
    /// Opens a seminar with the caller as its instructor, in one
    /// transaction. Returns the seminar's id.
    ///
    /// # Errors
    /// [`StoreError::NotInstructor`] (no instructor profile), then
    /// [`StoreError::AlreadyInCharge`].
    pub async fn create_seminar(&self, user_id: i64, new: NewSeminar) -> Result<i64, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
        if !exists(
            &mut tx,
            "SELECT 1 FROM instructor_profiles WHERE user_id = $1",
            user_id,
        )
        .await?
        {
            return Err(StoreError::NotInstructor);
        }
        if in_charge(&mut tx, user_id).await? {
            return Err(StoreError::AlreadyInCharge);
        }
        let now = now();
        let id: i64 = sqlx::query_scalar(
            r#"INSERT INTO seminars (name, name_lower, capacity, "count", "time", online, created_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
        )
        .bind(&new.name)
        .bind(new.name.to_lowercase())
        .bind(new.capacity)
        .bind(new.count)
        .bind(&new.time)
        .bind(new.online)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await?;
        insert_membership(&mut tx, user_id, id, Role::Instructor, &now).await?;
        Ok::<_, StoreError>(id)
        }
        .await;
        tx.finish(out).await
    }

    /// Updates a seminar; returns it as updated.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::NotSeminarInstructor`],
    /// [`StoreError::CapacityBelowParticipants`], in this order.
    pub async fn update_seminar(
        &self,
        user_id: i64,
        seminar_id: i64,
        patch: SeminarPatch,
    ) -> Result<SeminarDetail, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            self.lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            let role = membership(&mut tx, user_id, seminar_id)
                .await?
                .map(|m| m.role);
            if role != Some(Role::Instructor) {
                return Err(StoreError::NotSeminarInstructor);
            }
            if let Some(capacity) = patch.capacity
                && capacity < active_participants(&mut tx, seminar_id).await?
            {
                return Err(StoreError::CapacityBelowParticipants);
            }
            sqlx::query(
                r#"UPDATE seminars SET
                 name = COALESCE($1, name),
                 name_lower = COALESCE($2, name_lower),
                 capacity = COALESCE($3, capacity),
                 "count" = COALESCE($4, "count"),
                 "time" = COALESCE($5, "time"),
                 online = COALESCE($6, online)
               WHERE id = $7"#,
            )
            .bind(patch.name.as_deref())
            .bind(patch.name.as_deref().map(str::to_lowercase))
            .bind(patch.capacity)
            .bind(patch.count)
            .bind(patch.time.as_deref())
            .bind(patch.online)
            .bind(seminar_id)
            .execute(&mut *tx)
            .await?;
            let detail = load_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok::<_, StoreError>(detail)
        }
        .await;
        tx.finish(out).await
    }

    /// The seminar, with its instructors and participants.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn get_seminar(&self, id: i64) -> Result<SeminarDetail, StoreError> {
        let mut conn = self.pool().acquire().await?;
        load_seminar(&mut conn, id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// The seminars whose name contains `name_contains` (case-insensitively;
    /// `%`, `_` and `\` are plain characters), newest first (by creation
    /// time, ties by id), or oldest first if `earliest_first`.
    ///
    /// # Errors
    /// Only [`StoreError::Database`].
    pub async fn list_seminars(
        &self,
        name_contains: Option<&str>,
        earliest_first: bool,
    ) -> Result<Vec<SeminarSummary>, StoreError> {
        let pattern = name_contains.map(like_pattern);
        let filter = if pattern.is_some() {
            r"WHERE s.name_lower LIKE $1 ESCAPE '\'"
        } else {
            ""
        };
        let dir = if earliest_first { "ASC" } else { "DESC" };
        let mut conn = self.pool().acquire().await?;

        let sql = format!(
            "SELECT s.id, s.name,
                    (SELECT COUNT(*) FROM memberships m
                      WHERE m.seminar_id = s.id AND m.role = 'participant' AND m.is_active)
                    AS participant_count
             FROM seminars s {filter}
             ORDER BY s.created_at {dir}, s.id {dir}"
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(p) = &pattern {
            query = query.bind(p.clone());
        }
        let rows = query.fetch_all(&mut *conn).await?;

        // The instructors of every listed seminar, in one query.
        let sql = format!(
            "SELECT m.seminar_id, u.id AS user_id, u.username, u.email, u.first_name,
                    u.last_name, m.joined_at
             FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.role = 'instructor'{}
             ORDER BY m.joined_at, m.id",
            if pattern.is_some() {
                r" AND m.seminar_id IN (SELECT s.id FROM seminars s WHERE s.name_lower LIKE $1 ESCAPE '\')"
            } else {
                ""
            }
        );
        let mut query = sqlx::query(AssertSqlSafe(sql));
        if let Some(p) = pattern {
            query = query.bind(p);
        }
        let mut instructors: HashMap<i64, Vec<SeminarInstructor>> = HashMap::new();
        for row in query.fetch_all(&mut *conn).await? {
            instructors
                .entry(row.try_get("seminar_id")?)
                .or_default()
                .push(instructor_of(&row)?);
        }

        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(SeminarSummary {
                    id,
                    name: row.try_get("name")?,
                    instructors: instructors.remove(&id).unwrap_or_default(),
                    participant_count: row.try_get("participant_count")?,
                })
            })
            .collect()
    }

    /// Joins the seminar in `role`; returns the seminar as joined. Safe under
    /// concurrent joins: the capacity is never exceeded.
    ///
    /// # Errors
    /// In this order: [`StoreError::NotFound`], [`StoreError::RoleRequired`]
    /// (no profile for `role`), [`StoreError::NotAccepted`] (participants),
    /// [`StoreError::AlreadyJoined`] or [`StoreError::DroppedCannotRejoin`],
    /// [`StoreError::SeminarFull`] (participants),
    /// [`StoreError::AlreadyInCharge`] (instructors).
    pub async fn join(
        &self,
        user_id: i64,
        seminar_id: i64,
        role: Role,
    ) -> Result<SeminarDetail, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            let capacity = self
                .lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            match role {
                Role::Participant => {
                    let row =
                        sqlx::query("SELECT accepted FROM participant_profiles WHERE user_id = $1")
                            .bind(user_id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    let Some(row) = row else {
                        return Err(StoreError::RoleRequired);
                    };
                    if !get_bool(&row, "accepted")? {
                        return Err(StoreError::NotAccepted);
                    }
                }
                Role::Instructor => {
                    if !exists(
                        &mut tx,
                        "SELECT 1 FROM instructor_profiles WHERE user_id = $1",
                        user_id,
                    )
                    .await?
                    {
                        return Err(StoreError::RoleRequired);
                    }
                }
            }
            if let Some(m) = membership(&mut tx, user_id, seminar_id).await? {
                return Err(if m.is_active {
                    StoreError::AlreadyJoined
                } else {
                    StoreError::DroppedCannotRejoin
                });
            }
            match role {
                Role::Participant => {
                    if active_participants(&mut tx, seminar_id).await? >= capacity {
                        return Err(StoreError::SeminarFull);
                    }
                }
                Role::Instructor => {
                    if in_charge(&mut tx, user_id).await? {
                        return Err(StoreError::AlreadyInCharge);
                    }
                }
            }
            insert_membership(&mut tx, user_id, seminar_id, role, &now()).await?;
            let detail = load_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok::<_, StoreError>(detail)
        }
        .await;
        tx.finish(out).await
    }

    /// Drops the seminar: the caller's participation becomes inactive.
    /// Changes nothing if the caller is not an active participant of it.
    /// Returns the seminar.
    ///
    /// # Errors
    /// [`StoreError::NotFound`], [`StoreError::InstructorCannotDrop`].
    pub async fn drop_seminar(
        &self,
        user_id: i64,
        seminar_id: i64,
    ) -> Result<SeminarDetail, StoreError> {
        let mut tx = self.begin_write().await?;
        let out = async {
            self.lock_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            match membership(&mut tx, user_id, seminar_id).await? {
                Some(m) if m.role == Role::Instructor => {
                    return Err(StoreError::InstructorCannotDrop);
                }
                Some(m) if m.is_active => {
                    sqlx::query(
                        "UPDATE memberships SET is_active = $1, dropped_at = $2 WHERE id = $3",
                    )
                    .bind(false)
                    .bind(now())
                    .bind(m.id)
                    .execute(&mut *tx)
                    .await?;
                }
                _ => {}
            }
            let detail = load_seminar(&mut tx, seminar_id)
                .await?
                .ok_or(StoreError::NotFound)?;
            Ok::<_, StoreError>(detail)
        }
        .await;
        tx.finish(out).await
    }

    /// The seminar's capacity, locking its row until the transaction ends
    /// (PostgreSQL; on SQLite the write transaction holds the database).
    /// `None` if there is no such seminar.
    async fn lock_seminar(
        &self,
        conn: &mut AnyConnection,
        seminar_id: i64,
    ) -> Result<Option<i64>, sqlx::Error> {
        let sql = format!(
            "SELECT capacity FROM seminars WHERE id = $1{}",
            self.for_update()
        );
        sqlx::query_scalar(AssertSqlSafe(sql))
            .bind(seminar_id)
            .fetch_optional(conn)
            .await
    }
}

// ---------------------------------------------------------------------------
// Demo data

/// The password of every user [`Db::seed`] creates.
pub const SEED_PASSWORD: &str = "password123";

/// Rows per multi-row `INSERT` of [`Db::seed`] (at most 8 parameters a row:
/// well under SQLite's 32766 and PostgreSQL's 65535).
const SEED_CHUNK: usize = 500;

impl Db {
    /// Fills the database with demo data: `users.max(seminars)` users, the
    /// first `seminars` of them instructors each in charge of one seminar,
    /// the others participants (most accepted) who joined up to three
    /// seminars each, some of them dropped. Every seeded user's password is
    /// [`SEED_PASSWORD`]; usernames are `seed_user_N` and emails
    /// `seed_user_N@example.com`, with `N` above every user id so far (so
    /// seeding twice adds more). One transaction, multi-row inserts.
    ///
    /// # Errors
    /// Only [`StoreError::Database`] (a clash with a user someone named
    /// `seed_user_N` by hand included).
    pub async fn seed(&self, users: usize, seminars: usize) -> Result<(), StoreError> {
        const FIRST: [&str; 8] = [
            "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken",
        ];
        const LAST: [&str; 8] = [
            "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson",
        ];
        const UNIVERSITIES: [&str; 4] = ["", "Seoul National University", "KAIST", "POSTECH"];
        const TIMES: [&str; 4] = ["09:00", "13:30", "18:00", "20:15"];

        let hash = password::hash_async(SEED_PASSWORD.to_owned()).await;
        let total = users.max(seminars);
        let started = OffsetDateTime::now_utc();
        let mut rng = Lcg(0x5eed);
        let mut tx = self.begin_write().await?;
        let out = async {
        let base: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM users")
            .fetch_one(&mut *tx)
            .await?;

        // Users.
        let names: Vec<String> = (1..=total)
            .map(|k| format!("seed_user_{}", base + k as i64))
            .collect();
        let date_joined = timestamp(started);
        for chunk in names.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO users (username, email, password_hash, first_name, last_name, date_joined) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for name in chunk {
                let n = name.len();
                q = q
                    .bind(name.clone())
                    .bind(format!("{name}@example.com"))
                    .bind(hash.clone())
                    .bind(FIRST[n % FIRST.len()])
                    .bind(LAST[(n / 2 + name.as_bytes()[n - 1] as usize) % LAST.len()])
                    .bind(date_joined.clone());
            }
            q.execute(&mut *tx).await?;
        }
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(total);
        for row in sqlx::query("SELECT id, username FROM users WHERE id > $1")
            .bind(base)
            .fetch_all(&mut *tx)
            .await?
        {
            ids.insert(row.try_get("username")?, row.try_get("id")?);
        }
        let user_ids: Vec<i64> = names.iter().map(|n| ids[n]).collect();
        let (instructors, participants) = user_ids.split_at(seminars);

        // Profiles.
        for chunk in instructors.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO instructor_profiles (user_id, company, year) VALUES {}",
                placeholders(chunk.len(), 3)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &id in chunk {
                let year = rng.below(20) as i64;
                q = q
                    .bind(id)
                    .bind(format!("Company {}", rng.below(50)))
                    .bind(if year == 0 { None } else { Some(year) });
            }
            q.execute(&mut *tx).await?;
        }
        let mut accepted = Vec::with_capacity(participants.len());
        for chunk in participants.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO participant_profiles (user_id, university, accepted) VALUES {}",
                placeholders(chunk.len(), 3)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &id in chunk {
                let ok = rng.below(10) != 0;
                accepted.push((id, ok));
                q = q.bind(id).bind(UNIVERSITIES[rng.below(4)]).bind(ok);
            }
            q.execute(&mut *tx).await?;
        }

        // Seminars, created a minute apart, the last one now.
        let mut seminar_ids = Vec::with_capacity(seminars);
        let mut capacities = Vec::with_capacity(seminars);
        for (j, &instructor) in instructors.iter().enumerate() {
            let created = started - time::Duration::minutes((seminars - j) as i64 - 1);
            let name = format!(
                "Seminar {} #{}",
                ["Rust", "Django", "Android", "iOS"][j % 4],
                j + 1
            );
            let capacity = 5 + rng.below(36) as i64;
            let id: i64 = sqlx::query_scalar(
                r#"INSERT INTO seminars (name, name_lower, capacity, "count", "time", online, created_at)
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"#,
            )
            .bind(&name)
            .bind(name.to_lowercase())
            .bind(capacity)
            .bind(1 + rng.below(12) as i64)
            .bind(TIMES[rng.below(4)])
            .bind(rng.below(3) != 0)
            .bind(timestamp(created))
            .fetch_one(&mut *tx)
            .await?;
            seminar_ids.push(id);
            capacities.push(capacity);
            insert_membership(
                &mut tx,
                instructor,
                id,
                Role::Instructor,
                &timestamp(created),
            )
            .await?;
        }

        // Participations: (user, seminar index, active).
        let mut joins: Vec<(i64, usize, bool)> = Vec::new();
        let mut active = vec![0_i64; seminars];
        if seminars > 0 {
            for &(user, ok) in &accepted {
                if !ok {
                    continue;
                }
                let mut mine: Vec<usize> = Vec::new();
                for _ in 0..rng.below(4) {
                    let s = rng.below(seminars);
                    if mine.contains(&s) || active[s] >= capacities[s] {
                        continue;
                    }
                    mine.push(s);
                    let stays = rng.below(7) != 0;
                    if stays {
                        active[s] += 1;
                    }
                    joins.push((user, s, stays));
                }
            }
        }
        let joined_at = timestamp(started);
        for chunk in joins.chunks(SEED_CHUNK) {
            let sql = format!(
                "INSERT INTO memberships (user_id, seminar_id, role, joined_at, is_active, dropped_at) VALUES {}",
                placeholders(chunk.len(), 6)
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for &(user, s, stays) in chunk {
                q = q
                    .bind(user)
                    .bind(seminar_ids[s])
                    .bind(Role::Participant.as_str())
                    .bind(joined_at.clone())
                    .bind(stays)
                    .bind(if stays { None } else { Some(joined_at.clone()) });
            }
            q.execute(&mut *tx).await?;
        }
        Ok::<_, StoreError>(())
        }
        .await;
        tx.finish(out).await
    }
}

/// A tiny deterministic pseudo-random generator for [`Db::seed`].
struct Lcg(u64);

impl Lcg {
    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// `($1, $2, ...), ($k, ...)`: `rows` tuples of `cols` placeholders.
fn placeholders(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| {
            let row: Vec<String> = (1..=cols).map(|c| format!("${}", r * cols + c)).collect();
            format!("({})", row.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------
// Helpers

/// Fixed-width RFC 3339 UTC with microseconds, so stored timestamps sort
/// lexicographically.
const TIMESTAMP: &[BorrowedFormatItem<'static>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

/// `t` as stored: `2026-11-25T03:14:15.123456Z`.
fn timestamp(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(TIMESTAMP)
        .expect("a four-digit year")
}

/// Now, as stored.
fn now() -> String {
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
        let mapped = if key == "users_email_key" || key.contains("users.email") {
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

/// Whether the user is an instructor of some seminar.
async fn in_charge(conn: &mut AnyConnection, user_id: i64) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT 1 FROM memberships WHERE user_id = $1 AND role = 'instructor'",
        user_id,
    )
    .await
}

/// The number of active participants of the seminar.
async fn active_participants(
    conn: &mut AnyConnection,
    seminar_id: i64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM memberships
         WHERE seminar_id = $1 AND role = 'participant' AND is_active",
    )
    .bind(seminar_id)
    .fetch_one(conn)
    .await
}

/// A user's membership of a seminar.
struct Membership {
    id: i64,
    role: Role,
    is_active: bool,
}

/// The user's membership of the seminar, if any.
async fn membership(
    conn: &mut AnyConnection,
    user_id: i64,
    seminar_id: i64,
) -> Result<Option<Membership>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, role, is_active FROM memberships WHERE user_id = $1 AND seminar_id = $2",
    )
    .bind(user_id)
    .bind(seminar_id)
    .fetch_optional(conn)
    .await?;
    row.map(|row| {
        Ok(Membership {
            id: row.try_get("id")?,
            role: role_of(&row.try_get::<String, _>("role")?),
            is_active: get_bool(&row, "is_active")?,
        })
    })
    .transpose()
}

/// Inserts an active membership, mapping unique violations to
/// [`StoreError::AlreadyJoined`] and [`StoreError::AlreadyInCharge`].
async fn insert_membership(
    conn: &mut AnyConnection,
    user_id: i64,
    seminar_id: i64,
    role: Role,
    joined_at: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO memberships (user_id, seminar_id, role, joined_at, is_active)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(seminar_id)
    .bind(role.as_str())
    .bind(joined_at)
    .bind(true)
    .execute(conn)
    .await
    .map_err(map_db)?;
    Ok(())
}

/// The role stored as `s` (the schema's CHECK allows only the two).
fn role_of(s: &str) -> Role {
    if s == "instructor" {
        Role::Instructor
    } else {
        Role::Participant
    }
}

/// A [`SeminarInstructor`] from a row with `user_id`, `username`, `email`,
/// `first_name`, `last_name` and `joined_at`.
fn instructor_of(row: &AnyRow) -> Result<SeminarInstructor, sqlx::Error> {
    Ok(SeminarInstructor {
        id: row.try_get("user_id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        joined_at: row.try_get("joined_at")?,
    })
}

/// The user with their profiles, or `None`.
async fn load_user(conn: &mut AnyConnection, id: i64) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT u.id, u.username, u.email, u.first_name, u.last_name, u.last_login, u.date_joined,
                p.id AS p_id, p.university, p.accepted,
                i.id AS i_id, i.company, i.year
         FROM users u
         LEFT JOIN participant_profiles p ON p.user_id = u.id
         LEFT JOIN instructor_profiles i ON i.user_id = u.id
         WHERE u.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };

    let participant = match row.try_get::<Option<i64>, _>("p_id")? {
        None => None,
        Some(profile_id) => {
            let seminars = sqlx::query(
                "SELECT s.id, s.name, m.joined_at, m.is_active, m.dropped_at
                 FROM memberships m JOIN seminars s ON s.id = m.seminar_id
                 WHERE m.user_id = $1 AND m.role = 'participant'
                 ORDER BY m.joined_at, m.id",
            )
            .bind(id)
            .fetch_all(&mut *conn)
            .await?
            .iter()
            .map(|r| {
                Ok(ParticipantSeminar {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    joined_at: r.try_get("joined_at")?,
                    is_active: get_bool(r, "is_active")?,
                    dropped_at: r.try_get("dropped_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()?;
            Some(ParticipantProfile {
                id: profile_id,
                university: row.try_get("university")?,
                accepted: get_opt_bool(&row, "accepted")?.unwrap_or(true),
                seminars,
            })
        }
    };

    let instructor = match row.try_get::<Option<i64>, _>("i_id")? {
        None => None,
        Some(profile_id) => {
            let charge = sqlx::query(
                "SELECT s.id, s.name, m.joined_at
                 FROM memberships m JOIN seminars s ON s.id = m.seminar_id
                 WHERE m.user_id = $1 AND m.role = 'instructor'",
            )
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?
            .map(|r| {
                Ok::<_, sqlx::Error>(InstructorCharge {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    joined_at: r.try_get("joined_at")?,
                })
            })
            .transpose()?;
            Some(InstructorProfile {
                id: profile_id,
                company: row.try_get("company")?,
                year: row.try_get("year")?,
                charge,
            })
        }
    };

    Ok(Some(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        last_login: row.try_get("last_login")?,
        date_joined: row.try_get("date_joined")?,
        participant,
        instructor,
    }))
}

/// The seminar with its members, or `None`.
async fn load_seminar(
    conn: &mut AnyConnection,
    id: i64,
) -> Result<Option<SeminarDetail>, sqlx::Error> {
    let row = sqlx::query(
        r#"SELECT id, name, capacity, "count", "time", online FROM seminars WHERE id = $1"#,
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let mut detail = SeminarDetail {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        capacity: row.try_get("capacity")?,
        count: row.try_get("count")?,
        time: row.try_get("time")?,
        online: get_bool(&row, "online")?,
        instructors: Vec::new(),
        participants: Vec::new(),
    };
    let members = sqlx::query(
        "SELECT m.role, u.id AS user_id, u.username, u.email, u.first_name, u.last_name,
                m.joined_at, m.is_active, m.dropped_at
         FROM memberships m JOIN users u ON u.id = m.user_id
         WHERE m.seminar_id = $1
         ORDER BY m.joined_at, m.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    for m in &members {
        match role_of(&m.try_get::<String, _>("role")?) {
            Role::Instructor => detail.instructors.push(instructor_of(m)?),
            Role::Participant => detail.participants.push(SeminarParticipant {
                id: m.try_get("user_id")?,
                username: m.try_get("username")?,
                email: m.try_get("email")?,
                first_name: m.try_get("first_name")?,
                last_name: m.try_get("last_name")?,
                joined_at: m.try_get("joined_at")?,
                is_active: get_bool(m, "is_active")?,
                dropped_at: m.try_get("dropped_at")?,
            }),
        }
    }
    Ok(Some(detail))
}

#[cfg(test)]
mod tests {
    //! Every scenario runs on a fresh SQLite file and, when `DATABASE_URL`
    //! names a PostgreSQL database, on it too (with unique names, so that
    //! runs can share the database).

    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    /// A fresh SQLite database in a temporary directory.
    async fn sqlite() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
        let db = Db::connect(&url).await.expect("connect to SQLite");
        (dir, db)
    }

    /// The PostgreSQL database of `DATABASE_URL`, if it names one.
    async fn postgres() -> Option<Db> {
        let url = std::env::var("DATABASE_URL")
            .ok()
            .filter(|u| u.starts_with("postgres"))?;
        Some(Db::connect(&url).await.expect("connect to DATABASE_URL"))
    }

    /// A prefix no other test run uses.
    fn tag() -> String {
        static SEQ: AtomicU64 = AtomicU64::new(0);
        let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
        format!("t{nanos}x{}", SEQ.fetch_add(1, Ordering::Relaxed))
    }

    macro_rules! on_every_backend {
        ($($name:ident),* $(,)?) => {$(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let (_dir, db) = sqlite().await;
                super::tests::scenarios::$name(&db, &tag()).await;
                if let Some(db) = postgres().await {
                    super::tests::scenarios::$name(&db, &tag()).await;
                }
            }
        )*};
    }

    on_every_backend!(
        users_and_profiles,
        seminar_lifecycle,
        parallel_joins_respect_capacity,
        parallel_joins_of_one_user,
        list_order_and_filter,
        seed_fills_demo_data,
    );

    /// Two pools on one SQLite file, as two server processes would have:
    /// their writers meet at `BEGIN IMMEDIATE` and SQLite's busy timeout, not
    /// at the in-process lock.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn sqlite_capacity_holds_across_pools() {
        let (dir, a) = sqlite().await;
        let url = format!("sqlite:{}", dir.path().join("seminar.db").display());
        let b = Db::connect(&url).await.expect("second pool");
        let tag = tag();
        let inst = user(&a, &tag, "inst", Role::Instructor).await;
        let s = a
            .create_seminar(inst, seminar("Shared", 7))
            .await
            .expect("open");
        let mut tasks = Vec::new();
        for n in 0..60 {
            let db = if n % 2 == 0 { a.clone() } else { b.clone() };
            let id = user(&db, &tag, &format!("p{n}"), Role::Participant).await;
            tasks.push(tokio::spawn(async move {
                db.join(id, s, Role::Participant).await
            }));
        }
        let mut ok = 0;
        for t in tasks {
            match t.await.expect("task") {
                Ok(_) => ok += 1,
                Err(StoreError::SeminarFull) => {}
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(ok, 7);
        assert_eq!(b.get_seminar(s).await.expect("get").participants.len(), 7);
    }

    /// A user of `role` named `{tag}{name}`; returns the id.
    async fn user(db: &Db, tag: &str, name: &str, role: Role) -> i64 {
        db.create_user(new_user(tag, name, role))
            .await
            .expect("create user")
    }

    fn new_user(tag: &str, name: &str, role: Role) -> NewUser {
        NewUser {
            email: format!("{tag}{name}@example.com"),
            username: format!("{tag}{name}"),
            password_hash: "not-a-real-hash".into(),
            first_name: String::new(),
            last_name: String::new(),
            role,
            university: None,
            accepted: None,
            company: None,
            year: None,
        }
    }

    fn seminar(name: &str, capacity: i64) -> NewSeminar {
        NewSeminar {
            name: name.into(),
            capacity,
            count: 3,
            time: "14:30".into(),
            online: true,
        }
    }

    mod scenarios {
        use super::super::*;
        use super::{new_user, seminar, user};

        pub(super) async fn users_and_profiles(db: &Db, tag: &str) {
            let p = user(db, tag, "p", Role::Participant).await;
            let u = db.get_user(p).await.expect("get");
            assert_eq!(u.username, format!("{tag}p"));
            assert_eq!(u.email, format!("{tag}p@example.com"));
            assert_eq!((u.first_name.as_str(), u.last_name.as_str()), ("", ""));
            assert_eq!(u.last_login, None);
            assert_eq!(u.date_joined.len(), "2026-11-25T03:14:15.123456Z".len());
            assert!(u.instructor.is_none());
            let profile = u.participant.expect("participant profile");
            assert_eq!(profile.university, "");
            assert!(profile.accepted);
            assert!(profile.seminars.is_empty());

            let mut i = new_user(tag, "i", Role::Instructor);
            i.company = Some("Waffle".into());
            i.year = Some(3);
            i.university = Some("ignored".into());
            let i = db.create_user(i).await.expect("create instructor");
            let u = db.get_user(i).await.expect("get");
            assert!(u.participant.is_none());
            let profile = u.instructor.expect("instructor profile");
            assert_eq!(
                (profile.company.as_str(), profile.year),
                ("Waffle", Some(3))
            );
            assert!(profile.charge.is_none());

            // Unique email, then username; nothing half-created.
            let mut dup = new_user(tag, "p", Role::Instructor);
            dup.username = format!("{tag}other");
            assert!(matches!(
                db.create_user(dup).await,
                Err(StoreError::EmailTaken)
            ));
            let mut dup = new_user(tag, "p", Role::Instructor);
            dup.email = format!("{tag}other@example.com");
            assert!(matches!(
                db.create_user(dup).await,
                Err(StoreError::UsernameTaken)
            ));
            assert!(matches!(
                db.create_user(new_user(tag, "p", Role::Participant)).await,
                Err(StoreError::EmailTaken)
            ));
            assert_eq!(
                db.find_login(&format!("{tag}other@example.com"))
                    .await
                    .expect("find"),
                None
            );

            // Login bookkeeping.
            let (id, hash) = db
                .find_login(&format!("{tag}p@example.com"))
                .await
                .expect("find")
                .expect("found");
            assert_eq!((id, hash.as_str()), (p, "not-a-real-hash"));
            db.touch_last_login(p).await.expect("touch");
            assert!(db.get_user(p).await.expect("get").last_login.is_some());
            assert!(matches!(
                db.touch_last_login(i64::MAX).await,
                Err(StoreError::NotFound)
            ));
            assert!(db.user_exists(p).await.expect("exists"));
            assert!(!db.user_exists(i64::MAX).await.expect("exists"));
            assert!(matches!(
                db.get_user(i64::MAX).await,
                Err(StoreError::NotFound)
            ));

            // Updates.
            let patch = UserPatch {
                username: Some(format!("{tag}i")),
                ..UserPatch::default()
            };
            assert!(matches!(
                db.update_me(p, patch).await,
                Err(StoreError::UsernameTaken)
            ));
            let patch = UserPatch {
                username: Some(format!("{tag}p")),
                ..UserPatch::default()
            };
            db.update_me(p, patch)
                .await
                .expect("keeping one's own username is fine");
            let u = db
                .update_me(
                    p,
                    UserPatch {
                        username: Some(format!("{tag}p2")),
                        names: Some(("Ada".into(), "Lovelace".into())),
                        password_hash: Some("new-hash".into()),
                        university: Some("SNU".into()),
                        company: Some("not applied".into()),
                        year: Patch::Value(9),
                    },
                )
                .await
                .expect("update");
            assert_eq!(u.username, format!("{tag}p2"));
            assert_eq!(
                (u.first_name.as_str(), u.last_name.as_str()),
                ("Ada", "Lovelace")
            );
            assert_eq!(u.participant.expect("participant").university, "SNU");
            assert!(u.instructor.is_none(), "no profile appears by updating");
            let (_, hash) = db
                .find_login(&format!("{tag}p@example.com"))
                .await
                .expect("find")
                .expect("found");
            assert_eq!(hash, "new-hash");
            let u = db
                .update_me(p, UserPatch::default())
                .await
                .expect("empty update");
            assert_eq!(u.username, format!("{tag}p2"));

            let year = |patch: Patch<i64>| UserPatch {
                year: patch,
                ..UserPatch::default()
            };
            let y = |u: User| u.instructor.expect("instructor").year;
            assert_eq!(
                y(db.update_me(i, year(Patch::Absent)).await.expect("absent")),
                Some(3)
            );
            assert_eq!(
                y(db.update_me(i, year(Patch::Value(7))).await.expect("value")),
                Some(7)
            );
            assert_eq!(
                y(db.update_me(i, year(Patch::Null)).await.expect("null")),
                None
            );
            let u = db
                .update_me(
                    i,
                    UserPatch {
                        company: Some(String::new()),
                        ..UserPatch::default()
                    },
                )
                .await
                .expect("company");
            assert_eq!(u.instructor.expect("instructor").company, "");

            // A second profile.
            assert!(matches!(
                db.add_participant(p, String::new(), true).await,
                Err(StoreError::AlreadyParticipant)
            ));
            let u = db
                .add_participant(i, "KAIST".into(), false)
                .await
                .expect("add");
            let profile = u.participant.expect("participant");
            assert_eq!(
                (profile.university.as_str(), profile.accepted),
                ("KAIST", false)
            );
            assert!(u.instructor.is_some());
            assert!(matches!(
                db.add_participant(i64::MAX, String::new(), true).await,
                Err(StoreError::NotFound)
            ));
        }

        pub(super) async fn seminar_lifecycle(db: &Db, tag: &str) {
            let inst = user(db, tag, "inst", Role::Instructor).await;
            let inst2 = user(db, tag, "inst2", Role::Instructor).await;
            let p1 = user(db, tag, "p1", Role::Participant).await;
            let p2 = user(db, tag, "p2", Role::Participant).await;
            let p3 = user(db, tag, "p3", Role::Participant).await;
            let mut no = new_user(tag, "no", Role::Participant);
            no.accepted = Some(false);
            let not_accepted = db.create_user(no).await.expect("create");

            // Opening.
            assert!(matches!(
                db.create_seminar(p1, seminar("x", 2)).await,
                Err(StoreError::NotInstructor)
            ));
            let s = db
                .create_seminar(inst, seminar(&format!("{tag} Rust"), 2))
                .await
                .expect("open");
            assert!(matches!(
                db.create_seminar(inst, seminar("second", 2)).await,
                Err(StoreError::AlreadyInCharge)
            ));
            let d = db.get_seminar(s).await.expect("get");
            assert_eq!(d.name, format!("{tag} Rust"));
            assert_eq!(
                (d.capacity, d.count, d.time.as_str(), d.online),
                (2, 3, "14:30", true)
            );
            assert_eq!(d.instructors.len(), 1);
            assert_eq!(d.instructors[0].id, inst);
            assert!(d.participants.is_empty());
            let charge = db
                .get_user(inst)
                .await
                .expect("get")
                .instructor
                .expect("i")
                .charge;
            assert_eq!(charge.expect("in charge").id, s);
            assert!(matches!(
                db.get_seminar(i64::MAX).await,
                Err(StoreError::NotFound)
            ));

            // Joining, in the order of checks.
            assert!(matches!(
                db.join(p1, i64::MAX, Role::Participant).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                db.join(inst2, s, Role::Participant).await,
                Err(StoreError::RoleRequired)
            ));
            assert!(matches!(
                db.join(p1, s, Role::Instructor).await,
                Err(StoreError::RoleRequired)
            ));
            assert!(matches!(
                db.join(not_accepted, s, Role::Participant).await,
                Err(StoreError::NotAccepted)
            ));
            let d = db.join(p1, s, Role::Participant).await.expect("join p1");
            assert_eq!(d.participants.len(), 1);
            assert!(d.participants[0].is_active);
            assert_eq!(d.participants[0].dropped_at, None);
            assert!(matches!(
                db.join(p1, s, Role::Participant).await,
                Err(StoreError::AlreadyJoined)
            ));
            db.join(p2, s, Role::Participant).await.expect("join p2");
            assert!(matches!(
                db.join(p3, s, Role::Participant).await,
                Err(StoreError::SeminarFull)
            ));
            assert!(matches!(
                db.join(inst, s, Role::Instructor).await,
                Err(StoreError::AlreadyJoined)
            ));

            // Updating.
            let patch = SeminarPatch {
                capacity: Some(1),
                ..SeminarPatch::default()
            };
            assert!(matches!(
                db.update_seminar(inst, i64::MAX, patch.clone()).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                db.update_seminar(p1, s, patch.clone()).await,
                Err(StoreError::NotSeminarInstructor)
            ));
            assert!(matches!(
                db.update_seminar(inst2, s, patch.clone()).await,
                Err(StoreError::NotSeminarInstructor)
            ));
            assert!(matches!(
                db.update_seminar(inst, s, patch).await,
                Err(StoreError::CapacityBelowParticipants)
            ));
            let d = db
                .update_seminar(inst, s, SeminarPatch::default())
                .await
                .expect("empty");
            assert_eq!((d.capacity, d.online), (2, true));
            let d = db
                .update_seminar(
                    inst,
                    s,
                    SeminarPatch {
                        name: Some(format!("{tag} Rust II")),
                        capacity: Some(2),
                        count: Some(10),
                        time: Some("09:05".into()),
                        online: Some(false),
                    },
                )
                .await
                .expect("update");
            assert_eq!(d.name, format!("{tag} Rust II"));
            assert_eq!(
                (d.capacity, d.count, d.time.as_str(), d.online),
                (2, 10, "09:05", false)
            );
            let listed = db
                .list_seminars(Some(&format!("{tag} rust ii")), false)
                .await
                .expect("list");
            assert_eq!(listed.len(), 1, "name_lower follows the name");

            // Dropping.
            assert!(matches!(
                db.drop_seminar(p1, i64::MAX).await,
                Err(StoreError::NotFound)
            ));
            assert!(matches!(
                db.drop_seminar(inst, s).await,
                Err(StoreError::InstructorCannotDrop)
            ));
            let before = db.get_seminar(s).await.expect("get");
            assert_eq!(db.drop_seminar(p3, s).await.expect("not a member"), before);
            let d = db.drop_seminar(p1, s).await.expect("drop");
            let p = d
                .participants
                .iter()
                .find(|p| p.id == p1)
                .expect("still listed");
            assert!(!p.is_active);
            let dropped_at = p.dropped_at.clone().expect("dropped_at");
            assert_eq!(
                db.drop_seminar(p1, s).await.expect("again"),
                d,
                "dropping again changes nothing"
            );
            assert_eq!(
                d.participants
                    .iter()
                    .find(|p| p.id == p1)
                    .unwrap()
                    .dropped_at,
                Some(dropped_at)
            );
            assert!(matches!(
                db.join(p1, s, Role::Participant).await,
                Err(StoreError::DroppedCannotRejoin)
            ));
            // The dropped place is free again.
            db.join(p3, s, Role::Participant).await.expect("join p3");
            let patch = SeminarPatch {
                capacity: Some(1),
                ..SeminarPatch::default()
            };
            assert!(matches!(
                db.update_seminar(inst, s, patch).await,
                Err(StoreError::CapacityBelowParticipants)
            ));

            let seminars = db
                .get_user(p1)
                .await
                .expect("get")
                .participant
                .expect("p")
                .seminars;
            assert_eq!(seminars.len(), 1, "dropped seminars stay listed");
            assert_eq!((seminars[0].id, seminars[0].is_active), (s, false));
            assert!(seminars[0].dropped_at.is_some());

            // A second instructor; an instructor in charge elsewhere is refused.
            let d = db
                .join(inst2, s, Role::Instructor)
                .await
                .expect("second instructor");
            assert_eq!(
                d.instructors.iter().map(|i| i.id).collect::<Vec<_>>(),
                vec![inst, inst2]
            );
            let d = db
                .update_seminar(
                    inst2,
                    s,
                    SeminarPatch {
                        count: Some(4),
                        ..SeminarPatch::default()
                    },
                )
                .await
                .expect("the second instructor may update");
            assert_eq!(d.count, 4);
            let inst3 = user(db, tag, "inst3", Role::Instructor).await;
            let s2 = db
                .create_seminar(inst3, seminar(&format!("{tag} Go"), 5))
                .await
                .expect("open");
            assert!(matches!(
                db.join(inst2, s2, Role::Instructor).await,
                Err(StoreError::AlreadyInCharge)
            ));
            // An instructor with a participant profile may attend elsewhere.
            db.add_participant(inst2, String::new(), true)
                .await
                .expect("add");
            db.join(inst2, s2, Role::Participant).await.expect("attend");
            assert!(matches!(
                db.join(inst2, s, Role::Participant).await,
                Err(StoreError::AlreadyJoined)
            ));
        }

        pub(super) async fn parallel_joins_respect_capacity(db: &Db, tag: &str) {
            let inst = user(db, tag, "inst", Role::Instructor).await;
            let s = db
                .create_seminar(inst, seminar(&format!("{tag} Hot"), 5))
                .await
                .expect("open");
            let mut ids = Vec::new();
            for n in 0..100 {
                ids.push(user(db, tag, &format!("p{n}"), Role::Participant).await);
            }
            let tasks: Vec<_> = ids
                .into_iter()
                .map(|id| {
                    let db = db.clone();
                    tokio::spawn(async move { db.join(id, s, Role::Participant).await })
                })
                .collect();
            let (mut ok, mut full) = (0, 0);
            for t in tasks {
                match t.await.expect("task") {
                    Ok(_) => ok += 1,
                    Err(StoreError::SeminarFull) => full += 1,
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            assert_eq!((ok, full), (5, 95));
            assert_eq!(db.get_seminar(s).await.expect("get").participants.len(), 5);
            let listed = db
                .list_seminars(Some(&format!("{tag} hot")), false)
                .await
                .expect("list");
            assert_eq!(listed[0].participant_count, 5);
        }

        pub(super) async fn parallel_joins_of_one_user(db: &Db, tag: &str) {
            let inst = user(db, tag, "inst", Role::Instructor).await;
            let s = db
                .create_seminar(inst, seminar(&format!("{tag} Once"), 50))
                .await
                .expect("open");
            let p = user(db, tag, "p", Role::Participant).await;
            let tasks: Vec<_> = (0..10)
                .map(|_| {
                    let db = db.clone();
                    tokio::spawn(async move { db.join(p, s, Role::Participant).await })
                })
                .collect();
            let (mut ok, mut joined) = (0, 0);
            for t in tasks {
                match t.await.expect("task") {
                    Ok(_) => ok += 1,
                    Err(StoreError::AlreadyJoined) => joined += 1,
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            assert_eq!((ok, joined), (1, 9));

            // Two instructors racing for charges: each ends with at most one.
            let racer = user(db, tag, "racer", Role::Instructor).await;
            let tasks: Vec<_> = (0..6)
                .map(|n| {
                    let db = db.clone();
                    let name = format!("{tag} race {n}");
                    tokio::spawn(async move { db.create_seminar(racer, seminar(&name, 1)).await })
                })
                .collect();
            let mut ok = 0;
            for t in tasks {
                match t.await.expect("task") {
                    Ok(_) => ok += 1,
                    Err(StoreError::AlreadyInCharge) => {}
                    Err(e) => panic!("unexpected {e:?}"),
                }
            }
            assert_eq!(ok, 1);
            assert_eq!(
                db.list_seminars(Some(&format!("{tag} race")), false)
                    .await
                    .expect("list")
                    .len(),
                1
            );
        }

        pub(super) async fn list_order_and_filter(db: &Db, tag: &str) {
            let mut ids = Vec::new();
            for (n, name) in ["Alpha", "Beta 100%", "Gamma_x"].iter().enumerate() {
                let inst = user(db, tag, &format!("i{n}"), Role::Instructor).await;
                let s = db
                    .create_seminar(inst, seminar(&format!("{tag} {name}"), 3))
                    .await
                    .expect("open");
                ids.push((s, inst));
            }
            let names = |list: &[SeminarSummary]| list.iter().map(|s| s.id).collect::<Vec<_>>();
            let newest = db.list_seminars(Some(tag), false).await.expect("list");
            assert_eq!(names(&newest), vec![ids[2].0, ids[1].0, ids[0].0]);
            let earliest = db.list_seminars(Some(tag), true).await.expect("list");
            assert_eq!(names(&earliest), vec![ids[0].0, ids[1].0, ids[2].0]);
            assert_eq!(earliest[0].instructors.len(), 1);
            assert_eq!(earliest[0].instructors[0].id, ids[0].1);
            assert_eq!(earliest[0].participant_count, 0);

            // Case-insensitive; wildcards are plain characters.
            let upper = db
                .list_seminars(Some(&tag.to_uppercase()), true)
                .await
                .expect("list");
            assert_eq!(names(&upper), names(&earliest));
            let one = |q: String| async move {
                names(&db.list_seminars(Some(&q), true).await.expect("list"))
            };
            assert_eq!(one(format!("{tag} beta 100%")).await, vec![ids[1].0]);
            assert_eq!(one(format!("{tag} gamma_X")).await, vec![ids[2].0]);
            assert_eq!(one(format!("{tag} %")).await, Vec::<i64>::new());
            assert_eq!(one(format!("{tag} _")).await, Vec::<i64>::new());
            assert_eq!(one(format!("{tag}\\")).await, Vec::<i64>::new());

            // Unfiltered lists hold them too, in order, with participant counts.
            let p = user(db, tag, "p", Role::Participant).await;
            db.join(p, ids[0].0, Role::Participant).await.expect("join");
            let all = db.list_seminars(None, false).await.expect("list");
            let mine: Vec<&SeminarSummary> = all
                .iter()
                .filter(|s| ids.iter().any(|(id, _)| *id == s.id))
                .collect();
            assert_eq!(
                mine.iter().map(|s| s.id).collect::<Vec<_>>(),
                vec![ids[2].0, ids[1].0, ids[0].0]
            );
            assert_eq!(mine[2].participant_count, 1);
            assert_eq!(mine[2].instructors[0].id, ids[0].1);
        }

        pub(super) async fn seed_fills_demo_data(db: &Db, _tag: &str) {
            // Other tests may share the database: look at seeded seminars only.
            let seeded = || async {
                let all = db.list_seminars(None, false).await.expect("list");
                all.into_iter()
                    .filter(|s| {
                        s.instructors
                            .iter()
                            .any(|i| i.username.starts_with("seed_user_"))
                    })
                    .collect::<Vec<_>>()
            };
            let before = seeded().await.len();
            db.seed(40, 4).await.expect("seed");
            db.seed(10, 2).await.expect("seeding again adds more");
            let seminars = seeded().await;
            assert_eq!(seminars.len(), before + 6);
            for s in seminars.iter().take(6) {
                assert_eq!(s.instructors.len(), 1);
                let d = db.get_seminar(s.id).await.expect("get");
                let active = d.participants.iter().filter(|p| p.is_active).count() as i64;
                assert_eq!(active, s.participant_count);
                assert!(active <= d.capacity);
            }
            let (id, hash) = db
                .find_login(&seminars[0].instructors[0].email)
                .await
                .expect("find")
                .expect("seeded user");
            assert!(password::verify(SEED_PASSWORD, &hash));
            let u = db.get_user(id).await.expect("get");
            assert_eq!(
                u.instructor.expect("instructor").charge.expect("charge").id,
                seminars[0].id
            );
        }
    }
}
