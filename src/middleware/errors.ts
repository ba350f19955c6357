import type { Middleware } from "openapi-fetch";
import { errorIn200Rule, fieldsFromBody, requestIdFrom, summarizeText, violationsFromHeader } from "../error-body.js";
import { ErrorInBodyError, InvalidResponseError, errorClassFor } from "../errors.js";
import { findOperation } from "../operation-index.js";
import { getPointer } from "../pointer.js";
import { callStates } from "../transport.js";

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


/**
 * Turns every non-2xx answer into a typed error (see errors.ts), every 200 whose body the spec marks as an
 * error (`x-elkapi-error-in-200`) into an `ErrorInBodyError`, and a 2xx read as JSON whose body does not parse
 * into an `InvalidResponseError`. Each error carries the attempts the transport made. The key is redacted from
 * all of it. Runs after every other middleware's onResponse (it is registered first).
 */
export function errorsMiddleware(secret: string): Middleware {
  return {
    async onResponse({ request, response, schemaPath, options }) {
      const op = findOperation(request.method, schemaPath);
      const attempts = callStates.get(request)?.attempts ?? 1;
      const common = { operationId: op?.id ?? null, method: request.method, url: request.url, secret, attempts };
      if (!response.ok) {
        const rawBody = await response.text();
        const body = rawBody === "" ? undefined : parse(rawBody);
        const fields = fieldsFromBody(body);
        const validation = [...(fields.validation ?? []), ...violationsFromHeader(response.headers.get("sl-violations"))];
        const detail = validation.length ? `; request violations: ${validation.map((v) => `${v.location.join(".") || "request"}: ${v.message}`).join("; ")}` : "";
        const text = fields.message ?? (rawBody ? summarizeText(rawBody) : "(empty body)");
        const Cls = errorClassFor(response.status);
        throw new Cls({
          ...common,
          message: `${response.status} ${text}${detail} (${request.method} ${new URL(request.url).pathname})`,
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
      const contentType = (response.headers.get("content-type") ?? "").toLowerCase();
      const rules = op?.info.errorIn200;
      const readsJson = options.parseAs === "json" && response.status !== 204 && response.headers.get("content-length") !== "0" && !contentType.includes("text/event-stream");
      if (!readsJson && !(rules && contentType.includes("json"))) return response;
      // One read and one parse serve both checks (JSON that parses, errors inside a 2xx); openapi-fetch then reads
      // a fresh Response over the same text.
      const rawBody = readsJson ? await response.text() : await response.clone().text();
      let body: unknown;
      try {
        body = rawBody === "" ? undefined : JSON.parse(rawBody);
      } catch (cause) {
        if (readsJson) {
          throw new InvalidResponseError({
            ...common,
            message: `${response.status} answer is not valid JSON (${contentType || "no content-type"}): ${summarizeText(rawBody) || "(blank)"} (${request.method} ${new URL(request.url).pathname})`,
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
          ...common,
          message: `200 ${String(message)} (${request.method} ${new URL(request.url).pathname})`,
          status: response.status,
          code: typeof code === "string" || typeof code === "number" ? code : null,
          requestId: requestIdFrom(response.headers, String(message)),
          body,
          rawBody,
          headers: headersOf(response),
        });
      }
      return readsJson ? new Response(rawBody, { status: response.status, statusText: response.statusText, headers: response.headers }) : response;
    },
  };
}
