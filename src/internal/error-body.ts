/**
 * Reading an error out of whatever the gateway sent (see `fieldsFromBody` for every shape). Source: catalog
 * anthropic-audio-platform.md "Error status code description" (body shapes A-D), midjourney-ideogram.md ("Gateway
 * error body for /mj/*"), luma-minimax-pika-sora.md (MiniMax base_resp), openai-format.md (Tencent Hunyuan3D),
 * flux-replicate-recraft.md (BFL `detail`), veo-seedance-runway-kling.md (Kling service codes).
 */
import type { Violation } from "../errors.js";
import { asRecord, nonEmpty } from "./values.js";

/** The fields an error body may give. */
export interface ErrorFields {
  message?: string;
  code?: string | number | null;
  type?: string | null;
  param?: string | null;
  requestId?: string | null;
  validation?: Violation[];
}

const obj = asRecord;
const str = nonEmpty;
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

const trimmed = (v: unknown): string | undefined => str(typeof v === "string" ? v.trim() : v);

/** FastAPI / BFL `detail: [{loc, msg, type}]` lists as violations. */
function detailViolations(detail: unknown): Violation[] {
  if (!Array.isArray(detail)) return [];
  return detail.flatMap((d) => {
    const o = obj(d);
    const message = str(o?.msg) ?? str(o?.message);
    if (!o || !message) return [];
    const loc = Array.isArray(o.loc) ? o.loc.map(String) : [];
    return [{ location: loc, message, ...(str(o.type) ? { code: str(o.type)! } : {}) }];
  });
}

/**
 * Fields of a parsed JSON error body, whichever of the gateway's shapes it is (catalog "Error status code
 * description" shapes A-D and the family catalogs):
 * - A, OpenAI: `{error: {message, type, param, code}}` (also `{error: {message, type: "401"}}` at sibling gateways);
 * - B, Anthropic: `{type: "error", error: {type, message}, request_id?}`;
 * - C, `/mj`: `{description, type, code}` (the description's trailing space trimmed);
 * - D, task routes: `{code, message, data}`, Suno's `{code: "error", message}`, Kling's `{code, message, request_id}`;
 * - MiniMax: `{base_resp: {status_code, status_msg}}` with a non-zero code;
 * - Tencent (Hunyuan3D): `{Response: {Error: {Code, Message}, RequestId}}`;
 * - problem+json / Replicate `{title, detail, status}` and FastAPI / BFL `{detail: [{loc, msg, type}]}`;
 * - `{success: false, message}`, `{msg}`, `{error: "text", message?}`;
 * - a string (plain text or HTML, summarised).
 * Fields a body does not carry are left undefined (message, code) or null (type, param, request id).
 */
export function fieldsFromBody(body: unknown): ErrorFields {
  const b = obj(body);
  if (!b) return typeof body === "string" && body.trim() ? { message: summarizeText(body) } : {};
  const e = obj(b.error);
  if (e) {
    // OpenAI `{error: {message, type, param, code}}` and Anthropic `{type: "error", error: {type, message}}`.
    return {
      message: trimmed(e.message) ?? trimmed(b.message),
      code: codeOf(e.code),
      type: str(e.type) ?? null,
      param: str(e.param) ?? null,
      requestId: str(b.request_id) ?? str(e.request_id) ?? null,
    };
  }
  if (typeof b.error === "string") return { message: trimmed(b.message) ?? b.error.trim(), code: codeOf(b.code), type: null };
  const baseResp = obj(b.base_resp);
  if (baseResp && baseResp.status_code !== 0 && baseResp.status_code !== undefined) {
    return { message: trimmed(baseResp.status_msg), code: codeOf(baseResp.status_code) };
  }
  const tencent = obj(b.Response);
  const tencentError = obj(tencent?.Error);
  if (tencentError) {
    return { message: trimmed(tencentError.Message), code: codeOf(tencentError.Code), requestId: str(tencent?.RequestId) ?? null };
  }
  if (str(b.description)) return { message: trimmed(b.description), code: codeOf(b.code), type: str(b.type) ?? null };
  const detail = b.detail;
  const validation = [...violations(b.validation, "request"), ...detailViolations(detail)];
  if (str(b.title) || detail !== undefined) {
    const fromList = validation.map((v) => `${v.location.join(".") || "request"}: ${v.message}`).join("; ");
    const d = str(detail) ?? (fromList || (detail !== undefined ? JSON.stringify(detail) : undefined));
    return { message: [str(b.title), d].filter(Boolean).join(": "), validation, requestId: str(b.request_id) ?? null };
  }
  return {
    message: trimmed(b.message) ?? trimmed(b.msg),
    code: codeOf(b.code),
    type: str(b.type) ?? null,
    requestId: str(b.request_id) ?? str(b.requestId) ?? null,
  };
}

/** The violations Prism reports in its `sl-violations` response header (the entries that arrived whole when Prism cut it). */
export function violationsFromHeader(header: string | null): Violation[] {
  if (!header) return [];
  try {
    return violations(JSON.parse(header), "request");
  } catch {
    // Prism cuts a long list at about 8 KB, mid-entry, after "Too many violations! ": keep the whole entries.
    const start = header.indexOf("[{");
    const cut = header.lastIndexOf("},{");
    if (start < 0 || cut < start) return [];
    try {
      return violations(JSON.parse(header.slice(start, cut + 1) + "]"), "request");
    } catch {
      return [];
    }
  }
}

/** A short one-line form of a non-JSON body (HTML pages become their title or first text). */
export function summarizeText(text: string): string {
  const title = text.match(/<title[^>]*>([^<]*)<\/title>/i)?.[1];
  const plain = (title ?? text.replace(/<[^>]+>/g, " ")).replace(/\s+/g, " ").trim();
  return plain.length > 200 ? `${plain.slice(0, 200)}…` : plain;
}
