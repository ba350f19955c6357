/** Checks `npm run generate` applies to the spec beyond its extensions (scripts/lib/generate/extensions.ts). */
import { describe, expect, it } from "vitest";
import { checkExtensions, nullOnlyRequestProblems } from "../scripts/lib/generate/extensions.js";
import { descriptionProblems } from "../scripts/lib/generate/descriptions.js";
import { toleranceFindings, toleranceProblems } from "../scripts/lib/generate/tolerance.js";
import { bundle } from "./lib/spec.js";

const withBody = (properties: Record<string, unknown>) => ({
  openapi: "3.1.0",
  paths: {
    "/x": {
      post: {
        operationId: "makeThing",
        requestBody: { content: { "application/json": { schema: { type: "object", properties } } } },
        responses: {},
      },
    },
  },
});

describe("request properties typed only null", () => {
  it("are refused, named with their operation (openapi-fetch would type them never)", () => {
    expect(nullOnlyRequestProblems(withBody({ a: { type: "null" }, b: { type: "object", properties: { c: { const: null } } } }) as never)).toEqual([
      "makeThing request: property a is typed only null",
      "makeThing request.b: property c is typed only null",
    ]);
  });

  it("are fine with a real type next to null, and absent from the spec", () => {
    expect(nullOnlyRequestProblems(withBody({ a: { type: ["number", "null"] } }) as never)).toEqual([]);
    expect(nullOnlyRequestProblems(bundle)).toEqual([]);
  });
});

describe("tolerance: closed request enums (openapi/README.md, Tolerance)", () => {
  const findings = (properties: Record<string, unknown>, parameters: unknown[] = []) => {
    const doc = withBody(properties) as { paths: { "/x": { post: Record<string, unknown> } } };
    doc.paths["/x"].post.parameters = parameters;
    return toleranceProblems(toleranceFindings(doc as never));
  };

  it("refuses a model id written as a closed enum or const, anywhere in the request", () => {
    expect(
      findings(
        { model: { type: "string", enum: ["a", "b"] }, input: { type: "object", properties: { model_name: { const: "k1" } } }, mv: { anyOf: [{ enum: ["x", "y"] }, { type: "integer" }] } },
        [{ name: "model", in: "query", schema: { enum: ["a", "b"] } }],
      ),
    ).toEqual([
      'makeThing: body.model is a model id but a closed ["a","b"]: write it open (anyOf: [{type: string, enum: [...]}, {type: string}])',
      'makeThing: body.input.model_name is a model id but a closed ["k1"]: write it open (anyOf: [{type: string, enum: [...]}, {type: string}])',
      'makeThing: body.mv is a model id but a closed ["x","y"]: write it open (anyOf: [{type: string, enum: [...]}, {type: string}])',
      'makeThing: query.model is a model id but a closed ["a","b"]: write it open (anyOf: [{type: string, enum: [...]}, {type: string}])',
    ]);
  });

  it("accepts the open spelling, a sourced closed enum and one-value discriminators; flags an unsourced closed enum", () => {
    expect(
      findings({
        model: { anyOf: [{ type: "string", enum: ["a", "b"] }, { type: "string" }] },
        duration: { anyOf: [{ type: "integer", enum: [5, 10] }, { type: "integer" }] },
        size: { type: "string", enum: ["1:1", "16:9"], "x-elkapi-closed-enum": "Vendor answers 400 for other sizes (https://example.com/errors)" },
        type: { type: "string", enum: ["function"] },
        ratio: { type: "string", enum: ["1:1", "16:9"] },
      }),
    ).toEqual(['makeThing: body.ratio is a closed enum ["1:1","16:9"]: write it open, or name the source that shows other values refused in x-elkapi-closed-enum']);
  });

  it("finds no closed model id and no unsourced closed enum in the spec's requests", () => {
    expect(toleranceFindings(bundle)).toEqual([]);
  });
});

describe("descriptions: provenance in one closing Source line (openapi/README.md, Descriptions)", () => {
  const doc = (description: string | undefined, schemaDescription?: string) => {
    const d = withBody({ a: { type: "string", ...(schemaDescription ? { description: schemaDescription } : {}) } }) as { paths: { "/x": { post: Record<string, unknown> } } };
    if (description !== undefined) d.paths["/x"].post.description = description;
    return d as never;
  };

  it("accepts user text ending in one Source line, which may wrap", () => {
    expect(descriptionProblems(doc("Makes a thing.\nSource: vendor docs,\nan SDK fixture.", "A thing. Plain text."))).toEqual([]);
  });

  it("names the operation or pointer whose sources are missing, mid-text, repeated or followed by prose", () => {
    expect(descriptionProblems(doc(undefined))).toEqual(["makeThing: no description"]);
    expect(descriptionProblems(doc("Makes a thing."))).toEqual(["makeThing: description does not end with a `Source: ...` line"]);
    expect(descriptionProblems(doc("Makes a thing. Source: docs. More text.\nSource: x"))).toEqual([
      "makeThing: description names its sources 2 times; keep one closing `Source: ...` line",
    ]);
    expect(descriptionProblems(doc("Makes a thing.\nSource: docs.", "A thing (Source: docs). Then more."))).toEqual([
      "#/paths/~1x/post/requestBody/content/application~1json/schema/properties/a: description names its sources elsewhere than in one closing `Source: ...` line",
    ]);
    expect(descriptionProblems(doc("Makes a thing.\nSource: docs.\n\nA paragraph for users."))).toEqual(["makeThing: description has text after its `Source: ...` line"]);
  });

  it("finds no problem in the spec", () => {
    expect(descriptionProblems(bundle)).toEqual([]);
  });
});

describe("x-elkapi-mock (mock/rules/examples.ts, bytes.ts)", () => {
  const withMock = (ext: unknown, media = "application/json", schema: unknown = { type: "object" }) => ({
    openapi: "3.1.0",
    paths: {
      "/x": {
        post: {
          operationId: "makeThing",
          requestBody: { content: { "application/json": { schema: { type: "object", properties: { n: { type: "integer" }, format: { type: "string" } } } } } },
          responses: { "200": { description: "ok", content: { [media]: { schema, examples: { one: { value: { data: [] } } }, "x-elkapi-mock": ext } } } },
        },
      },
    },
  });

  it("accepts select, default and repeat that point at real examples, fields and arrays", () => {
    const ext = { default: "one", select: [{ in: "body", name: "format", value: "b64", example: "one" }], repeat: { at: "/data", per: { in: "body", name: "n" } } };
    expect(checkExtensions(withMock(ext) as never)).toEqual([]);
  });

  it("names an unknown example, an unknown field, a repeat that is no array, and bytes on a non-binary type", () => {
    const ext = { default: "two", select: [{ in: "body", name: "fmt", value: "x" }], repeat: { at: "/items", per: { in: "query", name: "n" } }, bytes: "base64" };
    const problems = checkExtensions(withMock(ext) as never).join("\n");
    expect(problems).toContain("names example two");
    expect(problems).toContain("reads body fmt");
    expect(problems).toContain("reads query n");
    expect(problems).toContain("repeat.at /items is not an array in example one");
    expect(problems).toContain("bytes on a media type whose schema is not format: binary");
    expect(checkExtensions(withMock({ bytes: "base64" }, "audio/wav", { type: "string", format: "binary" }) as never)).toEqual([]);
    expect(checkExtensions(withMock({ select: [] }) as never).join("\n")).toContain("x-elkapi-mock/select");
  });
});
