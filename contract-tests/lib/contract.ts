/**
 * The standard contract suite every operation gets (DESIGN.md, "An endpoint is done when", item 6): each named
 * example round-trips through createElkClient and validates against the spec with Ajv 2020; each request example
 * is accepted; a body missing a required field and a body with a bad enum value each give a typed error naming
 * the field; a call without a key is refused with 401.
 */
import { describe, expect, it } from "vitest";
import type { Json, OperationEntry } from "../../scripts/lib/spec.js";
import { operations } from "../../generated/operations.js";
import { taskQueries } from "../../generated/tasks.js";
import { expectEveryStateNamed } from "./task-states.js";
import { errorIn200Rule } from "../../src/internal/error-in-200.js";
import { AuthenticationError, BadRequestError, ElkApiError, ErrorInBodyError, UnprocessableEntityError } from "../../src/index.js";
import { TEST_KEY, callOperation, concretePath, formOf, handshake, mockBaseUrl, requestContent, requestExamples, schemaOf, toBody } from "./calls.js";
import { allOperations, bundle, deref, examplesOf, pointerOf, schemaErrors } from "./spec.js";
import { parseSse } from "./sse.js";

type Responses = OperationEntry["op"]["responses"];

function responseBase(entry: OperationEntry, status: string): string {
  const raw = entry.op.responses[status] as { $ref?: string };
  return raw.$ref ? raw.$ref.slice(1) : pointerOf("paths", entry.path, entry.method, "responses", status);
}

function requestBase(entry: OperationEntry): string {
  const raw = entry.op.requestBody as { $ref?: string } | undefined;
  return raw?.$ref ? raw.$ref.slice(1) : pointerOf("paths", entry.path, entry.method, "requestBody");
}

const mediaPointer = (base: string, media: string, ...rest: string[]) => `${base}${pointerOf("content", media, ...rest)}`;

/** The `x-elkapi-mock` of a success media type, if any. */
function mockOf(entry: OperationEntry, status: string, media: string): { bytes?: string } | undefined {
  return deref(bundle, entry.op.responses[status]!).content?.[media]?.["x-elkapi-mock"] as { bytes?: string } | undefined;
}

/** Every (status, media type, named example) of the success responses. */
function successExamples(entry: OperationEntry) {
  const out: { status: string; media: string; name: string; value: Json }[] = [];
  for (const [status, raw] of Object.entries(entry.op.responses as Responses)) {
    if (!/^2\d\d$/.test(status)) continue;
    const resp = deref(bundle, raw);
    for (const [media, mt] of Object.entries(resp.content ?? {})) {
      for (const ex of examplesOf(mt)) out.push({ status, media, name: ex.name, value: ex.value });
    }
  }
  return out;
}

/** A WebSocket endpoint: its only success is `101 Switching Protocols`, a handshake fetch cannot make. */
function upgradeOnly(entry: OperationEntry): boolean {
  const statuses = Object.keys(entry.op.responses);
  return statuses.includes("101") && !statuses.some((s) => /^2\d\d$/.test(s));
}

function firstRequestBody(entry: OperationEntry): unknown {
  const ex = requestExamples(entry)[0];
  return ex ? toBody(entry, ex.value) : undefined;
}

