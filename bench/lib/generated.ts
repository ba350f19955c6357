/** Building generated/ when a fresh checkout lacks it, before any module that imports it is loaded. */
import { existsSync } from "node:fs";
import path from "node:path";
import { bin, ok, root, timed } from "./proc.js";

/** Files of generated/ the bench reads (directly, or through src/). */
export const GENERATED_NEEDED = ["openapi.json", "schema.d.ts", "operations.ts", "tasks.ts", "lifecycles.ts"];

/** Runs `npm run build` (tsx scripts/build.ts) when a file of generated/ the bench needs is missing. */
export async function ensureGenerated(progress: (m: string) => void): Promise<void> {
  if (GENERATED_NEEDED.every((f) => existsSync(path.join(root, "generated", f)))) return;
  progress("generated/ is missing: running npm run build first");
  ok(await timed(bin("tsx"), ["scripts/build.ts"]), "npm run build");
}
