/**
 * `npm run diff -- <git-ref> [--to <git-ref>] [--allow-breaking] [--verbose] [--json] [--no-types]`
 *
 * Review summary of the spec change from <git-ref> (its generated/openapi.json, else its openapi/ bundled) to the
 * working tree (openapi/ bundled now) or to --to <git-ref>. Either side may also be a spec file (a bundled .json,
 * or a root .yaml to bundle): operations added, removed and moved, every other change
 * classed breaking / non-breaking / deprecated / unclassified (docs-only changes are counted; --verbose lists
 * them), and a type check: a consumer generated from the old spec's types must still compile against the new
 * types wherever the diff says non-breaking. Exits 1 on a breaking change (or a type break the diff missed)
 * unless --allow-breaking, 2 on a usage error.
 */
import { parseArgs } from "node:util";
import { types } from "./generate.js";
import { loadSpec, specOfWorkingTree } from "./lib/generate/bundle.js";
import { type CompatResult, checkTypeCompat } from "./lib/review/compat.js";
import { report } from "./lib/review/diff-report.js";
import { diffSpecs } from "./lib/review/spec-diff.js";

const USAGE = "usage: npm run diff -- <git-ref|spec-file> [--to <git-ref|spec-file>] [--allow-breaking] [--verbose] [--json] [--no-types]";

let args: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      to: { type: "string" },
      "allow-breaking": { type: "boolean", default: false },
      verbose: { type: "boolean", short: "v", default: false },
      json: { type: "boolean", default: false },
      "no-types": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}
try {
  args = parse();
} catch (e) {
  console.error(`diff: ${(e as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.values.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.positionals.length !== 1) {
  console.error(`diff: give exactly one git ref to compare from (e.g. main, HEAD~1)\n${USAGE}`);
  process.exit(2);
}
const [fromRef] = args.positionals as [string];
const opts = args.values;

try {
  const [from, to] = await Promise.all([loadSpec(fromRef), opts.to ? loadSpec(opts.to) : specOfWorkingTree()]);
  const diff = diffSpecs(from.bundle, to.bundle);
  let compat: CompatResult | undefined;
  if (!opts["no-types"]) {
    const [oldTypes, newTypes] = await Promise.all([types(structuredClone(from.bundle)), types(structuredClone(to.bundle))]);
    compat = await checkTypeCompat(from.bundle, oldTypes, newTypes);
  }
  const { text, breaking, missed } = report(from.label, to.label, diff, compat, opts.verbose);
  if (opts.json) {
    console.log(
      JSON.stringify(
        {
          from: from.label,
          to: to.label,
          ...diff,
          typeCheck: compat && { checked: compat.checked, skipped: compat.skipped, broken: Object.fromEntries(compat.broken), missedByDiff: missed },
          breaking,
        },
        null,
        2,
      ),
    );
  } else console.log(text);
  if (breaking) {
    if (opts["allow-breaking"]) console.error("diff: breaking changes allowed (--allow-breaking)");
    else {
      console.error("diff: breaking changes found; exit 1 (pass --allow-breaking to accept them)");
      process.exitCode = 1;
    }
  }
} catch (e) {
  console.error(`diff: ${(e as Error).message}`);
  process.exitCode = 2;
}
