/**
 * Section 2: bundle size. Each entry in bench/entries/ creates a client and makes one call; esbuild bundles it
 * (browser platform, ESM, minified, tree-shaken, nothing external) and node:zlib gzips the output (level 9).
 * The client loads some parts with `import()` when first needed (streams, forms, middleware, failure handling):
 * a bundler splits those into chunks a page fetches only then. The row counts what the entry's own calls load:
 * the modules in its `loads` are bundled in, other dynamic imports are left out (`lazyLeftOut`); `allGzipBytes`
 * is the gzip size with every dynamic import bundled in, i.e. everything the client can load.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { type Plugin, build, version } from "esbuild";
import type { BundleRow, BundleSection } from "./lib/results.js";
import type { BenchSection } from "./lib/section.js";
import { kib, ratio, round, table } from "./lib/stats.js";
import { root } from "./lib/proc.js";

/** The entries, in table order; the first is the baseline. */
export const ENTRIES: readonly { id: string; file: string; label: string; loads?: readonly string[] }[] = [
  { id: "openapi-fetch", file: "openapi-fetch.ts", label: "bare openapi-fetch" },
  { id: "elk", file: "elk.ts", label: "createElkClient" },
  // elk.stream() loads the stream reader; waitForTask on Luma loads Luma's task rules (generated/tasks/luma.ts).
  { id: "elk-full", file: "elk-full.ts", label: "createElkClient + stream + waitForTask", loads: ["stream-open", "tasks/luma"] },
  { id: "openai", file: "openai.ts", label: "openai SDK" },
  { id: "anthropic", file: "anthropic.ts", label: "@anthropic-ai/sdk" },
];

const SETTINGS = { esbuild: version, platform: "browser", format: "esm", target: "es2022", external: "node:*" } as const;

/** Bundles one entry (dynamic imports outside `loads` left out); its sizes and largest inputs. */
export async function measureEntry(file: string, loads: readonly string[] = []): Promise<Omit<BundleRow, "id" | "label" | "gzipVsOpenapiFetch">> {
  const leftOut = new Set<string>();
  const lazy: Plugin = {
    name: "lazy",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (a) => {
        if (a.kind !== "dynamic-import" || loads.some((l) => a.path.includes(l))) return undefined;
        leftOut.add(a.path.replace(/^.*\//, "").replace(/\.js$/, ""));
        return { path: a.path, external: true };
      });
    },
  };
  const [result, all] = await Promise.all([bundleOf(file, [lazy]), bundleOf(file, [])]);
  const out = result.outputFiles[0]!;
  const meta = Object.values(result.metafile.outputs)[0]!;
  const largestInputs = Object.entries(meta.inputs)
    .map(([p, v]) => ({ path: p.replace(/^(\.\.\/)*/, ""), bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3);
  const nodeBuiltins = [...new Set(meta.imports.filter((i) => i.external && i.path.startsWith("node:")).map((i) => i.path))].sort();
  return {
    minifiedBytes: out.contents.byteLength,
    gzipBytes: gzipSync(out.contents, { level: 9 }).byteLength,
    allGzipBytes: gzipSync(all.outputFiles[0]!.contents, { level: 9 }).byteLength,
    lazyLeftOut: [...leftOut].sort(),
    largestInputs,
    nodeBuiltins,
  };
}

function bundleOf(file: string, plugins: Plugin[]) {
  return build({
    plugins,
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
}

async function run(): Promise<BundleSection> {
  const rows: BundleRow[] = [];
  for (const e of ENTRIES) rows.push({ id: e.id, label: e.label, ...(await measureEntry(e.file, e.loads)), gzipVsOpenapiFetch: 0 });
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
        ["entry (create a client, make one call)", "minified", "gzip", "gzip vs openapi-fetch", "gzip, every lazy part", "largest inputs (minified bytes)", "imports node: built-ins"],
        s.entries.map((r) => [
          r.label,
          kib(r.minifiedBytes),
          kib(r.gzipBytes),
          ratio(r.gzipVsOpenapiFetch),
          r.lazyLeftOut.length ? `${kib(r.allGzipBytes)} (left out: ${r.lazyLeftOut.join(", ")})` : "-",
          r.largestInputs.slice(0, 2).map((i) => `${i.path.replace(/^node_modules\//, "")} ${kib(i.bytes)}`).join(", "),
          r.nodeBuiltins.join(" ") || "none",
        ]),
      ),
    ].join("\n"),
};
