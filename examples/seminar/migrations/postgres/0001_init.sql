-- The seminar schema, PostgreSQL flavour (the SQLite one mirrors it).
--
-- Conventions shared by both flavours, dictated by sqlx's `Any` driver
-- (which cannot decode TIMESTAMPTZ):
-- * timestamps are TEXT, RFC 3339 UTC with fixed-width microseconds
--   (`2026-11-25T03:14:15.123456Z`), so they sort lexicographically;
-- * booleans are BOOLEAN here and INTEGER 0/1 in SQLite; the store decodes both;
-- * constraint names are the same in both flavours, the store maps
--   violations of them to domain errors.

CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username      TEXT NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT NOT NULL DEFAULT '',
    last_login    TEXT NULL,
    date_joined   TEXT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username),
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE participant_profiles (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    university TEXT    NOT NULL DEFAULT '',
    accepted   BOOLEAN NOT NULL DEFAULT TRUE,
    CONSTRAINT participant_profiles_user_key UNIQUE (user_id)
);

CREATE TABLE instructor_profiles (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company TEXT   NOT NULL DEFAULT '',
    year    BIGINT NULL CHECK (year IS NULL OR year >= 0),
    CONSTRAINT instructor_profiles_user_key UNIQUE (user_id)
);

CREATE TABLE seminars (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT    NOT NULL,
    -- `name` lower-cased by the application, for the case-insensitive filter.
    name_lower TEXT    NOT NULL,
    capacity   BIGINT  NOT NULL CHECK (capacity >= 1),
    "count"    BIGINT  NOT NULL CHECK ("count" >= 1),
    "time"     TEXT    NOT NULL CHECK (length("time") = 5),
    online     BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT    NOT NULL
);

-- The list: newest (or oldest) first, ties by id.
CREATE INDEX seminars_created_idx ON seminars (created_at, id);

CREATE TABLE memberships (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    seminar_id BIGINT  NOT NULL REFERENCES seminars (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('participant', 'instructor')),
    joined_at  TEXT    NOT NULL,
    is_active  BOOLEAN NOT NULL DEFAULT TRUE,
    dropped_at TEXT    NULL,
    -- One membership per user and seminar, in any role, dropped ones included.
    CONSTRAINT memberships_user_seminar_key UNIQUE (user_id, seminar_id)
);

-- An instructor is in charge of at most one seminar.
CREATE UNIQUE INDEX memberships_one_charge ON memberships (user_id) WHERE role = 'instructor';

-- A seminar's members by role (details, lists, the capacity count).
CREATE INDEX memberships_seminar_role_idx ON memberships (seminar_id, role, is_active);
