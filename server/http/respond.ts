import "server-only";
// What every route handler shares: input parsing with zod, JSON errors, the store.
import type { z } from "zod";
import { ConfigError } from "../config";
import { describeStoreError, isStoreError, isStoreUnavailable, storeErrorCode } from "../db/errors";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function json(body: unknown, init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(body), { ...init, headers });
}

export function errorResponse(status: number, message: string): Response {
  return json({ error: message }, { status });
}

/** Parses the query string with a zod schema; a bad parameter is a 400 naming it. */
export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
    throw new HttpError(400, `${where}${issue.message}`);
  }
  return parsed.data;
}

/**
 * A route's path parameters (Next.js hands them over URL-decoded), parsed the way parseQuery
 * parses the query string: a bad one is a 400 that names it.
 */
export async function parseParams<S extends z.ZodType>(schema: S, params: Promise<unknown>): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await params);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Parses a JSON body with a zod schema: 413 when too large, 400 naming the bad field. */
export async function parseBody<S extends z.ZodType>(schema: S, req: Request): Promise<z.infer<S>> {
  const text = await req.text();
  if (Buffer.byteLength(text) > MAX_BODY_BYTES) throw new HttpError(413, `request body over ${MAX_BODY_BYTES / 1024} KiB`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(400, `${issue.path.length ? `${issue.path.join(".")}: ` : ""}${issue.message}`);
  }
  return parsed.data;
}

/** SQLSTATE query_canceled: statement_timeout fired (or an operator cancelled the statement). */
const QUERY_CANCELED = "57014";

/** Connection failures of either driver, also when wrapped (drizzle puts the driver's error in `cause`). */
export { isStoreUnavailable };

export function isStatementTimeout(err: unknown): boolean {
  return storeErrorCode(err) === QUERY_CANCELED;
}

/**
 * What may be said of an error outside the process. drizzle's message is "Failed query: <SQL>
 * params: <values>", i.e. payloads and IDs, and PostgreSQL's own texts quote values: a store
 * error is told by its SQLSTATE and condition only. Other errors are ours and say nothing of data.
 */
export function publicMessage(err: unknown): string {
  if (isStoreError(err)) return describeStoreError(err);
  return err instanceof Error ? err.message : String(err);
}

/** Runs a handler, turning thrown errors into JSON error responses. */
export async function handle(fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof HttpError) return errorResponse(err.status, err.message);
    if (err instanceof ConfigError) return errorResponse(500, err.message);
    const message = publicMessage(err);
    // A statement past FLOWTAP_STATEMENT_TIMEOUT_MS: the store is there but did not answer in
    // time, as a gateway's upstream would not. 504 tells it from the store being away (503).
    if (isStatementTimeout(err)) {
      console.error(`flowtap: request failed: ${message}`);
      return errorResponse(504, "the index store did not answer in time (statement timeout): try again, or narrow the request");
    }
    // The index unreachable is a 503 the UI can explain; anything else is our fault, a 500.
    if (isStoreUnavailable(err)) {
      console.error(`flowtap: request failed: ${message}`);
      return errorResponse(503, `the index store is unavailable: ${message}`);
    }
    // A bug: its text can quote the input that hit it (a TypeError names the value), so the
    // answer carries a reference to the log line that has the text and the stack.
    const ref = globalThis.crypto.randomUUID().slice(0, 8);
    console.error(`flowtap: request failed (ref ${ref}): ${message}${err instanceof Error && err.stack ? `\n${err.stack}` : ""}`);
    // A store error's description is its SQLSTATE and condition only (publicMessage): safe to say.
    return errorResponse(500, `internal error${isStoreError(err) ? `: ${message}` : ""} (ref ${ref} in the server log)`);
  }
}
