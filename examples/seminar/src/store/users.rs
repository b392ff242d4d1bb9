//! Users and their profiles.

use sqlx::{AnyConnection, Row};
use unicode_normalization::UnicodeNormalization;

use super::{Patch, Role, StoreError, exists, get_bool, get_opt_bool, map_db, now, storable};
use crate::db::Db;
use crate::models::{
    InstructorCharge, InstructorProfile, ParticipantProfile, ParticipantSeminar, User,
};

/// A user to sign up, with the profile of `role`.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// The email address.
    pub email: String,
    /// The username.
    pub username: String,
    /// The password's hash ([`crate::password::hash`]).
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

impl Db {
    /// Whether `user` holds an instructor profile.
    pub async fn is_instructor(&self, user: i64) -> Result<bool, StoreError> {
        Ok(instructs(&mut *self.pool().acquire().await?, user).await?)
    }

    /// Signs a user up: the user and the profile of `new.role`, in one
    /// transaction. Returns the user's id.
    ///
    /// # Errors
    /// [`StoreError::EmailTaken`], then [`StoreError::UsernameTaken`].
    pub async fn create_user(&self, mut new: NewUser) -> Result<i64, StoreError> {
        new.username = nfc(&new.username);
        new.email = nfc(&new.email);
        new.first_name = nfc(&new.first_name);
        new.last_name = nfc(&new.last_name);
        let mut tx = self.begin_write().await?;
        let out = async {
            if exists(
                &mut tx,
                "SELECT 1 FROM users WHERE email_key = $1",
                email_key(&new.email),
            )
            .await?
            {
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
            "INSERT INTO users (username, email, email_key, password_hash, first_name, last_name, date_joined)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&new.username)
        .bind(&new.email)
        .bind(email_key(&new.email))
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
        if !storable(email) {
            return Ok(None);
        }
        Ok(
            sqlx::query_as("SELECT id, password_hash FROM users WHERE email_key = $1")
                .bind(email_key(email))
                .fetch_optional(self.pool())
                .await?,
        )
    }

    /// Sets the user's `last_login` to now.
    ///
    /// # Errors
    /// [`StoreError::NotFound`].
    pub async fn touch_last_login(&self, id: i64) -> Result<(), StoreError> {
        let statement = sqlx::query("UPDATE users SET last_login = $1 WHERE id = $2")
            .bind(now())
            .bind(id);
        match self.write_one(statement).await? {
            0 => Err(StoreError::NotFound),
            _ => Ok(()),
        }
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
        load_user(&mut conn, id).await
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
            if let Some(username) = patch.username.as_deref().map(nfc) {
                let username = &username;
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
            if let Some(year) = patch.year.into_option() {
                sqlx::query("UPDATE instructor_profiles SET year = $1 WHERE user_id = $2")
                    .bind(year)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            load_user(&mut tx, id).await
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
            load_user(&mut tx, id).await
        }
        .await;
        tx.finish(out).await
    }
}

/// Whether `user` holds an instructor profile.
pub(super) async fn instructs(conn: &mut AnyConnection, user: i64) -> Result<bool, sqlx::Error> {
    exists(
        conn,
        "SELECT 1 FROM instructor_profiles WHERE user_id = $1",
        user,
    )
    .await
}

/// The user with their profiles.
///
/// # Errors
/// [`StoreError::NotFound`], or the database's.
pub(super) async fn load_user(conn: &mut AnyConnection, id: i64) -> Result<User, StoreError> {
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
    .await?
    .ok_or(StoreError::NotFound)?;
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

    Ok(User {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        email: row.try_get("email")?,
        first_name: row.try_get("first_name")?,
        last_name: row.try_get("last_name")?,
        last_login: row.try_get("last_login")?,
        date_joined: row.try_get("date_joined")?,
        participant,
        instructor,
    })
}

/// `text` in Unicode's composed form (NFC): `café` typed as `e` and a
/// combining accent is stored, and compared, as the one-character `é`.
pub(crate) fn nfc(text: &str) -> String {
    text.nfc().collect()
}

/// The key an email address is unique by, and found by at login: the
/// whole address in NFC, lower-cased. Mail providers treat the local part's
/// case as insignificant in practice (RFC 5321 lets them not to), and two
/// accounts that differ only by case are a way to impersonate; so
/// `Case@Example.com` and `case@example.com` are one account. The address
/// itself is kept as typed.
pub(crate) fn email_key(email: &str) -> String {
    nfc(email).to_lowercase()
}
