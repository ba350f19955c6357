/**
 * Checks that a task query names one example per state its `x-elkapi-task-status` rule knows (DESIGN.md: "a task
 * query has one named example per task state"), and that every example's state is one the rule classifies.
 */
import { expect } from "vitest";
import { operations } from "../../generated/operations.js";
import { taskQueries } from "../../generated/tasks.js";
import { errorIn200Rule } from "../../src/error-body.js";
import { getPointer } from "../../src/pointer.js";
import { bundle, deref, examplesOf, operation } from "./spec.js";

type State = string | number | boolean;

/** The state a body reports under `rule.status` (the first pointer present wins). */
export function stateOf(operationId: keyof typeof taskQueries, body: unknown): State | undefined {
  for (const p of taskQueries[operationId].status) {
    const v = getPointer(body, p);
    if (v !== undefined) return v as State;
  }
  return undefined;
}

/** Every 2xx JSON example of the query (but errors sent inside a 200), each with the state it reports. */
export function exampleStates(operationId: keyof typeof taskQueries): { name: string; state: State | undefined }[] {
  const op = operation(operationId).op;
  const rules = operations[operationId as keyof typeof operations]?.errorIn200;
  const out: { name: string; state: State | undefined }[] = [];
  for (const [status, raw] of Object.entries(op.responses)) {
    if (!/^2\d\d$/.test(status)) continue;
    const json = deref(bundle, raw).content?.["application/json"];
    for (const ex of examplesOf(json)) {
      if (!errorIn200Rule(rules, ex.value)) out.push({ name: ex.name, state: stateOf(operationId, ex.value) });
    }
  }
  return out;
}

/**
 * Every pending, succeeded and failed value of the rule has an example (except `unnamed`, e.g. numeric error codes
 * listed only as a fallback), and every example's state is one of them.
 */
export function expectEveryStateNamed(operationId: keyof typeof taskQueries, unnamed: readonly State[] = []): void {
  const rule = taskQueries[operationId];
  const known: State[] = [...rule.pending, ...rule.succeeded, ...rule.failed, ...rule.actionRequired];
  const seen = exampleStates(operationId);
  for (const s of known.filter((k) => !unnamed.includes(k))) {
    expect(seen.map((e) => e.state), `an example in state ${String(s)}`).toContain(s);
  }
  for (const e of seen) expect(known, `example "${e.name}" reports a state the rule classifies`).toContain(e.state);
}
