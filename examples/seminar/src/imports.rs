//! The CSV import of seminars, a long-running operation: `POST
//! /seminar/import/` checks the file's shape and answers `202` with the
//! operation; a worker checks every row with the rules of `POST /seminar/`
//! and opens every seminar, or none; `GET /operations/{id}/` is its status.

use axum::extract::{FromRequest, Request, State};
use contract_axum::operation::{Accepted, Operation, OperationStatus, Progress};
use contract_axum::{
    ApiError, Error, ErrorCode, Failure, Json, OperationInput, Path, RequestId, SpecBuilder,
    Violation, handler,
};
use http::header;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::auth::AuthUser;
use crate::db::Db;
use crate::errors::{NotFoundError, Unexpected};
use crate::seminars::SeminarBody;
use crate::store::{NewSeminar, OperationRow, StoreError};

/// The largest file accepted, in bytes.
pub(crate) const MAX_BYTES: usize = 8 * 1024 * 1024;
/// The most rows a file may have.
pub(crate) const MAX_ROWS: usize = 100_000;

/// The columns of an import file, in any order; `online` may be left out.
const COLUMNS: [&str; 5] = ["name", "capacity", "count", "time", "online"];

/// A CSV file (`text/csv`, or `text/plain` for clients that send text as
/// such; UTF-8) with a header row naming the columns
/// `name`, `capacity`, `count`, `time` and, optionally, `online`.
pub(crate) struct Csv {
    text: String,
    rows: usize,
}

fn csv_reader(text: &str) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .trim(csv::Trim::Headers)
        .from_reader(text.as_bytes())
}

/// The header's column positions, by [`COLUMNS`].
fn header(reader: &mut csv::Reader<&[u8]>) -> Result<[Option<usize>; 5], String> {
    let header = reader.headers().map_err(|e| e.to_string())?;
    let mut at = [None; 5];
    for (i, name) in header.iter().enumerate() {
        let Some(c) = COLUMNS.iter().position(|c| c.eq_ignore_ascii_case(name)) else {
            return Err(format!("unknown column {name:?}"));
        };
        if at[c].replace(i).is_some() {
            return Err(format!("the column {name:?} twice"));
        }
    }
    match COLUMNS[..4].iter().zip(at).find(|(_, a)| a.is_none()) {
        Some((missing, _)) => Err(format!("no column {missing:?}")),
        None => Ok(at),
    }
}

impl FromRequest<AppState> for Csv {
    type Rejection = Error;

    async fn from_request(req: Request, _: &AppState) -> Result<Self, Error> {
        let csv = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::trim)
            .is_some_and(|m| {
                m.eq_ignore_ascii_case("text/csv") || m.eq_ignore_ascii_case("text/plain")
            });
        if !csv {
            return Err(
                Error::unsupported_media_type().with_detail("expected text/csv or text/plain")
            );
        }
        let bytes = contract_axum::body_bytes(req).await?;
        let text = String::from_utf8(bytes.into())
            .map_err(|e| Error::malformed_body().with_detail(format!("not UTF-8: {e}")))?;
        // Not CSV text (RFC 4180 has no control character but line ends),
        // and PostgreSQL cannot store it.
        if text.contains('\0') {
            return Err(Error::malformed_body().with_detail("a NUL byte in the CSV"));
        }
        let mut reader = csv_reader(&text);
        header(&mut reader).map_err(|why| Error::malformed_body().with_detail(why))?;
        let mut rows = 0;
        for record in reader.records() {
            record.map_err(|e| Error::malformed_body().with_detail(e.to_string()))?;
            rows += 1;
            if rows > MAX_ROWS {
                return Err(
                    Error::payload_too_large().with_detail(format!("more than {MAX_ROWS} rows"))
                );
            }
        }
        Ok(Self { text, rows })
    }
}

