/**
 * Headless Chromium for the docs check: Debian's `chromium` package (never a browser download), driven by
 * playwright-core over CDP, offline, with a fresh profile per launch.
 */
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

/** Where Chromium is: CHROMIUM_PATH, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
}

export function hasChromium(): boolean {
  return existsSync(chromiumPath());
}

/** Flags for a closed network and a root user: no sandbox, no GPU, no background traffic of its own. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--headless",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A running browser context and how to close it (also removes its profile folder). */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts headless Chromium with a fresh --user-data-dir. */
export async function launchChromium(opts: { viewport?: { width: number; height: number } } = {}): Promise<Browser> {
  const exe = chromiumPath();
  if (!existsSync(exe)) {
    throw new Error(`Chromium not found at ${exe}: apt-get install chromium (Debian), or set CHROMIUM_PATH`);
  }
  const profile = await mkdtemp(path.join(os.tmpdir(), "elkapi-chromium-"));
  // launchPersistentContext passes the profile as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: exe,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: opts.viewport ?? { width: 1400, height: 1000 },
    timeout: 60_000,
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
