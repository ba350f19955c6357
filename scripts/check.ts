/**
 * `npm run check`: lint; generated/ matches what the spec makes (regenerated into a temp folder and compared,
 * naming stale files); tsc --noEmit over src, scripts and contract-tests.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { GENERATED_FILES, generate } from "./generate.js";
import { lint } from "./lint.js";
import { bin, generatedDir, root } from "./lib/paths.js";
import { run } from "./lib/proc.js";

async function generatedUpToDate(): Promise<boolean> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "elkapi-check-"));
  try {
    await generate(tmp);
    const stale: string[] = [];
    for (const f of GENERATED_FILES) {
      const fresh = await readFile(path.join(tmp, f), "utf8");
      const committed = await readFile(path.join(generatedDir, f), "utf8").catch(() => null);
      if (committed !== fresh) stale.push(`generated/${f}${committed === null ? " (missing)" : ""}`);
    }
    if (stale.length) {
      console.error(`check: generated/ is stale; run \`npm run generate\` and commit. Stale: ${stale.join(", ")}`);
      return false;
    }
    console.log("check: generated/ is up to date");
    return true;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function typecheck(): Promise<boolean> {
  const res = await run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], { cwd: root });
  if (res.code !== 0) {
    console.error(res.stdout + res.stderr);
    console.error("check: tsc --noEmit failed");
    return false;
  }
  console.log("check: tsc --noEmit passed");
  return true;
}

let ok = await lint();
ok = (await generatedUpToDate()) && ok;
ok = (await typecheck()) && ok;
process.exitCode = ok ? 0 : 1;
