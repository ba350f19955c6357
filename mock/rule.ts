/**
 * What a rule of the front is: a name, and hooks. Request hooks run in list order before the request goes
 * upstream; response hooks run in reverse order on the answer (as openapi-fetch runs middleware). A request hook
 * may answer itself: the upstream is skipped and only the rules before it see the answer.
 */
import type { Exchange, MockResponse } from "./exchange.js";
import type { MockSpec } from "./spec.js";

/** One rule of the front. */
export interface Rule {
  /** Short name, also its off switch (`--no-<name>`, or `<name>: false` in the rule options). */
  readonly name: string;
  /** Edits what goes upstream; returning an answer skips the upstream. */
  onRequest?(exchange: Exchange): void | MockResponse | Promise<void | MockResponse>;
  /** Edits the answer in `exchange.response` (set before the call). */
  onResponse?(exchange: Exchange & { response: MockResponse }): void | Promise<void>;
  /** Stops what the rule runs in the background (the callbacks rule's deliveries); called when the front closes. */
  close?(): void;
}

/** Makes a rule from the spec; everything it applies is read from the spec here, once. */
export type RuleFactory<Options = Record<string, never>> = (spec: MockSpec, options: Options) => Rule;
