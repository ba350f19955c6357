/**
 * The spec's callbacks, as the client and the mock read them: for each task submit with an OpenAPI `callbacks`
 * entry, the request field that carries the URL, the body the vendor POSTs (media type, schema, headers, named
 * examples), and how that body reports the task (x-elkapi-callback on the callback's operation):
 *
 *   x-elkapi-callback:
 *     taskId: [/task_id]   # where the id the submit answered sits in the body ([] when the body has another id)
 *     at: /data            # the body is this part of the poll answer: its state is read with the poll's
 *                          #   x-elkapi-task-status, pointers taken below `at` (default: the whole answer)
 *     status: {...}        # or its own rule (x-elkapi-task-status shape), when the vendor spells states otherwise
 *     lifecycle: { succeeded: [...], failed: [...] }   # callback examples the vendor sends, in order, per outcome;
 *                          #   default: the poll lifecycle's steps that have a callback example of the same name
 *     challenge: /challenge   # a verification call carrying this field comes first; answer it with the same value
 *
 * `callbackRules` checks all of it (generate fails on a problem) and is what generated/callbacks.ts and the mock's
 * callbacks rule are made from.
 */
import type { TaskStatusRule } from "../../../generated/tasks.js";
import { type TaskStatusExtension, taskStatusRule } from "./task-status.js";
import { getPointer } from "../../../src/internal/pointer.js";
import { readTaskState } from "../../../src/task-state.js";
import { lifecycles } from "./lifecycles.js";
import { type Bundle, type Json, type MediaTypeObject, type OperationObject, deref, operationsOf } from "../spec.js";

/** x-elkapi-callback as written in the spec. */
export interface CallbackExtension {
  taskId: string[];
  at?: string;
  status?: Partial<TaskStatusRule> & { status: string[] };
  lifecycle?: { succeeded: string[]; failed: string[] };
  challenge?: string;
}

/** One submit's callback, resolved. */
export interface CallbackRule {
  /** The submit's operationId. */
  submit: string;
  /** Key of the entry in the submit's `callbacks`. */
  name: string;
  /** operationId of the callback's POST. */
  operationId: string;
  /** JSON pointer of the URL field in the submit's JSON body (from `{$request.body#/...}`). */
  field: string;
  /** The submit's poll operation (x-elkapi-task). */
  poll: string;
  /** Media type of the body the vendor POSTs. */
  mediaType: string;
  /** Component schema of that body. */
  schema: string;
  /** Header parameters the callback declares, with their example values. */
  headers: Record<string, string>;
  taskId: string[];
  /** How the body reports the task (the same reading `readTaskState` does for a poll). */
  status: TaskStatusRule;
  challenge: string | null;
  /** Callback example names in the order the vendor sends them, per outcome. */
  lifecycle: { succeeded: string[]; failed: string[] };
  /** Every named example of the body. */
  examples: Record<string, Json>;
}

/** The poll's rule read below `at`: pointers under it lose the prefix, the others are dropped. */
export function ruleBelow(poll: TaskStatusExtension, at: string): TaskStatusRule {
  const rule = taskStatusRule(poll);
  if (!at) return { ...rule, interval: 5000 };
  const below = (ps: readonly string[]) => ps.filter((p) => p.startsWith(`${at}/`)).map((p) => p.slice(at.length));
  const progress = rule.progress && below(rule.progress.pointer).length ? { ...rule.progress, pointer: below(rule.progress.pointer) } : null;
  return { ...rule, status: below(rule.status), progress, failureReason: below(rule.failureReason), results: below(rule.results), interval: 5000 };
}

