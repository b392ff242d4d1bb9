/**
 * The seminar scenario, driven through the generated TypeScript client.
 *
 *   node scenario.js SPEC BASE_URL
 *     SPEC      openapi/seminar.json (read at run time: the documented error codes)
 *     BASE_URL  a fresh seminar server (empty database), e.g. http://127.0.0.1:8000
 *
 * The client is @hey-api/openapi-ts's output (plugins @hey-api/client-fetch,
 * zod, @hey-api/sdk with `validator: true`) in target/ci-tools/scenario/typescript;
 * .ci/client-scenarios generates it, compiles this file with tsc (strict) and runs it.
 *
 * Every operation is called on its success path through the SDK functions, whose
 * zod response validators check each answer. Then every documented error, as
 * (operationId, status, code) from the spec's `x-error-codes`, is provoked:
 * through the SDK where it can send the request (invalid bodies go out with
 * `requestValidator: undefined`, which turns off the SDK's client-side check), else
 * with fetch or node:http (malformed JSON, wrong content type, oversize body, a
 * non-numeric path id, a slow body). Each error body must parse with the generated
 * `zApiError`, with the expected code, the spec's status, and `request_id` equal
 * to the `x-request-id` header.
 *
 * Exits non-zero on any failure, or when a documented (operation, status, code)
 * is neither covered nor listed in SKIPPED with a reason. A valid request that the
 * SDK's own request validator refuses (the spec's shape broke the generator) is
 * sent without that check and printed as a GENERATOR PROBLEM line, and fails the
 * run too: the spec must be one every client can use. The SDK hands back the JSON as received (its validator's bigint
 * output for int64 is not kept), so ids are compared through String().
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';

import { createClient } from '../../target/ci-tools/scenario/typescript/client';
import * as sdk from '../../target/ci-tools/scenario/typescript/sdk.gen';
import type { JoinBody, ParticipantBody, SeminarBody, SeminarUpdateBody, SignupBody, UpdateMeBody } from '../../target/ci-tools/scenario/typescript/types.gen';
import { zApiError, zSignupBody, zUpdateMeBody } from '../../target/ci-tools/scenario/typescript/zod.gen';

const [SPEC_PATH, BASE_ARG] = process.argv.slice(2);
const BASE = BASE_ARG.replace(/\/$/, '');
const V1 = '/api/v1';
const BODY_LIMIT = 64 * 1024; // DefaultBodyLimit in examples/seminar/src/app.rs
const succeeded = new Set<string>(); // operations whose success answer decoded
const SKIPPED: Record<string, string> = {
  internal: 'needs a failing server (database down, a bug): a healthy server has none to give',
  service_unavailable: 'needs an unreachable database: a healthy server is ready',
  idempotency_key_in_flight: 'needs a retry while the first request still runs: a race, not a call made on purpose',
};

type Json = Record<string, any>;
const SPEC: Json = JSON.parse(readFileSync(SPEC_PATH, 'utf8'));
/** "operationId status code" for every response's x-error-codes, in spec order */
const EXPECTED: string[] = [];
for (const item of Object.values<Json>(SPEC.paths)) {
  for (const method of ['get', 'put', 'post', 'delete', 'patch']) {
    const op = item[method];
    for (const [status, r] of Object.entries<Json>(op?.responses ?? {})) {
      const resp = r.$ref ? SPEC.components.responses[r.$ref.split('/').pop()] : r;
      for (const code of resp['x-error-codes'] ?? []) EXPECTED.push(`${op.operationId} ${status} ${code}`);
    }
  }
}
const covered = new Set<string>();
const failures: string[] = [];
const notes: string[] = []; // generator problems met on valid requests: they fail the run
let decoded = 0;

function fail(op: string, reason: string): void {
  failures.push(`${op}: ${reason}`);
  console.error(`FAIL ${op}: ${reason}`);
}

const show = (v: unknown): string => (typeof v === 'string' ? v : v instanceof Error ? `${v.name}: ${v.message}` : JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? String(x) : x)) ?? String(v)).slice(0, 300);
const same = (a: unknown, b: unknown): boolean => String(a) === String(b);
const ids = (xs: { id: unknown }[] | undefined): string => (xs ?? []).map((x) => String(x.id)).join(',');

