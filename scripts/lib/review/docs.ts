/**
 * The API reference page: Redocly's reference docs (`redocly build-docs`) of the bundled spec, one self-contained
 * HTML file; and the check that opens it in headless Chromium (family groups, an operation's request and
 * response schemas, no console errors, no request leaving the file).
 */
import { readFile, writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launchChromium } from "./browser.js";
import { redocly, withoutBanner } from "../proc.js";
import { type Bundle, type Json, deref, operationsOf } from "../spec.js";

export const DOCS_TITLE = "ElkAPI gateway API reference";

/**
 * Redoc's footer loads the Redocly logo from its CDN even with --inlineBundle; the page is meant to open offline,
 * so the two logo URLs become an inline SVG saying the same thing.
 */
const LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const LOGO_INLINE =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" width="56" height="14"><text x="0" y="11" font-family="sans-serif" font-size="11" fill="#555">Redocly</text></svg>',
  );

/** Builds the reference page of `spec` (a bundled JSON/YAML file) into `out`. */
export async function buildDocs(spec: string, out: string): Promise<void> {
  await mkdir(path.dirname(out), { recursive: true });
  // The page is built with disableTelemetry (Redoc otherwise posts traces to Redocly's collector from the
  // reader's browser); redocly() keeps the CLI's own telemetry off.
  const res = await redocly(["build-docs", spec, "-o", out, "--inlineBundle", "--title", DOCS_TITLE, "--lint-config", "off"]);
  if (res.code !== 0) throw new Error(`redocly build-docs failed:\n${withoutBanner(res.stdout + "\n" + res.stderr)}`);
  let html = await readFile(out, "utf8");
  if (!html.includes('"disableTelemetry":true')) throw new Error("redocly build-docs did not disable the page's telemetry");
  for (const url of LOGO_URLS) html = html.split(url).join(LOGO_INLINE);
  await writeFile(out, html);
}

/** What the Chromium check saw. Every list is empty on a page that renders as it should. */
export interface DocsCheckReport {
  /** Sidebar lines (group names and tags) in order, as shown before anything is expanded. */
  sidebar: string[];
  /** x-tagGroups problems: a group or tag missing from the sidebar, or a tag under the wrong group. */
  groupProblems: string[];
  /** The operation whose section was opened. */
  operation: { operationId: string; tag: string; summary: string; requestFields: string[]; responseStatus: string; responseFields: string[] };
  /** Request/response problems: a section or field not shown. */
  operationProblems: string[];
  /** console.error messages and uncaught page errors. */
  consoleErrors: string[];
  /** Requests for anything but the file itself (data:, blob: and file: are fine). */
  externalRequests: string[];
  screenshots: string[];
}

interface SchemaNode {
  $ref?: string;
  required?: string[];
  properties?: Record<string, unknown>;
}

/** Required property names of a JSON body schema (top level, after $ref). */
function requiredFields(bundle: Bundle, schema: Json | undefined): string[] {
  const s = deref(bundle, schema as SchemaNode | undefined);
  return (s?.required ?? []).filter((n) => s?.properties?.[n] !== undefined);
}

/**
 * The operation the check opens: `operationId` if given, else the first with a JSON request body and a JSON 2xx
 * response that both have required fields.
 */
