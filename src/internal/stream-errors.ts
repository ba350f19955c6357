/**
 * The errors of an SSE stream (streaming.ts, stream-open.ts), loaded on the first one: a stream that ends well
 * never needs the error classes or the error-body reader.
 */
import type { EventSourceMessage } from "eventsource-parser";
import type { SseRule } from "../../generated/operations.js";
import {
  APIConnectionTimeoutError,
  APIUserAbortError,
  type ElkApiErrorInit,
  IncompleteStreamError,
  InvalidResponseError,
  StreamEventError,
} from "../errors.js";
import { fieldsFromBody, summarizeText } from "./error-body.js";
import { asRecord } from "./values.js";

/** What every error of one stream shares, and `METHOD /path` for its message. */
export interface StreamSite {
  common: ElkApiErrorInit;
  route: string;
}

/** The body ended or was cut before the protocol's end marker. */
export function incomplete(site: StreamSite, rule: SseRule, events: number, why: string, cause?: unknown): IncompleteStreamError {
  const end = rule.done !== undefined ? `"data: ${rule.done}"` : `one of ${JSON.stringify(rule.endEvents ?? [])}`;
  return new IncompleteStreamError({
    ...site.common,
    message: `Stream ${why} after ${events} event(s), before its end marker ${end} (${site.route})`,
    body: { events },
    cause,
  });
}

/** A failed read of the body: the transport's typed error as it is, the caller's abort, or a cut stream. */
export function readError(site: StreamSite, rule: SseRule, events: number, aborted: boolean, cause: unknown): Error {
  if (cause instanceof APIUserAbortError || cause instanceof APIConnectionTimeoutError || cause instanceof StreamEventError) return cause;
  if (aborted) return new APIUserAbortError({ ...site.common, message: `Stream aborted by the caller (${site.route})`, cause });
  return incomplete(site, rule, events, "was cut", cause);
}

/** An event whose data is not JSON (before the end of the body). */
export function notJson(site: StreamSite, data: string, cause: unknown): InvalidResponseError {
  return new InvalidResponseError({
    ...site.common,
    message: `Stream event is not JSON: ${data.slice(0, 200)} (${site.route})`,
    rawBody: data,
    body: data,
    cause,
  });
}

/** An error event or error chunk: the error's fields read as from any error body. */
export function eventError(site: StreamSite, ev: EventSourceMessage, data: unknown): StreamEventError {
  const type = asRecord(data)?.type;
  // A Responses `response.failed` event carries its error at response.error.
  const response = asRecord(asRecord(data)?.response);
  const inner = response && asRecord(response.error) ? { error: response.error } : data;
  const f = fieldsFromBody(inner);
  return new StreamEventError({
    ...site.common,
    message: `Stream error event${ev.event ? ` "${ev.event}"` : ""}: ${f.message ?? "(no message)"} (${site.route})`,
    code: f.code,
    type: f.type ?? (typeof type === "string" ? type : null),
    param: f.param,
    requestId: f.requestId ?? site.common.requestId,
    body: data,
    rawBody: ev.data,
  });
}

/** A 2xx answer to `elk.stream()` that is not `text/event-stream`. */
export function notEventStream(common: ElkApiErrorInit, contentType: string, rawBody: string, route: string): InvalidResponseError {
  return new InvalidResponseError({
    ...common,
    message: `Expected a text/event-stream answer, got ${contentType || "no content-type"}: ${summarizeText(rawBody) || "(empty)"} (${route})`,
    body: rawBody,
    rawBody,
  });
}
