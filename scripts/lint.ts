/**
 * `npm run lint`: Redocly lint of openapi/openapi.yaml with openapi/redocly-strict.yaml (redocly.yaml's rules plus
 * the strict example checks).
 * Prints every problem as `file:line:col severity rule message` and fails on any error or warning.
 */
import path from "node:path";
import { root, specRoot } from "./lib/paths.js";
import { redocly, withoutBanner } from "./lib/proc.js";

/** redocly.yaml plus the checks only Redocly 2 reads correctly (see the file). */
export const strictConfig = path.join(root, "openapi/redocly-strict.yaml");

interface Problem {
  ruleId: string;
  severity: string;
  message: string;
  location: { source: { ref: string }; pointer?: string; start?: { line: number; col: number } }[];
  from?: { source: { ref: string }; pointer?: string };
}

export async function lint(): Promise<boolean> {
  const res = await redocly(["lint", specRoot, "--config", strictConfig, "--format=json", "--max-problems=1000"]);
  let report: { totals: { errors: number; warnings: number }; problems: Problem[] };
  try {
    report = JSON.parse(res.stdout);
  } catch {
    console.error(withoutBanner(res.stdout + "\n" + res.stderr));
    console.error("lint: Redocly did not produce a report (see above).");
    return false;
  }
  for (const p of report.problems) {
    const loc = p.location[0];
    const where = loc ? `${loc.source.ref}:${loc.start?.line ?? 0}:${loc.start?.col ?? 0}` : "?";
    const from = p.from ? ` (referenced from ${p.from.source.ref}${p.from.pointer ?? ""})` : "";
    console.error(`${where} ${p.severity} ${p.ruleId}: ${p.message}${from}`);
  }
  const { errors, warnings } = report.totals;
  console.log(`lint: ${errors} errors, ${warnings} warnings`);
  return errors === 0 && warnings === 0;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = (await lint()) ? 0 : 1;
}
