/**
 * Comparing two bundled specs for review: operations added, removed and moved (matched by method + path, a path
 * or method change of the same operationId is a move), and every other change classed by api-smart-diff's
 * OpenAPI 3.0/3.1 rules, with this project's stricter reading on top (see `reclassify`).
 */
import { type Diff, apiDiff } from "api-smart-diff";
import { type Bundle, type OperationEntry, deref, operationsOf } from "../spec.js";

export type ChangeClass = "breaking" | "non-breaking" | "deprecated" | "unclassified" | "annotation";

/** One change inside an operation (or at document level). */
export interface Change {
  class: ChangeClass;
  action: "add" | "remove" | "replace" | "rename";
  /** Where, readable: `request body (application/json) › age › type`. */
  where: string;
  /** What, readable. */
  description: string;
  /** Why this project classes it differently from api-smart-diff, when it does. */
  reason?: string;
  /** JSON path inside the operation (or the document). */
  path: (string | number)[];
}

export interface OperationRef {
  method: string;
  path: string;
  operationId: string;
  tag: string;
}

export interface OperationChanges {
  op: OperationRef;
  changes: Change[];
}

export interface SpecDiff {
  added: OperationRef[];
  removed: OperationRef[];
  /** Same operationId, other method or path: breaking for every typed caller. */
  moved: { from: OperationRef; to: OperationRef; changes: Change[] }[];
  /** Operations in both with at least one change (annotation-only ones included). */
  changed: OperationChanges[];
  unchanged: number;
  /** Changes outside `paths` that the operations do not already show (info, servers, security, tags). */
  document: Change[];
  /** Changes by class; removed and moved operations count as breaking, added ones as non-breaking. */
  counts: Record<ChangeClass, number>;
}

const METHODS = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
/** Component sections whose changes show up under each operation that uses them. */
const SHOWN_IN_OPERATIONS = new Set(["schemas", "responses", "parameters", "requestBodies", "headers", "examples", "callbacks", "links", "pathItems"]);
/** Vendor extensions that change what the client does at run time (tables in generated/). */
const BEHAVIOUR_EXTENSIONS = new Set(["x-elkapi-task", "x-elkapi-task-status", "x-elkapi-error-in-200", "x-elkapi-sse", "x-elkapi-idempotent"]);

const key = (method: string, p: string) => `${method.toUpperCase()} ${p}`;
const refOf = (e: OperationEntry): OperationRef => ({ method: e.method.toUpperCase(), path: e.path, operationId: e.op.operationId, tag: e.op.tags?.[0] ?? "" });

/** A readable location for a path inside an operation. */
export function describeWhere(rel: (string | number)[], paramName?: (index: number) => string | undefined): string {
  const out: string[] = [];
  let i = 0;
  const seg = () => rel[i++];
  if (rel[0] === "requestBody") {
    i = 1;
    if (rel[1] === "content") {
      i = 3;
      out.push(`request body (${String(rel[2])})`);
    } else out.push("request body");
  } else if (rel[0] === "responses") {
    i = 2;
    if (rel[2] === "content" && rel.length > 3) {
      i = 4;
      out.push(`response ${String(rel[1])} (${String(rel[3])})`);
    } else out.push(`response ${String(rel[1])}`);
  } else if (rel[0] === "parameters") {
    i = 2;
    out.push((typeof rel[1] === "number" ? paramName?.(rel[1]) : undefined) ?? `parameter #${String(rel[1])}`);
  } else if (rel.length) {
    i = 1;
    out.push(String(rel[0]));
  }
  if (rel[i] === "schema") i++;
  const field: string[] = [];
  while (i < rel.length) {
    const s = seg();
    if (s === "properties" && i < rel.length) field.push(String(seg()));
    else if (s === "items") field.push("[]");
    else if ((s === "oneOf" || s === "anyOf" || s === "allOf") && typeof rel[i] === "number") field.push(`(${s} #${String(seg())})`);
    else if (s === "additionalProperties") field.push("{*}");
    else if (typeof s === "number") field.push(`#${s}`);
    else field.push(String(s));
  }
  return [...out, ...field].join(" › ");
}

const show = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? JSON.stringify(v) : JSON.stringify(v)?.slice(0, 80) ?? String(v));

/** Which way data flows at a path inside an operation: what the caller sends, or what it reads. */
function sideOf(rel: (string | number)[]): "request" | "response" | undefined {
  if (rel[0] === "requestBody" || rel[0] === "parameters") return "request";
  if (rel[0] === "responses") return "response";
  return undefined;
}

