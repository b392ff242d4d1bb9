-- Long-running operations (a CSV import of seminars): their status
-- resource. The job itself is queued in apalis's tables; this row is what
-- clients poll, and the job's effect commits in one transaction with the
-- row's move to `succeeded`, so a job delivered twice writes once.
CREATE TABLE operations (
    id         TEXT    PRIMARY KEY,
    owner_id   INTEGER NOT NULL REFERENCES users (id),
    kind       TEXT    NOT NULL,
    status     TEXT    NOT NULL
               CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'cancelled')),
    -- What the job reads (the uploaded CSV).
    input      TEXT    NOT NULL,
    total      INTEGER NOT NULL,
    done       INTEGER NOT NULL DEFAULT 0,
    -- JSON: the result once succeeded, the failure (code, fields, message
    -- arguments; rendered in the reader's language) once failed.
    result     TEXT,
    error      TEXT,
    -- The request that started it: the failure's request_id, and the logs'.
    request_id TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

-- The purge of finished operations.
CREATE INDEX operations_updated_idx ON operations (updated_at);
