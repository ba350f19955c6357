/**
 * The logic behind `npm run generators` (scripts/lib/review/generators/) on small fixture specs: what counts as an erased
 * schema or a dropped `required`, which zod schema an example is parsed with, and the fast portability checks
 * `npm run generate` applies. The generators themselves run in `npm run generators` (CI step), not here.
 */
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { componentTypes, statesType, typeLosses } from "../scripts/lib/review/generators/erased.js";
import { exampleCases, rejectedExamples } from "../scripts/lib/review/generators/examples.js";
import { typecheck } from "../scripts/lib/review/generators/typecheck.js";
import { enumMemberName, portabilityProblems } from "../scripts/lib/generate/portability.js";
import { root } from "../scripts/lib/paths.js";
import type { Bundle } from "../scripts/lib/spec.js";
import { bundle } from "./lib/spec.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-generators-test-"));
  await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const doc = (schemas: Record<string, unknown>, paths: Record<string, unknown> = {}): Bundle =>
  ({ openapi: "3.1.0", info: { title: "fixture", version: "1" }, paths, components: { schemas } }) as unknown as Bundle;

/** The findings for a spec and the TypeScript a generator made of it. */
async function losses(spec: Bundle, source: string, lookup: "components" | "export" | "zod", name = "out.ts") {
  const file = path.join(dir, name);
  await writeFile(file, source);
  const { program, errors } = typecheck([file]);
  expect(errors).toEqual([]);
  const checker = program.getTypeChecker();
  const types = componentTypes(checker, program.getSourceFile(file)!, Object.keys(spec.components!.schemas!), lookup);
  return typeLosses(spec, checker, types);
}

const atLeastOneAsAnyOf = {
  type: "object",
  anyOf: [{ required: ["url"] }, { required: ["b64_json"] }],
  properties: { url: { type: "string" }, b64_json: { type: "string" } },
};

describe("statesType: which schemas lose information as unknown/any", () => {
  it("counts typed, shaped and referenced schemas, not rules or empty schemas", () => {
    const spec = doc({ S: { type: "string" } });
    expect(statesType(spec, { type: "object" })).toBe(true);
    expect(statesType(spec, { properties: { a: {} } })).toBe(true);
    expect(statesType(spec, { enum: ["a"] })).toBe(true);
    expect(statesType(spec, { $ref: "#/components/schemas/S" })).toBe(true);
    expect(statesType(spec, { anyOf: [{ type: "string" }, { type: "integer" }] })).toBe(true);
    expect(statesType(spec, {})).toBe(false);
    expect(statesType(spec, { description: "anything" })).toBe(false);
    expect(statesType(spec, { required: ["a"] })).toBe(false);
    expect(statesType(spec, { anyOf: [{ required: ["a"] }, { required: ["b"] }] })).toBe(false);
    expect(statesType(spec, { anyOf: [{ type: "string" }, {}] })).toBe(false);
  });
});