/** JSON pointer of a `{$request.body#/...}` runtime expression, or undefined for any other form. */
export function bodyPointerOf(expression: string): string | undefined {
  return expression.match(/^\{\$request\.body#(\/[^}]*)\}$/)?.[1];
}

/** Every submit's callback, keyed by the submit's operationId, with the problems that make one unusable. */
export function callbackRules(bundle: Bundle): { rules: Record<string, CallbackRule>; problems: string[] } {
  const rules: Record<string, CallbackRule> = {};
  const problems: string[] = [];
  const byId = new Map(operationsOf(bundle).map((e) => [e.op.operationId, e.op]));
  const pollSteps = lifecycles(bundle).table;
  for (const { op: submit } of operationsOf(bundle)) {
    if (!submit.callbacks) continue;
    const id = submit.operationId;
    const task = submit["x-elkapi-task"] as { poll?: string } | undefined;
    const pollOp = task?.poll ? byId.get(task.poll) : undefined;
    const pollRule = pollOp?.["x-elkapi-task-status"] as unknown as TaskStatusExtension | undefined;
    if (!task?.poll || !pollRule) {
      problems.push(`${id}: has callbacks but no x-elkapi-task whose poll has x-elkapi-task-status`);
      continue;
    }
    const entries = Object.entries(submit.callbacks as Record<string, Json>);
    if (entries.length !== 1) problems.push(`${id}: ${entries.length} callbacks; the table takes one per submit`);
    for (const [name, raw] of entries.slice(0, 1)) {
      const where = `${id} callback ${name}`;
      const item = deref(bundle, raw as { $ref?: string }) as unknown as Record<string, Record<string, OperationObject>>;
      const [expression, pathItem] = Object.entries(item)[0] ?? [];
      const field = expression ? bodyPointerOf(expression) : undefined;
      if (!field || !pathItem) {
        problems.push(`${where}: the URL must be one {$request.body#/pointer} expression, got ${expression ?? "none"}`);
        continue;
      }
      const op = pathItem.post;
      if (!op) {
        problems.push(`${where}: the callback has no post operation`);
        continue;
      }
      const ext = op["x-elkapi-callback"] as unknown as CallbackExtension | undefined;
      const content = op.requestBody ? deref(bundle, op.requestBody).content ?? {} : {};
      const [mediaType, media] = (Object.entries(content)[0] ?? []) as [string | undefined, MediaTypeObject | undefined];
      const schema = (media?.schema as { $ref?: string } | undefined)?.$ref?.match(/^#\/components\/schemas\/([^/]+)$/)?.[1];
      if (!ext || !mediaType || !media || !schema || Object.keys(content).length !== 1) {
        problems.push(`${where}: needs x-elkapi-callback and one request media type whose schema is a components/schemas $ref`);
        continue;
      }
      const status = ext.status ? taskStatusRule(ext.status) : ruleBelow(pollRule, ext.at ?? "");
      if (!status.status.length) problems.push(`${where}: no status pointer under at=${ext.at}`);
      const examples = Object.fromEntries(Object.entries(media.examples ?? {}).map(([n, ex]) => [n, deref(bundle, ex).value as Json]));
      const headers: Record<string, string> = {};
      for (const p of (op.parameters ?? []).map((x) => deref(bundle, x))) {
        if (p.in !== "header" || !p.name) continue;
        if (typeof p.example !== "string") problems.push(`${where}: header ${p.name} needs a string example`);
        else headers[p.name] = p.example;
      }
      const isChallenge = (v: Json) => ext.challenge !== undefined && getPointer(v, ext.challenge) !== undefined;
      for (const [n, v] of Object.entries(examples)) {
        if (isChallenge(v)) continue;
        const state = readTaskState(status, v);
        const known = [...status.pending, ...status.succeeded, ...status.failed, ...status.actionRequired];
        if (state.status === undefined || !known.includes(state.status)) problems.push(`${where}: example ${n} reports status ${JSON.stringify(state.status)}, not one the rule knows`);
        for (const p of ext.taskId) if (typeof getPointer(v, p) !== "string") problems.push(`${where}: example ${n} has no string task id at ${p}`);
      }
      if (ext.challenge && !Object.values(examples).some(isChallenge)) problems.push(`${where}: no example carries the challenge ${ext.challenge}`);
      const steps = pollSteps[task.poll];
      const byName = (names: readonly string[] = []) => names.filter((n) => n in examples);
      const lifecycle = ext.lifecycle ?? { succeeded: byName(steps?.succeeded), failed: byName(steps?.failed) };
      for (const outcome of ["succeeded", "failed"] as const) {
        const names = lifecycle[outcome];
        if (!names.length) problems.push(`${where}: lifecycle.${outcome} is empty (name the callback examples it sends)`);
        names.forEach((n, i) => {
          if (!(n in examples)) return problems.push(`${where}: lifecycle.${outcome} names unknown example ${n}`);
          const want = i === names.length - 1 ? outcome : "pending";
          const phase = readTaskState(status, examples[n]).phase;
          if (phase !== want) problems.push(`${where}: lifecycle.${outcome} example ${n} is ${phase}, expected ${want}`);
        });
      }
      rules[id] = {
        submit: id,
        name,
        operationId: op.operationId,
        field,
        poll: task.poll,
        mediaType,
        schema,
        headers,
        taskId: ext.taskId,
        status,
        challenge: ext.challenge ?? null,
        lifecycle,
        examples,
      };
    }
  }
  return { rules, problems };
}
