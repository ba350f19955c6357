/**
 * The mock's copy of the published bundle (mock/view.ts, scripts/lib/generate/form-view.ts): a pure respelling. Examples
 * valid in the published bundle stay valid, "at least one of" rules accept and refuse the same bodies, and
 * multipart fields take one part or JSON text where the published spec says array or object.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { formView } from "../../scripts/lib/generate/form-view.js";
import { atLeastOneOf, mockView } from "../view.js";
import { type Bundle, type Json, deref } from "../../scripts/lib/spec.js";
import { allOperations, bundle, examplesOf } from "../../contract-tests/lib/spec.js";

const view = mockView(bundle);
const ajv = (doc: Bundle) => {
  const a = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(a);
  a.addFormat("binary", true);
  a.addSchema(doc as object, "spec");
  return a;
};
const published = ajv(bundle);
const mock = ajv(view);

/** Every schema node of the bundle that holds an "at least one of" rule, with its JSON pointer. */
function ruleSites(node: Json, pointer = ""): [string, Json[][]][] {
  if (Array.isArray(node)) return node.flatMap((v, i) => ruleSites(v, `${pointer}/${i}`));
  if (!node || typeof node !== "object") return [];
  const own = atLeastOneOf(node as { [k: string]: Json });
  const here: [string, Json[][]][] = own ? [[pointer, own]] : [];
  return [...here, ...Object.entries(node).flatMap(([k, v]) => (k === "examples" || k === "example" ? [] : ruleSites(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`)))];
}

describe("mock view", () => {
  it("leaves the published bundle as it was", () => {
    const before = JSON.stringify(bundle);
    mockView(bundle);
    expect(JSON.stringify(bundle)).toBe(before);
  });

  it("has no callbacks for Prism to fire (the callbacks rule delivers them), where the published bundle has 34", () => {
    expect(allOperations.filter((o) => o.op.callbacks)).toHaveLength(34);
    expect(JSON.stringify(view)).not.toContain('"callbacks"');
    expect(Object.keys(view.paths)).toEqual(Object.keys(bundle.paths));
  });

  it("respells every 'at least one of' rule as anyOf, accepting and refusing the same bodies", () => {
    const sites = ruleSites(bundle as unknown as Json);
    expect(sites.length).toBeGreaterThan(5);
    for (const [pointer, groups] of sites) {
      const names = [...new Set(groups.flat().flatMap((m) => ((m as { required?: string[] }).required ?? [])))];
      const probes: Json[] = [{}, Object.fromEntries(names.map((n) => [n, "x"]))];
      for (const n of names) for (const v of ["x", "", 0, null, ["x"]] as Json[]) probes.push({ [n]: v });
      for (const n of names) for (const m of names) probes.push({ [n]: "x", [m]: "y" });
      const rule = published.compile({ not: (deref(bundle, { $ref: `#${pointer}` } as Json) as { not: Json }).not } as object);
      const respelled = mock.compile({ allOf: groups.map((g) => ({ anyOf: g })) } as object);
      for (const p of probes) expect(respelled(p), `${pointer} ${JSON.stringify(p)}`).toBe(rule(p));
    }
    expect(JSON.stringify(view)).not.toMatch(/"not":\{"(allOf":\[\{"not|anyOf":\[\{"allOf":\[\{"not)/);
  });

  it("keeps every named example of the bundle valid", () => {
    let checked = 0;
    for (const { op, path, method } of allOperations) {
      const body = op.requestBody ? (deref(bundle, op.requestBody) as { content?: Record<string, { schema?: Json }> }) : undefined;
      for (const [media, mt] of Object.entries(body?.content ?? {})) {
        const base = op.requestBody?.$ref ? op.requestBody.$ref.slice(1) : `/paths/${path.replace(/~/g, "~0").replace(/\//g, "~1")}/${method}/requestBody`;
        const pointer = `spec#${base}/content/${media.replace(/~/g, "~0").replace(/\//g, "~1")}/schema`;
        for (const ex of examplesOf(mt as never)) {
          if (!published.getSchema(pointer)!(ex.value)) continue;
          checked++;
          expect(mock.getSchema(pointer)!(ex.value), `${op.operationId} ${ex.name}`).toBe(true);
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("takes one part for a repeated field and JSON text for a JSON part", () => {
    const edit = (s: Bundle) => s.components!.schemas!.CreateImageEditRequest as { properties: Record<string, { oneOf?: Json[]; type?: string }> };
    expect(edit(bundle).properties.image!.type).toBe("array");
    expect(edit(view).properties.image!.oneOf).toEqual([{ type: "string", format: "binary" }, edit(bundle).properties.image]);
    const remix = (s: Bundle) => s.components!.schemas!.IdeogramRemixRequest as { properties: Record<string, { oneOf?: { type?: string; contentMediaType?: string }[] }> };
    expect(remix(view).properties.image_request!.oneOf![0]).toMatchObject({ type: "string", contentMediaType: "application/json" });
    const validate = mock.getSchema("spec#/components/schemas/IdeogramRemixRequest")!;
    expect(validate({ image_file: "png", image_request: '{"prompt":"x"}' })).toBe(true);
    expect(validate({ image_file: "png", image_request: { prompt: "x" } })).toBe(true);
  });

  it("rewrites a form schema a JSON body shares as an inline copy, leaving the JSON body's spelling", () => {
    const shared = {
      openapi: "3.1.0",
      paths: {
        "/a": { post: { operationId: "a", requestBody: { content: { "multipart/form-data": { schema: { $ref: "#/components/schemas/Up" } }, "application/json": { schema: { $ref: "#/components/schemas/Up" } } } }, responses: {} } },
      },
      components: { schemas: { Up: { type: "object", properties: { tags: { type: "array", items: { type: "string" } } } } } },
    } as unknown as Bundle;
    const out = formView(shared);
    const content = (out.paths["/a"]!.post as { requestBody: { content: Record<string, { schema: Json }> } }).requestBody.content;
    expect(content["application/json"]!.schema).toEqual({ $ref: "#/components/schemas/Up" });
    expect(content["multipart/form-data"]!.schema).toEqual({ type: "object", properties: { tags: { oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] } } });
    expect(out.components!.schemas!.Up).toEqual(shared.components!.schemas!.Up);
  });
});