describe("typeLosses on hand-written output", () => {
  const spec = doc({
    Image: atLeastOneAsAnyOf,
    Page: { type: "object", properties: { data: { type: "array", items: { $ref: "#/components/schemas/Image" } }, meta: {}, count: { type: "integer" } } },
    Task: { allOf: [{ $ref: "#/components/schemas/Base" }], required: ["id", "state"] },
    Base: { type: "object", properties: { id: { type: "string" }, state: { type: "string" } } },
  });

  it("counts a component typed unknown once, not again where it is referenced", async () => {
    const r = await losses(spec, `export interface components { schemas: {
      Image: unknown;
      Page: { data?: components["schemas"]["Image"][]; meta?: unknown; count?: number };
      Task: components["schemas"]["Base"] & { id: string; state: string };
      Base: { id?: string; state?: string };
    } }`, "components");
    expect(r.findings).toEqual([{ pointer: "#/components/schemas/Image", kind: "erased", detail: "unknown" }]);
    expect(r.missing).toEqual([]);
  });

  it("counts a nested property typed any, and required properties typed optional", async () => {
    const r = await losses(spec, `export type Image = { url?: string; b64_json?: string };
      export type Page = { data?: Image[]; meta?: unknown; count?: any };
      export type Task = Base;
      export type Base = { id?: string; state?: string };`, "export", "named.ts");
    expect(r.findings).toEqual([
      { pointer: "#/components/schemas/Page/properties/count", kind: "erased", detail: "any" },
      { pointer: "#/components/schemas/Task", kind: "required", detail: "id" },
      { pointer: "#/components/schemas/Task", kind: "required", detail: "state" },
    ]);
  });

  it("counts an inherited property an intersection collapses to any", async () => {
    const r = await losses(spec, `export type Image = { url?: string };
      export type Page = { data?: Image[] };
      export type Task = Base & { id: any; state: string };
      export type Base = { id?: string; state?: string };`, "export", "collapsed.ts");
    expect(r.findings).toContainEqual({ pointer: "#/components/schemas/Task/properties/id", kind: "erased", detail: "any (inherited)" });
  });

  it("reads zod schemas through their parsed type", async () => {
    const r = await losses(doc({ Image: atLeastOneAsAnyOf }), `import { z } from "zod";
      export const zImage = z.object({ url: z.string().optional(), b64_json: z.unknown() });`, "zod", "zod.ts");
    expect(r.findings).toEqual([{ pointer: "#/components/schemas/Image/properties/b64_json", kind: "erased", detail: "unknown" }]);
  });

  it("names components the output has no type for", async () => {
    const r = await losses(doc({ Image: atLeastOneAsAnyOf, Other: { type: "string" } }), `export type Image = { url?: string };`, "export", "partial.ts");
    expect(r.missing).toEqual(["Other"]);
    expect(r.compared).toBe(1);
  });
});

describe("typeLosses on openapi-typescript's real output", () => {
  const types = async (spec: Bundle, name: string) => {
    const source = astToString(await openapiTS(spec as never));
    return losses(spec, source, "components", name);
  };

  it("finds the schema an anyOf of bare required lists erases (the check can fail)", async () => {
    const r = await types(doc({ ImageItem: atLeastOneAsAnyOf }), "oat-erased.ts");
    expect(r.findings).toEqual([{ pointer: "#/components/schemas/ImageItem", kind: "erased", detail: "unknown" }]);
  });

  it("finds nothing once the rule is written as not: {allOf: [{not: ...}]}", async () => {
    const portable = {
      ...atLeastOneAsAnyOf,
      anyOf: undefined,
      not: { allOf: [{ not: { required: ["url"], properties: { url: {} } } }, { not: { required: ["b64_json"], properties: { b64_json: {} } } }] },
    };
    const r = await types(doc({ ImageItem: JSON.parse(JSON.stringify(portable)) }), "oat-portable.ts");
    expect(r.findings).toEqual([]);
  });
});

describe("named examples and their zod schemas", () => {
  const spec = {
    ...doc({ Thing: { type: "object", required: ["id"], properties: { id: { type: "string" } } }, Chunk: { type: "object", required: ["n"], properties: { n: { type: "integer" } } } }),
    paths: {
      "/things": {
        post: {
          operationId: "createThing",
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" }, examples: { ok: { value: { id: "a" } }, bad: { value: { id: 1 } } } } } },
          responses: {
            "200": {
              description: "ok",
              content: {
                "application/json": { schema: { type: "array", items: { $ref: "#/components/schemas/Thing" } }, examples: { list: { value: [{ id: "a" }] } } },
                "text/event-stream": {
                  schema: { type: "string", contentSchema: { $ref: "#/components/schemas/Chunk" } },
                  "x-elkapi-sse": { done: "[DONE]" },
                  examples: { stream: { value: 'data: {"n":1}\n\ndata: {"n":"x"}\n\ndata: [DONE]\n\n' } },
                },
                "audio/mpeg": { schema: { type: "string", format: "binary" }, examples: { mp3: { value: "ID3" } } },
              },
            },
          },
        },
      },
    },
  } as unknown as Bundle;

  it("maps each example to the zod schema hey-api names for it, SSE payloads one by one", () => {
    const { cases, skipped } = exampleCases(spec);
    expect(cases.map((c) => [c.label, c.zod])).toEqual([
      ["createThing request application/json ok", "zThing"],
      ["createThing request application/json bad", "zThing"],
      ["createThing 200 application/json list", "zCreateThingResponse"],
      ["createThing 200 text/event-stream stream event 0", "zChunk"],
      ["createThing 200 text/event-stream stream event 1", "zChunk"],
    ]);
    expect(skipped).toEqual(["createThing 200 audio/mpeg mp3: not JSON"]);
  });

  it("reports the examples the schemas reject, and examples without their schema", () => {
    const { cases } = exampleCases(spec);
    const zThing = z.object({ id: z.string() });
    const r = rejectedExamples(cases, { zThing, zChunk: z.object({ n: z.int() }) });
    expect(r.checked).toBe(4);
    expect(r.rejected).toHaveLength(2);
    expect(r.rejected[0]).toMatch(/^createThing request application\/json bad \(zThing\): id: /);
    expect(r.rejected[1]).toMatch(/event 1 \(zChunk\): n: /);
    expect(r.unmatched).toEqual(["createThing 200 application/json list: no zCreateThingResponse in zod.gen.ts"]);
  });
});

