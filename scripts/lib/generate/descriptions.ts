/**
 * Descriptions are for users reading the API reference (openapi/README.md, Descriptions): provenance goes in one
 * closing `Source: ...` line, not in the prose. `npm run generate` refuses:
 *
 * - an operation (callback operations included) whose description is missing, is longer than
 *   `MAX_OPERATION_DESCRIPTION` characters, or does not end with one `Source: <sources>` line (it may wrap; no paragraph after it);
 * - any description (operation, schema, parameter, header ...) that names its sources more than once
 *   (`Source:`/`Sources:` twice), or anywhere but a closing `Source: ...` line.
 */
import { type Bundle, type Json, HTTP_METHODS, operationsOf } from "../spec.js";

/** Longest operation description allowed, in characters (the reference renders it above the schema). */
export const MAX_OPERATION_DESCRIPTION = 1800;

type Node = { [k: string]: Json };
const isObj = (n: unknown): n is Node => !!n && typeof n === "object" && !Array.isArray(n);
const SOURCE_MENTION = /\bSources?:/g;
/** Keys whose values are data (payloads, values), not spec objects: their `description` fields are content. */
const DATA_KEYS = new Set(["example", "examples", "default", "const", "enum", "value"]);

/** What is wrong with where a description names its sources; undefined when it names none or names them right. */
function sourceLineProblem(text: string, required: boolean): string | undefined {
  const mentions = text.match(SOURCE_MENTION)?.length ?? 0;
  if (mentions === 0) return required ? "does not end with a `Source: ...` line" : undefined;
  if (mentions > 1) return `names its sources ${mentions} times; keep one closing \`Source: ...\` line`;
  // The closing line may wrap in the YAML: it starts a line, and everything after it is the list of sources.
  const at = text.search(SOURCE_MENTION);
  if (at !== 0 && text[at - 1] !== "\n") return "names its sources elsewhere than in one closing `Source: ...` line";
  if (/\n\s*\n/.test(text.slice(at))) return "has text after its `Source: ...` line";
  return undefined;
}

/** Every operation of the bundle, callback operations (inline or under components.callbacks) included. */
function allOperations(doc: Bundle): { where: string; op: Node }[] {
  const out = operationsOf(doc).map(({ op }) => ({ where: op.operationId, op: op as unknown as Node }));
  const callbackSets: [string, Json][] = Object.entries(doc.components?.callbacks ?? {});
  for (const { op } of operationsOf(doc)) {
    for (const [name, cb] of Object.entries((op.callbacks ?? {}) as Record<string, Json>)) {
      if (isObj(cb) && !("$ref" in cb)) callbackSets.push([`${op.operationId} callback ${name}`, cb]);
    }
  }
  for (const [name, cb] of callbackSets) {
    if (!isObj(cb)) continue;
    for (const [expression, item] of Object.entries(cb)) {
      if (!isObj(item)) continue;
      for (const m of HTTP_METHODS) {
        const op = item[m];
        if (isObj(op)) out.push({ where: typeof op.operationId === "string" ? op.operationId : `callback ${name} ${expression} ${m}`, op });
      }
    }
  }
  return out;
}

/** Problems with the spec's descriptions (see the file comment); each names the operation or the JSON pointer. */
export function descriptionProblems(doc: Bundle): string[] {
  const problems: string[] = [];
  const ops = allOperations(doc);
  const opNodes = new Set<Json>(ops.map((o) => o.op));
  for (const { where, op } of ops) {
    const text = typeof op.description === "string" ? op.description.trim() : "";
    if (!text) {
      problems.push(`${where}: no description`);
      continue;
    }
    const problem = sourceLineProblem(text, true);
    if (problem) problems.push(`${where}: description ${problem}`);
    if (text.length > MAX_OPERATION_DESCRIPTION) {
      problems.push(`${where}: description is ${text.length} characters (at most ${MAX_OPERATION_DESCRIPTION}); keep what a user needs`);
    }
  }
  const walk = (node: Json, pointer: string, parentKey: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${pointer}/${i}`, parentKey));
    if (!isObj(node)) return;
    if (typeof node.description === "string" && !opNodes.has(node)) {
      const problem = sourceLineProblem(node.description, false);
      if (problem) problems.push(`${pointer}: description ${problem}`);
    }
    for (const [k, v] of Object.entries(node)) {
      if (parentKey !== "properties" && (DATA_KEYS.has(k) || k.startsWith("x-"))) continue;
      walk(v, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, k);
    }
  };
  walk(doc as unknown as Json, "#", "");
  return problems;
}