/** decode an error body with the generated zApiError and check it against the expectation */
function checkError(op: string, status: number, code: string, got: number, body: unknown, rid: string | null, fields: string[]): void {
  const where = `expected ${status} ${code}`;
  const parsed = zApiError.safeParse(body);
  if (!parsed.success) return fail(op, `${where}: got ${got}, body does not decode as ApiError (${parsed.error.message.replace(/\s+/g, ' ')}): ${show(body)}`);
  decoded++;
  const e = parsed.data;
  const got_fields = e.fields.map((f) => f.field);
  if (got !== status || e.code !== code) return fail(op, `${where}: got ${got} ${e.code} (${e.message}; fields ${got_fields})`);
  if (!EXPECTED.includes(`${op} ${got} ${e.code}`)) return fail(op, `${got} ${e.code} is not documented in the spec`);
  if (rid !== e.request_id) return fail(op, `${where}: x-request-id ${rid} != request_id ${e.request_id}`);
  const missing = fields.filter((f) => !got_fields.includes(f));
  if (missing.length) return fail(op, `${where}: fields ${missing} not reported (got ${got_fields})`);
  covered.add(`${op} ${status} ${code}`);
}

type Answer<T> = { data?: T; error?: unknown; response?: Response };

/** a success-path call through the SDK: its zod response validator accepted the answer */
async function ok<T>(op: string, call: () => Promise<Answer<T>>): Promise<T | undefined> {
  const r = await call().catch((e: unknown) => ({ error: e, response: undefined }) as Answer<T>);
  if (!r.response) return void fail(op, `no answer: ${show(r.error)}`);
  if (!r.response.ok) return void fail(op, `expected success, got ${r.response.status}: ${show(r.error)}`);
  if (r.error !== undefined) return void fail(op, `success answer does not decode: ${show(r.error)}`);
  decoded++;
  succeeded.add(op);
  return r.data;
}

/** an error provoked through the SDK: the client hands back the parsed error body */
async function err<T>(op: string, status: number, code: string, call: () => Promise<Answer<T>>, fields: string[] = []): Promise<void> {
  const r = await call().catch((e: unknown) => ({ error: e, response: undefined }) as Answer<T>);
  if (!r.response) return fail(op, `expected ${status} ${code}: no answer (${show(r.error)})`);
  if (r.response.ok) return fail(op, `expected ${status} ${code}: got ${r.response.status}`);
  checkError(op, status, code, r.response.status, r.error, r.response.headers.get('x-request-id'), fields);
}

const parse = (text: string): unknown => { try { return JSON.parse(text); } catch { return text; } };

/** an error the client cannot send: fetch, then the body parsed with zApiError */
async function raw(op: string, status: number, code: string, method: string, path: string, body?: string, token?: string, ctype = 'application/json', fields: string[] = []): Promise<void> {
  const headers: Record<string, string> = {};
  if (body !== undefined && ctype) headers['Content-Type'] = ctype;
  if (token) headers.Authorization = `JWT ${token}`;
  try {
    const r = await fetch(BASE + V1 + path, { method, headers, body });
    checkError(op, status, code, r.status, parse(await r.text()), r.headers.get('x-request-id'), fields);
  } catch (e) {
    fail(op, `expected ${status} ${code}: ${show(String(e))}`);
  }
}

/** 408 timeout: announce a body and send only part of it; the server gives up after 10 s */
function slowBody(op: string, method: string, path: string, token?: string): Promise<void> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'Content-Length': '100' };
    if (token) headers.Authorization = `JWT ${token}`;
    const req = http.request(BASE + V1 + path, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve(checkError(op, 408, 'timeout', res.statusCode ?? 0, parse(text), String(res.headers['x-request-id']), [])));
    });
    req.setTimeout(60_000, () => req.destroy(new Error('no answer within 60 s')));
    req.on('error', (e) => resolve(fail(op, `expected 408 timeout: ${e.message}`)));
    req.write('{"name": ');
  });
}

const as = (token?: string) => ({ client: createClient({ baseUrl: BASE, auth: token }) });
const noCheck = { requestValidator: undefined };
const role = (r: string) => ({ body: { role: r } as JoinBody });
const expect = (op: string, cond: unknown): void => { if (!cond) fail(op, 'unexpected content'); };
const anon = as();

