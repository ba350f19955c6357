/**
 * The seed navigation and what each leaf is.
 *
 * Every seed page prints the docs site's navigation; most print it as a bullet tree (`  • Title`, two spaces per
 * level), some with the HTTP method of an endpoint on the line under it. This reads that tree from every seed
 * that has one (they must agree), and reads each leaf's kind ("endpoint" or "guide") from the navigation map of
 * the catalog README (`| nav path | kind | catalog file |`).
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";

/** One leaf of the seed navigation. */
export interface NavLeaf {
  /** Titles from the top section down, joined by `/` (how x-elkapi-doc writes it). */
  path: string;
  /** The top-level section, e.g. `API Reference`. */
  section: string;
  /** HTTP methods the seeds print under this item (only sections a seed shows expanded have them). */
  methods: string[];
}

const BULLET = /^( *)• (.+?)\s*$/;
const METHOD = /^\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s*$/;

/** The leaves of one seed's bullet tree, in order; [] when the seed prints no bullet tree. */
export function parseNavTree(text: string): NavLeaf[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => BULLET.test(l));
  if (start < 0) return [];
  const stack: { level: number; node: number }[] = [];
  const nodes: { path: string[]; methods: string[]; children: number }[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    const m = BULLET.exec(line);
    if (m) {
      const level = m[1]!.length;
      while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
      const parent = stack.length ? nodes[stack[stack.length - 1]!.node]! : undefined;
      if (parent) parent.children++;
      nodes.push({ path: [...(parent?.path ?? []), m[2]!], methods: [], children: 0 });
      stack.push({ level, node: nodes.length - 1 });
      continue;
    }
    const method = METHOD.exec(line);
    if (method && nodes.length) {
      nodes[nodes.length - 1]!.methods.push(method[1]!);
      continue;
    }
    if (line.trim() === "") continue;
    break; // the tree ends at the first other line (the page's breadcrumb)
  }
  return nodes.filter((n) => n.children === 0).map((n) => ({ path: n.path.join("/"), section: n.path[0]!, methods: n.methods }));
}

/** The navigation the seeds print: every seed with a bullet tree must list the same leaves. */
export function readSeedNav(seedsDir: string): { leaves: NavLeaf[]; seeds: string[]; problems: string[] } {
  const files = readdirSync(seedsDir)
    .filter((f) => !f.startsWith("."))
    .sort();
  const trees = files.map((f) => ({ file: f, leaves: parseNavTree(readFileSync(path.join(seedsDir, f), "utf8")) })).filter((t) => t.leaves.length);
  const problems: string[] = [];
  if (!trees.length) return { leaves: [], seeds: [], problems: [`no seed in ${seedsDir} prints a bullet navigation tree`] };
  const [first, ...rest] = trees as [(typeof trees)[number], ...typeof trees];
  const order = first.leaves.map((l) => l.path);
  for (const t of rest) {
    const other = t.leaves.map((l) => l.path);
    const missing = order.filter((p) => !other.includes(p));
    const extra = other.filter((p) => !order.includes(p));
    if (missing.length || extra.length) {
      problems.push(
        `seed ${t.file} prints another navigation than ${first.file}: ` +
          [missing.length ? `lacks ${missing.join("; ")}` : "", extra.length ? `adds ${extra.join("; ")}` : ""].filter(Boolean).join(", "),
      );
    }
  }
  const leaves = first.leaves.map((l) => ({
    ...l,
    methods: [...new Set(trees.flatMap((t) => t.leaves.find((x) => x.path === l.path)?.methods ?? []))],
  }));
  return { leaves, seeds: trees.map((t) => t.file), problems };
}

/** The catalog's navigation map: nav path → kind, in table order. */
export function readCatalogKinds(catalogReadme: string): Map<string, string> {
  const text = readFileSync(catalogReadme, "utf8");
  const at = text.indexOf("## Navigation map");
  if (at < 0) throw new Error(`${catalogReadme} has no "## Navigation map" section`);
  const kinds = new Map<string, string>();
  for (const line of text.slice(at).split(/\r?\n/)) {
    const cells = line.split("|").map((c) => c.trim());
    // | nav path | kind | catalog file |  → ["", path, kind, file, ""]
    if (cells.length < 4 || cells[1] === "nav path" || /^-+$/.test(cells[1] ?? "") || !cells[1]) continue;
    kinds.set(cells[1], cells[2]!);
  }
  if (!kinds.size) throw new Error(`${catalogReadme}: the navigation map has no rows`);
  return kinds;
}
