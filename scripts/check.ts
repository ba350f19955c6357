/**
 * `npm run check`: lint; generated/ matches what the spec makes (regenerated into a temp folder and compared,
 * naming stale files); tsc --noEmit over src, scripts and contract-tests.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { TASK_FAMILY_DIR, generate } from "./generate.js";
import { lint } from "./lint.js";
import { bin, generatedDir, root } from "./lib/paths.js";
import { run } from "./lib/proc.js";

async function generatedUpToDate(): Promise<boolean> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "elkapi-check-"));
  try {
    const files = await generate(tmp);
    const stale: string[] = [];
    // A committed family table the spec no longer makes is stale too.
    const committedFamilies = await readdir(path.join(generatedDir, TASK_FAMILY_DIR)).catch(() => []);
    for (const f of committedFamilies) if (!files.includes(`${TASK_FAMILY_DIR}/${f}`)) stale.push(`generated/${TASK_FAMILY_DIR}/${f} (no longer generated)`);
    for (const f of files) {
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
