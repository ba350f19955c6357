/**
 * Serves the browser example: bundles app.ts with esbuild (in memory) and serves index.html and app.js on
 * 127.0.0.1. Run: npx tsx examples/browser/serve.ts [port], with the mock running (npm start), then open the URL.
 */
import { readFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = path.dirname(fileURLToPath(import.meta.url));

/** Bundles app.ts for browsers and starts serving the page; resolves with its URL and a close function. */
export async function serveExample(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const bundle = await build({
    entryPoints: [path.join(here, "app.ts")],
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    tsconfig: path.join(here, "../../tsconfig.json"),
    logLevel: "silent",
  });
  const appJs = bundle.outputFiles[0]!.text;
  const html = await readFile(path.join(here, "index.html"), "utf8");
  const server = http.createServer((req, res) => {
    const file = new URL(req.url ?? "/", "http://x").pathname;
    if (file === "/" || file === "/index.html") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    else if (file === "/app.js") res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(appJs);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { url } = await serveExample(Number(process.argv[2] ?? 5173));
  console.log(`Browser example on ${url}?mock=http://127.0.0.1:4010 (Ctrl-C stops)`);
}
