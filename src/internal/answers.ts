/**
 * The `data` of a 2xx answer as `parseAs` asks, after the checks every answer gets: a JSON read whose body does
 * not parse throws `InvalidResponseError`; a body the spec marks as an error (`x-elkapi-error-in-200`) throws
 * `ErrorInBodyError`. The body was read once by the transport and is parsed here once for both checks. The error
 * classes load only when one is thrown (failures.ts).
 */
import type { ParseAs } from "openapi-fetch";
import { errorIn200Rule } from "./error-in-200.js";
import type { CallSite } from "./failures.js";
import type { CallFacts } from "./operation-index.js";
import type { Answer } from "./transport.js";

/**
 * The data: undefined for 204, HEAD and empty bodies (as openapi-fetch); parsed JSON for `json`; the text, bytes
 * (ArrayBuffer), a Blob typed by the answer's content type, or the guarded stream for the other `parseAs`.
 * @throws InvalidResponseError when a JSON read does not parse; ErrorInBodyError when a spec rule matches.
 */
export async function dataOf(answer: Answer, parseAs: ParseAs, facts: CallFacts, site: CallSite): Promise<unknown> {
  const { response } = answer;
  if (parseAs === "stream") return answer.stream ?? null;
  const empty = response.status === 204 || site.method === "HEAD" || response.headers.get("content-length") === "0";
  const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
  const rules = facts.errorIn200;
  const readsJson = parseAs === "json" && !empty && !contentType.includes("text/event-stream");
  let body: unknown;
  if (readsJson || (rules && contentType.includes("json"))) {
    const rawBody = answer.text ?? (answer.bytes ? new TextDecoder().decode(answer.bytes) : "");
    try {
      body = rawBody === "" ? undefined : JSON.parse(rawBody);
    } catch (cause) {
      if (readsJson) throw (await import("./failures.js")).invalidJson(answer, site, rawBody, cause);
      body = rawBody;
    }
    const rule = rules ? errorIn200Rule(rules, body) : undefined;
    if (rule) throw (await import("./failures.js")).errorInBody(answer, site, rule, body, rawBody);
  }
  if (empty) return undefined;
  if (readsJson) return body;
  if (parseAs === "text") return answer.text ?? (answer.bytes ? new TextDecoder().decode(answer.bytes) : "");
  const bytes = answer.bytes ?? new TextEncoder().encode(answer.text ?? "");
  if (parseAs === "arrayBuffer") return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return new Blob([bytes], { type: response.headers.get("content-type") ?? "" });
}