impl OperationInput for Csv {
    fn document(op: &mut contract_axum::Operation, _: &mut SpecBuilder) {
        op.request_body(
            json!({
                "type": "string",
                "description": format!(
                    "CSV, UTF-8, at most {MAX_BYTES} bytes and {MAX_ROWS} rows: a header row naming the columns `name`, `capacity`, `count`, `time` and, optionally, `online`, then one seminar per row, with the rules of `POST /seminar/`."
                ),
            }),
            true,
        )
        .request_media("text/csv")
        .request_media("text/plain");
        for code in [
            ErrorCode::MALFORMED_BODY,
            ErrorCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UNSUPPORTED_MEDIA_TYPE,
        ] {
            op.error(contract_axum::Declared::builtin(code));
        }
    }
}

/// What a finished import did.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub(crate) struct ImportReport {
    /// How many seminars it opened: one per row.
    created: i64,
}

/// What an import can end with: every bad row's fields at once
/// (`rows[12].time`, with the codes of `POST /seminar/`), or a failure
/// that is not the file's.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum ImportFailure {
    #[error("rows are invalid")]
    #[api(status = 422, code = "validation_failed")]
    Invalid,
    #[error("{0}")]
    #[api(internal)]
    Internal(String),
}

type ImportOperation = Operation<ImportReport, ImportFailure>;

/// The status resource of a stored operation.
fn view(row: OperationRow) -> ImportOperation {
    let status = OperationStatus::parse(&row.status).unwrap_or(OperationStatus::Failed);
    let mut op = Operation::new(row.id, status, row.created_at, row.updated_at);
    op.progress = Some(Progress {
        done: row.done,
        total: row.total,
    });
    op.result = row.result.and_then(|r| serde_json::from_str(&r).ok());
    op.error = row.error.and_then(|e| serde_json::from_str(&e).ok());
    op
}

/// The status resource's path.
fn location(id: &str) -> String {
    format!("/api/v1/operations/{id}/")
}

/// What `POST /seminar/import/` answers before any job exists.
#[derive(Debug, thiserror::Error, ApiError)]
pub(crate) enum StartImportError {
    #[error("only instructors import seminars")]
    #[api(status = 403, code = "instructor_required")]
    NotInstructor,
    #[error(transparent)]
    #[api(transparent)]
    Unexpected(#[from] Unexpected),
}

impl From<StoreError> for StartImportError {
    fn from(e: StoreError) -> Self {
        Self::Unexpected(e.into())
    }
}

/// Import seminars from CSV (instructors)
///
/// Queues the import of a CSV file of seminars and answers `202` with its
/// status resource (`Location`). Every row is checked with the rules of
/// `POST /seminar/`; the import opens every seminar, or none: with any bad
/// row it ends `failed`, every bad row's fields in `error` (`rows[12].time`).
/// Imported seminars have no instructor yet: instructors join them.
#[handler(tag = "seminars")]
pub(crate) async fn start_import(
    State(state): State<AppState>,
    auth: AuthUser,
    request_id: RequestId,
    csv: Csv,
) -> Result<Accepted<ImportReport, ImportFailure>, StartImportError> {
    if !state.store.is_instructor(auth.id).await? {
        return Err(StartImportError::NotInstructor);
    }
    let jobs = state
        .jobs
        .as_ref()
        .ok_or_else(|| Unexpected::Unavailable("no job queue on this server".to_owned()))?;
    // A fresh ULID, as request ids are.
    let id = RequestId::generate().as_str().to_owned();
    let rows = i64::try_from(csv.rows).unwrap_or(i64::MAX);
    let row = state
        .store
        .create_operation(
            &id,
            auth.id,
            "seminar_import",
            &csv.text,
            rows,
            request_id.as_str(),
        )
        .await?;
    if let Err(e) = jobs.enqueue(&id).await {
        // Not queued: the operation must not stay pending for ever.
        let failure = Failure::new(&Error::service_unavailable(), request_id.as_str());
        let _ = state.store.fail_operation(&id, &failure).await;
        return Err(Unexpected::Unavailable(format!("the job queue: {e}")).into());
    }
    Ok(Accepted::new(view(row), location(&id)))
}

/// An operation's status
///
/// The status resource of the caller's long-running operation: poll it
/// until `status` is final. Another user's operation is `404`.
#[handler(tag = "operations")]
pub(crate) async fn get_operation(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(operation_id): Path<String>,
) -> Result<ImportOperation, NotFoundError> {
    Ok(view(
        state.store.operation_of(&operation_id, auth.id).await?,
    ))
}

/// Cancel an operation
///
/// Cancels the caller's operation unless it is final, and answers its
/// status resource as it is then; a cancelled import writes nothing.
#[handler(tag = "operations")]
pub(crate) async fn cancel_operation(
    State(state): State<AppState>,
    auth: AuthUser,
    Path(operation_id): Path<String>,
) -> Result<ImportOperation, NotFoundError> {
    Ok(view(
        state.store.cancel_operation(&operation_id, auth.id).await?,
    ))
}

/// A row as the JSON body of `POST /seminar/`: numbers where the rule
/// wants integers and the cell is one, text otherwise (so a bad cell gets
/// the code a bad JSON value would), an empty `online` left out.
fn row_json(record: &csv::StringRecord, at: &[Option<usize>; 5]) -> Vec<u8> {
    let mut o = Map::new();
    for (name, i) in COLUMNS.iter().zip(at) {
        let Some(cell) = i.and_then(|i| record.get(i)) else {
            continue;
        };
        let value = match *name {
            "capacity" | "count" => cell
                .parse::<i64>()
                .map_or_else(|_| Value::from(cell), Value::from),
            "online" if cell.is_empty() => continue,
            _ => Value::from(cell),
        };
        o.insert((*name).to_owned(), value);
    }
    serde_json::to_vec(&o).unwrap_or_default()
}

/// Every row checked: the seminars, or every bad row's fields.
pub(crate) fn check_rows(text: &str) -> Result<Vec<NewSeminar>, Vec<Violation>> {
    let mut reader = csv_reader(text);
    let Ok(at) = header(&mut reader) else {
        return Err(vec![Violation::new("rows", ErrorCode::MALFORMED_BODY)]);
    };
    let (mut seminars, mut bad) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        let Ok(record) = record else {
            bad.push(Violation::new(
                format!("rows[{i}]"),
                ErrorCode::MALFORMED_BODY,
            ));
            continue;
        };
        match Json::<SeminarBody>::from_bytes(&row_json(&record, &at)) {
            Ok(Json(body)) => seminars.push(body.into_new()),
            Err(e) => bad.extend(e.fields().iter().map(|v| {
                let mut v = v.clone();
                v.set_field(format!("rows[{i}].{}", v.field()));
                v
            })),
        }
    }
    if bad.is_empty() {
        Ok(seminars)
    } else {
        Err(bad)
    }
}

