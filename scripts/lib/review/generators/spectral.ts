/** Spectral's built-in `spectral:oas` ruleset over a bundle, as a user who lints the published spec runs it. */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { bin } from "../../paths.js";
import { run } from "../../proc.js";

/** One Spectral result (its JSON formatter's shape, reduced). */
export interface SpectralResult {
  code: string;
  message: string;
  path: (string | number)[];
  /** 0 error, 1 warning, 2 information, 3 hint. */
  severity: number;
}

/** Runs `spectral lint <spec> -r <ruleset extending spectral:oas> -f json` in `dir`; throws when it cannot run. */
export async function spectralOas(spec: string, dir: string): Promise<{ errors: SpectralResult[]; warnings: SpectralResult[] }> {
  const ruleset = path.join(dir, ".spectral.yaml");
  const out = path.join(dir, "spectral.json");
  await writeFile(ruleset, 'extends: ["spectral:oas"]\n');
  const res = await run(bin("spectral"), ["lint", spec, "-r", ruleset, "-f", "json", "-o", out, "-q"], { cwd: dir });
  let results: SpectralResult[];
  try {
    results = JSON.parse(await readFile(out, "utf8")) as SpectralResult[];
  } catch {
    throw new Error(`spectral did not write a report (exit ${res.code}):\n${res.stdout}${res.stderr}`);
  }
  return { errors: results.filter((r) => r.severity === 0), warnings: results.filter((r) => r.severity === 1) };
}

/** A result as `code at path: message`. */
export const formatSpectral = (r: SpectralResult) => `${r.code} at ${r.path.join("/")}: ${r.message}`;