describe("portability checks of npm run generate", () => {
  const form = (properties: Record<string, unknown>, encoding: Record<string, unknown> = {}) =>
    ({
      openapi: "3.1.0",
      paths: {
        "/up": {
          post: {
            operationId: "upload",
            requestBody: { content: { "multipart/form-data": { schema: { type: "object", properties }, encoding } } },
            responses: {},
          },
        },
      },
    }) as unknown as Bundle;

  it("name each spelling generators misread, with the portable one", () => {
    const problems = portabilityProblems(
      doc({
        A: { type: "object", anyOf: [{ required: ["a"] }, { required: ["b"] }] },
        B: { oneOf: [{ $ref: "#/components/schemas/A", required: ["a"] }] },
        C: { type: "string", enum: ["x", ""] },
        D: { type: "string", enum: ["v3-5", "v3.5"] },
        E: { allOf: [{ $ref: "#/components/schemas/C" }, { required: ["x"] }] },
        Base: { type: "object", required: ["id"], properties: { id: { type: "string" }, name: { type: "string" } } },
        F: { allOf: [{ $ref: "#/components/schemas/Base" }], required: ["id", "name"] },
      }),
    );
    expect(problems).toEqual([
      '#/components/schemas/A: anyOf of bare required lists; write "at least one of" as not: {allOf: [{not: {required: [a]}}, ...]}',
      "#/components/schemas/B/oneOf/0: required beside $ref is ignored by tools that follow JSON Reference; use allOf: [{$ref}] instead",
      '#/components/schemas/C: enum values "" have no distinct identifier; add x-enum-varnames',
      '#/components/schemas/D: enum values "v3.5" have no distinct identifier; add x-enum-varnames',
      "#/components/schemas/E: an allOf member that only holds a rule (not, required, ...) makes oazapfts type the schema any; put the rule on the schema itself",
      "#/components/schemas/F: required name only defined by an allOf $ref: hey-api and oazapfts type them optional; restate each in properties beside (its type)",
    ]);
    expect(
      portabilityProblems(
        form(
          { files: { oneOf: [{ type: "string", format: "binary" }, { type: "array", items: { type: "string", format: "binary" } }] }, n: { type: ["integer", "null"] }, meta: { oneOf: [{ type: "string" }, { type: "object" }] } },
          { meta: { contentType: "application/json" } },
        ),
      ),
    ).toEqual([
      "upload multipart body: field files: a union with an array; a repeated part is type: array (one part is a list of one)",
      "upload multipart body: field n: allows null, which a form part cannot carry",
      "upload multipart body: field meta: a union with an object; a JSON part is JSON text (type: string, contentMediaType, contentSchema)",
    ]);
  });

  it("accept the portable spellings, and the published bundle has none of the others", () => {
    expect(portabilityProblems(doc({ C: { type: "string", enum: ["x", ""], "x-enum-varnames": ["x", "empty"] } }))).toEqual([]);
    const jsonText = { type: "string", contentMediaType: "application/json", contentSchema: { type: "object" } };
    expect(portabilityProblems(form({ files: { type: "array", items: { type: "string", format: "binary" } }, meta: jsonText, n: { anyOf: [{ type: "integer" }, { const: "" }] } }))).toEqual([]);
    expect(portabilityProblems(bundle)).toEqual([]);
    expect(enumMemberName("1024x1024")).toBe("Value1024x1024");
    expect(enumMemberName("chirp-v3.5")).toBe("chirp_v3_5");
  });
});