export function pickOperation(bundle: Bundle, operationId?: string): DocsCheckReport["operation"] {
  for (const { op } of operationsOf(bundle)) {
    if (operationId && op.operationId !== operationId) continue;
    const body = op.requestBody ? deref(bundle, op.requestBody) : undefined;
    const requestFields = requiredFields(bundle, body?.content?.["application/json"]?.schema);
    for (const [status, r] of Object.entries(op.responses)) {
      if (!/^2\d\d$/.test(status)) continue;
      const responseFields = requiredFields(bundle, deref(bundle, r).content?.["application/json"]?.schema);
      if ((requestFields.length && responseFields.length) || operationId) {
        return { operationId: op.operationId, tag: op.tags?.[0] ?? "", summary: op.summary ?? op.operationId, requestFields, responseStatus: status, responseFields };
      }
    }
  }
  throw new Error(operationId ? `no operation ${operationId} with a 2xx response` : "no operation with JSON request and response fields");
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * Opens `htmlFile` in headless Chromium and checks it renders the spec: every x-tagGroups group with its tags in
 * the sidebar, the picked operation's request body and first 2xx response with their required fields, no console
 * errors and no network requests. Screenshots go to `screenshotDir` when given.
 */
export async function checkDocs(htmlFile: string, bundle: Bundle, opts: { screenshotDir?: string; operationId?: string } = {}): Promise<DocsCheckReport> {
  const operation = pickOperation(bundle, opts.operationId);
  const report: DocsCheckReport = {
    sidebar: [],
    groupProblems: [],
    operation,
    operationProblems: [],
    consoleErrors: [],
    externalRequests: [],
    screenshots: [],
  };
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error") report.consoleErrors.push(m.text());
    });
    page.on("pageerror", (e) => report.consoleErrors.push(`uncaught: ${e.message}`));
    page.on("request", (r) => {
      if (!/^(file|data|blob|about):/.test(r.url())) report.externalRequests.push(r.url());
    });
    await page.goto(pathToFileURL(htmlFile).href, { waitUntil: "load" });
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    await menu.waitFor({ timeout: 30_000 });

    // Family groups: each x-tagGroups name, followed by exactly its tags, in order.
    report.sidebar = lines(await menu.innerText());
    const groups = (bundle["x-tagGroups"] as { name: string; tags: string[] }[] | undefined) ?? [];
    if (!groups.length) report.groupProblems.push("the spec has no x-tagGroups");
    const groupNames = new Set(groups.map((g) => g.name));
    for (const g of groups) {
      const at = report.sidebar.indexOf(g.name);
      if (at < 0) {
        report.groupProblems.push(`group "${g.name}" is not in the sidebar`);
        continue;
      }
      let end = report.sidebar.findIndex((l, i) => i > at && groupNames.has(l));
      if (end < 0) end = report.sidebar.length;
      const shown = report.sidebar.slice(at + 1, end);
      for (const t of g.tags) if (!shown.includes(t)) report.groupProblems.push(`tag "${t}" is not under group "${g.name}"`);
      for (const t of shown) if (!g.tags.includes(t)) report.groupProblems.push(`"${t}" is shown under group "${g.name}" but is not one of its tags`);
    }
    if (opts.screenshotDir) {
      await mkdir(opts.screenshotDir, { recursive: true });
      const file = path.join(opts.screenshotDir, "api-reference-overview.png");
      await page.screenshot({ path: file });
      report.screenshots.push(file);
    }

    // One operation, opened from the sidebar as a reader would: its tag, then its summary.
    await menu.getByText(operation.tag, { exact: true }).first().click();
    await menu.getByText(operation.summary, { exact: true }).first().click();
    const heading = page.locator("main h2", { hasText: new RegExp(`^\\s*${escapeRe(operation.summary)}\\s*$`) }).first();
    await heading.waitFor({ timeout: 30_000 });
    // The operation's section: the nearest element with an id around its heading.
    const section = page.locator("[id]", { has: heading }).last();
    await page.waitForTimeout(300);
    const text = await section.innerText();
    const shown = lines(text);
    const req = shown.indexOf("Request");
    const res = shown.indexOf("Responses");
    const requestPart = req < 0 ? [] : shown.slice(req + 1, res < 0 ? undefined : res);
    const responsePart = res < 0 ? [] : shown.slice(res + 1);
    if (!requestPart.length) report.operationProblems.push(`${operation.operationId}: no "Request" section`);
    if (!shown.some((l) => l.startsWith("Body"))) report.operationProblems.push(`${operation.operationId}: no request "Body" shown`);
    for (const f of operation.requestFields) {
      if (!requestPart.includes(f)) report.operationProblems.push(`${operation.operationId}: request field "${f}" not shown`);
    }
    if (!responsePart.length) report.operationProblems.push(`${operation.operationId}: no "Responses" section`);
    else if (!responsePart.includes(operation.responseStatus)) report.operationProblems.push(`${operation.operationId}: response ${operation.responseStatus} not listed`);
    for (const f of operation.responseFields) {
      if (!responsePart.includes(f)) report.operationProblems.push(`${operation.operationId}: ${operation.responseStatus} response field "${f}" not shown`);
    }
    if (opts.screenshotDir) {
      await heading.evaluate((e) => e.scrollIntoView({ block: "start" }));
      await page.waitForTimeout(300);
      const file = path.join(opts.screenshotDir, "api-reference-operation.png");
      await page.screenshot({ path: file });
      report.screenshots.push(file);
    }
  } finally {
    await browser.close();
  }
  return report;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** All problems of a report, one line each. */
export function docsProblems(r: DocsCheckReport): string[] {
  return [
    ...r.groupProblems,
    ...r.operationProblems,
    ...r.consoleErrors.map((e) => `console error: ${e}`),
    ...r.externalRequests.map((u) => `request left the page: ${u}`),
  ];
}
