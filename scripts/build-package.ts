/**
 * `npm run build:package`: compiles src/ and the generated tables to ESM JavaScript with declarations in dist/
 * (tsc, tsconfig.build.json), then adds what tsc does not emit: the generated schema types and the bundled spec.
 */
import { copyFile, rm } from "node:fs/promises";
import path from "node:path";
import { bin, generatedDir, root } from "./lib/paths.js";
import { run } from "./lib/proc.js";

export const distDir = path.join(root, "dist");

export async function buildPackage(): Promise<void> {
  await rm(distDir, { recursive: true, force: true });
  const res = await run(bin("tsc"), ["-p", "tsconfig.build.json"], { cwd: root });
  if (res.code !== 0) throw new Error(`tsc -p tsconfig.build.json failed:\n${res.stdout}${res.stderr}`);
  // schema.d.ts is a declaration file: tsc reads it but does not copy it to the output.
  await copyFile(path.join(generatedDir, "schema.d.ts"), path.join(distDir, "generated/schema.d.ts"));
  await copyFile(path.join(generatedDir, "openapi.json"), path.join(distDir, "openapi.json"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    await buildPackage();
    console.log("build:package: wrote dist/");
  } catch (e) {
    console.error(`build:package: ${(e as Error).message}`);
    process.exitCode = 1;
  }
}
