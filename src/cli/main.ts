/**
 * The `elkapi` command: list operations, call any operation by operationId, and wait on tasks with a live
 * progress bar. The key comes from ELKAPI_API_KEY; the gateway from --base-url, ELKAPI_BASE_URL or the default.
 * Exit codes: 0 done, 1 the API answered with an error, 2 usage error, 3 task failed, 4 task timed out,
 * 130 interrupted.
 */
import { Command, CommanderError } from "commander";
import { operationDocs } from "../../generated/operation-docs.js";
import { operations } from "../../generated/operations.js";
import { taskQueries, taskSubmits } from "../../generated/tasks.js";
import { createElkClient } from "../client.js";
import type { ElkClient } from "../types.js";
import { APIUserAbortError, ElkApiError } from "../errors.js";
import { TaskFailedError, TaskTimeoutError } from "../task-errors.js";
import { type TaskHandle, submitTask, waitForTask } from "../tasks.js";
import { UsageError, jsonBody, ms, pairs, withFiles } from "./args.js";
import { taskBar } from "./progress.js";

type OpId = keyof typeof operations;
const EXIT = { ok: 0, api: 1, usage: 2, failed: 3, timeout: 4, interrupted: 130 } as const;

function client(baseUrl: string | undefined): ElkClient {
  try {
    return createElkClient(baseUrl ? { baseUrl } : {});
  } catch (e) {
    throw new UsageError((e as Error).message.replace("pass { apiKey } or set", "set"));
  }
}

function operation(id: string): OpId {
  if (!(id in operations)) throw new UsageError(`unknown operation "${id}"; \`elkapi operations\` lists them`);
  return id as OpId;
}

interface WaitFlags {
  interval?: string;
  timeout?: string;
  progress: boolean;
  json?: boolean;
}

async function waitAndPrint(elk: ElkClient, handle: TaskHandle<string>, flags: WaitFlags, signal: AbortSignal): Promise<void> {
  const bar = taskBar(`${handle.poll} ${handle.taskId}`, flags.progress);
  let result: { results: string[]; data: unknown };
  try {
    result = await waitForTask(elk, handle as TaskHandle<never>, {
      intervalMs: ms(flags.interval, "--interval"),
      timeoutMs: ms(flags.timeout, "--timeout"),
      signal,
      onProgress: (p) => bar.update(p),
    });
  } finally {
    bar.stop();
  }
  if (flags.json) console.log(JSON.stringify(result.data, null, 2));
  else if (result.results.length) for (const url of result.results) console.log(url);
  else console.log(JSON.stringify(result.data, null, 2));
}

