/**
 * Everything a call needs only when something went wrong, loaded on the first failure (so a page that makes
 * successful calls does not bundle it): the typed errors for non-2xx answers, bad JSON and errors inside a 200
 * (answers.ts), and for failed attempts the retry decision, the wait and the connection errors (transport.ts).
 */
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  ElkApiError,
  ErrorInBodyError,
  InvalidResponseError,
  errorClassFor,
} from "../errors.js";
import { type AttemptFailure, failedBeforeSending, networkCode, retryDelayMs, shouldRetry } from "../retry.js";
import type { ErrorIn200Rule } from "../../generated/operations.js";
import { fieldsFromBody, summarizeText, violationsFromHeader } from "./error-body.js";
import { idempotentOf, operationIdOf } from "./operation-ids.js";
import { getPointer } from "./pointer.js";
import { requestIdFrom } from "./request-id.js";
import type { Answer, CallContext } from "./transport.js";

/** What the failing call was, for the error's fields. */
export interface CallSite {
  /** `METHOD /path` as the spec writes it (its operationId is looked up from it). */
  route: string;
  method: string;
  url: string;
  secret: string;
}

const pathOf = (site: CallSite) => `${site.method} ${new URL(site.url).pathname}`;

/** The fields every error of the call shares. */
const common = (site: CallSite) => ({ operationId: operationIdOf(site.route), method: site.method, url: site.url, secret: site.secret });

function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  return out;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Typed error for a non-2xx answer: status class, the body's fields, the mock's violations. */
export function errorFor(answer: Answer, site: CallSite): ElkApiError {
  const { response } = answer;
  const rawBody = answer.text ?? "";
  const body = rawBody === "" ? undefined : parse(rawBody);
  const fields = fieldsFromBody(body);
  const validation = [...(fields.validation ?? []), ...violationsFromHeader(response.headers.get("sl-violations"))];
  const detail = validation.length ? `; request violations: ${validation.map((v) => `${v.location.join(".") || "request"}: ${v.message}`).join("; ")}` : "";
  const text = fields.message ?? (rawBody ? summarizeText(rawBody) : "(empty body)");
  const Cls = errorClassFor(response.status);
  return new Cls({
    ...common(site),
    attempts: answer.attempts,
    message: `${response.status} ${text}${detail} (${pathOf(site)})`,
    status: response.status,
    code: fields.code,
    type: fields.type,
    param: fields.param,
    requestId: fields.requestId ?? requestIdFrom(response.headers, fields.message),
    body,
    rawBody,
    headers: headersOf(response),
    validation,
  });
}

/** A 2xx read as JSON whose body does not parse. */
export function invalidJson(answer: Answer, site: CallSite, rawBody: string, cause: unknown): InvalidResponseError {
  const { response } = answer;
  const contentType = response.headers.get("content-type") ?? "";
  return new InvalidResponseError({
    ...common(site),
    attempts: answer.attempts,
    message: `${response.status} answer is not valid JSON (${contentType || "no content-type"}): ${summarizeText(rawBody) || "(blank)"} (${pathOf(site)})`,
    status: response.status,
    requestId: requestIdFrom(response.headers, undefined),
    body: rawBody,
    rawBody,
    headers: headersOf(response),
    cause,
  });
}

/** A 2xx whose body matches an `x-elkapi-error-in-200` rule. */
export function errorInBody(answer: Answer, site: CallSite, rule: ErrorIn200Rule, body: unknown, rawBody: string): ErrorInBodyError {
  const fields = fieldsFromBody(body);
  const message = (rule.message && getPointer(body, rule.message)) ?? fields.message ?? "error reported inside a 200 answer";
  const code = rule.code ? getPointer(body, rule.code) : fields.code;
  return new ErrorInBodyError({
    ...common(site),
    attempts: answer.attempts,
    message: `200 ${String(message)} (${pathOf(site)})`,
    status: answer.response.status,
    code: typeof code === "string" || typeof code === "number" ? code : null,
    requestId: requestIdFrom(answer.response.headers, String(message)),
    body,
    rawBody,
    headers: headersOf(answer.response),
  });
}

/** The caller's abort, before, during or between attempts. */
export function userAbort(site: CallSite, attempts: number, cause: unknown): APIUserAbortError {
  return new APIUserAbortError({ ...common(site), attempts, message: `Request aborted by the caller (${pathOf(site)})`, cause });
}

/** The reason text of a network failure (`ECONNREFUSED`, `other side closed` ...). */
export function reasonOf(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? cause.cause : undefined;
  const code = networkCode(cause);
  const text = inner?.message || cause.message;
  return code && !text.includes(code) ? `${code} ${text}`.trim() : text;
}

/**
 * May this attempt be retried: retries left, and the policy (retry.ts) allows it for this call, which is safe to
 * repeat when the caller said so (`idempotent`) or else the spec does.
 */
export function canRetry(ctx: CallContext, attempt: number, failure: AttemptFailure): boolean {
  return attempt <= ctx.maxRetries && shouldRetry(failure, ctx.idempotent ?? idempotentOf(ctx.route));
}

export { operationIdOf };

/** The typed error and retry facts of an attempt that threw (timeout or network failure). */
export function attemptError(
  ctx: CallContext,
  site: CallSite,
  a: { attempt: number; phase: "connect" | "body"; status: number | undefined; timedOut: boolean; cause: unknown },
): { error: ElkApiError; failure: AttemptFailure } {
  const where = `${pathOf(site)}, attempt ${a.attempt}/${ctx.maxRetries + 1}`;
  const base = { ...common(site), attempts: a.attempt, status: a.status, cause: a.cause };
  if (a.timedOut) {
    const what = a.phase === "body" ? `the body of a ${a.status} answer did not arrive` : "no answer";
    return { failure: { kind: "timeout" }, error: new APIConnectionTimeoutError({ ...base, message: `Timed out: ${what} within ${ctx.timeoutMs} ms (${where})` }) };
  }
  const what = a.phase === "body" ? `the body of a ${a.status} answer was cut` : "connection failed";
  return {
    failure: { kind: "network", notSent: a.phase === "connect" && failedBeforeSending(a.cause) },
    error: new APIConnectionError({ ...base, message: `Network error: ${what}: ${reasonOf(a.cause)} (${where})` }),
  };
}

/** A stream read that failed: the caller's abort, the idle limit, or a cut connection. */
export function streamError(ctx: CallContext, site: CallSite, a: { attempts: number; status: number; aborted: boolean; timedOut: boolean; cause: unknown }): ElkApiError {
  const base = { ...common(site), attempts: a.attempts, status: a.status, cause: a.cause };
  if (a.aborted) return new APIUserAbortError({ ...base, message: `Stream aborted by the caller (${pathOf(site)})` });
  if (a.timedOut) return new APIConnectionTimeoutError({ ...base, message: `Timed out: the stream was idle for more than ${ctx.idleTimeoutMs} ms (${pathOf(site)})` });
  return new APIConnectionError({ ...base, message: `Network error: the stream was cut: ${reasonOf(a.cause)} (${pathOf(site)})` });
}

/** True for the client's own typed errors (already final: never wrapped again). */
export const isElkError = (e: unknown): e is ElkApiError => e instanceof ElkApiError;

export { retryDelayMs };
