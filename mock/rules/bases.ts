/**
 * Rule `bases`: a path under one of the operation's server prefixes (its `servers`, see mock/routes.ts) goes
 * upstream without the prefix, so Prism, which serves the spec's own paths, sees the canonical one:
 * `/anthropic/v1/messages` → `/v1/messages`, `/mj-relax/mj/submit/imagine` → `/mj/submit/imagine`.
 * Off: a prefixed path reaches Prism as sent (and gets its 404).
 */
import type { RuleFactory } from "../rule.js";

export const bases: RuleFactory = () => ({
  name: "bases",
  onRequest(ex) {
    if (ex.route?.prefix) ex.path = ex.route.path;
  },
});
