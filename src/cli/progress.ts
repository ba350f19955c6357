/**
 * What `elkapi` shows on stderr while it waits: a live cli-progress bar on a terminal, and one plain line per
 * status change when stderr is a pipe or a file (so logs stay readable).
 */
import cliProgress from "cli-progress";
import type { TaskProgress } from "../tasks.js";

/** A display for one task; `update` after each poll, `stop` at the end. */
export function taskBar(label: string, enabled: boolean, stream: NodeJS.WriteStream = process.stderr) {
  if (!enabled) return { update: (_p: TaskProgress) => {}, stop: () => {} };
  if (!stream.isTTY) {
    let last: string | undefined;
    return {
      update(p: TaskProgress) {
        const pct = p.phase === "succeeded" ? 100 : p.progress === undefined ? undefined : Math.round(p.progress * 100);
        const line = `${label}: ${String(p.status ?? "(no status)")}${pct === undefined ? "" : ` ${pct}%`}`;
        if (line !== last) stream.write(`${line} (poll ${p.poll})\n`);
        last = line;
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {status} | poll {poll} | {duration}s`, stream, hideCursor: true, barsize: 24 },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0, { status: "submitted", poll: 0 });
  return {
    update(p: TaskProgress) {
      const value = p.phase === "succeeded" ? 100 : Math.round((p.progress ?? 0) * 100);
      bar.update(value, { status: String(p.status ?? "(no status)"), poll: p.poll });
    },
    stop: () => bar.stop(),
  };
}
