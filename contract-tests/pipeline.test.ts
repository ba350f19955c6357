/** The pipeline's promises: a stale generated/ fails the check by name, and the mock starts and stops cleanly. */
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bin, root } from "../scripts/lib/paths.js";
import { freePort } from "../mock/prism.js";
import { run } from "../scripts/lib/proc.js";
import { readdirSync } from "node:fs";
import { allOperations } from "./lib/spec.js";

describe("pipeline", () => {
  it("check fails and names generated/ when openapi/ changed without regenerating", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-stale-"));
    try {
      for (const f of ["openapi", "generated", "scripts", "src", "contract-tests"]) await cp(path.join(root, f), path.join(dir, f), { recursive: true });
      for (const f of ["redocly.yaml", "tsconfig.json", "package.json", "vitest.config.ts"]) await cp(path.join(root, f), path.join(dir, f));
      await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"));
      const file = path.join(dir, "openapi/components/schemas/openai/CreateEmbeddingRequest.yaml");
      await writeFile(file, (await readFile(file, "utf8")).replace("Size of the output vectors.", "Length of the output vectors."));
      const res = await run(bin("tsx"), [path.join(dir, "scripts/check.ts")], { cwd: dir });
      expect(res.code).not.toBe(0);
      expect(res.stderr).toContain("generated/ is stale");
      expect(res.stderr).toContain("generated/openapi.json");
      expect(res.stderr).toContain("generated/schema.d.ts");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("npm run mock serves on the given port, prints a working curl, and stops on Ctrl-C", async () => {
    const port = await freePort();
    const child = spawn(bin("tsx"), [path.join(root, "mock/main.ts"), "--port", String(port)], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    await expect
      .poll(() => out, { timeout: 60_000, interval: 200 })
      .toContain(`listening on http://127.0.0.1:${port}`);
    // The lines arrive in separate writes: wait for the curl line too.
    await expect.poll(() => out.split("\n").find((l) => l.trim().startsWith("curl")), { timeout: 5_000, interval: 50 }).toBeTruthy();
    const curl = out.split("\n").find((l) => l.trim().startsWith("curl"))!;
    const res = await run("bash", ["-c", curl.trim()]);
    expect(JSON.parse(res.stdout)).toMatchObject({ object: "chat.completion" });
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    const again = await fetch(`http://127.0.0.1:${port}/v1/models`).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(Error);
  }, 90_000);

  it("has a contract test file for every family the spec has operations in", () => {
    const files = new Set(readdirSync(path.join(root, "contract-tests")));
    const tags = new Set(allOperations.map((o) => o.op.tags?.[0]));
    for (const tag of tags) expect(files, `contract-tests/${tag}.test.ts`).toContain(`${tag}.test.ts`);
  });
});