/// One delivery of the import `id`: nothing when it is final already.
pub(crate) async fn carry_out(db: &Db, id: &str) -> Result<(), StoreError> {
    let Some(op) = db.operation(id).await? else {
        return Ok(());
    };
    if !db.run_operation(id, 0).await? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let checked = check_rows(&op.input);
    let _ = db.run_operation(id, op.total).await?;
    match checked {
        Ok(seminars) => {
            let report = ImportReport {
                created: i64::try_from(seminars.len()).unwrap_or(i64::MAX),
            };
            let result = serde_json::to_string(&report).unwrap_or_default();
            if db.finish_import(id, &seminars, &result).await? {
                let ms = started.elapsed().as_millis();
                tracing::info!(operation = id, rows = report.created, ms, "import done");
            }
        }
        Err(bad) => {
            let mut err = Error::from(ImportFailure::Invalid);
            for v in bad {
                err = err.with_field(v);
            }
            let failure = Failure::new(&err, op.request_id.as_str());
            tracing::info!(
                operation = id,
                request_id = op.request_id,
                rows = err.fields().len(),
                "import refused"
            );
            db.fail_operation(id, &failure).await?;
        }
    }
    Ok(())
}

/// Ends the import `id` as `failed` with `internal`, logging `why` with
/// the request id.
pub(crate) async fn fail_internal(db: &Db, id: &str, why: &str) -> Result<(), StoreError> {
    let request_id = db
        .operation(id)
        .await?
        .map(|o| o.request_id)
        .unwrap_or_default();
    tracing::error!(operation = id, request_id, why, "import failed");
    let err = Error::from(ImportFailure::Internal(why.to_owned()));
    let failure = Failure::new(&err, request_id);
    db.fail_operation(id, &failure).await?;
    Ok(())
}
