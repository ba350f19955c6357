/**
 * From the answer to what a call returns or throws: every non-2xx answer becomes a typed error (errors.ts), every
 * 2xx whose body the spec marks as an error (`x-elkapi-error-in-200`) an `ErrorInBodyError`, and a 2xx read as
 * JSON whose body does not parse an `InvalidResponseError`. The body was read once by the transport; it is parsed
 * here once for all of these checks. Each error carries the attempts made; the key is redacted from all of it.
 */
import type { ParseAs } from "openapi-fetch";
import { ErrorInBodyError, InvalidResponseError, errorClassFor } from "../errors.js";
import { errorIn200Rule, fieldsFromBody, requestIdFrom, summarizeText, violationsFromHeader } from "./error-body.js";
import type { CallFacts } from "./operation-index.js";
import { getPointer } from "./pointer.js";
import type { Answer } from "./transport.js";

/** What the failing call was, for the error's fields. */
export interface CallSite {
  operationId: string | null;
  method: string;
  url: string;
  secret: string;
}

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
export function errorFor(answer: Answer, site: CallSite): Error {
  const { response } = answer;
  const rawBody = answer.text ?? "";
  const body = rawBody === "" ? undefined : parse(rawBody);
  const fields = fieldsFromBody(body);
  const validation = [...(fields.validation ?? []), ...violationsFromHeader(response.headers.get("sl-violations"))];
  const detail = validation.length ? `; request violations: ${validation.map((v) => `${v.location.join(".") || "request"}: ${v.message}`).join("; ")}` : "";
  const text = fields.message ?? (rawBody ? summarizeText(rawBody) : "(empty body)");
  const Cls = errorClassFor(response.status);
  return new Cls({
    ...site,
    attempts: answer.attempts,
    message: `${response.status} ${text}${detail} (${site.method} ${new URL(site.url).pathname})`,
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

/**
 * The `data` of a 2xx answer as `parseAs` asks (json by default; undefined for 204, HEAD and empty bodies, as
 * openapi-fetch does), after the errors-inside-200 check.
 * @throws InvalidResponseError when a JSON read does not parse; ErrorInBodyError when a spec rule matches.
 */
export function dataOf(answer: Answer, parseAs: ParseAs, facts: CallFacts | null, site: CallSite): unknown {
  const { response } = answer;
  if (parseAs === "stream") return answer.stream ?? null;
  const empty = response.status === 204 || site.method === "HEAD" || response.headers.get("content-length") === "0";
  const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
  const rules = facts?.errorIn200;
  const readsJson = parseAs === "json" && !empty && !contentType.includes("text/event-stream");
  let body: unknown;
  if (readsJson || (rules && contentType.includes("json"))) {
    const rawBody = answer.text ?? (answer.bytes ? new TextDecoder().decode(answer.bytes) : "");
    try {
      body = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch (cause) {
      if (readsJson) {
        throw new InvalidResponseError({
          ...site,
          attempts: answer.attempts,
          message: `${response.status} answer is not valid JSON (${contentType || "no content-type"}): ${summarizeText(rawBody) || "(blank)"} (${site.method} ${new URL(site.url).pathname})`,
          status: response.status,
          requestId: requestIdFrom(response.headers, undefined),
          body: rawBody,
          rawBody,
          headers: headersOf(response),
          cause,
        });
      }
      body = rawBody;
    }
    const rule = rules ? errorIn200Rule(rules, body) : undefined;
    if (rule) {
      const fields = fieldsFromBody(body);
      const message = (rule.message && getPointer(body, rule.message)) ?? fields.message ?? "error reported inside a 200 answer";
      const code = rule.code ? getPointer(body, rule.code) : fields.code;
      throw new ErrorInBodyError({
        ...site,
        attempts: answer.attempts,
        message: `200 ${String(message)} (${site.method} ${new URL(site.url).pathname})`,
        status: response.status,
        code: typeof code === "string" || typeof code === "number" ? code : null,
        requestId: requestIdFrom(response.headers, String(message)),
        body,
        rawBody,
        headers: headersOf(response),
      });
    }
  }
  if (empty) return undefined;
  if (readsJson) return body;
  if (parseAs === "text") return answer.text ?? (answer.bytes ? new TextDecoder().decode(answer.bytes) : "");
  const bytes = answer.bytes ?? new TextEncoder().encode(answer.text ?? "");
  if (parseAs === "arrayBuffer") return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new Blob([bytes], { type: response.headers.get("content-type") ?? "" });
}
