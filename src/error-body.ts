/**
 * Reading an error out of whatever the gateway sent: the OpenAI envelope, the Anthropic envelope, `/mj` bodies
 * (`description`), task bodies (`{code, message}`), MiniMax `base_resp`, problem+json (`detail`, `validation`),
 * or plain text / HTML. Source: catalog "Error status code description", body shapes A-D.
 */
import type { ErrorIn200Rule } from "../generated/operations.js";
import type { Violation } from "./errors.js";
import { getPointer } from "./pointer.js";

/** The fields an error body may give. */
export interface ErrorFields {
  message?: string;
  code?: string | number | null;
  type?: string | null;
  param?: string | null;
  requestId?: string | null;
  validation?: Violation[];
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);
const codeOf = (v: unknown): string | number | null | undefined =>
  typeof v === "string" || typeof v === "number" ? v : v === null ? null : undefined;

function violations(list: unknown, dropPrefix: string): Violation[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((v) => {
    const o = obj(v);
    if (!o || typeof o.message !== "string") return [];
    const loc = Array.isArray(o.location) ? o.location.map(String) : [];
    const location = loc[0] === dropPrefix ? loc.slice(1) : loc;
    const code = codeOf(o.code);
    return [{ location, message: o.message, ...(code != null ? { code } : {}) }];
  });
}

/** Fields of a parsed JSON error body (any of the gateway's shapes). */
export function fieldsFromBody(body: unknown): ErrorFields {
  const b = obj(body);
  if (!b) return typeof body === "string" && body.trim() ? { message: summarizeText(body) } : {};
  const e = obj(b.error);
  if (e) {
    // OpenAI `{error: {message, type, param, code}}` and Anthropic `{type: "error", error: {type, message}}`.
    return {
      message: str(e.message),
      code: codeOf(e.code),
      type: str(e.type) ?? null,
      param: str(e.param) ?? null,
      requestId: str(b.request_id) ?? null,
    };
  }
  if (typeof b.error === "string") return { message: b.error, code: codeOf(b.code) };
  const baseResp = obj(b.base_resp);
  if (baseResp && baseResp.status_code !== 0 && baseResp.status_code !== undefined) {
    return { message: str(baseResp.status_msg), code: codeOf(baseResp.status_code) };
  }
  if (str(b.description)) return { message: str(b.description), code: codeOf(b.code), type: str(b.type) ?? null };
  const detail = b.detail;
  const validation = violations(b.validation, "request");
  if (str(b.title) || detail !== undefined) {
    const d = str(detail) ?? (detail !== undefined ? JSON.stringify(detail) : undefined);
    return { message: [str(b.title), d].filter(Boolean).join(": "), validation };
  }
  return { message: str(b.message) ?? str(b.msg), code: codeOf(b.code), type: str(b.type) ?? null };
}

/** The violations Prism reports in its `sl-violations` response header. */
export function violationsFromHeader(header: string | null): Violation[] {
  if (!header) return [];
  try {
    return violations(JSON.parse(header), "request");
  } catch {
    return [];
  }
}

/** The request id from headers or from a message's ` (request id: ...)` suffix. */
export function requestIdFrom(headers: Headers | undefined, message: string | undefined): string | null {
  const h = headers?.get("x-oneapi-request-id") ?? headers?.get("x-request-id") ?? headers?.get("request-id");
  if (h) return h;
  const m = message?.match(/\(request id: ([^)\s]+)\)/);
  return m?.[1] ?? null;
}

/** A short one-line form of a non-JSON body (HTML pages become their title or first text). */
export function summarizeText(text: string): string {
  const title = text.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}

/** The first `x-elkapi-error-in-200` rule a 2xx body matches, if any: the body then reports a failure. */
export function errorIn200Rule(rules: readonly ErrorIn200Rule[] | null | undefined, body: unknown): ErrorIn200Rule | undefined {
  return rules?.find((rule) => {
    const value = getPointer(body, rule.pointer);
    if (value === undefined) return false;
    if ("equals" in rule) return value === rule.equals;
    if (rule.notIn) return !rule.notIn.includes(value as string | number | boolean);
    return true;
  });
}
