/**
 * The mock's server process (serve.ts), forked by `startMock` (index.ts), which restarts it if it dies. Options come
 * as JSON in argv[2] ({@link ServerOptions}); it reports over IPC: `{type: "ready", baseUrl, prismUrl}` once both
 * listen, `{type: "log", line}` for each callback log line, `{type: "failed", error}` if it cannot start. It stops
 * on SIGTERM, or when its parent goes away; it ignores SIGINT (its parent stops it).
 */
import type { RuleOptions } from "./rules/index.js";
import { serveMock } from "./serve.js";

/** What the parent passes (JSON: no functions; callback log lines come back as messages). */
export interface ServerOptions {
  port: number;
  /** Port of the engine without rules; 0 or absent: a free one. */
  prismPort?: number;
  spec?: string;
  rules?: RuleOptions;
}

/** Messages the server process sends its parent. */
export type ServerMessage = { type: "ready"; baseUrl: string; prismUrl: string } | { type: "log"; line: string } | { type: "failed"; error: string };

const send = (m: ServerMessage) => process.send?.(m);
const opts = JSON.parse(process.argv[2] ?? "{}") as ServerOptions;
const callbacks = opts.rules?.callbacks;
const rules: RuleOptions = {
  ...opts.rules,
  ...(callbacks === false ? {} : { callbacks: { ...(typeof callbacks === "object" ? callbacks : {}), log: (line: string) => send({ type: "log", line }) } }),
};

try {
  const served = await serveMock({ ...opts, rules });
  const stop = () => void served.close().finally(() => process.exit(0));
  process.once("SIGTERM", stop);
  // Ctrl-C reaches the whole process group: the parent decides (it stops this process, or it is gone).
  process.on("SIGINT", () => {});
  process.once("disconnect", stop);
  send({ type: "ready", baseUrl: served.front.baseUrl, prismUrl: served.prism.baseUrl });
} catch (e) {
  send({ type: "failed", error: (e as Error).message });
  process.exit(1);
}
