/** Turning CLI text into request parts: `k=v` pairs and JSON bodies given inline or as `@file`. */
import { readFile } from "node:fs/promises";
import { toFile } from "../uploads.js";

/** A usage mistake: the CLI prints it with the command's help hint and exits 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** Parses repeated `name=value` options into an object. */
export function pairs(list: string[] | undefined, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const i = item.indexOf("=");
    if (i <= 0) throw new UsageError(`${option} takes name=value, got "${item}"`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** Reads `--body`: inline JSON, or `@path` to a JSON file. */
export async function jsonBody(text: string | undefined): Promise<unknown> {
  if (text === undefined) return undefined;
  const source = text.startsWith("@") ? await readFile(text.slice(1), "utf8").catch((e: Error) => {
    throw new UsageError(`--body ${text}: cannot read the file (${e.message})`);
  }) : text;
  try {
    return JSON.parse(source);
  } catch (e) {
    throw new UsageError(`--body is not valid JSON (${(e as Error).message})`);
  }
}

/** For multipart operations: body fields written as "@path" become Files read from disk. */
export async function withFiles(body: unknown): Promise<unknown> {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  const load = async (v: unknown) => {
    if (typeof v !== "string" || !v.startsWith("@")) return v;
    const file = v.slice(1);
    return toFile(file).catch((e: Error) => {
      throw new UsageError(`cannot read upload ${file} (${e.message})`);
    });
  };
  for (const [k, v] of Object.entries(body)) out[k] = Array.isArray(v) ? await Promise.all(v.map(load)) : await load(v);
  return out;
}

/** Parses a non-negative number of milliseconds given as an option. */
export function ms(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${option} must be a non-negative number of milliseconds, got "${value}"`);
  return n;
}
