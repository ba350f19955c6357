/**
 * The command line of `npm run mock`: `[--port N] [--lifecycle | --fail-tasks] [--callback-allow HOST ...]
 * [--no-<rule> ...]`, with `PORT` and `MOCK_LIFECYCLE=1` from the environment. Pure, so its rules are tested
 * without starting anything.
 */
import { type ParseArgsConfig, parseArgs } from "node:util";
import { RULE_NAMES, type RuleOptions } from "./rules/index.js";

/** What `npm run mock` was asked for. */
export interface MockArgs {
  /** 1-65535; --port, else PORT, else 4010. */
  port: number;
  rules: RuleOptions;
}

const SWITCHABLE = RULE_NAMES.filter((n) => n !== "lifecycle");

/** Parses the arguments; throws a TypeError with a usage message on a bad flag or port. */
export function parseMockArgs(argv: string[], env: Record<string, string | undefined>): MockArgs {
  const options: ParseArgsConfig["options"] = {
    port: { type: "string" },
    lifecycle: { type: "boolean" },
    "fail-tasks": { type: "boolean" },
    "callback-allow": { type: "string", multiple: true },
    ...Object.fromEntries(SWITCHABLE.map((n) => [`no-${n}`, { type: "boolean" as const }])),
  };
  const flags = parseArgs({ args: argv, options }).values as Record<string, string | boolean | undefined>;
  const raw = String(flags.port ?? env.PORT ?? "4010");
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new TypeError(`--port/PORT must be an integer from 1 to 65535, got "${raw}"`);
  const rules: RuleOptions = Object.fromEntries(SWITCHABLE.map((n) => [n, flags[`no-${n}`] !== true]));
  const allow = (flags["callback-allow"] as unknown as string[] | undefined) ?? [];
  for (const host of allow) {
    if (!/^[a-z0-9.-]+(:\d{1,5})?$/i.test(host) && !/^\[[0-9a-f:.]+\](:\d{1,5})?$/i.test(host)) {
      throw new TypeError(`--callback-allow takes a host name or host:port (e.g. hooks.example.com), got "${host}"`);
    }
  }
  if (allow.length && rules.callbacks !== false) rules.callbacks = { allow };
  if (flags["fail-tasks"]) rules.lifecycle = { outcome: "failed" };
  else if (flags.lifecycle || env.MOCK_LIFECYCLE === "1") rules.lifecycle = true;
  return { port, rules };
}
