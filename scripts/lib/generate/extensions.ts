/**
 * The project's vendor extensions: their JSON Schemas, and the checks that tie them to real operations.
 * Shapes are documented in DESIGN notes and README ("Spec extensions").
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { getPointer } from "../../../src/internal/pointer.js";
import { type Bundle, type OperationObject, deref, operationsOf } from "../spec.js";

const pointer = { type: "string", pattern: "^(/[^/]*)*$" };
const pointers = { type: "array", minItems: 1, items: pointer };
const values = { type: "array", items: { type: ["string", "number", "boolean"] } };
// A request value: a top-level body field (JSON or form) or a query parameter.
const requestValue = {
  type: "object",
  required: ["in", "name"],
  additionalProperties: false,
  properties: { in: { enum: ["body", "query", "header"] }, name: { type: "string", minLength: 1 } },
};

const errorIn200Rule = {
  type: "object",
  required: ["pointer"],
  additionalProperties: false,
  properties: {
    pointer,
    equals: { type: ["string", "number", "boolean", "null"] },
    notIn: values,
    message: pointer,
    code: pointer,
  },
};

export const extensionSchemas: Record<string, object> = {
  // On a success media type: how the mock's answer depends on the request (mock/rules/examples.ts, bytes.ts).
  "x-elkapi-mock": {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    properties: {
      // Request values that pick this media type, and optionally one of its examples; first match wins.
      select: {
        type: "array",
        minItems: 1,
        items: {
          type: "object",
          // Without `value`: the field or header is present, whatever its value; `all`: further values that must hold.
          required: ["in", "name"],
          additionalProperties: false,
          properties: {
            ...requestValue.properties,
            value: { type: ["string", "number", "boolean"] },
            example: { type: "string" },
            all: { type: "array", minItems: 1, items: { ...requestValue, properties: { ...requestValue.properties, value: { type: ["string", "number", "boolean"] } } } },
          },
        },
      },
      // The example served when the request picks none (instead of the first).
      default: { type: "string" },
      // One item of the array at `at` per request input that `per` counts; `index` is set to each position.
      repeat: {
        type: "object",
        required: ["at", "per"],
        additionalProperties: false,
        properties: { at: pointer, per: requestValue, index: pointer },
      },
      // The examples hold the answer's bytes in base64; the mock sends the bytes.
      bytes: { const: "base64" },
    },
  },
  // An operation that looks like a task but is not one says why (see taskLikeProblems).
  "x-elkapi-not-a-task": { type: "string", minLength: 10 },
  "x-elkapi-doc": { type: "array", minItems: 1, uniqueItems: true, items: { type: "string", minLength: 1 } },
  "x-elkapi-idempotent": { type: "boolean" },
  "x-elkapi-error-in-200": { type: "array", minItems: 1, items: errorIn200Rule },
  "x-elkapi-task": {
    type: "object",
    required: ["poll", "taskId"],
    additionalProperties: false,
    // The poll takes the id in a path/query parameter (`param`) or at a pointer of its JSON body (`body`).
    oneOf: [{ required: ["param"] }, { required: ["body"] }],
    properties: { poll: { type: "string" }, taskId: pointers, param: { type: "string" }, body: pointer },
  },
  "x-elkapi-task-status": {
    type: "object",
    required: ["status", "succeeded", "failed"],
    additionalProperties: false,
    properties: {
      status: pointers,
      pending: values,
      succeeded: { ...values, minItems: 1 },
      failed: values,
      // States where the task waits for the caller (e.g. Midjourney MODAL): polling stops, it is not a success.
      actionRequired: values,
      progress: {
        type: "object",
        required: ["pointer", "scale"],
        additionalProperties: false,
        properties: { pointer: pointers, scale: { enum: ["percent-string", "percent", "fraction"] } },
      },
      failureReason: pointers,
      results: pointers,
      interval: { type: "integer", minimum: 100 },
      // Where the id goes in the query's JSON body when it is polled directly (no submit names it as its poll).
      body: pointer,
      // Example names the lifecycle mock plays, when the computed order is not the right one.
      lifecycle: {
        type: "object",
        required: ["succeeded", "failed"],
        additionalProperties: false,
        properties: {
          succeeded: { type: "array", minItems: 1, items: { type: "string" } },
          failed: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
  // On a callback's operation: where the body holds the task id and how it reports state (scripts/lib/generate/callbacks.ts).
  "x-elkapi-callback": {
    type: "object",
    required: ["taskId"],
    additionalProperties: false,
    not: { required: ["at", "status"] },
    properties: {
      taskId: { type: "array", items: pointer },
      at: pointer,
      status: {
        type: "object",
        required: ["status", "succeeded", "failed"],
        additionalProperties: false,
        properties: { status: pointers, pending: values, succeeded: { ...values, minItems: 1 }, failed: values, actionRequired: values, failureReason: pointers, results: pointers },
      },
      lifecycle: {
        type: "object",
        required: ["succeeded", "failed"],
        additionalProperties: false,
        properties: { succeeded: { type: "array", minItems: 1, items: { type: "string" } }, failed: { type: "array", minItems: 1, items: { type: "string" } } },
      },
      challenge: pointer,
    },
  },
  "x-elkapi-sse": {
    type: "object",
    additionalProperties: false,
    minProperties: 1,
    properties: {
      done: { type: "string" },
      endEvents: { type: "array", minItems: 1, items: { type: "string" } },
      errorEvents: { type: "array", minItems: 1, items: { type: "string" } },
      // How a request asks for the stream, when it is not `stream: true` in the body or query.
      flag: {
        type: "object",
        required: ["in", "name", "value"],
        additionalProperties: false,
        properties: { in: { enum: ["body", "query"] }, name: { type: "string" }, value: { type: ["string", "number", "boolean"] } },
      },
    },
  },
};

/** Validates every x-elkapi-* extension in the bundle; returns problems as `operationId: message` lines. */
export function checkExtensions(bundle: Bundle): string[] {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true, strictRequired: false });
  const validators = Object.fromEntries(Object.entries(extensionSchemas).map(([k, s]) => [k, ajv.compile(s)]));
  const problems: string[] = [];
  const ops = operationsOf(bundle);
  const byId = new Map(ops.map((e) => [e.op.operationId, e]));

  const check = (where: string, node: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(node)) {
      if (!key.startsWith("x-elkapi-")) continue;
      const validate = validators[key];
      if (!validate) {
        problems.push(`${where}: unknown extension ${key}`);
      } else if (!validate(value)) {
        for (const e of validate.errors ?? []) problems.push(`${where}: ${key}${e.instancePath} ${e.message}`);
      }
    }
  };

  for (const { op } of ops) {
    const id = op.operationId;
    check(id, op as unknown as Record<string, unknown>);
    for (const [status, r] of Object.entries(op.responses)) {
      const resp = deref(bundle, r);
      for (const [media, mt] of Object.entries(resp.content ?? {})) check(`${id} ${status} ${media}`, mt as Record<string, unknown>);
    }
    // Callback operations (one level down: the callback's path item) carry their own extensions.
    for (const [name, cb] of Object.entries((op.callbacks ?? {}) as Record<string, unknown>)) {
      for (const item of Object.values(deref(bundle, cb as { $ref?: string }) as Record<string, Record<string, unknown>>)) {
        for (const cbOp of Object.values(item)) check(`${id} callback ${name}`, cbOp as Record<string, unknown>);
      }
    }
    problems.push(...mockProblems(bundle, op));
    const task = op["x-elkapi-task"] as { poll?: string; param?: string; body?: string } | undefined;
    if (task?.poll) {
      const poll = byId.get(task.poll);
      if (!poll) problems.push(`${id}: x-elkapi-task.poll names unknown operation ${task.poll}`);
      else {
        if (!poll.op["x-elkapi-task-status"]) problems.push(`${id}: poll operation ${task.poll} has no x-elkapi-task-status`);
        const params = (poll.op.parameters ?? []).map((p) => deref(bundle, p));
        if (task.param !== undefined && !params.some((p) => p.name === task.param && (p.in === "path" || p.in === "query"))) {
          problems.push(`${id}: x-elkapi-task.param ${task.param} is not a path or query parameter of ${task.poll}`);
        }
        if (task.body !== undefined && !poll.op.requestBody) {
          problems.push(`${id}: x-elkapi-task.body is set but ${task.poll} takes no request body`);
        }
      }
    }
  }
  return problems;
}

