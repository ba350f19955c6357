/**
 * The mock's view of the bundled spec (generated/openapi.json): its operations with their servers, success
 * answers per media type, and the examples each holds. Rules read everything they do from here.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { generatedDir } from "../scripts/lib/paths.js";
import { type Bundle, type Json, type MediaTypeObject, type OperationObject, deref, operationsOf } from "../scripts/lib/spec.js";

/** One media type of a success answer (2xx) of an operation. */
export interface Answer {
  /** Status code, e.g. "200". */
  status: string;
  /** Media type as the spec spells it, e.g. "text/event-stream". */
  media: string;
  content: MediaTypeObject;
  /** Names of its examples, in spec order (the first is what Prism serves by default). */
  examples: string[];
}

/** One operation with what the mock needs of it. */
export interface MockOperation {
  id: string;
  /** Upper-case HTTP method. */
  method: string;
  /** The path key, e.g. `/v1beta/models/{model}:generateContent`. */
  path: string;
  op: OperationObject;
  /** Server URLs that apply: the operation's, else its path item's, else the document's. */
  servers: { url: string; variables?: Record<string, { enum?: string[]; default?: string }> }[];
  /** Success answers in spec order (status, then media type). */
  answers: Answer[];
}

/** The spec as the mock reads it. */
export interface MockSpec {
  bundle: Bundle;
  operations: Map<string, MockOperation>;
}

type Servers = MockOperation["servers"];

/** Builds the mock's view of a bundled spec (one with only local `$ref`s). */
export function mockSpec(bundle: Bundle): MockSpec {
  const rootServers = (bundle.servers as Servers | undefined) ?? [];
  const operations = new Map<string, MockOperation>();
  for (const { method, path: p, op } of operationsOf(bundle)) {
    const item = bundle.paths[p] as { servers?: Servers };
    const answers: Answer[] = [];
    for (const [status, raw] of Object.entries(op.responses)) {
      if (!/^2\d\d$/.test(status)) continue;
      for (const [media, content] of Object.entries(deref(bundle, raw).content ?? {})) {
        answers.push({ status, media, content, examples: Object.keys(content.examples ?? {}) });
      }
    }
    operations.set(op.operationId, {
      id: op.operationId,
      method: method.toUpperCase(),
      path: p,
      op,
      servers: ((op as { servers?: Servers }).servers) ?? item.servers ?? rootServers,
      answers,
    });
  }
  return { bundle, operations };
}

/** Reads and views a bundle file (default generated/openapi.json). */
export async function loadMockSpec(file = path.join(generatedDir, "openapi.json")): Promise<MockSpec> {
  return mockSpec(JSON.parse(await readFile(file, "utf8")) as Bundle);
}

/** The value of a named example of an answer (resolved through `$ref`s), or undefined. */
export function exampleValue(spec: MockSpec, answer: Answer, name: string): Json | undefined {
  const ex = answer.content.examples?.[name];
  return ex ? deref(spec.bundle, ex).value : undefined;
}
