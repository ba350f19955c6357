/**
 * Rule `accept`: the gateway does not negotiate (new-api answers what the request and the upstream make, whatever
 * Accept says), so the mock never answers 406. When the outgoing Accept allows none of the operation's success
 * media types (the openai SDK asks speech for `application/octet-stream`, others send `application/json` for
 * audio), it is replaced by the operation's own types, SSE last; and every Accept the front sends also takes
 * any type at a low weight, so an error status (JSON) is served as asked rather than swapped for a 200.
 * Off: Prism's negotiation (406 for an Accept it cannot serve).
 */
import { acceptable, preferring } from "../media.js";
import type { RuleFactory } from "../rule.js";

export const accept: RuleFactory = (spec) => {
  const types = new Map<string, string[]>();
  for (const o of spec.operations.values()) {
    const media = [...new Set(o.answers.map((a) => a.media))];
    const plain = media.filter((m) => !o.answers.some((a) => a.media === m && a.content["x-elkapi-sse"] !== undefined));
    if (media.length) types.set(o.id, [...plain, ...media.filter((m) => !plain.includes(m))]);
  }
  return {
    name: "accept",
    onRequest(ex) {
      const media = ex.route && types.get(ex.route.operation.id);
      const asked = ex.headers.accept;
      if (!media || !asked?.trim()) return;
      const ok = acceptable(asked, media);
      ex.headers.accept = ok.length ? (/\*\/\*/.test(asked) ? asked : `${asked}, */*;q=0.1`) : preferring(media);
    },
  };
};
