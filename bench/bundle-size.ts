/**
 * Section 2: bundle size. Each entry in bench/entries/ creates a client and makes one call; esbuild bundles it
 * (browser platform, ESM, minified, tree-shaken, nothing external) and node:zlib gzips the output (level 9).
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build, version } from "esbuild";
import type { BundleRow, BundleSection } from "./lib/results.js";
import type { BenchSection } from "./lib/section.js";
import { kib, ratio, round, table } from "./lib/stats.js";
import { root } from "./lib/proc.js";

/** The entries, in table order; the first is the baseline. */
export const ENTRIES = [
  { id: "openapi-fetch", file: "openapi-fetch.ts", label: "bare openapi-fetch" },
  { id: "elk", file: "elk.ts", label: "createElkClient" },
  { id: "elk-full", file: "elk-full.ts", label: "createElkClient + stream + waitForTask" },
  { id: "openai", file: "openai.ts", label: "openai SDK" },
  { id: "anthropic", file: "anthropic.ts", label: "@anthropic-ai/sdk" },
] as const;

const SETTINGS = { esbuild: version, platform: "browser", format: "esm", target: "es2022", external: "node:*" } as const;

/** Bundles one entry; its minified and gzip sizes and its largest inputs. */
export async function measureEntry(file: string): Promise<Omit<BundleRow, "id" | "label" | "gzipVsOpenapiFetch">> {
  const result = await build({
    entryPoints: [path.join(root, "bench/entries", file)],
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: SETTINGS.platform,
    format: SETTINGS.format,
    target: SETTINGS.target,
    write: false,
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
    // Node built-ins are left as imports (a browser bundle would need them stubbed); nodeBuiltins lists them.
    external: ["node:*"],
    outfile: "out.js",
  });
  const out = result.outputFiles[0]!;
  const meta = Object.values(result.metafile.outputs)[0]!;
  const largestInputs = Object.entries(meta.inputs)
    .map(([p, v]) => ({ path: p.replace(/^(\.\.\/)*/, ""), bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  const nodeBuiltins = [...new Set(meta.imports.filter((i) => i.external && i.path.startsWith("node:")).map((i) => i.path))].sort();
  return { minifiedBytes: out.contents.byteLength, gzipBytes: gzipSync(out.contents, { level: 9 }).byteLength, largestInputs, nodeBuiltins };
}

async function run(): Promise<BundleSection> {
  const rows: BundleRow[] = [];
  for (const e of ENTRIES) rows.push({ id: e.id, label: e.label, ...(await measureEntry(e.file)), gzipVsOpenapiFetch: 0 });
  const base = rows[0]!.gzipBytes;
  for (const r of rows) r.gzipVsOpenapiFetch = round(r.gzipBytes / base, 2);
  return { settings: SETTINGS, entries: rows };
}

/** Section 2 of `npm run bench`. */
export const bundle: BenchSection<BundleSection> = {
  title: "2. Bundle size",
  run,
  print: (s) =>
    [
      `esbuild ${s.settings.esbuild}, platform ${s.settings.platform}, ${s.settings.format}, minified, tree-shaken, ${s.settings.external} left external; gzip -9 (node:zlib)`,
      "",
      table(
        ["entry (create a client, make one call)", "minified", "gzip", "gzip vs openapi-fetch", "largest inputs (minified bytes)", "imports node: built-ins"],
        s.entries.map((r) => [
          r.label,
          kib(r.minifiedBytes),
          kib(r.gzipBytes),
          ratio(r.gzipVsOpenapiFetch),
          r.largestInputs.slice(0, 2).map((i) => `${i.path.replace(/^node_modules\//, "")} ${kib(i.bytes)}`).join(", "),
          r.nodeBuiltins.join(" ") || "none",
        ]),
      ),
    ].join("\n"),
};