/** A JSON Schema `type` as a set, when it is a name or a list of names. */
function typeSet(v: unknown): string[] | undefined {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
  return undefined;
}

/** Every type of `a` is allowed by `b` (an integer is a number). */
function typesWithin(a: string[], b: string[]): boolean {
  return a.every((t) => b.includes(t) || (t === "integer" && b.includes("number")));
}

/**
 * This project's reading on top of api-smart-diff's classes:
 * - a removed property (request or response) is breaking: typed callers that set or read it stop compiling, and
 *   the gateway may reject or drop it;
 * - a changed `type` (3.1 type lists included) is judged by direction: breaking unless a request type only widens
 *   or a response type only narrows (api-smart-diff calls every request type change breaking and misses widened
 *   response types, e.g. a field becoming nullable);
 * - a request schema becoming `additionalProperties: false` is breaking;
 * - a security scheme added to components is non-breaking (api-smart-diff calls it breaking); adding it to a
 *   `security` requirement is judged there;
 * - a changed operationId or tag is shown as non-breaking, not hidden as an annotation (typed calls use the path;
 *   generated tables and task links use the id);
 * - x-elkapi-task, -task-status, -error-in-200, -sse, -idempotent changes are unclassified: they change what the
 *   client does, so a person decides; other x-elkapi-* changes are annotations.
 */
function reclassify(d: Diff, rel: (string | number)[]): { class: ChangeClass; reason?: string } {
  const cls = d.type as ChangeClass;
  const n = rel.length;
  const side = sideOf(rel);
  if (d.action === "remove" && n >= 2 && rel[n - 2] === "properties" && cls !== "breaking") {
    return { class: "breaking", reason: "removed field: typed callers that send or read it break" };
  }
  if (rel[n - 1] === "type" && d.action === "replace" && side) {
    const [before, after] = [typeSet(d.before), typeSet(d.after)];
    if (before && after) {
      const safe = side === "request" ? typesWithin(before, after) : typesWithin(after, before);
      const verdict: ChangeClass = safe ? "non-breaking" : "breaking";
      if (verdict !== cls) {
        return { class: verdict, reason: safe ? `${side} type only ${side === "request" ? "widened" : "narrowed"}` : `${side} type ${side === "request" ? "no longer accepts" : "may now hold"} a value it ${side === "request" ? "did" : "did not"}` };
      }
      return { class: cls };
    }
  }
  if (rel[n - 1] === "additionalProperties" && side === "request" && d.after === false && cls !== "breaking") {
    return { class: "breaking", reason: "request no longer accepts other fields" };
  }
  if (rel[0] === "components" && rel[1] === "securitySchemes" && n <= 3 && d.action === "add" && cls === "breaking") {
    return { class: "non-breaking", reason: "a scheme defined, not yet required; requirements are judged where they change" };
  }
  const inExamples = rel.some((x, i) => (x === "examples" || (x === "example" && i === n - 1)) && rel[i - 1] !== "properties");
  if (inExamples && cls !== "annotation") return { class: "annotation" };
  if (n === 1 && (rel[0] === "operationId" || rel[0] === "tags") && cls === "annotation") {
    return { class: "non-breaking", reason: `${String(rel[0])} changed; typed calls go by path` };
  }
  const ext = rel.find((s) => typeof s === "string" && s.startsWith("x-elkapi-")) as string | undefined;
  if (ext && BEHAVIOUR_EXTENSIONS.has(ext) && cls !== "breaking") return { class: "unclassified", reason: `${ext} changes client behaviour` };
  if (ext && !BEHAVIOUR_EXTENSIONS.has(ext)) return { class: "annotation" };
  return { class: cls };
}

