/**
 * Reading the seed pages (../shared/seeds): the curl request each shows, its response example, and the field
 * names its tables list. The seeds are read as published; a response example the page cuts off is closed by
 * adding only the missing brackets.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { root } from "../../scripts/lib/paths.js";

export const seedsDir = path.resolve(root, "../shared/seeds");

/** A request as a seed's curl shows it. */
export interface SeedRequest {
  method: string;
  url: URL;
  headers: Record<string, string>;
  json?: unknown;
  /** `--form` fields; a value starting with `@` is a file path (`@""` is an empty file field). */
  form?: Record<string, string>;
}

/** One seed page. */
export interface Seed {
  file: string;
  text: string;
  request?: SeedRequest;
  response?: unknown;
  /** True when the page cut the response example off and it was closed here. */
  responseTruncated: boolean;
  /** Request field names the page documents. */
  requestFields: string[];
  /** Response field paths the page documents (dotted, as the page writes them). */
  responseFields: string[];
}

/** Splits a shell command into arguments (single/double quotes, backslash-newline continuations). */
function shellWords(cmd: string): string[] {
  const words: string[] = [];
  let cur = "";
  let quote: "'" | '"' | null = null;
  let inWord = false;
  for (let i = 0; i < cmd.length; i++) {
    const c = cmd[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\" && cmd[i + 1] === "\n") {
      i++;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The curl command starting at `start`: lines joined while they end with a backslash or a quote is open. */
function curlAt(text: string, start: number): string {
  const lines = text.slice(start).split("\n");
  const out: string[] = [];
  let singleQuotes = 0;
  for (const line of lines) {
    out.push(line);
    singleQuotes += (line.match(/'/g) ?? []).length;
    if (!line.trimEnd().endsWith("\\") && singleQuotes % 2 === 0) break;
  }
  return out.join("\n");
}

function parseCurl(cmd: string): SeedRequest {
  const w = shellWords(cmd);
  let method = "GET";
  let url = "";
  const headers: Record<string, string> = {};
  let json: unknown;
  const form: Record<string, string> = {};
  for (let i = 1; i < w.length; i++) {
    const a = w[i]!;
    const next = () => w[++i] ?? "";
    if (a === "--request" || a === "-X") method = next();
    else if (a === "--url") url = next();
    else if (a === "--header" || a === "-H") {
      const h = next();
      const idx = h.indexOf(":");
      headers[h.slice(0, idx).trim()] = h.slice(idx + 1).trim();
    } else if (a === "--data-raw" || a === "--data" || a === "-d") json = JSON.parse(next());
    else if (a === "--form" || a === "-F") {
      const f = next();
      const idx = f.indexOf("=");
      // curl -F: a value (or an @file name) may be wrapped in double quotes, which are not part of it.
      const raw = f.slice(idx + 1);
      const file = raw.startsWith("@");
      const unquoted = (file ? raw.slice(1) : raw).replace(/^"(.*)"$/, "$1");
      form[f.slice(0, idx)] = file ? `@${unquoted}` : unquoted;
    } else if (a === "--location") continue;
    else if (/^https?:\/\//.test(a)) url = a;
  }
  if (json !== undefined && method === "GET") method = "POST";
  return { method, url: new URL(url), headers, ...(json !== undefined ? { json } : {}), ...(Object.keys(form).length ? { form } : {}) };
}

/** The JSON value starting at `start`; when the text ends first, closes what is open. */
function jsonFrom(text: string, start: number): { value: unknown; truncated: boolean } {
  const stack: string[] = [];
  let inString = false;
  let i = start;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") stack.push(c === "{" ? "}" : "]");
    else if (c === "}" || c === "]") {
      stack.pop();
      if (stack.length === 0) return { value: JSON.parse(text.slice(start, i + 1)), truncated: false };
    } else if (stack.length === 0 && !/\s/.test(c)) break;
  }
  const body = text.slice(start, i).replace(/[\s,]+$/, "");
  return { value: JSON.parse(body + stack.reverse().join("")), truncated: true };
}

const TYPE_WORDS = /^(string|integer|number|boolean|object|array<[^>]+>)$/;

function fieldsAfterHeading(lines: string[], heading: string, stop: string | null): string[] {
  const start = lines.indexOf(heading);
  if (start < 0) return [];
  const end = stop ? lines.indexOf(stop, start + 1) : lines.length;
  const out: string[] = [];
  for (let i = start + 1; i < (end < 0 ? lines.length : end) - 1; i++) {
    if (/^[a-z_][a-z0-9_.]*$/.test(lines[i]!) && TYPE_WORDS.test(lines[i + 1]!)) out.push(lines[i]!);
  }
  return out;
}

function documentedFields(text: string): { request: string[]; response: string[] } {
  const lines = text.split("\n").map((l) => l.trim());
  // Apifox "Request Body#" list: `model (string, required): ...`
  const listed = lines.flatMap((l) => l.match(/^([a-z_]+) \((\w+), (?:required|optional)\)/)?.[1] ?? []);
  // Apifox parameter table: the name runs straight into the type, e.g. `ninteger or null...`.
  const tableStart = lines.findIndex((l) => l.startsWith("Parameter NameType"));
  const table =
    tableStart < 0
      ? []
      : lines
          .slice(tableStart + 1, lines.indexOf("Request", tableStart))
          .flatMap((l) => l.match(/^([a-z_]+?)(?:File or Array of Files|File|String|string or null|string|integer or null|integer|number|boolean)/)?.[1] ?? []);
  // Mintlify field list: a name line followed by a type line, under "Body" and "Response".
  const body = fieldsAfterHeading(lines, "Body", "Response");
  const response = fieldsAfterHeading(lines, "Response", null);
  return { request: [...new Set([...listed, ...table, ...body])], response };
}

/** Every seed page, parsed. */
export function loadSeeds(): Seed[] {
  return readdirSync(seedsDir)
    .filter((f) => f.endsWith(".txt"))
    .sort()
    .map((file) => {
      const text = readFileSync(path.join(seedsDir, file), "utf8");
      const curlIdx = text.indexOf("curl ");
      const request = curlIdx >= 0 ? parseCurl(curlAt(text, curlIdx)) : undefined;
      let response: unknown;
      let responseTruncated = false;
      const marker = text.indexOf("Response Response Example");
      const afterCurl = curlIdx >= 0 ? text.indexOf("\n{", curlIdx) : -1;
      const jsonStart = marker >= 0 ? text.indexOf("{", marker) : afterCurl >= 0 ? afterCurl + 1 : -1;
      // The example ends where the page's footer ("Previous" link) begins.
      const footer = text.indexOf("\nPrevious\n", jsonStart);
      const exampleText = footer >= 0 ? text.slice(0, footer) : text;
      if (jsonStart >= 0) ({ value: response, truncated: responseTruncated } = jsonFrom(exampleText, jsonStart));
      const fields = documentedFields(text);
      return { file, text, request, response, responseTruncated, requestFields: fields.request, responseFields: fields.response };
    });
}