/** Builds the program; `io.signal` lets callers interrupt waits. */
export function program(signal: AbortSignal): Command {
  const cli = new Command("elkapi")
    .description("Call the ElkAPI gateway from the spec: any operation by operationId, and wait on its tasks.")
    .option("--base-url <url>", "gateway origin (default: ELKAPI_BASE_URL or https://api.elkapi.com)")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride();

  cli
    .command("operations")
    .description("list the operations of the spec, with the task query each submit hands to")
    .option("--tag <family>", "only this family (openai, midjourney, luma ...)")
    .option("--json", "print JSON instead of a table")
    .action((flags: { tag?: string; json?: boolean }) => {
      const rows = Object.entries(operations)
        .filter(([, op]) => !flags.tag || op.tag === flags.tag)
        .map(([id, op]) => ({
          operationId: id,
          method: op.method,
          path: op.path,
          tag: op.tag,
          task: id in taskSubmits ? `submit → ${(taskSubmits as Record<string, { poll: string }>)[id]!.poll}` : id in taskQueries ? "query" : "",
          summary: operationDocs[id as OpId].summary,
        }));
      if (flags.json) return console.log(JSON.stringify(rows, null, 2));
      for (const r of rows) console.log([r.operationId.padEnd(34), r.method.padEnd(6), r.path.padEnd(48), r.task].join(" ").trimEnd());
      console.log(`${rows.length} operations`);
    });

  cli
    .command("call")
    .description("call an operation; with --wait, a task submit is polled to the end with a progress bar")
    .argument("<operationId>", "e.g. createChatCompletion, createLumaGeneration")
    .option("--body <json>", 'request body as JSON, or @file.json; in multipart bodies "@path" fields upload files')
    .option("--path <name=value...>", "path parameters")
    .option("--query <name=value...>", "query parameters")
    .option("--header <name=value...>", "extra request headers")
    .option("--wait", "for a task submit: wait for the task and print its result URLs")
    .option("--interval <ms>", "poll interval with --wait (default: the spec's per-family interval)")
    .option("--timeout <ms>", "give up waiting after this many ms (default 1800000)")
    .option("--no-progress", "no progress bar")
    .option("--json", "with --wait: print the final poll answer instead of the URLs")
    .action(async (id: string, flags: WaitFlags & { body?: string; path?: string[]; query?: string[]; header?: string[]; wait?: boolean }) => {
      const op = operation(id);
      const elk = client(cli.opts<{ baseUrl?: string }>().baseUrl);
      let body = await jsonBody(flags.body);
      if (operations[op].requestMediaTypes.includes("multipart/form-data" as never)) body = await withFiles(body);
      const init = {
        params: { path: pairs(flags.path, "--path"), query: pairs(flags.query, "--query") },
        headers: pairs(flags.header, "--header"),
        ...(body !== undefined ? { body } : {}),
        signal,
      };
      if (flags.wait) {
        if (!(op in taskSubmits)) throw new UsageError(`--wait needs a task submit; ${op} is not one`);
        const { handle } = await submitTask(elk, op as never, init as never);
        console.error(`task ${handle.taskId} submitted; polling ${handle.poll}`);
        return waitAndPrint(elk, handle, flags, signal);
      }
      const method = elk[operations[op].method as "GET" | "POST"] as unknown as (p: string, i: object) => Promise<{ data: unknown }>;
      const { data } = await method(operations[op].path, init);
      console.log(typeof data === "string" ? data : JSON.stringify(data, null, 2));
    });

  cli
    .command("wait")
    .description("wait on an existing task with a progress bar, then print its result URLs")
    .argument("<operationId>", "the task query (e.g. getLumaGeneration) or the submit that started it")
    .argument("<taskId>", "the task id the submit returned")
    .option("--interval <ms>", "poll interval (default: the spec's per-family interval)")
    .option("--timeout <ms>", "give up after this many ms (default 1800000)")
    .option("--no-progress", "no progress bar")
    .option("--json", "print the final poll answer instead of the URLs")
    .action(async (id: string, taskId: string, flags: WaitFlags) => {
      const op = operation(id);
      const poll = op in taskQueries ? op : (taskSubmits as Record<string, { poll: string }>)[op]?.poll;
      if (!poll) throw new UsageError(`${op} neither polls nor starts a task; task queries: ${Object.keys(taskQueries).join(", ")}`);
      const elk = client(cli.opts<{ baseUrl?: string }>().baseUrl);
      await waitAndPrint(elk, { poll, taskId, createdAt: new Date().toISOString() }, flags, signal);
    });

  return cli;
}

/** Runs the CLI with `argv` (without node and script); resolves with the exit code. */
export async function run(argv: string[], signal: AbortSignal = new AbortController().signal): Promise<number> {
  try {
    await program(signal).parseAsync(argv, { from: "user" });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError || e instanceof TypeError) {
      console.error(`elkapi: ${e.message}`);
      return EXIT.usage;
    }
    if (e instanceof TaskFailedError) {
      console.error(`elkapi: ${e.message}`);
      return EXIT.failed;
    }
    if (e instanceof TaskTimeoutError) {
      console.error(`elkapi: ${e.message}`);
      console.error(`resume with: elkapi wait ${e.handle.poll} ${e.handle.taskId}`);
      return EXIT.timeout;
    }
    if (e instanceof APIUserAbortError) {
      console.error("elkapi: interrupted");
      return EXIT.interrupted;
    }
    if (e instanceof ElkApiError) {
      console.error(`elkapi: ${e.name}: ${e.message}`);
      return EXIT.api;
    }
    throw e;
  }
}
