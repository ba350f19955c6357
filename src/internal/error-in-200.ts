/** Matching a 2xx body against the spec's `x-elkapi-error-in-200` rules (every JSON answer is checked). */
import type { ErrorIn200Rule } from "../../generated/operations.js";
import { getPointer } from "./pointer.js";

/** The first `x-elkapi-error-in-200` rule a 2xx body matches, if any: the body then reports a failure. */
export function errorIn200Rule(rules: readonly ErrorIn200Rule[] | null | undefined, body: unknown): ErrorIn200Rule | undefined {
  return rules?.find((rule) => {
    const value = getPointer(body, rule.pointer);
    if (value === undefined) return false;
    if ("equals" in rule) return value === rule.equals;
    if (rule.notIn) return !rule.notIn.includes(value as string | number | boolean);
    return true;
  });
}