/** A path to a top-level or one-level-nested property whose schema has a string enum, with the example holding it. */
function enumTarget(entry: OperationEntry, example: Json): { path: string[]; allowed: Json[] } | undefined {
  const rc = requestContent(entry);
  if (!rc) return undefined;
  const walk = (schemaNode: Json | undefined, value: Json, trail: string[], depth: number): { path: string[]; allowed: Json[] } | undefined => {
    const s = schemaOf(schemaNode);
    for (const [name, propSchema] of Object.entries(s.properties ?? {})) {
      const ps = schemaOf(propSchema);
      const enumValues = ps.enum?.filter((v) => typeof v === "string" && v !== "");
      if (enumValues?.length) return { path: [...trail, name], allowed: ps.enum! };
      const child = value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, Json>)[name] : undefined;
      if (depth > 0 && child && typeof child === "object" && !Array.isArray(child) && ps.properties) {
        const found = walk(propSchema, child, [...trail, name], depth - 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(rc.content.schema, example, [], 1);
}

function setPath(value: Json, path: string[], v: Json): Json {
  const copy = structuredClone(value) as Record<string, Json>;
  let cur = copy;
  for (const key of path.slice(0, -1)) {
    cur[key] = (cur[key] && typeof cur[key] === "object" ? cur[key] : {}) as Json;
    cur = cur[key] as Record<string, Json>;
  }
  cur[path[path.length - 1]!] = v;
  return copy;
}

/** Expects `call` to fail with a typed 400/422 error whose message names `field` and never shows the key. */
export async function expectTypedFieldError(call: Promise<unknown>, field: string): Promise<ElkApiError> {
  const err = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, "the call should fail").toBeInstanceOf(ElkApiError);
  const e = err as ElkApiError;
  expect([BadRequestError, UnprocessableEntityError].some((c) => e instanceof c), `${e.name}: ${e.message}`).toBe(true);
  expect(e.message).toContain(field);
  expect(e.message).not.toContain(TEST_KEY);
  return e;
}


/** Registers the standard contract tests for every operation tagged `tag`. */
export function contractSuite(tag: string): void {
  const entries = allOperations.filter((o) => o.op.tags?.[0] === tag);

  describe(`${tag}: standard contract`, () => {
    it(`the spec has ${tag} operations`, () => {
      expect(entries.length).toBeGreaterThan(0);
    });

    for (const entry of entries) {
      const id = entry.op.operationId;
      describe(id, () => {
        for (const ex of successExamples(entry)) {
          it(`serves ${ex.status} ${ex.media} example "${ex.name}" through the client, valid against the spec`, async () => {
            const prefer = `code=${ex.status}, example=${ex.name}`;
            const base = responseBase(entry, ex.status);
            if (ex.media === "text/event-stream") {
              const { data, response } = await callOperation(entry, {
                body: firstRequestBody(entry),
                headers: { Accept: ex.media, Prefer: prefer },
                parseAs: "text",
              });
              expect(response.headers.get("content-type")).toContain("text/event-stream");
              expect(data).toBe(ex.value);
              const events = parseSse(data as string);
              expect(events.length).toBeGreaterThan(0);
              const rule = (deref(bundle, entry.op.responses[ex.status]!).content?.[ex.media] as { "x-elkapi-sse"?: { done?: string; endEvents?: string[]; errorEvents?: string[] } })["x-elkapi-sse"];
              for (const ev of events) {
                if (rule?.done !== undefined && ev.data === rule.done) continue;
                expect(schemaErrors(mediaPointer(base, ex.media, "schema", "contentSchema"), JSON.parse(ev.data))).toEqual([]);
              }
              const last = events[events.length - 1]!;
              if (rule?.done !== undefined) expect(last.data).toBe(rule.done);
              // A stream ends with an end event, or with an error event (an upstream failure after HTTP 200).
              if (rule?.endEvents) expect([...rule.endEvents, ...(rule.errorEvents ?? [])]).toContain(last.event ?? (JSON.parse(last.data) as { type?: string }).type);
              return;
            }
            const rules = operations[id as keyof typeof operations]?.errorIn200;
            if (errorIn200Rule(rules, ex.value)) {
              // An error the gateway sends inside a 2xx: the example is valid, and the client throws it.
              expect(schemaErrors(mediaPointer(base, ex.media, "schema"), ex.value)).toEqual([]);
              const err = await callOperation(entry, { body: firstRequestBody(entry), headers: { Accept: ex.media, Prefer: prefer } }).catch((e: unknown) => e);
              expect(err).toBeInstanceOf(ErrorInBodyError);
              expect((err as ErrorInBodyError).body).toEqual(ex.value);
              return;
            }
            const binary = schemaOf(deref(bundle, entry.op.responses[ex.status]!).content?.[ex.media]?.schema).format === "binary";
            const json = ex.media.includes("json");
            const { data, response } = await callOperation(entry, {
              body: firstRequestBody(entry),
              headers: { Accept: ex.media, Prefer: prefer },
              parseAs: json ? "json" : binary ? "blob" : "text",
            });
            expect(String(response.status)).toBe(ex.status);
            expect(response.headers.get("content-type")).toContain(ex.media);
            if (binary && mockOf(entry, ex.status, ex.media)?.bytes === "base64") {
              // The example holds the bytes in base64 (x-elkapi-mock.bytes); the client receives the bytes.
              const bytes = Buffer.from(await (data as Blob).arrayBuffer());
              expect(bytes.equals(Buffer.from(ex.value as string, "base64"))).toBe(true);
              return;
            }
            const received = binary ? await (data as Blob).text() : data;
            expect(received).toEqual(ex.value);
            expect(schemaErrors(mediaPointer(base, ex.media, "schema"), received)).toEqual([]);
          });
        }

        for (const ex of requestExamples(entry)) {
          it(`accepts request example "${ex.name}"`, async () => {
            // Read as text: the answer may be binary (audio) or plain text, and only the status matters here.
            const { response } = await callOperation(entry, { body: toBody(entry, ex.value), parseAs: "text" });
            expect(response.ok).toBe(true);
          });
        }

        const rc = requestContent(entry);
        const example = requestExamples(entry)[0]?.value;
        const required = rc ? (schemaOf(rc.content.schema).required ?? []) : [];
        const missing = required.find((f) => example && typeof example === "object" && f in (example as object));
        if (rc && example && missing) {
          it(`rejects a body without required "${missing}" with a typed error naming it`, async () => {
            const { [missing]: _dropped, ...rest } = example as Record<string, Json>;
            const body = toBody(entry, rest);
            await expectTypedFieldError(callOperation(entry, { body }), missing);
          });
        }
        const target = rc && example ? enumTarget(entry, example) : undefined;
        if (rc && example && target) {
          const field = target.path[target.path.length - 1]!;
          it(`rejects "${target.path.join(".")}" outside its enum with a typed error naming it`, async () => {
            const bad = setPath(example, target.path, "__not_an_allowed_value__");
            const err = await expectTypedFieldError(callOperation(entry, { body: toBody(entry, bad) }), field);
            expect(err.validation.some((v) => v.location.includes(field) || v.message.includes(field))).toBe(true);
          });
        }

        it("refuses a call without a key with 401 and the documented error body", async () => {
          const body = firstRequestBody(entry);
          const init: RequestInit = { method: entry.method.toUpperCase() };
          if (body !== undefined) {
            if (rc?.media === "multipart/form-data") {
              init.body = body instanceof FormData ? body : formOf(body);
            } else {
              init.body = JSON.stringify(body);
              init.headers = { "content-type": "application/json" };
            }
          }
          const res = await fetch(mockBaseUrl() + concretePath(entry), init);
          expect(res.status).toBe(401);
          expect(schemaErrors(mediaPointer(responseBase(entry, "401"), "application/json", "schema"), await res.json())).toEqual([]);
        });

        if (upgradeOnly(entry)) {
          // WebSocket endpoints: the handshake stands in for the client call (fetch cannot send `Upgrade`).
          it("answers the WebSocket handshake with 101 and the declared headers", async () => {
            const res = await handshake(entry);
            expect(res.status).toBe(101);
            const declared = (deref(bundle, entry.op.responses["101"]!) as { headers?: Record<string, unknown> }).headers ?? {};
            for (const name of Object.keys(declared)) expect(res.headers[name.toLowerCase()], `header ${name}`).toBeTruthy();
          });

          it("answers a handshake with an error status and the documented error body", async () => {
            const res = await handshake(entry, { Prefer: "code=401" });
            expect(res.status).toBe(401);
            expect(schemaErrors(mediaPointer(responseBase(entry, "401"), "application/json", "schema"), res.body)).toEqual([]);
          });
        }

        if (!upgradeOnly(entry)) it("maps a 401 answer to AuthenticationError with status, code and request id kept", async () => {
          const err = await callOperation(entry, { body: firstRequestBody(entry), headers: { Prefer: "code=401" } }).catch((e: unknown) => e);
          expect(err).toBeInstanceOf(AuthenticationError);
          const e = err as AuthenticationError;
          expect(e.status).toBe(401);
          expect(e.operationId).toBe(id);
          expect(e.requestId).toBeTruthy();
          expect(e.body).toMatchObject({ error: { type: expect.any(String) } });
        });

        if (id in taskQueries) {
          it("names one example per task state its status rule lists, and classifies every example", () => {
            expectEveryStateNamed(id as keyof typeof taskQueries);
          });
        }

        it("declares the gateway's shared error responses", () => {
          const refs = Object.entries(entry.op.responses).map(([s, r]) => [s, (r as { $ref?: string }).$ref ?? ""]);
          for (const status of ["401", "403", "429", "500", "503"]) {
            expect(refs.find(([s]) => s === status)?.[1], `response ${status}`).toMatch(/^#\/components\/responses\//);
          }
          if (rc) expect(refs.find(([s]) => s === "400")?.[1], "response 400").toMatch(/^#\/components\/responses\//);
        });
      });
    }
  });
}

export { requestBase, responseBase };