/** the SDK's own request check, run first: if it rejects a valid body, note why and send without it */
function sdkCheck(op: string, schema: { parse(v: unknown): unknown }, body: unknown): { requestValidator?: undefined } {
  try {
    schema.parse(body);
    return {};
  } catch (e) {
    notes.push(`${op}: the SDK's request validator rejects the valid body ${show(body)}: ${show(e)}`);
    return noCheck;
  }
}

async function signup(username: string, r: 'participant' | 'instructor', extra: Partial<SignupBody> = {}) {
  const body = { email: `${username}@example.com`, username, password: 'password-1234', role: r, ...extra } as SignupBody;
  return ok('signup', () => sdk.signup({ ...anon, ...sdkCheck('signup', zSignupBody, body), body }));
}

async function main(): Promise<void> {
  // ---- success paths ----------------------------------------------------------------
  expect('healthz', (await ok('healthz', () => sdk.healthz({ ...anon })))?.status === 'ok');
  expect('readyz', (await ok('readyz', () => sdk.readyz({ ...anon })))?.status === 'ok');
  const p = await signup('pia', 'participant', { first_name: 'Pia', last_name: 'Kim', university: 'SNU' });
  const i = await signup('ian', 'instructor', { company: 'Acme', year: 3 });
  const i2 = await signup('ivy', 'instructor');
  const i3 = await signup('ike', 'instructor');
  const p2 = await signup('pat', 'participant');
  const q = await signup('quinn', 'participant', { accepted: false });
  if (!p || !i || !i2 || !i3 || !p2 || !q) throw new Error('signup failed, cannot go on');
  expect('signup', p.participant?.university === 'SNU' && p.instructor === null && p.last_login === null);
  expect('signup', same(i.instructor?.year, 3) && i.participant === null);

  const login = await ok('login', () => sdk.login({ ...anon, body: { email: 'pia@example.com', password: 'password-1234' } }));
  expect('login', login && login.last_login !== null && same(login.id, p.id));
  const P = as(login?.token ?? p.token), I = as(i.token), I2 = as(i2.token), I3 = as(i3.token), P2 = as(p2.token), Q = as(q.token);

  expect('get_user', (await ok('get_user', () => sdk.getUser({ ...I, path: { user_id: String(p.id) } })))?.username === 'pia');
  expect('get_user', same((await ok('get_user', () => sdk.getUser({ ...P, path: { user_id: 'me' } })))?.id, p.id));
  const meBody: UpdateMeBody = { first_name: 'Ian', last_name: 'Lee', company: 'Acme Ltd', year: 4 };
  const me = await ok('update_me', () => sdk.updateMe({ ...I, ...sdkCheck('update_me', zUpdateMeBody, meBody), path: { user_id: 'me' }, body: meBody }));
  expect('update_me', me?.first_name === 'Ian' && me.instructor?.company === 'Acme Ltd' && same(me.instructor.year, 4));
  const cleared = await ok('update_me', () => sdk.updateMe({ ...I, path: { user_id: 'me' }, body: { year: null } })); // null clears it
  expect('update_me', cleared && cleared.instructor?.year === null);
  const both = await ok('add_participant', () => sdk.addParticipant({ ...I, body: { university: 'KAIST' } }));
  expect('add_participant', both?.participant?.university === 'KAIST' && both.instructor !== null);

  const s1 = await ok('create_seminar', () => sdk.createSeminar({ ...I, body: { name: 'Rust for clients', capacity: 2, count: 5, time: '18:30', online: true } }));
  const s2 = await ok('create_seminar', () => sdk.createSeminar({ ...I2, body: { name: 'Zod basics', capacity: 1, count: 3, time: '09:00', online: false } }));
  if (!s1 || !s2) throw new Error('create_seminar failed, cannot go on');
  expect('create_seminar', same(s1.instructors[0]?.id, i.id) && s1.participants.length === 0);
  const S1 = { path: { seminar_id: s1.id } }, S2 = { path: { seminar_id: s2.id } }, NONE = { path: { seminar_id: 999999 } };
  const upd = await ok('update_seminar', () => sdk.updateSeminar({ ...I, ...S1, body: { name: 'Rust for API clients', capacity: 3 } }));
  expect('update_seminar', same(upd?.capacity, 3) && upd?.name === 'Rust for API clients');
  expect('get_seminar', same((await ok('get_seminar', () => sdk.getSeminar({ ...P, ...S1 })))?.id, s1.id));
  expect('list_seminars', ids(await ok('list_seminars', () => sdk.listSeminars({ ...P }))) === ids([s2, s1]));
  expect('list_seminars', ids(await ok('list_seminars', () => sdk.listSeminars({ ...P, query: { name: 'zod' } }))) === ids([s2]));
  expect('list_seminars', ids(await ok('list_seminars', () => sdk.listSeminars({ ...P, query: { order: 'earliest' } }))) === ids([s1, s2]));
  await ok('join_seminar', () => sdk.joinSeminar({ ...P, ...S1, ...role('participant') }));
  await ok('join_seminar', () => sdk.joinSeminar({ ...P2, ...S1, ...role('participant') }));
  await ok('join_seminar', () => sdk.joinSeminar({ ...P2, ...S2, ...role('participant') }));
  const joined = await ok('join_seminar', () => sdk.joinSeminar({ ...I3, ...S1, ...role('instructor') }));
  expect('join_seminar', ids(joined?.instructors) === ids([i, i3]) && joined?.participants.length === 2);

  // ---- documented errors, through the SDK --------------------------------------------------
  const E = err;
  await E('signup', 409, 'email_taken', () => sdk.signup({ ...anon, body: { email: 'pia@example.com', username: 'pia2', password: 'password-1234', role: 'participant' } }));
  await E('signup', 409, 'username_taken', () => sdk.signup({ ...anon, body: { email: 'pia2@example.com', username: 'pia', password: 'password-1234', role: 'participant' } }));
  await E('signup', 400, 'validation_failed', () => sdk.signup({ ...anon, ...noCheck, body: { email: 'not-an-email', username: '', password: 'short', role: 'instructor' } }), ['email', 'username', 'password']);
  await E('login', 401, 'invalid_credentials', () => sdk.login({ ...anon, body: { email: 'pia@example.com', password: 'wrong-password' } }));
  await E('login', 401, 'invalid_credentials', () => sdk.login({ ...anon, body: { email: 'nobody@example.com', password: 'password-1234' } }));
  await E('login', 400, 'validation_failed', () => sdk.login({ ...anon, ...noCheck, body: {} as never }), ['email', 'password']);
  await E('add_participant', 400, 'already_participant', () => sdk.addParticipant({ ...P, body: {} }));
  await E('add_participant', 400, 'validation_failed', () => sdk.addParticipant({ ...I2, ...noCheck, body: { university: 'x'.repeat(101) } as ParticipantBody }), ['university']);
  await E('add_participant', 401, 'unauthenticated', () => sdk.addParticipant({ ...anon, body: {} }));
  await E('get_user', 400, 'validation_failed', () => sdk.getUser({ ...P, ...noCheck, path: { user_id: 'abc' } }), ['user_id']);
  await E('get_user', 401, 'unauthenticated', () => sdk.getUser({ ...anon, path: { user_id: 'me' } }));
  await E('get_user', 404, 'not_found', () => sdk.getUser({ ...P, path: { user_id: '999999' } }));
  await E('update_me', 400, 'validation_failed', () => sdk.updateMe({ ...P, ...noCheck, path: { user_id: 'me' }, body: { first_name: 'Pia1', last_name: 'Kim', password: 'short' } as UpdateMeBody }), ['first_name', 'password']);
  await E('update_me', 401, 'unauthenticated', () => sdk.updateMe({ ...anon, path: { user_id: 'me' }, body: {} }));
  await E('update_me', 403, 'forbidden', () => sdk.updateMe({ ...P, path: { user_id: String(i.id) }, body: { first_name: 'Evil', last_name: 'Twin' } }));
  await E('update_me', 409, 'username_taken', () => sdk.updateMe({ ...I, path: { user_id: 'me' }, body: { username: 'pia' } }));
  await E('create_seminar', 400, 'already_in_charge', () => sdk.createSeminar({ ...I, body: { name: 'Second', capacity: 1, count: 1, time: '10:00' } }));
  await E('create_seminar', 400, 'validation_failed', () => sdk.createSeminar({ ...I3, ...noCheck, body: { name: '   ', capacity: 0, count: 0, time: '25:00' } as SeminarBody }), ['name', 'capacity', 'count', 'time']);
  await E('create_seminar', 401, 'unauthenticated', () => sdk.createSeminar({ ...anon, body: { name: 'Anon', capacity: 1, count: 1, time: '10:00' } }));
  await E('create_seminar', 403, 'instructor_required', () => sdk.createSeminar({ ...P, body: { name: 'Mine', capacity: 1, count: 1, time: '10:00' } }));
  await E('list_seminars', 401, 'unauthenticated', () => sdk.listSeminars({ ...anon }));
  await E('get_seminar', 401, 'unauthenticated', () => sdk.getSeminar({ ...anon, ...S1 }));
  await E('get_seminar', 404, 'not_found', () => sdk.getSeminar({ ...P, ...NONE }));
  await E('update_seminar', 400, 'capacity_below_participants', () => sdk.updateSeminar({ ...I, ...S1, body: { capacity: 1 } }));
  await E('update_seminar', 400, 'validation_failed', () => sdk.updateSeminar({ ...I, ...S1, ...noCheck, body: { capacity: 0, time: '7pm' } as SeminarUpdateBody }), ['capacity', 'time']);
  await E('update_seminar', 401, 'unauthenticated', () => sdk.updateSeminar({ ...anon, ...S1, body: {} }));
  await E('update_seminar', 403, 'not_seminar_instructor', () => sdk.updateSeminar({ ...I2, ...S1, body: { count: 9 } }));
  await E('update_seminar', 404, 'not_found', () => sdk.updateSeminar({ ...I, ...NONE, body: { count: 9 } }));
  await E('join_seminar', 400, 'already_joined', () => sdk.joinSeminar({ ...P, ...S1, ...role('participant') }));
  await E('join_seminar', 400, 'seminar_full', () => sdk.joinSeminar({ ...P, ...S2, ...role('participant') }));
  await E('join_seminar', 400, 'already_in_charge', () => sdk.joinSeminar({ ...I, ...S2, ...role('instructor') }));
  await E('join_seminar', 400, 'validation_failed', () => sdk.joinSeminar({ ...P, ...S2, ...noCheck, ...role('boss') }), ['role']);
  await E('join_seminar', 400, 'validation_failed', () => sdk.joinSeminar({ ...P, ...noCheck, path: { seminar_id: 0 }, ...role('participant') }), ['seminar_id']);
  await E('join_seminar', 401, 'unauthenticated', () => sdk.joinSeminar({ ...anon, ...S1, ...role('participant') }));
  await E('join_seminar', 403, 'role_required', () => sdk.joinSeminar({ ...P, ...S2, ...role('instructor') }));
  await E('join_seminar', 403, 'participant_not_accepted', () => sdk.joinSeminar({ ...Q, ...S1, ...role('participant') }));
  await E('join_seminar', 404, 'not_found', () => sdk.joinSeminar({ ...P, ...NONE, ...role('participant') }));
  const dropped = await ok('drop_seminar', () => sdk.dropSeminar({ ...P, ...S1 }));
  const mine = dropped?.participants.filter((u) => same(u.id, p.id)) ?? [];
  expect('drop_seminar', mine.length === 1 && mine[0].is_active === false && mine[0].dropped_at !== null);
  await E('join_seminar', 400, 'dropped_cannot_rejoin', () => sdk.joinSeminar({ ...P, ...S1, ...role('participant') }));

  // ---- the API edge: a stale If-Match, a reused idempotency key ---------------------------
  await E('update_seminar', 412, 'precondition_failed', () => sdk.updateSeminar({ ...I, ...S1, headers: { 'If-Match': '"stale"' }, body: { count: 9 } }));
  const i4 = await signup('ivo', 'instructor'); // a new instructor and seminar: no earlier expectation moves
  const I4 = as(i4?.token);
  const retried = { name: 'Retried', capacity: 3, count: 1, time: '11:00' };
  const s3 = await ok('create_seminar', () => sdk.createSeminar({ ...I4, headers: { 'Idempotency-Key': 'create-1' }, body: retried }));
  const again = await ok('create_seminar', () => sdk.createSeminar({ ...I4, headers: { 'Idempotency-Key': 'create-1' }, body: retried }));
  expect('create_seminar', s3 && again && same(again.id, s3.id)); // replayed, not made twice
  await E('create_seminar', 422, 'idempotency_key_reused', () => sdk.createSeminar({ ...I4, headers: { 'Idempotency-Key': 'create-1' }, body: { ...retried, name: 'Other' } }));
  if (s3) {
    const S3 = { path: { seminar_id: s3.id } };
    await ok('join_seminar', () => sdk.joinSeminar({ ...P2, ...S3, headers: { 'Idempotency-Key': 'join-1' }, ...role('participant') }));
    await E('join_seminar', 422, 'idempotency_key_reused', () => sdk.joinSeminar({ ...P2, ...S3, headers: { 'Idempotency-Key': 'join-1' }, ...role('instructor') }));
  }
  await E('drop_seminar', 401, 'unauthenticated', () => sdk.dropSeminar({ ...anon, ...S1 }));
  await E('drop_seminar', 403, 'instructor_cannot_drop', () => sdk.dropSeminar({ ...I, ...S1 }));
  await E('drop_seminar', 404, 'not_found', () => sdk.dropSeminar({ ...P, ...NONE }));
  const after = await ok('get_user', () => sdk.getUser({ ...P, path: { user_id: 'me' } }));
  expect('get_user', after?.participant?.seminars.map((s) => `${s.id}:${s.is_active}`).join() === `${s1.id}:false`);

  // ---- a long-running operation: a CSV import, polled through the SDK to its end ----------
  type Op = Awaited<ReturnType<typeof settle>>;
  async function settle(who: ReturnType<typeof as>, id: string) {
    for (let n = 0; n < 600; n++) {
      const st = await ok('get_operation', () => sdk.getOperation({ ...who, path: { operation_id: id } }));
      if (!st || ['succeeded', 'failed', 'cancelled'].includes(st.status)) return st;
      await new Promise((r) => setTimeout(r, 100));
    }
    fail('get_operation', `${id} never ended`);
    return undefined;
  }
  const CSV = 'name,capacity,count,time,online\nImported A,5,2,08:00,true\nImported B,6,3,09:00,\n';
  const started = await ok('start_import', () => sdk.startImport({ ...I3, body: CSV }));
  expect('start_import', started && ['pending', 'running', 'succeeded'].includes(started.status) && started.error === null);
  const done: Op = started && (await settle(I3, started.id));
  expect('get_operation', done?.status === 'succeeded' && same(done.result?.created, 2) && done.error === null);
  const bad = await ok('start_import', () => sdk.startImport({ ...I3, body: 'name,capacity,count,time\nBad,0,2,25:00\n' }));
  const failed: Op = bad && (await settle(I3, bad.id));
  // The failure decodes as the generated ApiError, every bad cell named.
  expect('get_operation', failed?.status === 'failed' && failed.result === null && failed.error?.code === 'validation_failed'
    && failed.error.fields.map((f) => `${f.field} ${f.code}`).join() === 'rows[0].capacity too_small,rows[0].time invalid_time');
  if (started) {
    const still = await ok('cancel_operation', () => sdk.cancelOperation({ ...I3, path: { operation_id: started.id } }));
    expect('cancel_operation', still?.status === 'succeeded'); // final: a cancel changes nothing
    await E('get_operation', 404, 'not_found', () => sdk.getOperation({ ...I2, path: { operation_id: started.id } }));
    await E('cancel_operation', 404, 'not_found', () => sdk.cancelOperation({ ...I2, path: { operation_id: started.id } }));
  }
  await E('get_operation', 401, 'unauthenticated', () => sdk.getOperation({ ...anon, path: { operation_id: 'x' } }));
  await E('cancel_operation', 401, 'unauthenticated', () => sdk.cancelOperation({ ...anon, path: { operation_id: 'x' } }));
  await E('start_import', 401, 'unauthenticated', () => sdk.startImport({ ...anon, body: CSV }));
  await E('start_import', 403, 'instructor_required', () => sdk.startImport({ ...P, body: CSV }));
  await E('start_import', 400, 'malformed_body', () => sdk.startImport({ ...I3, body: 'name,colour\nA,red\n' }));
  await raw('start_import', 413, 'payload_too_large', 'POST', '/seminar/import/', 'x'.repeat(9 * 1024 * 1024), i3.token, 'text/csv');
  await raw('start_import', 415, 'unsupported_media_type', 'POST', '/seminar/import/', '{}', i3.token);
  await raw('get_operation', 400, 'validation_failed', 'GET', '/operations/%FF/', undefined, i3.token, '', ['operation_id']);
  await raw('cancel_operation', 400, 'validation_failed', 'DELETE', '/operations/%FF/', undefined, i3.token, '', ['operation_id']);

  // ---- documented errors the client cannot send: raw requests -----------------------------
  const big = JSON.stringify({ name: 'x'.repeat(BODY_LIMIT + 1024) });
  const bodies: [string, string, string, string | undefined, Json][] = [
    ['signup', 'POST', '/signup/', undefined, { email: 'z@example.com', username: 'z', password: 'password-1234', role: 'participant' }],
    ['login', 'POST', '/login/', undefined, { email: 'pia@example.com', password: 'password-1234' }],
    ['add_participant', 'POST', '/user/participant/', i2.token, { university: 'U' }],
    ['update_me', 'PUT', '/user/me/', p.token, { first_name: 'Pia', last_name: 'Kim' }],
    ['create_seminar', 'POST', '/seminar/', i3.token, { name: 'S', capacity: 1, count: 1, time: '10:00' }],
    ['update_seminar', 'PUT', `/seminar/${s1.id}/`, i.token, { count: 4 }],
    ['join_seminar', 'POST', `/seminar/${s2.id}/user/`, p.token, { role: 'participant' }],
  ];
  for (const [op, method, path, token, body] of bodies) {
    await raw(op, 400, 'malformed_body', method, path, '{"role": ', token);
    await raw(op, 413, 'payload_too_large', method, path, big, token);
    await raw(op, 415, 'unsupported_media_type', method, path, JSON.stringify(body), token, 'text/plain');
  }
  await raw('update_seminar', 400, 'validation_failed', 'PUT', '/seminar/abc/', '{}', i.token, 'application/json', ['seminar_id']);
  await raw('get_seminar', 400, 'validation_failed', 'GET', '/seminar/abc/', undefined, p.token, '', ['seminar_id']);
  await raw('drop_seminar', 400, 'validation_failed', 'DELETE', '/seminar/abc/user/', undefined, p.token, '', ['seminar_id']);
  await raw('list_seminars', 400, 'validation_failed', 'GET', '/seminar/?name=a&name=b', undefined, p.token, '', ['name']);
  // 408: one slow body per operation, in parallel (each waits for the server's 10 s).
  await Promise.all(bodies.map(([op, method, path, token]) => slowBody(op, method, path, token)));

  // ---- the coverage table ---------------------------------------------------------------------
  let missing = 0, skipped = 0;
  console.log(`${'operationId'.padEnd(18)} ${'status'.padEnd(6)} ${'code'.padEnd(28)} result`);
  for (const key of EXPECTED) {
    const [op, status, code] = key.split(' ');
    let result = 'covered';
    if (!covered.has(key) && code in SKIPPED) [result, skipped] = [`skipped (${SKIPPED[code]})`, skipped + 1];
    else if (!covered.has(key)) [result, missing] = ['MISSING', missing + 1];
    console.log(`${op.padEnd(18)} ${status.padEnd(6)} ${code.padEnd(28)} ${result}`);
  }
  for (const op of new Set([...EXPECTED].map((k) => k.split(' ')[0]))) {
    if (!succeeded.has(op)) fail(op, 'never answered a success through the generated client');
  }
  for (const n of notes) console.log(`typescript client: GENERATOR PROBLEM ${n}`);
  for (const f of failures) console.log(`typescript client: FAILED ${f}`);
  if (missing) console.log(`typescript client: ${missing} documented (operation, status, code) neither covered nor skipped`);
  console.log(`typescript client: ${decoded} responses decoded, ${covered.size} (operation, code) pairs covered, ${skipped} skipped`);
  process.exitCode = failures.length || missing || notes.length ? 1 : 0;
}

main().catch((e: unknown) => {
  console.error(`typescript client: FAILED ${e instanceof Error ? e.stack : show(e)}`);
  process.exitCode = 1;
});