/** Top-level property names of a request body (every media type, through $ref, allOf, oneOf and anyOf). */
function requestFields(bundle: Bundle, op: OperationObject): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown, depth: number) => {
    const s = deref(bundle, node as { properties?: Record<string, unknown>; allOf?: unknown[]; oneOf?: unknown[]; anyOf?: unknown[] });
    if (!s || typeof s !== "object" || depth > 4) return;
    for (const k of Object.keys(s.properties ?? {})) names.add(k);
    for (const sub of [...(s.allOf ?? []), ...(s.oneOf ?? []), ...(s.anyOf ?? [])]) walk(sub, depth + 1);
  };
  const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
  for (const mt of Object.values(body?.content ?? {})) walk(mt.schema, 0);
  return names;
}

/**
 * x-elkapi-mock must point at real things: example names of its own media type, request fields the operation
 * takes, an array in every example at `repeat.at`, and `bytes` only on a binary media type.
 */
function mockProblems(bundle: Bundle, op: OperationObject): string[] {
  const problems: string[] = [];
  const fields = requestFields(bundle, op);
  const params = (op.parameters ?? []).map((p) => deref(bundle, p));
  const query = new Set(params.filter((p) => p.in === "query").map((p) => p.name));
  const headers = new Set(params.filter((p) => p.in === "header").map((p) => p.name?.toLowerCase()));
  for (const [status, r] of Object.entries(op.responses)) {
    for (const [media, mt] of Object.entries(deref(bundle, r).content ?? {})) {
      const ext = (mt as Record<string, unknown>)["x-elkapi-mock"] as
        | { select?: { in: string; name: string; example?: string; all?: { in: string; name: string }[] }[]; default?: string; repeat?: { at: string; per: { in: string; name: string } }; bytes?: string }
        | undefined;
      if (!ext) continue;
      const where = `${op.operationId} ${status} ${media}: x-elkapi-mock`;
      const examples = Object.fromEntries(Object.entries(mt.examples ?? {}).map(([name, ex]) => [name, deref(bundle, ex).value]));
      const named = [...(ext.select ?? []).flatMap((s) => s.example ?? []), ...(ext.default ? [ext.default] : [])];
      for (const n of named) if (!(n in examples)) problems.push(`${where} names example ${n}, which ${media} does not have`);
      for (const v of [...(ext.select ?? []).flatMap((s) => [s, ...(s.all ?? [])]), ...(ext.repeat ? [ext.repeat.per] : [])]) {
        const takes = v.in === "body" ? fields.has(v.name) : v.in === "query" ? query.has(v.name) : headers.has(v.name.toLowerCase());
        if (!takes) problems.push(`${where} reads ${v.in} ${v.name}, which the operation does not take`);
      }
      if (ext.repeat) {
        for (const [n, value] of Object.entries(examples)) {
          if (!Array.isArray(getPointer(value, ext.repeat.at))) problems.push(`${where}.repeat.at ${ext.repeat.at} is not an array in example ${n}`);
        }
      }
      if (ext.bytes && (deref(bundle, mt.schema as { format?: string }) ?? {}).format !== "binary") problems.push(`${where}.bytes on a media type whose schema is not format: binary`);
    }
  }
  return problems;
}

