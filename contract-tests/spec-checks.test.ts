/** Checks `npm run generate` applies to the spec beyond its extensions (scripts/lib/extensions.ts). */
import { describe, expect, it } from "vitest";
import { nullOnlyRequestProblems } from "../scripts/lib/extensions.js";
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
