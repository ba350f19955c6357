/**
 * The front's rules, in the order their request hooks run (response hooks run in reverse):
 * guard → bases → streams → accept → examples → bytes → callbacks → lifecycle.
 * Each is on by default except `lifecycle`; `false` turns one off, and `lifecycle` and `callbacks` take options.
 */
import type { Rule } from "../rule.js";
import type { MockSpec } from "../spec.js";
import { accept } from "./accept.js";
import { bases } from "./bases.js";
import { bytes } from "./bytes.js";
import { type CallbacksOptions, callbacks } from "./callbacks.js";
import { examples } from "./examples.js";
import { guard } from "./guard.js";
import { type LifecycleOptions, lifecycle } from "./lifecycle.js";
import { streams } from "./streams.js";

/** Which rules run: each `false` to turn it off; `lifecycle` is off unless given (true or its options). */
export interface RuleOptions {
  guard?: boolean;
  bases?: boolean;
  streams?: boolean;
  accept?: boolean;
  examples?: boolean;
  bytes?: boolean;
  /** The deliverer's options (`lifecycle` is taken from the lifecycle rule's). */
  callbacks?: boolean | Omit<CallbacksOptions, "lifecycle">;
  lifecycle?: boolean | LifecycleOptions;
}

/** Rule names in order, as `--no-<name>` switches take them. */
export const RULE_NAMES = ["guard", "bases", "streams", "accept", "examples", "bytes", "callbacks", "lifecycle"] as const;

/** Builds the enabled rules, in order, from the spec. */
export function makeRules(spec: MockSpec, options: RuleOptions = {}): Rule[] {
  const on = (name: Exclude<keyof RuleOptions, "lifecycle">) => options[name] !== false;
  const rules: Rule[] = [];
  if (on("guard")) rules.push(guard(spec, {}));
  if (on("bases")) rules.push(bases(spec, {}));
  if (on("streams")) rules.push(streams(spec, {}));
  if (on("accept")) rules.push(accept(spec, {}));
  if (on("examples")) rules.push(examples(spec, {}));
  if (on("bytes")) rules.push(bytes(spec, {}));
  // Before lifecycle: its response hook runs after lifecycle's, and so sees the fresh task id.
  if (on("callbacks")) rules.push(callbacks(spec, { ...(options.callbacks === true ? {} : options.callbacks), lifecycle: options.lifecycle ?? false }));
  if (options.lifecycle) rules.push(lifecycle(spec, options.lifecycle === true ? {} : options.lifecycle));
  return rules;
}
