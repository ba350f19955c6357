/**
 * `npm run pack:check`: the package as users get it. Builds dist/, runs publint (strict) and
 * @arethetypeswrong/cli (ESM-only profile: the package is ESM, `engines` Node >= 20.19), packs the tarball,
 * installs it into a fresh temporary project, type-checks a small consumer there in strict mode (a JSON call,
 * a streamed chat, a task waited with submitAndWait, a callback body parsed), runs it against the mock, and runs
 * the `elkapi` bin.
 * Prints each step and its time; stops at the first failure.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buildPackage } from "./build-package.js";
import { type Mock, startMock } from "../mock/index.js";
import { bin, root } from "./lib/paths.js";
import { type RunResult, run } from "./lib/proc.js";

const CONSUMER = `import { CallbackError, createElkClient, parseCallback, submitAndWait, ElkApiError } from "elkapi";

// Key and base URL from ELKAPI_API_KEY / ELKAPI_BASE_URL.
const elk = createElkClient({ maxRetries: 0 });

// A JSON operation: data is typed and always set (errors are thrown).
const { data } = await elk.POST("/v1/chat/completions", {
  body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] },
});
const text: string | null = data.choices[0]?.message.content ?? null;

// The streaming helper: typed chunks, then the accumulated answer.
const stream = await elk.stream("createChatCompletion", {
  body: { model: "gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] },
});
let streamed = "";
for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? "";

// A task: submit, wait with progress, read the result URLs.
const states: string[] = [];
const done = await submitAndWait(elk, "createLumaGeneration", { body: { prompt: "a paper lantern" } }, {
  intervalMs: 10,
  onProgress: (p) => states.push(String(p.status)),
});

let typedError = "";
try {
  await elk.GET("/v1/models", { headers: { Prefer: "code=401" } });
} catch (e) {
  if (e instanceof ElkApiError) typedError = e.name;
}
// A received callback: checked against the spec, typed, read as a poll is; a broken one names field and rule.
const cb = parseCallback("createKlingText2Video", '{"task_id":"t1","task_status":"succeed","created_at":1,"updated_at":2,"task_result":{"videos":[{"url":"https://cdn.example.com/v.mp4"}]}}');
const callback = cb.kind === "task" ? [cb.body.task_status, cb.state.phase, ...cb.state.results].join(" ") : "";
let callbackError = "";
try {
  parseCallback("createKlingText2Video", "{}");
} catch (e) {
  if (e instanceof CallbackError) callbackError = e.field + " " + e.rule;
}
console.log(JSON.stringify({ text, streamed, states, phase: done.phase, results: done.results, typedError, callback, callbackError }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    lib: ["ES2023"],
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    outDir: "out",
  },
  include: ["consumer.ts"],
};

function must(step: string, res: RunResult): RunResult {
  if (res.code !== 0) throw new Error(`${step} failed (exit ${res.code}):\n${res.stdout}${res.stderr}`);
  return res;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "elkapi-pack-"));
  let mock: Mock | undefined;
  const steps: [string, () => Promise<void>][] = [
    ["build dist/", () => buildPackage()],
    ["publint --strict", async () => void must("publint", await run(bin("publint"), ["--strict"], { cwd: root }))],
    ["attw --pack --profile esm-only", async () => void must("attw", await run(bin("attw"), ["--pack", ".", "--profile", "esm-only"], { cwd: root }))],
    [
      "npm pack",
      async () => void must("npm pack", await run("npm", ["pack", "--pack-destination", tmp, "--silent"], { cwd: root })),
    ],
    [
      "install into an empty project",
      async () => {
        const tarball = (await readdir(tmp)).find((f) => f.endsWith(".tgz"));
        if (!tarball) throw new Error("npm pack wrote no tarball");
        const project = path.join(tmp, "consumer");
        await mkdir(project);
        await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2));
        await writeFile(path.join(project, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
        await writeFile(path.join(project, "consumer.ts"), CONSUMER);
        // The consumer gets the same TypeScript and Node types this project pins.
        const dev = (JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies;
        const ts = dev.typescript;
        const typesNode = dev["@types/node"];
        must(
          "npm install",
          await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", path.join(tmp, tarball), `typescript@${ts}`, `@types/node@${typesNode}`], {
            cwd: project,
          }),
        );
      },
    ],
    ["type-check the consumer (strict)", async () => void must("tsc", await run(path.join(tmp, "consumer/node_modules/.bin/tsc"), ["-p", "."], { cwd: path.join(tmp, "consumer") }))],
    [
      "run the consumer against the mock",
      async () => {
        mock = await startMock({ rules: { lifecycle: true } });
        const env = { ...process.env, ELKAPI_API_KEY: "sk-pack-check-0000", ELKAPI_BASE_URL: mock.baseUrl };
        const res = must("node out/consumer.js", await run("node", ["out/consumer.js"], { cwd: path.join(tmp, "consumer"), env }));
        const out = JSON.parse(res.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
        const problems = [
          !out.text && "the JSON call gave no text",
          !out.streamed && "the stream gave no text",
          out.phase !== "succeeded" && `the task ended in phase ${String(out.phase)}`,
          !(out.states as string[] | undefined)?.length && "onProgress was never called",
          !(out.results as string[] | undefined)?.length && "the task gave no result URLs",
          out.typedError !== "AuthenticationError" && `a 401 gave ${String(out.typedError) || "no typed error"}`,
          out.callback !== "succeed succeeded https://cdn.example.com/v.mp4" && `the callback read as "${String(out.callback)}"`,
          out.callbackError !== "/task_id required" && `a broken callback gave "${String(out.callbackError)}"`,
        ].filter(Boolean);
        if (problems.length) throw new Error(`the consumer ran, but ${problems.join("; ")}:\n${res.stdout}`);
        console.log(`  ${res.stdout.trim()}`);
        const cli = must(
          "npx elkapi operations",
          await run(path.join(tmp, "consumer/node_modules/.bin/elkapi"), ["operations", "--tag", "luma"], { cwd: path.join(tmp, "consumer"), env }),
        );
        if (!cli.stdout.includes("createLumaGeneration")) throw new Error(`the elkapi bin did not list operations:\n${cli.stdout}`);
      },
    ],
  ];
  try {
    for (const [name, step] of steps) {
      const started = performance.now();
      await step();
      console.log(`pack:check: ${name} ok (${Math.round(performance.now() - started)} ms)`);
    }
  } finally {
    await mock?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

try {
  await main();
  console.log("pack:check: the package installs, type-checks and runs in an empty project");
} catch (e) {
  console.error(`pack:check: ${(e as Error).message}`);
  process.exitCode = 1;
}
