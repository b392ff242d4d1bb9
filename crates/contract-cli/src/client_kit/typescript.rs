//! TypeScript: string-literal unions per operation, open with `(string & {})`.

use std::fmt::Write;

use super::{OperationCodes, banner, pascal};

pub(super) fn file(title: &str, ops: &[OperationCodes]) -> String {
    let mut s = banner("//", title);
    s.push_str(
        r#"
/** One field that broke a rule: where (`owner.id`, `tags[0]`), which rule, and the message to show. */
export interface FieldViolation {
  field: string;
  code: string;
  message: string;
}

/**
 * Every error body: a stable `code`, a short localized `message`, the fields at fault, and the
 * request id to quote to support. `C` narrows `code` to an operation's codes; any other string
 * stays possible, for codes added after this kit.
 */
export interface ApiError<C extends string = string> {
  code: C | (string & {});
  message: string;
  fields: FieldViolation[];
  request_id: string;
}

/** The codes each operation can answer, by `operationId`. */
export const errorCodes = {
"#,
    );
    for op in ops {
        let codes: Vec<String> = op
            .distinct_codes()
            .iter()
            .map(|c| format!("\"{c}\""))
            .collect();
        let _ = writeln!(s, "  {}: [{}],", op.id, codes.join(", "));
    }
    s.push_str(
        r#"} as const;

/** An operation's declared codes. */
export type ErrorCodeOf<Op extends keyof typeof errorCodes> = (typeof errorCodes)[Op][number];
"#,
    );
    for op in ops {
        let name = pascal(&op.id);
        let _ = write!(
            s,
            "\n/** `{}` ({}). */\nexport type {name}ErrorCode = ErrorCodeOf<\"{}\">;\nexport type {name}Error = ApiError<{name}ErrorCode>;\n",
            op.label, op.id, op.id
        );
    }
    s.push_str(
        r#"
/** Whether `code` is one that `op` declares; false for a code added after this kit. */
export function isDeclared<Op extends keyof typeof errorCodes>(op: Op, code: string): code is ErrorCodeOf<Op> {
  return (errorCodes[op] as readonly string[]).includes(code);
}

/**
 * The envelope in an error response's body: the parsed JSON (fetch's `await res.json()`,
 * a generated client's error value) or its text. `undefined` when the body is not the envelope.
 */
export function decodeApiError(body: unknown): ApiError | undefined {
  let value: unknown = body;
  if (typeof body === "string") {
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string" || typeof v.message !== "string" || typeof v.request_id !== "string") {
    return undefined;
  }
  const fields = Array.isArray(v.fields) ? v.fields : [];
  return {
    code: v.code,
    message: v.message,
    request_id: v.request_id,
    fields: fields
      .filter((f): f is Record<string, unknown> => typeof f === "object" && f !== null)
      .map((f) => ({ field: String(f.field ?? ""), code: String(f.code ?? ""), message: String(f.message ?? "") })),
  };
}
"#,
    );
    s
}