/** Response property names that mark an answer as a task's (at the top or under a `data` wrapper). */
const TASK_PROPERTY = /^(task_id|taskId|task_status|status|state|job_id|JobId)$/;

function propertyNames(bundle: Bundle, node: unknown, depth = 0): string[] {
  const s = deref(bundle, node as { properties?: Record<string, unknown>; oneOf?: unknown[]; anyOf?: unknown[]; allOf?: unknown[] });
  if (!s || typeof s !== "object" || depth > 3) return [];
  const own = Object.keys(s.properties ?? {});
  const nested = [...(s.oneOf ?? []), ...(s.anyOf ?? []), ...(s.allOf ?? [])].flatMap((sub) => propertyNames(bundle, sub, depth + 1));
  const data = s.properties?.data ? propertyNames(bundle, s.properties.data, depth + 1) : [];
  return [...own, ...nested, ...data];
}

/**
 * Operations that look like tasks but carry neither x-elkapi-task (submit) nor x-elkapi-task-status (query) nor
 * x-elkapi-not-a-task (a reason): an operationId starting with `submit`, a callback, or a success answer with a
 * task id or status field (top level or under `data`).
 */
export function taskLikeProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  for (const { op } of operationsOf(bundle)) {
    if (op["x-elkapi-task"] || op["x-elkapi-task-status"] || op["x-elkapi-not-a-task"]) continue;
    const answers = Object.entries(op.responses)
      .filter(([status]) => /^2\d\d$/.test(status))
      .map(([, r]) => deref(bundle, r).content?.["application/json"]?.schema);
    const fields = answers.flatMap((schema) => propertyNames(bundle, schema)).filter((n) => TASK_PROPERTY.test(n));
    const why = op.operationId.startsWith("submit") ? "its operationId starts with submit" : op.callbacks ? "it has callbacks" : fields.length ? `its answer has ${[...new Set(fields)].join(", ")}` : "";
    if (why) problems.push(`${op.operationId}: looks like a task (${why}) but has no x-elkapi-task, x-elkapi-task-status or x-elkapi-not-a-task`);
  }
  return problems;
}

