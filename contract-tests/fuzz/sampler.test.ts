/**
 * The fuzzer's own parts, without the mock: the sampler's handling of json-schema-faker's blind spots, and the
 * mutation engine's reading of open and closed enums, unions and closed objects.
 */
import { describe, expect, it } from "vitest";
import { EXTRA_FIELD, OFF_ENUM, mutationsOf, refusal } from "../lib/fuzz/mutations.js";
import { breaksARule, formView } from "../lib/fuzz/requests.js";
import { FILE_PREFIX, drawValid } from "../lib/fuzz/sampler.js";
import { fuzzTargets } from "../lib/fuzz/targets.js";
import { pointerOf, schemaErrors } from "../lib/spec.js";

const schema = (name: string) => pointerOf("components", "schemas", name);

describe("sampler", () => {
  it("draws numbers above a minimum with no maximum (Anthropic budget_tokens >= 1024)", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const v = drawValid(schema("AnthropicThinkingEnabled"), seed).value as { budget_tokens: number };
      expect(v.budget_tokens).toBeGreaterThanOrEqual(1024);
    }
  });

  it("draws JSON text for a JSON-text form field, parseable and valid against its contentSchema", () => {
    const texts = Array.from({ length: 20 }, (_, i) => drawValid(schema("IdeogramColorPaletteFormField"), i + 1).value).filter((v) => typeof v === "string");
    expect(texts.length).toBeGreaterThan(0);
    for (const t of texts) expect(schemaErrors(schema("IdeogramColorPalette"), JSON.parse(t as string))).toEqual([]);
  });

  it("draws deep $ref chains whole (chat content parts, no null items) and the same value for the same seed", () => {
    const t = fuzzTargets.find((x) => x.id === "createChatCompletion")!;
    for (let seed = 1; seed <= 20; seed++) expect(schemaErrors(t.bodyPointer!, drawValid(t.bodyPointer!, seed).value)).toEqual([]);
    expect(drawValid(t.bodyPointer!, 7).value).toEqual(drawValid(t.bodyPointer!, 7).value);
  });

  it("draws files as bytes for multipart file fields", () => {
    const t = fuzzTargets.find((x) => x.id === "createImageEdit")!;
    const body = drawValid(t.bodyPointer!, 3).value as Record<string, unknown>;
    const image = ([] as unknown[]).concat(body.image);
    expect(image.every((f) => typeof f === "string" && f.startsWith(FILE_PREFIX))).toBe(true);
  });
});

describe("mutations", () => {
  const chat = fuzzTargets.find((x) => x.id === "createChatCompletion")!;
  const body = { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hi" }], reasoning_effort: "low", n: 2 };

  it("makes no off-enum mutation where the enum is open (model ids, reasoning_effort take any string)", () => {
    const ms = mutationsOf(chat.bodyPointer!, body);
    expect(ms.filter((m) => m.kind === "enum" && (m.field === "model" || m.field === "reasoning_effort"))).toEqual([]);
    expect(ms.some((m) => m.kind === "required" && m.field === "messages" && m.definite)).toBe(true);
  });

  it("refuses each definite mutation at the field it broke", () => {
    for (const m of mutationsOf(chat.bodyPointer!, body).filter((x) => x.definite)) {
      const r = refusal(chat.bodyPointer!, m);
      expect(r.refused, m.note).toBe(true);
      expect(r.located, `${m.note}: ${r.errors.join("; ")}`).toBe(true);
    }
  });

  it("mutates a closed enum off its values, and a closed object with an extra field", () => {
    const lipSync = fuzzTargets.find((x) => x.id === "createKlingLipSync")!;
    const ms = mutationsOf(lipSync.bodyPointer!, { input: { video_id: "v1", mode: "text2video", text: "hi", voice_id: "uk_boy1" } });
    expect(ms.find((m) => m.kind === "enum" && m.field === "mode")?.note).toContain(`off its closed enum`);
    expect(JSON.stringify(ms.find((m) => m.kind === "enum")?.value)).toContain(OFF_ENUM);
    const palette = mutationsOf(schema("IdeogramColorPalette"), { name: "PASTEL" });
    expect(palette.some((m) => m.kind === "extra" && m.field === EXTRA_FIELD)).toBe(true);
  });

  it("reads a form as text: a number field given letters breaks a rule, an empty repeated field is no field", () => {
    const edit = fuzzTargets.find((x) => x.id === "createImageEdit")!;
    const base = drawValid(edit.bodyPointer!, 5).value as Record<string, unknown>;
    expect(breaksARule(edit, { path: {}, query: {}, header: {}, body: { ...base, n: "elk-fuzz-not-a-number" } })).toBe(true);
    expect(formView({ a: [], b: 3, c: { x: 1 } })).toEqual({ b: "3", c: '{"x":1}' });
  });
});
