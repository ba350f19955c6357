/** The programs in examples/, each run against the mock as a user would run it. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveExample } from "../examples/browser/serve.js";
import { launchChromium, hasChromium } from "../scripts/lib/review/browser.js";
import { type Front, startMockFront } from "../mock/index.js";
import { bin, root } from "../scripts/lib/paths.js";
import { run } from "../scripts/lib/proc.js";
import { TEST_KEY, mockBaseUrl, prismBaseUrl } from "./lib/calls.js";
import { bundle, deref, examplesOf, operation } from "./lib/spec.js";
import { parseSse } from "./lib/sse.js";

let proxy: Front;
// Callbacks 50 ms apart, so the receiver example sees its states quickly.
const callbacks = { intervalMs: 50, log: () => {} };
beforeAll(async () => {
  proxy = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: true, callbacks } });
});
afterAll(() => proxy.close());

const example = (file: string, args: string[] = [], env: Record<string, string> = {}) =>
  run(bin("tsx"), [path.join(root, "examples", file), ...args], {
    cwd: root,
    env: { ...process.env, ELKAPI_API_KEY: TEST_KEY, ELKAPI_BASE_URL: proxy.baseUrl, ...env },
  });

/** The text the mock's first chat SSE example streams. */
function streamedText(): string {
  const resp = deref(bundle, operation("createChatCompletion").op.responses["200"]!);
  const sse = String(examplesOf(resp.content?.["text/event-stream"])[0]!.value);
  return parseSse(sse)
    .filter((e) => e.data !== "[DONE]")
    .map((e) => (JSON.parse(e.data) as { choices: { delta?: { content?: string } }[] }).choices[0]?.delta?.content ?? "")
    .join("");
}

describe("examples", () => {
  it("chat-stream.ts streams the answer, then prints the accumulated usage", async () => {
    const res = await example("chat-stream.ts", ["Say hi"]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(streamedText());
    expect(res.stdout).toMatch(/\[\d+ tokens, finish: stop\]/);
  }, 60_000);

  it("music-task.ts shows each task status, then the audio URLs", async () => {
    const res = await example("music-task.ts", [], { POLL_MS: "1" });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    expect(lines.filter((l) => l.startsWith("task ")).length).toBeGreaterThan(2);
    expect(lines.some((l) => /SUCCESS 100%$/.test(l))).toBe(true);
    expect(lines.filter((l) => /^https:\/\/.*\.mp3$/.test(l)).length).toBeGreaterThan(0);
  }, 60_000);

  it("music-task.ts reports a failed task with the vendor's reason and exit code 3", async () => {
    const failing = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: { outcome: "failed" }, callbacks } });
    try {
      const res = await example("music-task.ts", [], { POLL_MS: "1", ELKAPI_BASE_URL: failing.baseUrl });
      expect(res.code).toBe(3);
      expect(res.stdout).toMatch(/FAILURE/);
      expect(res.stderr).toMatch(/^the task failed: .+/);
    } finally {
      await failing.close();
    }
  }, 60_000);

  it("callback-receiver.ts prints each state a callback brings, in order, then the video URL", async () => {
    const res = await example("callback-receiver.ts", ["a lantern"], { FALLBACK_MS: "30000" });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split("\n");
    const id = lines[0]!.match(/^submitted task (\S+); callbacks go to http:\/\/127\.0\.0\.1:\d+\/kling$/)?.[1];
    expect(id, lines[0]).toBeDefined();
    expect(lines.slice(1)).toEqual([
      `task ${id}: submitted (pending)`,
      `task ${id}: processing (pending)`,
      `task ${id}: succeed (succeeded) 100%`,
      expect.stringMatching(/^https:\/\/.*\.mp4$/),
    ]);
  }, 60_000);

  it("callback-receiver.ts reports a failed task's reason from its callback, exit code 3", async () => {
    const failing = await startMockFront({ upstream: prismBaseUrl(), rules: { lifecycle: { outcome: "failed" }, callbacks } });
    try {
      const res = await example("callback-receiver.ts", [], { ELKAPI_BASE_URL: failing.baseUrl, FALLBACK_MS: "30000" });
      expect(res.code).toBe(3);
      expect(res.stdout).toMatch(/: failed \(failed\)$/m);
      expect(res.stderr).toMatch(/^the task failed: Failure to pass the risk control system/);
    } finally {
      await failing.close();
    }
  }, 60_000);

  describe.skipIf(!hasChromium())("browser/ (skipped without Chromium at /usr/bin/chromium; CI installs it)", () => {
    it("the page asks the mock from the browser and shows the streamed answer", async () => {
      const page = await serveExample();
      const browser = await launchChromium();
      try {
        const tab = await browser.context.newPage();
        const errors: string[] = [];
        tab.on("console", (m) => m.type() === "error" && errors.push(m.text()));
        tab.on("pageerror", (e) => errors.push(e.message));
        await tab.goto(`${page.url}?mock=${encodeURIComponent(mockBaseUrl())}`);
        await tab.click("#send");
        await tab.waitForSelector("#answer[data-done=true]", { timeout: 20_000 });
        expect(await tab.textContent("#answer")).toBe(streamedText());
        expect(await tab.getAttribute("#answer", "class")).not.toBe("error");
        expect(errors, errors.join("\n")).toEqual([]);
      } finally {
        await browser.close();
        await page.close();
      }
    }, 90_000);
  });
});
