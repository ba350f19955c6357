/**
 * `npm run docs`: the API reference page builds from generated/openapi.json as one file, and renders in headless
 * Chromium (Debian's package) with the family groups, an operation's request and response schemas, no console
 * errors and no network use. Screenshots go to screenshots/ (git-ignored) for reviewers.
 * Without Chromium the Chromium part is skipped locally and fails in CI (.ci/run installs it).
 */
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumPath, hasChromium } from "../scripts/lib/review/browser.js";
import { type DocsCheckReport, buildDocs, checkDocs, docsProblems } from "../scripts/lib/review/docs.js";
import { generatedDir, root } from "../scripts/lib/paths.js";
import { bundle } from "./lib/spec.js";

const inCi = process.env.CI === "true";
const canRender = hasChromium();

describe("npm run docs", () => {
  let dir: string;
  let html: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-docs-"));
    html = path.join(dir, "index.html");
    await buildDocs(path.join(generatedDir, "openapi.json"), html);
  }, 120_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("writes one self-contained HTML file with the spec and Redoc inlined, telemetry off", async () => {
    expect((await stat(html)).size).toBeGreaterThan(100_000);
    const text = await readFile(html, "utf8");
    expect(text).toContain("<title>ElkAPI gateway API reference</title>");
    expect(text).not.toMatch(/<script[^>]+src=/);
    expect(text).not.toMatch(/<link[^>]+href="https?:/);
    expect(text).not.toContain("cdn.redoc.ly/redoc/logo");
    expect(text).toContain('"disableTelemetry":true');
    expect(text).toContain('"x-tagGroups"');
  });

  it.runIf(!canRender && inCi)(`fails CI when Chromium is missing at ${chromiumPath()} (skipped whenever Chromium is there or outside CI)`, () => {
    expect.fail(`Chromium is missing at ${chromiumPath()}; .ci/run installs Debian's chromium package`);
  });

  describe.skipIf(!canRender)("in headless Chromium", () => {
    let report: DocsCheckReport;
    beforeAll(async () => {
      report = await checkDocs(html, bundle, { screenshotDir: path.join(root, "screenshots") });
    }, 120_000);

    it("shows every x-tagGroups family group with exactly its tags", () => {
      const groups = bundle["x-tagGroups"] as { name: string; tags: string[] }[];
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) expect(report.sidebar).toContain(g.name);
      expect(report.groupProblems).toEqual([]);
    });

    it("shows an operation's request body and response schemas", () => {
      expect(report.operation.requestFields.length).toBeGreaterThan(0);
      expect(report.operation.responseFields.length).toBeGreaterThan(0);
      expect(report.operationProblems).toEqual([]);
    });

    it("logs no console error and requests nothing outside the file", () => {
      expect(report.consoleErrors).toEqual([]);
      expect(report.externalRequests).toEqual([]);
      expect(docsProblems(report)).toEqual([]);
    });

    it("reports a family group the page does not show (the check can fail)", async () => {
      const groups = bundle["x-tagGroups"] as { name: string; tags: string[] }[];
      const claimed = { ...bundle, "x-tagGroups": [...groups, { name: "Phantom family", tags: ["phantom"] }] };
      const other = await checkDocs(html, claimed, { operationId: report.operation.operationId });
      expect(other.groupProblems).toEqual(['group "Phantom family" is not in the sidebar']);
    }, 120_000);

    it("keeps screenshots for reviewers", async () => {
      expect(report.screenshots).toHaveLength(2);
      for (const s of report.screenshots) expect((await stat(s)).size).toBeGreaterThan(10_000);
    });
  });
});
