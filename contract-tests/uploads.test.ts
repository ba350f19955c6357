/**
 * Multipart uploads for every multipart operation: files from a path, a Buffer, a Blob and a File arrive with the
 * right filename and media type (against a scripted server), the mock accepts a file from a path, and a form is
 * encoded once and resent identically on retry.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import mime from "mime";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OperationId, type OperationInfo, operations } from "../generated/operations.js";
import { createElkClient, toFile } from "../src/index.js";
import { type FaultServer, json, startFaultServer } from "./faults/fault-server.js";
import { TEST_KEY, requestExamples, testClient } from "./lib/calls.js";
import { operation } from "./lib/spec.js";

const PNG = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13]);

let server: FaultServer;
let dir: string;
beforeAll(async () => {
  server = await startFaultServer();
  dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-uploads-"));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The multipart parts the server received in its last request. */
async function lastForm(): Promise<FormData> {
  const a = server.arrivals.at(-1)!;
  return new Response(new Uint8Array(a.body), { headers: { "content-type": String(a.headers["content-type"]) } }).formData();
}

describe("uploads: every multipart operation", () => {
  const multipart = (Object.entries(operations) as [OperationId, OperationInfo][]).filter(([, op]) => op.files !== null);

  it("the table lists multipart operations with their file fields", () => {
    expect(multipart.length).toBeGreaterThan(0);
    for (const [, op] of multipart) expect(Object.keys(op.files!).length).toBeGreaterThan(0);
  });

  for (const [id, info] of multipart) {
    it(`${id}: files from a path, a Buffer, a Blob and a File arrive with the right filename and media type`, async () => {
      const example = (requestExamples(operation(id))[0]?.value ?? {}) as Record<string, unknown>;
      const body: Record<string, unknown> = Object.fromEntries(Object.entries(example).filter(([, v]) => v !== ""));
      const fields = Object.entries(info.files!);
      const expected: Record<string, { name: string; type: string }[]> = {};
      let i = 0;
      for (const [field, types] of fields) {
        const type = types[0] ?? "application/octet-stream";
        // The file extension that names this media type (audio/mpeg → mp3), as a user's file would have.
        const ext = mime.getExtension(type) ?? "bin";
        const p = path.join(dir, `${field}-${i}.${ext}`);
        await writeFile(p, PNG);
        // Four sources in turn: a path, a Buffer (typed from the spec's encoding), a nameless Blob, a File.
        const sources: [unknown, { name: string; type: string }][] = [
          [await toFile(p), { name: path.basename(p), type }],
          [Buffer.from(PNG), { name: `${field}.${ext}`, type }],
          [new Blob([PNG]), { name: `${field}.${ext}`, type }],
          [new File([PNG], `own-${field}.${ext}`, { type }), { name: `own-${field}.${ext}`, type }],
        ];
        const [value, want] = sources[i % sources.length]!;
        body[field] = value;
        expected[field] = [want];
        i += 1;
      }
      server.script(json(200, { created: 1, data: [] }));
      const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl });
      const call = elk[info.method as "POST"] as unknown as (url: string, init: object) => Promise<unknown>;
      await call(info.path, { body, params: { path: {} } });
      expect(String(server.arrivals.at(-1)!.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
      const form = await lastForm();
      for (const [field, want] of Object.entries(expected)) {
        const parts = form.getAll(field) as File[];
        expect(parts.map((p) => ({ name: p.name, type: p.type }))).toEqual(want);
        expect(new Uint8Array(await parts[0]!.arrayBuffer())).toEqual(PNG);
      }
    });
  }

  it("createImageEdit: a file from a path is accepted by the mock (Prism validates the multipart body)", async () => {
    const p = path.join(dir, "photo.png");
    await writeFile(p, PNG);
    const { data } = await testClient().POST("/v1/images/edits", { body: { image: [await toFile(p), await toFile(p, "second.png")], prompt: "Add a lamp" } });
    expect(data.data.length).toBeGreaterThan(0);
  });

  it("a multipart body is buffered once and resent identically on retry", async () => {
    server.script(json(503, { error: { message: "busy" } }), json(200, { created: 1, data: [] }));
    const elk = createElkClient({ apiKey: TEST_KEY, baseUrl: server.baseUrl, sleep: async () => undefined });
    const image = await toFile(PNG, "a.png");
    await elk.POST("/v1/images/edits", { body: { image, prompt: "x" } });
    const [a, b] = server.arrivals.slice(-2);
    expect(b!.body.equals(a!.body)).toBe(true);
    expect(b!.headers["content-type"]).toBe(a!.headers["content-type"]);
  });
});
