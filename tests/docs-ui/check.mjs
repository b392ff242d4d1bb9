// The docs UI in a real browser: headless Chromium (Debian's, never a
// downloaded one) driven by playwright-core, with every connection that
// leaves loopback refused and counted.
//
//   node tests/docs-ui/check.mjs BASE_URL SPEC_JSON
//
// BASE_URL is a running seminar server (http://127.0.0.1:PORT), SPEC_JSON the
// committed spec (openapi/seminar.json). It checks that
//   1. Swagger UI at /docs lists every operation of the spec (method, path
//      and operationId), with the page's own files only;
//   2. "Try it out" on GET /api/v1/seminar/{seminar_id}/ without a token
//      shows the server's 401 answer, and on POST /api/v1/signup/ with an
//      invalid body its 400, each the JSON envelope (code, message, fields,
//      request_id; the 400 with the fields at fault);
//   3. the Authorize dialog takes a token (from a signup made here) and
//      "Try it out" on GET /api/v1/user/{user_id}/ with `me` answers 200
//      with the caller, the request carrying `Authorization: Bearer ...`;
//   4. /docs/classes (contract's nullability-class page) lists every
//      operation too, and each page links to the other;
//   5. no request left loopback.
// Prints one line per check and a summary; exits 1 on any failure.
//
// Environment: CHROMIUM (default /usr/bin/chromium), PLAYWRIGHT_PREFIX (the
// npm prefix holding playwright-core), DOCS_UI_SCREENSHOT (a PNG path: the
// Swagger UI page after the checks).
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";

// playwright-core from PLAYWRIGHT_PREFIX (where .ci/docs-ui installs it), or
// from wherever node finds it.
const require = createRequire(process.env.PLAYWRIGHT_PREFIX
  ? join(process.env.PLAYWRIGHT_PREFIX, "package.json") : import.meta.url);
const { chromium } = require("playwright-core");

const [base, specPath] = process.argv.slice(2);
if (!base || !specPath) {
  console.error("usage: node tests/docs-ui/check.mjs BASE_URL SPEC_JSON");
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];
const expected = [];
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    if (item[method]) expected.push({ method, path, id: item[method].operationId });
  }
}
const key = (o) => `${o.method.toUpperCase()} ${o.path}`;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
const results = [];
function check(name, ok, detail = "") {
  results.push({ name, ok });
  console.log(`docs-ui: ${ok ? "ok  " : "FAIL"} ${name}${detail ? `: ${detail}` : ""}`);
}

const userDataDir = mkdtempSync(join(tmpdir(), "docs-ui-chromium-"));
// A fresh profile, thrown away at the end.
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  serviceWorkers: "block",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    // Names other than loopback do not resolve, whoever asks.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
  ],
});

