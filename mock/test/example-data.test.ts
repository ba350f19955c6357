/**
 * The base64 data the mock serves is real (issue: a client decodes it): every `b64_json` in an answer example
 * is a PNG, every binary answer marked `x-elkapi-mock.bytes: base64` decodes to audio of its media type, and
 * base64 embeddings hold the float example's numbers.
 */
import { describe, expect, it } from "vitest";
import { audioFormat, float32s, pngSize } from "../../contract-tests/lib/media-bytes.js";
import { exampleValue, loadMockSpec } from "../spec.js";

const spec = await loadMockSpec();
const answers = [...spec.operations.values()].flatMap((o) => o.answers.map((a) => ({ id: o.id, ...a })));
const examplesOf = (a: (typeof answers)[number]) => a.examples.map((name) => ({ name, value: exampleValue(spec, a, name) }));

/** Every string under a key named `key` in a JSON value, and in the JSON of each SSE `data:` line. */
function stringsAt(value: unknown, key: string): string[] {
  if (typeof value === "string" && value.includes("data: ")) {
    return value.split("\n").flatMap((l) => (l.startsWith("data: {") ? stringsAt(JSON.parse(l.slice(6)), key) : []));
  }
  if (Array.isArray(value)) return value.flatMap((v) => stringsAt(v, key));
  if (!value || typeof value !== "object") return [];
  return Object.entries(value).flatMap(([k, v]) => (k === key && typeof v === "string" ? [v] : stringsAt(v, key)));
}

const SEED_PLACEHOLDERS = new Set(["b64_json", ".........................."]); // the seeds' own values, kept verbatim

describe("example data a client decodes", () => {
  it("every b64_json of an image answer (JSON and SSE) is a PNG, except the seeds' verbatim placeholders", () => {
    const found = answers.flatMap((a) => examplesOf(a).flatMap((e) => stringsAt(e.value, "b64_json").map((b) => ({ where: `${a.id} ${a.media} ${e.name}`, b }))));
    expect(found.length).toBeGreaterThan(5);
    for (const { where, b } of found.filter((f) => !SEED_PLACEHOLDERS.has(f.b))) {
      expect(pngSize(Buffer.from(b, "base64")), where).toEqual({ width: 1, height: 1 });
    }
  });

  it("every answer marked bytes: base64 decodes to audio of its media type", () => {
    const kinds: Record<string, string | undefined> = { "audio/mpeg": "mp3", "audio/wav": "wav", "audio/flac": "flac", "audio/opus": "opus", "audio/aac": "aac" };
    const marked = answers.filter((a) => (a.content["x-elkapi-mock"] as { bytes?: string } | undefined)?.bytes === "base64");
    expect(marked.map((a) => a.media).sort()).toEqual(["audio/aac", "audio/flac", "audio/mpeg", "audio/opus", "audio/pcm", "audio/wav"]);
    for (const a of marked) {
      for (const e of examplesOf(a)) {
        const bytes = Buffer.from(e.value as string, "base64");
        if (a.media === "audio/pcm") expect(bytes.length % 2 === 0 && bytes.some((x) => x !== 0), e.name).toBe(true);
        else expect(audioFormat(bytes), `${a.media} ${e.name}`).toBe(kinds[a.media]);
      }
    }
  });

  it("base64 embeddings decode to the float example's non-zero numbers (float32)", () => {
    const json = answers.find((a) => a.id === "createEmbedding" && a.media === "application/json")!;
    const vectors = (name: string) => (exampleValue(spec, json, name) as { data: { embedding: unknown }[] }).data.map((d) => d.embedding);
    const decoded = vectors("base64").map((v) => float32s(v as string));
    const floats = vectors("batch") as number[][];
    expect(decoded).toEqual(floats.map((v) => v.map(Math.fround)));
    expect(decoded.flat().every((v) => v !== 0)).toBe(true);
  });

  it("the checks refuse placeholders", () => {
    expect(pngSize(Buffer.from("iVBORw0KGgoAAAANSUhEUgAA", "base64"))).toBeInstanceOf(Error);
    expect(audioFormat(Buffer.from("<binary mp3 audio: ID3 tag, then MPEG-1 Layer III frames>"))).toBeUndefined();
  });
});
