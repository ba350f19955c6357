import type { Middleware } from "openapi-fetch";
import { errorIn200Rule, fieldsFromBody, requestIdFrom, summarizeText, violationsFromHeader } from "../error-body.js";
import { ErrorInBodyError, errorClassFor } from "../errors.js";
import { findOperation } from "../operation-index.js";
import { getPointer } from "../pointer.js";

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
 * Turns every non-2xx answer into a typed error (see errors.ts), and every 200 whose body the spec marks as an
 * error (`x-elkapi-error-in-200`) into an `ErrorInBodyError`. The key is redacted from all of it.
 */
export function errorsMiddleware(secret: string): Middleware {
  return {
    async onResponse({ request, response, schemaPath }) {
      const op = findOperation(request.method, schemaPath);
      const common = { operationId: op?.id ?? null, method: request.method, url: request.url, secret };
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
      const rules = op?.info.errorIn200;
      if (rules && response.headers.get("content-type")?.includes("json")) {
        const rawBody = await response.clone().text();
        const body = parse(rawBody);
        const rule = errorIn200Rule(rules, body);
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
      }
      return response;
    },
  };
}
