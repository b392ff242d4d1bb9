-- Readiness and identity (see the SQLite flavour for the reasons).

CREATE TABLE readiness (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at TEXT    NOT NULL
);

ALTER TABLE users ADD COLUMN email_key TEXT NOT NULL DEFAULT '';

UPDATE users SET email_key = lower(email);

UPDATE users SET email_key = email_key || '#' || id
WHERE EXISTS (
    SELECT 1 FROM users AS older
    WHERE lower(older.email) = lower(users.email) AND older.id < users.id
);

CREATE UNIQUE INDEX users_email_key_unique ON users (email_key);