/** True when a schema allows only `null` (type "null", or const null). */
function onlyNull(s: { type?: unknown; const?: unknown } | boolean | undefined): boolean {
  if (!s || typeof s !== "object") return false;
  return s.type === "null" || (Array.isArray(s.type) && s.type.length === 1 && s.type[0] === "null") || ("const" in s && s.const === null);
}

/**
 * Request body properties typed only `null`. openapi-fetch's Writable<T> helper turns them into `never`
 * (NonNullable<null> is never), so a typed caller could not send them: give them their real type plus null.
 */
export function nullOnlyRequestProblems(bundle: Bundle): string[] {
  const problems: string[] = [];
  const seen = new Set<unknown>();
  const walk = (node: unknown, where: string) => {
    const s = deref(bundle, node as Record<string, unknown>) as Record<string, unknown> | undefined;
    if (!s || typeof s !== "object" || seen.has(s)) return;
    seen.add(s);
    for (const [name, prop] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
      if (onlyNull(deref(bundle, prop as { type?: unknown }))) problems.push(`${where}: property ${name} is typed only null`);
      walk(prop, `${where}.${name}`);
    }
    for (const key of ["items", "additionalProperties"]) if (s[key] && typeof s[key] === "object") walk(s[key], where);
    for (const key of ["oneOf", "anyOf", "allOf"]) for (const sub of (s[key] as unknown[] | undefined) ?? []) walk(sub, where);
  };
  for (const { op } of operationsOf(bundle)) {
    const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
    for (const mt of Object.values(body?.content ?? {})) walk(mt.schema, `${op.operationId} request`);
  }
  return problems;
}
