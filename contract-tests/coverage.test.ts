/**
 * `npm run coverage`: the nav-leaf → operation table on fixtures (contract-tests/fixtures/nav/, see its
 * README), its failure cases, and the real run on ../shared: every endpoint nav item has an operation.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CoverageReport } from "../scripts/lib/review/coverage.js";
import type { corpusCoverage } from "../scripts/lib/review/real-world.js";
import { parseNavTree, readCatalogKinds, readSeedNav } from "../scripts/lib/review/nav.js";
import { bin, root } from "../scripts/lib/paths.js";
import { run } from "../scripts/lib/proc.js";

const fixtures = path.join(root, "contract-tests/fixtures/nav");
const coverage = (...args: string[]) => run(bin("tsx"), [path.join(root, "scripts/coverage.ts"), ...args], { cwd: root });
const onFixtures = (extra: { spec?: string; seeds?: string; catalog?: string; corpus?: string } = {}, ...args: string[]) =>
  coverage(
    "--seeds", extra.seeds ?? path.join(fixtures, "seeds"),
    "--catalog", extra.catalog ?? path.join(fixtures, "catalog.md"),
    "--spec", extra.spec ?? path.join(fixtures, "spec.json"),
    "--corpus", extra.corpus ?? path.join(fixtures, "real-world"),
    ...args,
  );
type Json = CoverageReport & { seeds: string[]; corpus: ReturnType<typeof corpusCoverage> };
/** The nav table's rows (the first table of the output). */
const navRows = (stdout: string) => stdout.split("\n").filter((l) => /^\| (#|\d+) \|/.test(l));

describe("npm run coverage: reading the navigation", () => {
  it("reads the bullet tree's leaves with their paths and methods, and stops at the breadcrumb", async () => {
    const leaves = parseNavTree(await readFile(path.join(fixtures, "seeds/001_pets.txt"), "utf8"));
    expect(leaves).toEqual([
      { path: "Quick Start/Welcome", section: "Quick Start", methods: [] },
      { path: "API Reference/Errors", section: "API Reference", methods: [] },
      { path: "API Reference/Pets/List pets", section: "API Reference", methods: ["GET"] },
      { path: "API Reference/Pets/Create pet", section: "API Reference", methods: ["POST"] },
      { path: "API Reference/Pets/Pet care guide", section: "API Reference", methods: [] },
      { path: "API Reference/Stores/Store task/Submit", section: "API Reference", methods: [] },
      { path: "API Reference/Stores/Store task/Query", section: "API Reference", methods: [] },
      { path: "Integration Guide/Balance", section: "Integration Guide", methods: [] },
    ]);
  });

  it("merges the methods every seed prints and ignores seeds without a bullet tree", () => {
    const nav = readSeedNav(path.join(fixtures, "seeds"));
    expect(nav.seeds).toEqual(["001_pets.txt", "002_stores.txt"]);
    expect(nav.problems).toEqual([]);
    expect(nav.leaves.find((l) => l.path.endsWith("/Submit"))?.methods).toEqual(["POST"]);
    expect(nav.leaves.find((l) => l.path.endsWith("/List pets"))?.methods).toEqual(["GET"]);
  });

  it("reads kinds from the catalog's navigation map", () => {
    const kinds = readCatalogKinds(path.join(fixtures, "catalog.md"));
    expect(kinds.get("API Reference/Errors")).toBe("guide");
    expect(kinds.get("Integration Guide/Balance")).toBe("endpoint");
    expect(kinds.size).toBe(7);
  });
});

describe("npm run coverage: on fixtures", () => {
  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "elkapi-coverage-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });
  const specWith = async (name: string, change: (spec: { paths: Record<string, Record<string, unknown>> }) => void) => {
    const spec = JSON.parse(await readFile(path.join(fixtures, "spec.json"), "utf8"));
    change(spec);
    const file = path.join(tmp, name);
    await writeFile(file, JSON.stringify(spec));
    return file;
  };

  it("prints each leaf with its operations, guide page or missing, and fails on a missing endpoint", async () => {
    const res = await onFixtures();
    expect(res.code).toBe(1);
    const table = navRows(res.stdout);
    expect(table).toEqual([
      "| # | nav leaf | kind | operation(s) |",
      "| 1 | Quick Start/Welcome | site page | guide page |",
      "| 2 | API Reference/Errors | guide | guide page |",
      "| 3 | API Reference/Pets/List pets | endpoint (GET) | `GET /pets` listPets |",
      "| 4 | API Reference/Pets/Create pet | endpoint (POST) | `POST /pets` createPet |",
      "| 5 | API Reference/Pets/Pet care guide | guide | guide page |",
      "| 6 | API Reference/Stores/Store task/Submit | endpoint (POST) | `POST /stores/task` storeTask |",
      "| 7 | API Reference/Stores/Store task/Query | endpoint (POST) | `POST /stores/task` storeTask |",
      "| 8 | Integration Guide/Balance | endpoint | **missing** |",
    ]);
    expect(res.stdout).toContain("Nav leaves: 8; endpoint items: 5 (4 covered, 1 missing); guide pages: 3.");
    expect(res.stdout).toContain("Operations: 4 (3 name a nav leaf in x-elkapi-doc, 1 only externalDocs).");
    expect(res.stderr).toContain("coverage: FAILED: 1 endpoint nav item without an operation");
  });

  it("counts the real-world corpus cases and independent sources per operation", async () => {
    const res = await onFixtures();
    const rows = res.stdout.split("\n").filter((l) => /^\| [a-zA-Z]+ \| `/.test(l));
    expect(rows).toEqual([
      "| listPets | `GET /pets` | 2 | 2 |",
      "| createPet | `POST /pets` | 2 | 1 |",
      "| storeTask | `POST /stores/task` | 0 | **none** |",
      "| health | `GET /health` | 0 | **none** |",
    ]);
    expect(res.stdout).toContain("Corpus: 4 cases in 1 families; 2/4 operations have a case, 1 of them from one source only, 2 none.");
    const summary = (await onFixtures({}, "--summary")).stdout.split("\n").filter((l) => /^\| [a-zA-Z]+ \| `/.test(l));
    expect(summary.map((l) => l.split(" | ")[0])).toEqual(["| createPet", "| storeTask", "| health"]);
  });

  it("fails on a corpus case naming an operation the spec lacks", async () => {
    const corpus = path.join(tmp, "corpus");
    await cp(path.join(fixtures, "real-world"), corpus, { recursive: true });
    const file = path.join(corpus, "pets.json");
    await writeFile(file, (await readFile(file, "utf8")).replace('"operationId": "createPet"', '"operationId": "adoptPet"'));
    const spec = await specWith("complete2.json", (s) => {
      s.paths["/balance"] = { get: { operationId: "getBalance", "x-elkapi-doc": ["Integration Guide/Balance"], responses: {} } };
    });
    const res = await onFixtures({ spec, corpus }, "--json");
    expect(res.code).toBe(1);
    expect((JSON.parse(res.stdout) as Json).problems).toEqual(["corpus cases name adoptPet, which the spec lacks"]);
  });

  it("lists only the missing rows with --summary", async () => {
    const res = await onFixtures({}, "--summary");
    expect(res.code).toBe(1);
    expect(navRows(res.stdout).filter((l) => /^\| \d+ /.test(l))).toEqual(["| 8 | Integration Guide/Balance | endpoint | **missing** |"]);
    expect(res.stdout).toContain("endpoint items: 5 (4 covered, 1 missing)");
  });

  it("passes when every endpoint item has an operation", async () => {
    const spec = await specWith("complete.json", (s) => {
      s.paths["/balance"] = { get: { operationId: "getBalance", "x-elkapi-doc": ["Integration Guide/Balance"], responses: {} } };
    });
    const res = await onFixtures({ spec }, "--json");
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout) as Json;
    expect(out.counts).toEqual({ leaves: 8, endpoints: 5, covered: 5, missing: 0, guidePages: 3, operations: 5, withNavDoc: 4, externalOnly: 1 });
    expect(out.problems).toEqual([]);
  });

  it("fails on an x-elkapi-doc that names no nav leaf", async () => {
    const spec = await specWith("typo.json", (s) => {
      s.paths["/balance"] = { get: { operationId: "getBalance", "x-elkapi-doc": ["Integration Guide/Balance "], responses: {} } };
    });
    const out = JSON.parse((await onFixtures({ spec }, "--json")).stdout) as Json;
    expect(out.problems).toEqual(['getBalance: x-elkapi-doc "Integration Guide/Balance " names no seed nav leaf']);
  });

  it("fails when the seeds and the catalog disagree, counting an unmapped leaf as an endpoint", async () => {
    const catalog = path.join(tmp, "catalog.md");
    const text = await readFile(path.join(fixtures, "catalog.md"), "utf8");
    await writeFile(catalog, text.replace(/^\| API Reference\/Stores\/Store task\/Query .*\n/m, "") + "| API Reference/Pets/Feed pet | endpoint | pets.md |\n");
    const res = await onFixtures({ catalog }, "--json");
    expect(res.code).toBe(1);
    const out = JSON.parse(res.stdout) as Json;
    expect(out.problems.sort()).toEqual([
      '"API Reference/Stores/Store task/Query" is in the seed navigation but not in the catalog\'s navigation map',
      'catalog lists "API Reference/Pets/Feed pet", which no seed navigation shows',
    ]);
    expect(out.rows.find((r) => r.path.endsWith("/Query"))).toMatchObject({ kind: "unknown", status: "covered" });
  });

  it("fails when two seeds print different navigations", async () => {
    const seeds = path.join(tmp, "seeds");
    await cp(path.join(fixtures, "seeds"), seeds, { recursive: true });
    const file = path.join(seeds, "002_stores.txt");
    await writeFile(file, (await readFile(file, "utf8")).replace("    • Balance\n", "    • Balance\n    • Usage\n"));
    const out = JSON.parse((await onFixtures({ seeds }, "--json")).stdout) as Json;
    expect(out.problems).toEqual(["seed 002_stores.txt prints another navigation than 001_pets.txt: adds Integration Guide/Usage"]);
  });
});

describe("npm run coverage: the real seeds, catalog and spec", () => {
  let out: Json;
  let text: string;
  let code: number;
  beforeAll(async () => {
    const [json, md] = await Promise.all([coverage("--json"), coverage()]);
    out = JSON.parse(json.stdout) as Json;
    text = md.stdout;
    code = md.code;
  }, 60_000);

  it("reads the navigation from the seeds and every catalog row into the table", async () => {
    expect(out.seeds.length).toBeGreaterThan(0);
    const kinds = readCatalogKinds(path.resolve(root, "../shared/catalog/README.md"));
    const paths = out.rows.map((r) => r.path);
    for (const p of kinds.keys()) expect(paths).toContain(p);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("has one table line per leaf, and counts that add up", () => {
    const lines = text.split("\n").filter((l) => /^\| \d+ \| /.test(l));
    expect(lines).toHaveLength(out.rows.length);
    for (const l of lines) expect(l).toMatch(/^\| \d+ \| [^|]+ \| (endpoint|guide|site page|unknown)( \([A-Z/]+\))? \| (guide page|\*\*missing\*\*|`[A-Z]+ \/.*) \|$/);
    const c = out.counts;
    expect(c.leaves).toBe(out.rows.length);
    expect(c.covered + c.missing).toBe(c.endpoints);
    expect(c.endpoints + c.guidePages).toBe(c.leaves);
    expect(code).toBe(c.missing > 0 ? 1 : 0);
  });

  it("is consistent: seeds and catalog agree, and every x-elkapi-doc names a leaf", () => {
    expect(out.problems).toEqual([]);
    // The seed operations are in: their nav items are covered.
    const covered = out.rows.filter((r) => r.status === "covered").map((r) => r.path);
    expect(covered).toContain("API Reference/Video Generation/luma (video)/Official API format/generate video");
    expect(covered).toContain("API Reference/OpenAI Format/image");
  });

  it("covers every endpoint nav item of the seeds with an operation (npm run coverage exits 0)", () => {
    expect(out.rows.filter((r) => r.status === "missing").map((r) => r.path)).toEqual([]);
    expect(code).toBe(0);
  });
});