const offLoopback = [];
const seen = [];
let exitCode = 1;
try {
  // Every request the pages make goes through here: loopback passes, any
  // other host is aborted and counted.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if ((url.protocol === "http:" || url.protocol === "https:" || url.protocol === "ws:" ||
         url.protocol === "wss:") && !LOOPBACK.has(url.hostname)) {
      offLoopback.push(url.href);
      return route.abort("blockedbyclient");
    }
    return route.continue();
  });
  const page = context.pages()[0] || await context.newPage();
  page.on("request", (r) => seen.push(`${r.method()} ${r.url()}`));
  page.on("websocket", (ws) => offLoopback.push(`websocket ${ws.url()}`));
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));

  // --- 1. every operation in Swagger UI --------------------------------------
  const docs = await page.goto(`${base}/docs`);
  check("GET /docs answers 200 text/html", docs.status() === 200 &&
    (docs.headers()["content-type"] || "").startsWith("text/html"), `${docs.status()}`);
  await page.waitForSelector(".opblock", { timeout: 30_000 });
  const listed = await page.$$eval(".opblock", (blocks) => blocks.map((b) => ({
    method: (b.querySelector(".opblock-summary-method")?.textContent || "").trim().toLowerCase(),
    path: b.querySelector(".opblock-summary-path")?.getAttribute("data-path") || "",
    id: (b.querySelector(".opblock-summary-operation-id")?.textContent || "").trim(),
  })));
  const listedKeys = new Map(listed.map((o) => [key(o), o]));
  const missing = expected.filter((o) => !listedKeys.has(key(o)));
  const wrongId = expected.filter((o) => listedKeys.has(key(o)) && listedKeys.get(key(o)).id !== o.id);
  const extra = listed.filter((o) => !expected.some((e) => key(e) === key(o)));
  check(`Swagger UI lists all ${expected.length} operations of ${specPath}`,
    missing.length === 0 && wrongId.length === 0 && extra.length === 0,
    missing.length || wrongId.length || extra.length
      ? `missing [${missing.map(key)}], wrong operationId [${wrongId.map(key)}], extra [${extra.map(key)}]`
      : `${listed.length} listed, operationIds match`);
  const title = (await page.textContent(".information-container .title"))?.trim() || "";
  check("Swagger UI shows the spec's title", title.startsWith(spec.info.title), JSON.stringify(title));

  // --- 2. try it out: an error answer is the envelope --------------------------
  async function tryItOut(operationId, params, body) {
    const block = page.locator(`.opblock[id$="-${operationId}"]`);
    if (!(await block.locator(".opblock-body").count())) {
      await block.locator(".opblock-summary").first().click();
    }
    const tryOut = block.locator("button.try-out__btn");
    if ((await tryOut.textContent()).trim() === "Try it out") await tryOut.click();
    for (const [name, value] of Object.entries(params)) {
      await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    if (body !== undefined) {
      await block.locator("textarea.body-param__text").fill(JSON.stringify(body, null, 2));
    }
    const answered = page.waitForResponse((r) => r.request().resourceType() === "fetch" &&
      new URL(r.url()).pathname.startsWith("/api/"));
    await block.locator("button.execute").click();
    const response = await answered;
    const row = block.locator(".live-responses-table tbody tr.response").first();
    await row.waitFor({ timeout: 15_000 });
    const status = (await row.locator(".response-col_status").textContent()).trim();
    const shown = (await row.locator(".response-col_description pre").first().textContent()).trim();
    return { status, shown, request: response.request() };
  }

  // The body shown is the envelope: exactly its four members, typed.
  function envelopeOf(shown, code) {
    let e = null;
    try { e = JSON.parse(shown); } catch { return null; }
    const ok = e !== null && typeof e === "object" &&
      JSON.stringify(Object.keys(e).sort()) === JSON.stringify(["code", "fields", "message", "request_id"]) &&
      e.code === code && typeof e.message === "string" && e.message.length > 0 &&
      Array.isArray(e.fields) && typeof e.request_id === "string" && e.request_id.length > 0;
    return ok ? e : null;
  }
  const noToken = await tryItOut("get_seminar", { seminar_id: "1" });
  check("try it out: GET /api/v1/seminar/1/ without a token shows 401 and the envelope",
    noToken.status === "401" && envelopeOf(noToken.shown, "unauthenticated") !== null,
    `${noToken.status} ${noToken.shown.replace(/\s+/g, " ")}`);
  const bad = await tryItOut("signup", {}, { email: "not an email", username: " ", password: "x", role: "participant" });
  const badEnvelope = envelopeOf(bad.shown, "validation_failed");
  const badFields = (badEnvelope?.fields || []).map((f) => `${f.field}:${f.code}`);
  check("try it out: POST /api/v1/signup/ with an invalid body shows 400 and the envelope with its fields",
    bad.status === "400" && badEnvelope !== null && badFields.includes("email:invalid_email"),
    `${bad.status} ${badFields.join(", ")}`);
  const sentTo = new URL(noToken.request.url());
  check("try it out: the request went to the server that served the page",
    sentTo.origin === new URL(base).origin, noToken.request.url());

  // --- 3. the Authorize dialog --------------------------------------------------
  const signup = await context.request.post(`${base}/api/v1/signup/`, {
    data: {
      email: "docs-ui@example.com", username: "docs-ui", password: "docs-ui-password-1234",
      role: "participant", university: "Docs U",
    },
  });
  const user = await signup.json();
  if (signup.status() !== 201) throw new Error(`signup answered ${signup.status()}: ${JSON.stringify(user)}`);
  await page.locator("button.authorize").first().click();
  const dialog = page.locator(".dialog-ux .modal-ux");
  await dialog.locator("input").first().fill(user.token);
  await dialog.locator("button.authorize").click();
  await dialog.locator("button.close-modal").click();
  const me = await tryItOut("get_user", { user_id: "me" });
  let meBody = null;
  try { meBody = JSON.parse(me.shown); } catch { /* checked below */ }
  const auth = await me.request.headerValue("authorization");
  check("Authorize, then try it out: GET /api/v1/user/me/ answers 200 with the caller",
    me.status === "200" && meBody?.id === user.id && auth === `Bearer ${user.token}`,
    `${me.status}, id ${meBody?.id}, Authorization: ${auth ? auth.split(" ")[0] + " <token>" : "none"}`);
  check("no script error on the Swagger UI page", pageErrors.length === 0, pageErrors.join("; "));
  if (process.env.DOCS_UI_SCREENSHOT) {
    await page.screenshot({ path: process.env.DOCS_UI_SCREENSHOT, fullPage: true });
  }

  // --- 4. the nullability-class page ------------------------------------------
  const linked = await page.getAttribute("nav.contract a[href$='/classes']", "href");
  const classes = await page.goto(`${base}/docs/classes`);
  check("GET /docs/classes answers 200, linked from Swagger UI",
    classes.status() === 200 && linked === "/docs/classes", `${classes.status()}, link ${linked}`);
  await page.waitForSelector("details summary", { timeout: 15_000 });
  const summaries = await page.$$eval("details summary", (s) => s.map((e) => e.textContent.replace(/\s+/g, "")));
  const absent = expected.filter((o) => !summaries.some((s) => s.startsWith(`${o.method.toUpperCase()}${o.path}`)));
  const back = await page.getAttribute("header a[href='/docs']", "href").catch(() => null);
  check("the classes page lists every operation and links back to Swagger UI",
    absent.length === 0 && back === "/docs", absent.length ? `missing [${absent.map(key)}]` : "");

  // --- 5. nothing left loopback ------------------------------------------------
  check("no request left loopback", offLoopback.length === 0,
    `${seen.length} requests seen, ${offLoopback.length} refused${offLoopback.length ? ": " + offLoopback.join(", ") : ""}`);
  exitCode = results.every((r) => r.ok) ? 0 : 1;
} catch (e) {
  console.error(`docs-ui: FAIL: ${e.stack || e}`);
  check("the browser run completed", false);
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
const failed = results.filter((r) => !r.ok).length;
console.log(`docs-ui: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : exitCode);
