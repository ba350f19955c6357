/**
 * Checks that a task query names one example per state its `x-elkapi-task-status` rule knows (DESIGN.md: "a task
 * query has one named example per task state"), and that every example's state is one the rule classifies.
 */
import { expect } from "vitest";
import { operations } from "../../generated/operations.js";
import { taskQueries } from "../../generated/tasks.js";
import { errorIn200Rule } from "../../src/internal/error-in-200.js";
import { getPointer } from "../../src/internal/pointer.js";
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
 * True when `state`, read at one of the rule's status pointers, would make the answer an error inside a 200
 * (the same pointer has an `x-elkapi-error-in-200` rule), e.g. MiniMax's numeric `base_resp.status_code` failures:
 * the client throws such answers, so one example of that error stands for all of its codes.
 */
function arrivesAsErrorIn200(operationId: keyof typeof taskQueries, state: State): boolean {
  const rules = operations[operationId as keyof typeof operations]?.errorIn200 ?? [];
  return rules.some((rule) => {
    if (!(taskQueries[operationId].status as readonly string[]).includes(rule.pointer)) return false;
    const body: Record<string, unknown> = {};
    const keys = rule.pointer.slice(1).split("/");
    keys.reduce<Record<string, unknown>>((o, k, i) => (o[k] = i === keys.length - 1 ? state : {}) as Record<string, unknown>, body);
    return errorIn200Rule([rule], body) !== undefined;
  });
}

/**
 * Every state the rule lists (pending, succeeded, failed, action required) has a named example, and every example
 * reports a state the rule classifies. A failure code that only arrives as an error inside a 200 is covered by one
 * example of that error (see arrivesAsErrorIn200).
 */
export function expectEveryStateNamed(operationId: keyof typeof taskQueries): void {
  const rule = taskQueries[operationId];
  const known: State[] = [...rule.pending, ...rule.succeeded, ...rule.failed, ...rule.actionRequired];
  const seen = exampleStates(operationId);
  const rules = operations[operationId as keyof typeof operations]?.errorIn200;
  const op = operation(operationId).op;
  const errorExample = Object.values(op.responses).some((r) =>
    examplesOf(deref(bundle, r).content?.["application/json"]).some((ex) => errorIn200Rule(rules, ex.value) !== undefined),
  );
  for (const s of known) {
    if (errorExample && arrivesAsErrorIn200(operationId, s)) continue;
    expect(seen.map((e) => e.state), `an example in state ${String(s)}`).toContain(s);
  }
  // An answer without a status (e.g. a batch query that found nothing) reports no state to classify.
  for (const e of seen) if (e.state !== undefined) expect(known, `example "${e.name}" reports a state the rule classifies`).toContain(e.state);
}
