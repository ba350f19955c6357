/**
 * The copy of the published bundle the mock (Prism) serves: the same API, in the spellings Prism reads well.
 * `generated/openapi.json` stays the one published spec (../shared/DESIGN.md, "One published spec, adapted
 * copies"); this transform is pure and only respells:
 *
 * - multipart fields in the form spelling (form-view.ts): Prism sees one part where a repeated field is an array,
 *   and a JSON part's text where the field is an object;
 * - "at least one of" rules, published as `not: {allOf: [{not: A}, {not: B}]}` (a rule every generator reads as
 *   no type; see `atLeastOneOf` for several rules), become the equivalent `anyOf: [A, B]` (De Morgan), so a
 *   refused body's errors name the missing fields ("must have required property 'prompt'") instead of Ajv's
 *   bare "must NOT be valid".
 *
 * and it leaves out OpenAPI `callbacks`: Prism would POST each callback's first example at once to whatever URL a
 * request names; the front's callbacks rule delivers them instead (each state, the task's own id, allowed hosts).
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { formView } from "../scripts/lib/generate/form-view.js";
import type { Bundle, Json } from "../scripts/lib/spec.js";

type Schema = { [k: string]: Json };
const isObj = (n: unknown): n is Schema => !!n && typeof n === "object" && !Array.isArray(n);

/** [A, B, ...] of `{allOf: [{not: A}, {not: B}, ...]}` ("none of A, B"), or undefined. */
function noneOf(node: Json): Json[] | undefined {
  if (!isObj(node) || Object.keys(node).length !== 1 || !Array.isArray(node.allOf) || node.allOf.length === 0) return undefined;
  if (!node.allOf.every((m) => isObj(m) && Object.keys(m).length === 1 && m.not !== undefined)) return undefined;
  return node.allOf.map((m) => (m as Schema).not!);
}

/**
 * The "at least one of" groups a schema's `not` states: `not: {allOf: [{not: A}, {not: B}]}` is one group
 * [[A, B]]; several rules are one `not` of "none of the first, or none of the second" (`not: {anyOf: [{allOf:
 * [{not: A}, {not: B}]}, {allOf: [{not: C}, {not: D}]}]}`), [[A, B], [C, D]]. Undefined for any other `not`.
 */
export function atLeastOneOf(node: Schema): Json[][] | undefined {
  const one = noneOf(node.not as Json);
  if (one) return [one];
  const not = node.not;
  if (!isObj(not) || Object.keys(not).length !== 1 || !Array.isArray(not.anyOf) || not.anyOf.length === 0) return undefined;
  const groups = not.anyOf.map(noneOf);
  return groups.every((g) => g !== undefined) ? (groups as Json[][]) : undefined;
}

function respell(node: Json): void {
  if (Array.isArray(node)) return node.forEach(respell);
  if (!isObj(node)) return;
  // Example values are data, not schemas.
  for (const [k, v] of Object.entries(node)) if (k !== "example" && k !== "examples") respell(v);
  const groups = atLeastOneOf(node);
  if (!groups) return;
  delete node.not;
  if (groups.length === 1 && node.anyOf === undefined) node.anyOf = groups[0]!;
  else node.allOf = [...(Array.isArray(node.allOf) ? node.allOf : []), ...groups.map((g) => ({ anyOf: g }))];
}

/** Drops every operation's `callbacks` and the `components/callbacks` they point at. */
function withoutCallbacks(doc: Bundle): void {
  for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) if (isObj(op)) delete op.callbacks;
  if (doc.components) delete doc.components.callbacks;
}

/** Prism's copy of `doc` (see the module comment); `doc` is not changed. */
export function mockView<T extends Bundle>(doc: T): T {
  const copy = formView(doc);
  respell(copy as unknown as Json);
  withoutCallbacks(copy);
  return copy;
}

/**
 * Writes the mock view of the bundle at `specFile` to a fresh temp folder; `remove()` deletes it.
 * Throws when the file is not a readable JSON bundle.
 */
export async function writeMockSpec(specFile: string): Promise<{ file: string; remove: () => Promise<void> }> {
  const doc = JSON.parse(await readFile(specFile, "utf8")) as Bundle;
  const dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-mock-"));
  const file = path.join(dir, "openapi.json");
  await writeFile(file, JSON.stringify(mockView(doc)));
  return { file, remove: () => rm(dir, { recursive: true, force: true }) };
}
