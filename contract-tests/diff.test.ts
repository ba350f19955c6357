/**
 * `npm run diff`: the classification of known changes (contract-tests/fixtures/diff/, see its README), the type
 * check of a consumer written against the old types, exit codes, and a run on this repository's git history.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { types } from "../scripts/generate.js";
import { type CompatResult, checkTypeCompat } from "../scripts/lib/review/compat.js";
import { missedByDiff, report } from "../scripts/lib/review/diff-report.js";
import { bin, root } from "../scripts/lib/paths.js";
import { run } from "../scripts/lib/proc.js";
import type { Bundle } from "../scripts/lib/spec.js";
import { type Change, type SpecDiff, diffSpecs } from "../scripts/lib/review/spec-diff.js";

const fixtures = path.join(root, "contract-tests/fixtures/diff");
const load = (name: string): Bundle => JSON.parse(readFileSync(path.join(fixtures, name), "utf8"));
const before = load("before.json");
const after = load("after.json");
const nonBreaking = load("after-nonbreaking.json");

const diffCli = (...args: string[]) => run(bin("tsx"), [path.join(root, "scripts/diff.ts"), ...args], { cwd: root });

function changesOf(diff: SpecDiff, operationId: string): Change[] {
  const c = diff.changed.find((x) => x.op.operationId === operationId);
  if (!c) throw new Error(`${operationId} not among changed operations`);
  return c.changes;
}
const summary = (changes: Change[]) => changes.map((c) => `${c.class}: ${c.where}: ${c.description}`);

describe("npm run diff: classification", () => {
  const diff = diffSpecs(before, after);

  it("lists operations added, removed and moved (same operationId, new path)", () => {
    expect(diff.added.map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual(["GET /pets/{id} getPet"]);
    expect(diff.removed.map((o) => `${o.method} ${o.path} ${o.operationId}`)).toEqual(["DELETE /pets/{id} deletePet"]);
    expect(diff.moved.map((m) => `${m.from.operationId}: ${m.from.path} -> ${m.to.path}`)).toEqual(["listStores: /stores -> /shops"]);
    expect(diff.unchanged).toBe(1); // ping
  });

  it("classes a newly required field, a removed field, a narrowed enum and a changed type as breaking", () => {
    const createPet = summary(changesOf(diff, "createPet"));
    expect(createPet).toEqual(
      expect.arrayContaining([
        "breaking: request body (application/json): `nickname` became required",
        "breaking: request body (application/json) › legacy: removed property `legacy`",
        'breaking: request body (application/json) › kind › enum: enum values removed "bird"',
        'breaking: request body (application/json) › age: type "integer" → "string"',
        "breaking: response 200 (application/json) › tags: removed property `tags`",
        "non-breaking: request body (application/json) › color: added property `color`",
        "non-breaking: response 200 (application/json) › born: added property `born`",
      ]),
    );
    expect(summary(changesOf(diff, "listPets"))).toEqual([
      "breaking: response 200 (application/json) › [] › tags: removed property `tags`",
      "non-breaking: response 200 (application/json) › [] › born: added property `born`",
      "annotation: query parameter limit › example: added example",
    ]);
  });

  it("judges 3.1 type lists by direction: a response field turning nullable breaks, a request one widening does not", () => {
    const getOwner = changesOf(diff, "getOwner");
    expect(summary(getOwner)).toEqual([
      'breaking: response 200 (application/json) › nickname: type "string" → ["string","null"]',
      "deprecated: deprecated: [Added] deprecated status",
    ]);
    expect(getOwner[0]?.reason).toMatch(/may now hold/);
    const updateOwner = changesOf(diff, "updateOwner");
    expect(updateOwner.map((c) => c.class)).toEqual(["non-breaking", "non-breaking", "non-breaking"]);
    expect(summary(updateOwner)[0]).toBe('non-breaking: request body (application/json) › note: type "string" → ["string","null"]');
  });

  it("counts removed and moved operations as breaking, and docs-only changes apart", () => {
    expect(diff.counts).toEqual({ breaking: 9, "non-breaking": 8, deprecated: 1, unclassified: 0, annotation: 3 });
  });

  it("finds nothing breaking in additions and widenings", () => {
    const nb = diffSpecs(before, nonBreaking);
    expect(nb.counts.breaking).toBe(0);
    expect(nb.added.map((o) => o.operationId)).toEqual(["getPet"]);
    expect(nb.changed.map((c) => c.op.operationId).sort()).toEqual(["createPet", "listPets", "updateOwner"]);
    // A parameter example is docs-only, and named by its parameter; a security scheme only defined breaks nothing.
    expect(summary(changesOf(nb, "listPets"))).toEqual(["annotation: query parameter limit › example: added example"]);
    expect(nb.document.map((c) => `${c.class}: ${c.where}`)).toEqual(["annotation: info › version", "non-breaking: components › securitySchemes"]);
  });

  it("leaves its inputs as they were", () => {
    expect(before).toEqual(load("before.json"));
    expect(after).toEqual(load("after.json"));
  });
});

describe("npm run diff: type check of a consumer written against the old types", () => {
  let broken: CompatResult;
  let fine: CompatResult;
  beforeAll(async () => {
    const oldTypes = await types(structuredClone(before));
    broken = await checkTypeCompat(before, oldTypes, await types(structuredClone(after)));
    fine = await checkTypeCompat(before, oldTypes, await types(structuredClone(nonBreaking)));
  }, 120_000);

  it("compiles every old call against the old types, and against types with only non-breaking changes", () => {
    expect(fine.skipped).toEqual([]);
    expect(fine.checked).toHaveLength(7);
    expect([...fine.broken.keys()]).toEqual([]);
  });

  it("fails exactly the operations with breaking request, path or response-type changes", () => {
    expect(broken.skipped).toEqual([]);
    expect([...broken.broken.keys()].sort()).toEqual(["DELETE /pets/{id}", "GET /owners/{id}", "GET /stores", "POST /pets"]);
    expect(broken.broken.get("POST /pets")!.join("\n")).toContain(`Type '"bird"' is not assignable`);
    expect(broken.broken.get("GET /owners/{id}")!.join("\n")).toContain("'string | null' is not assignable to type 'string'");
    expect(missedByDiff(diffSpecs(before, after), broken)).toEqual([]);
  });

  it("reports a type break the diff did not class breaking, and counts it as breaking", () => {
    const silent: SpecDiff = { added: [], removed: [], moved: [], changed: [], unchanged: 7, document: [], counts: { breaking: 0, "non-breaking": 0, deprecated: 0, unclassified: 0, annotation: 0 } };
    const r = report("a", "b", silent, broken, false);
    expect(r.breaking).toBe(true);
    expect(r.missed.sort()).toEqual(["DELETE /pets/{id}", "GET /owners/{id}", "GET /stores", "POST /pets"]);
    expect(r.text).toContain("! POST /pets: FAILS TO COMPILE though the diff calls it non-breaking");
  });
});

describe("npm run diff: command", () => {
  it("prints the review summary and exits 1 on breaking changes", async () => {
    const res = await diffCli(path.join(fixtures, "before.json"), "--to", path.join(fixtures, "after.json"));
    expect(res.code).toBe(1);
    expect(res.stdout).toContain("Operations: 1 added, 1 removed, 1 moved, 4 changed, 1 unchanged");
    expect(res.stdout).toContain("  + GET /pets/{id}  getPet [pets]");
    expect(res.stdout).toContain("  - DELETE /pets/{id}  deletePet [pets]");
    expect(res.stdout).toContain("  ~ listStores: GET /stores  →  GET /shops");
    expect(res.stdout).toContain("x POST /pets: fails to compile, as the diff says (breaking)");
    expect(res.stdout).toContain("3 of 7 checked operations still compile");
    expect(res.stdout).toContain("Summary: 9 breaking, 8 non-breaking, 1 deprecated, 0 unclassified, 3 docs-only");
    expect(res.stderr).toContain("pass --allow-breaking");
  }, 120_000);

  it("exits 0 with --allow-breaking, and on non-breaking changes", async () => {
    const allowed = await diffCli(path.join(fixtures, "before.json"), "--to", path.join(fixtures, "after.json"), "--allow-breaking", "--no-types");
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain("breaking changes allowed");
    const nb = await diffCli(path.join(fixtures, "before.json"), "--to", path.join(fixtures, "after-nonbreaking.json"), "--json", "--no-types");
    expect(nb.code).toBe(0);
    expect(JSON.parse(nb.stdout)).toMatchObject({ breaking: false, counts: { breaking: 0, "non-breaking": 6 } });
  }, 120_000);

  it("reads git refs: this repository's spec at HEAD, every operation's old-style call type-checked", async () => {
    const res = await diffCli("HEAD", "--to", "HEAD", "--json");
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.from).toMatch(/^HEAD \([0-9a-f]{9}, generated\/openapi\.json\)$/);
    expect(out.counts).toEqual({ breaking: 0, "non-breaking": 0, deprecated: 0, unclassified: 0, annotation: 0 });
    // The consumer generator copes with every real operation (multipart, SSE, oneOf bodies).
    expect(out.typeCheck.skipped).toEqual([]);
    expect(out.typeCheck.checked.length).toBe(out.unchanged);
  }, 180_000);

  it("exits 2 on an unknown ref or a missing argument", async () => {
    const bad = await diffCli("no-such-ref-xyz");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown git ref "no-such-ref-xyz"');
    const none = await diffCli();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("usage: npm run diff");
  }, 60_000);
});