function toChange(d: Diff, rel: (string | number)[], paramName?: (index: number) => string | undefined): Change {
  const { class: cls, reason } = (d as MergedDiff).fixed ?? reclassify(d, rel);
  const n = rel.length;
  let description = d.description ?? "";
  if (n >= 2 && rel[n - 2] === "required" && typeof rel[n - 1] === "number" && (d.action === "add" || d.action === "remove")) {
    const name = String(d.action === "add" ? d.after : d.before);
    return {
      class: cls,
      action: d.action,
      where: describeWhere(rel.slice(0, -2), paramName),
      description: d.action === "add" ? `\`${name}\` became required` : `\`${name}\` no longer required`,
      ...(reason ? { reason } : {}),
      path: rel,
    };
  }
  if (n >= 2 && rel[n - 2] === "properties" && (d.action === "add" || d.action === "remove")) {
    description = `${d.action === "add" ? "added" : "removed"} property \`${String(rel[n - 1])}\``;
  } else if (d.action === "replace" && rel[n - 1] === "type") {
    description = `type ${show(d.before)} → ${show(d.after)}`;
  } else if (d.action === "replace" && (typeof d.before !== "object" || d.before === null) && (typeof d.after !== "object" || d.after === null)) {
    description = `${description ? description + ": " : ""}${show(d.before)} → ${show(d.after)}`;
  }
  const verb = d.action === "add" ? "added" : d.action === "remove" ? "removed" : "changed";
  if (typeof rel[0] === "string" && rel[0].startsWith("x-elkapi-")) description = `${verb} ${show(d.action === "remove" ? d.before : d.after)}`;
  if (!description || (cls === "annotation" && rel.includes("example"))) description = `${verb} ${String(rel[n - 1] ?? "")}`;
  const whereRel = d.action === "replace" && rel[n - 1] === "type" ? rel.slice(0, -1) : rel;
  return { class: cls, action: d.action, where: describeWhere(whereRel, paramName), description, ...(reason ? { reason } : {}), path: rel };
}

/** A diff this module rewrote, with its class settled. */
type MergedDiff = Diff & { fixed?: { class: ChangeClass; reason?: string } };

/**
 * Several diffs of one enum list become one change naming the values added and removed. An enum that appears
 * where there was none (values added from index 0, none removed) restricts the field: breaking in a request,
 * not in a response (api-smart-diff reads it as values added).
 */
function mergeEnums(changes: { d: Diff; rel: (string | number)[] }[]): { d: Diff; rel: (string | number)[] }[] {
  const out: { d: MergedDiff; rel: (string | number)[] }[] = [];
  const enums = new Map<string, { d: MergedDiff; rel: (string | number)[]; removed: unknown[]; added: unknown[]; indices: number[] }>();
  for (const c of changes) {
    const n = c.rel.length;
    if (n >= 2 && c.rel[n - 2] === "enum" && typeof c.rel[n - 1] === "number") {
      const rel = c.rel.slice(0, -1);
      const k = JSON.stringify(rel);
      let e = enums.get(k);
      if (!e) {
        e = { d: { ...c.d }, rel, removed: [], added: [], indices: [] };
        enums.set(k, e);
        out.push(e);
      }
      if (c.d.action === "remove" || c.d.action === "replace") e.removed.push(c.d.before);
      if (c.d.action === "add" || c.d.action === "replace") e.added.push(c.d.after);
      if (c.d.action === "add") e.indices.push(c.rel[n - 1] as number);
      // The merged change is as severe as its worst part.
      if (c.d.type === "breaking") e.d.type = "breaking";
    } else out.push(c);
  }
  for (const e of enums.values()) {
    const parts = [e.removed.length ? `removed ${e.removed.map(show).join(", ")}` : "", e.added.length ? `added ${e.added.map(show).join(", ")}` : ""].filter(Boolean);
    e.d.description = `enum values ${parts.join("; ")}`;
    e.d.action = e.removed.length && e.added.length ? "replace" : e.removed.length ? "remove" : "add";
    const side = sideOf(e.rel);
    if (!e.removed.length && e.indices.includes(0) && side) {
      e.d.description = `now limited to ${e.added.map(show).join(", ")}`;
      const cls: ChangeClass = side === "request" ? "breaking" : "non-breaking";
      e.d.fixed = cls === e.d.type ? { class: cls } : { class: cls, reason: `an enum on a ${side} field that had none` };
    }
  }
  return out;
}

/** Most severe first; how changes are listed within an operation. */
export const CLASS_ORDER: ChangeClass[] = ["breaking", "unclassified", "deprecated", "non-breaking", "annotation"];

const emptyCounts = (): Record<ChangeClass, number> => ({ breaking: 0, "non-breaking": 0, deprecated: 0, unclassified: 0, annotation: 0 });

