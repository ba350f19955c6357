/**
 * Rule `bytes`: a binary answer (speech audio) cannot sit in a YAML example as bytes, so the spec holds them in
 * base64 and marks the media type `x-elkapi-mock: {bytes: base64}`; this rule decodes a 2xx answer of such a
 * media type, so the client receives the audio itself. Off: the base64 text, as Prism sends it.
 */
import { mediaOf } from "../media.js";
import type { RuleFactory } from "../rule.js";
import type { MockExtension } from "./examples.js";

export const bytes: RuleFactory = (spec) => {
  const encoded = new Map<string, Set<string>>();
  for (const o of spec.operations.values()) {
    const media = o.answers.filter((a) => (a.content["x-elkapi-mock"] as MockExtension | undefined)?.bytes === "base64").map((a) => a.media);
    if (media.length) encoded.set(o.id, new Set(media));
  }
  return {
    name: "bytes",
    onResponse(ex) {
      const media = ex.route && encoded.get(ex.route.operation.id);
      const res = ex.response;
      if (media?.has(mediaOf(res.headers["content-type"])) && res.status >= 200 && res.status < 300) {
        res.body = Buffer.from(res.body.toString("latin1").trim(), "base64");
      }
    },
  };
};
