-- Readiness and identity.
--
-- `readiness`: one row that `/readyz` rewrites, so readiness means "a write
-- commits", not only "the database answers".
--
-- `users.email_key`: the address's canonical form, unique. Emails are
-- unique whatever their letter case: the key is the whole address
-- lower-cased (the server also NFC-normalizes it). Rows that already
-- collide keep their data: the oldest account (lowest id) gets the key, each
-- later one gets the key followed by `#` and its id, which no typed address
-- can equal, so login finds the oldest.

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