/** Compares two bundled specs. */
export function diffSpecs(before: Bundle, after: Bundle): SpecDiff {
  const oldOps = new Map(operationsOf(before).map((e) => [key(e.method, e.path), e]));
  const newOps = new Map(operationsOf(after).map((e) => [key(e.method, e.path), e]));
  const removedKeys = [...oldOps.keys()].filter((k) => !newOps.has(k));
  const addedKeys = [...newOps.keys()].filter((k) => !oldOps.has(k));
  const moved: SpecDiff["moved"] = [];
  const movedOld = new Map<string, SpecDiff["moved"][number]>();
  for (const rk of removedKeys) {
    const id = oldOps.get(rk)!.op.operationId;
    const ak = addedKeys.find((k) => newOps.get(k)!.op.operationId === id);
    if (ak) {
      const m = { from: refOf(oldOps.get(rk)!), to: refOf(newOps.get(ak)!), changes: [] as Change[] };
      moved.push(m);
      movedOld.set(rk, m);
      addedKeys.splice(addedKeys.indexOf(ak), 1);
    }
  }
  const removed = removedKeys.filter((k) => !movedOld.has(k)).map((k) => refOf(oldOps.get(k)!));
  const added = addedKeys.map((k) => refOf(newOps.get(k)!));
  const skip = new Set([...removed.map((r) => key(r.method, r.path)), ...added.map((a) => key(a.method, a.path))]);

  const perOp = new Map<string, { d: Diff; rel: (string | number)[] }[]>();
  const documentDiffs: { d: Diff; rel: (string | number)[] }[] = [];
  // api-smart-diff changes its inputs (discriminator mappings among others): give it copies.
  for (const d of apiDiff(structuredClone(before), structuredClone(after))) {
    const [top, p, m] = d.path;
    if (top === "components" && SHOWN_IN_OPERATIONS.has(String(p))) continue;
    if (top === "paths" && typeof p === "string" && typeof m === "string" && METHODS.has(m)) {
      const k = key(m, p);
      if (skip.has(k)) continue; // whole operation added or removed: listed as such
      if (d.path.length === 3 && (d.action === "add" || d.action === "remove")) continue;
      const list = perOp.get(k) ?? [];
      list.push({ d, rel: d.path.slice(3) });
      perOp.set(k, list);
      continue;
    }
    if (top === "paths" && d.path.length <= 2) continue; // a whole path item: its operations are listed
    documentDiffs.push({ d, rel: d.path });
  }

  const counts = emptyCounts();
  counts.breaking += removed.length + moved.length;
  counts["non-breaking"] += added.length;
  const changed: OperationChanges[] = [];
  for (const [k, list] of perOp) {
    const entry = oldOps.get(k) ?? newOps.get(k);
    const doc = oldOps.has(k) ? before : after;
    const paramName = (index: number) => {
      if (!entry) return undefined;
      // api-smart-diff lists the operation's parameters, then the path item's.
      const item = doc.paths[entry.path] as { parameters?: unknown[] };
      const p = deref(doc, [...(entry.op.parameters ?? []), ...(item.parameters ?? [])][index] as { name?: string; in?: string } | undefined);
      return p?.name ? `${p.in ?? ""} parameter ${p.name}`.trim() : undefined;
    };
    const changes = mergeEnums(list)
      .map(({ d, rel }) => toChange(d, rel, paramName))
      .sort((a, b) => CLASS_ORDER.indexOf(a.class) - CLASS_ORDER.indexOf(b.class));
    for (const c of changes) counts[c.class]++;
    const m = movedOld.get(k);
    if (m) m.changes.push(...changes);
    else {
      const e = oldOps.get(k) ?? newOps.get(k);
      if (e) changed.push({ op: refOf(e), changes });
    }
  }
  const document = mergeEnums(documentDiffs).map(({ d, rel }) => {
    const c = toChange(d, rel);
    return { ...c, where: rel.map(String).join(" › ") };
  });
  for (const c of document) counts[c.class]++;
  const unchanged = [...oldOps.keys()].filter((k) => newOps.has(k) && !perOp.has(k)).length;
  changed.sort((a, b) => a.op.path.localeCompare(b.op.path) || a.op.method.localeCompare(b.op.method));
  return { added, removed, moved, changed, unchanged, document, counts };
}

/** Operation keys (`POST /path`, old side) that have a breaking change, including removed and moved ones. */
export function breakingOperations(diff: SpecDiff): Set<string> {
  const out = new Set<string>();
  for (const r of diff.removed) out.add(key(r.method, r.path));
  for (const m of diff.moved) out.add(key(m.from.method, m.from.path));
  for (const c of diff.changed) if (c.changes.some((x) => x.class === "breaking")) out.add(key(c.op.method, c.op.path));
  return out;
}

export const operationKey = key;
