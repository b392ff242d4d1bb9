// A client team's code over the generated kit: three error bodies the live
// seminar server answered (`bodies.ts`, written by .ci/client-kit), decoded
// and switched on.
import { bodies } from "./bodies";
import { decodeApiError, isDeclared, type CreateSeminarErrorCode } from "./errors";

function advice(code: CreateSeminarErrorCode): string {
  switch (code) {
    case "unauthenticated":
      return "log in again";
    case "validation_failed":
      return "highlight the fields";
    case "instructor_required":
      return "only instructors open seminars";
    default:
      return "show the message";
  }
}

function check(what: string, ok: boolean): void {
  if (!ok) {
    throw new Error(`typescript kit: FAILED: ${what}`);
  }
}

const [noToken, invalid, missing] = bodies.map((b) => decodeApiError(b));
check("401 decodes", noToken !== undefined && noToken.request_id.length > 0);
check("401 is declared and unauthenticated", isDeclared("create_seminar", noToken!.code) && noToken!.code === "unauthenticated");
check("422 names the fields", invalid !== undefined && invalid.code === "validation_failed" &&
  ["name", "capacity"].every((f) => invalid.fields.some((v) => v.field === f)));
check("404 is not_found", missing?.code === "not_found" && isDeclared("get_seminar", missing.code));
check("a later code is not declared", !isDeclared("create_seminar", "new_code"));
check("not the envelope is undefined", decodeApiError("<html>") === undefined && decodeApiError({}) === undefined);
console.log(`typescript kit: ok (${advice(invalid!.code as CreateSeminarErrorCode)}; ${invalid!.fields.length} fields)`);
