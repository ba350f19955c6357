/**
 * `npm run mock [-- --port 4010] [--lifecycle | --fail-tasks] [--callback-allow HOST ...] [--no-<rule> ...]`: serves
 * generated/openapi.json with Prism behind the front (mock/README.md) on 127.0.0.1. Port from --port, else PORT,
 * else 4010. Prints the base URL and a curl to try; Ctrl-C stops it cleanly.
 * --lifecycle (or MOCK_LIFECYCLE=1): repeated polls of a task move through its states (mock/rules/lifecycle.ts);
 * --fail-tasks: the same, but every task ends in its failed state. A submit naming a callback URL gets the
 * vendor's callbacks (mock/rules/callbacks.ts) on loopback, or on hosts named with --callback-allow (repeatable).
 * --no-bases, --no-streams, --no-accept, --no-examples, --no-bytes, --no-callbacks turn a rule off.
 * Exit codes: 0 stopped, 1 the mock failed, 2 usage error.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { generatedDir } from "../scripts/lib/paths.js";
import { type MockArgs, parseMockArgs } from "./args.js";
import { type Mock, RULE_NAMES, startMock } from "./index.js";

let args: MockArgs;
try {
  args = parseMockArgs(process.argv.slice(2), process.env);
} catch (e) {
  console.error(`mock: ${(e as Error).message}`);
  process.exit(2);
}
if (!existsSync(path.join(generatedDir, "openapi.json"))) {
  console.error("mock: generated/openapi.json is missing; run `npm run build` first.");
  process.exit(2);
}
const { port, rules } = args;
const lifecycle = rules.lifecycle !== undefined;
const failTasks = typeof rules.lifecycle === "object" && rules.lifecycle.outcome === "failed";

const mock: Mock = await startMock({ port, rules }).catch((e: Error) => {
  console.error(`mock: ${e.message}`);
  process.exit(1);
});
const baseUrl = mock.baseUrl;
console.log(`ElkAPI mock listening on ${baseUrl}`);
console.log("Try:");
console.log(
  `  curl -s ${baseUrl}/v1/chat/completions -H 'Authorization: Bearer sk-test' -H 'Content-Type: application/json' ` +
    `-d '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hello"}]}'`,
);
console.log("Pick an example or a status with: -H 'Prefer: example=tool_calls' or -H 'Prefer: code=429'. Ctrl-C stops.");
console.log(`Prism itself, without the front's rules: ${mock.prismUrl}`);
const off = RULE_NAMES.filter((n) => n !== "lifecycle" && rules[n] === false);
if (off.length) console.log(`Rules off: ${off.join(", ")}.`);
if (rules.callbacks !== false) {
  const allow = typeof rules.callbacks === "object" ? (rules.callbacks.allow ?? []) : [];
  console.log(
    `Callbacks: a submit's callback URL gets the vendor's POSTs ${lifecycle ? "at each state" : "of the final state"}, on loopback${allow.length ? ` and ${allow.join(", ")}` : " only (--callback-allow HOST for more)"}.`,
  );
}
if (lifecycle) {
  console.log("Task lifecycles on: each submit answers a fresh task id, and repeated polls of it move through its states;");
  console.log(
    failTasks
      ? "--fail-tasks: every task ends in its failed state."
      : "ids containing 'fail' (or submits sent with 'x-elkapi-mock-lifecycle: failed') end in the failed state.",
  );
}

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\nmock: ${signal}, stopping ...`);
  await mock.stop();
  process.exit(0);
};
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
// startMock restarts the server process when it dies (reported on stderr), on the same port.
