/**
 * Rule `streams`: for an operation with an SSE answer (`text/event-stream` carrying `x-elkapi-sse`), the
 * request's stream flag decides the answer, as on the gateway (new-api reads the body's `stream`; it does not
 * look at Accept). With the flag (`stream: true` in a JSON or form body, `?stream=true`, or the
 * `x-elkapi-sse.flag` the spec states, e.g. `stream_format: sse` or `alt=sse`) the answer is the SSE example,
 * whatever the client's Accept; without it, one of the operation's other success media types, even when the
 * client asked for `text/event-stream`. A client's `Prefer: example=<name>` wins: the answer is in the media
 * type that holds that example. Off: Accept decides, as in Prism.
 */
import { deref } from "../../scripts/lib/spec.js";
import { streamFlag } from "../../scripts/lib/generate/tables.js";
import type { RequestValue } from "../exchange.js";
import { acceptable, preferring } from "../media.js";
import type { RuleFactory } from "../rule.js";

interface StreamOp {
  flag: RequestValue & { value: string | number | boolean };
  sse: string[];
  other: string[];
  /** Every success media type in spec order (Prism's order when Accept does not decide). */
  all: string[];
  sseExamples: Set<string>;
  otherExamples: Set<string>;
}

/** Whether an Accept can pick SSE at all: none, a wildcard, or one naming it (skips negotiation otherwise). */
const mayPreferSse = (accept: string | undefined) => !accept || accept.includes("*") || accept.includes("event-stream");

export const streams: RuleFactory = (spec) => {
  const ops = new Map<string, StreamOp>();
  for (const o of spec.operations.values()) {
    const sse = o.answers.filter((a) => a.content["x-elkapi-sse"] !== undefined);
    if (!sse.length) continue;
    const body = o.op.requestBody ? deref(spec.bundle, o.op.requestBody) : undefined;
    const flag = streamFlag(spec.bundle, o.op, body?.content, sse[0]!.content["x-elkapi-sse"]!) as StreamOp["flag"] | null;
    if (!flag) continue;
    const other = o.answers.filter((a) => !sse.includes(a));
    ops.set(o.id, {
      flag,
      sse: [...new Set(sse.map((a) => a.media))],
      other: [...new Set(other.map((a) => a.media))],
      all: [...new Set(o.answers.map((a) => a.media))],
      sseExamples: new Set(sse.flatMap((a) => a.examples)),
      otherExamples: new Set(other.flatMap((a) => a.examples)),
    });
  }
  return {
    name: "streams",
    async onRequest(ex) {
      const op = ex.route && ops.get(ex.route.operation.id);
      if (!op) return;
      const named = ex.clientPrefer.example;
      const stream = named && op.sseExamples.has(named) ? true : named && op.otherExamples.has(named) ? false : await ex.has(op.flag);
      if (stream) {
        ex.headers.accept = preferring(op.sse);
      } else if (op.other.length && mayPreferSse(ex.headers.accept) && op.sse.includes(acceptable(ex.headers.accept, op.all)[0] ?? "")) {
        // Asked for SSE without the flag: the gateway answers the plain form; keep the client's other choices.
        const rest = acceptable(ex.headers.accept, op.other);
        ex.headers.accept = preferring(rest.length ? rest : op.other);
      }
    },
  };
};
