/**
 * The one reading of an `x-elkapi-task-status` object (openapi/README.md, Extensions): every field of a
 * TaskStatusRule, with the defaults the README states for the ones left out. Used for the task table
 * (generated/tasks.ts) and for callback rules that state their own status (generated/callbacks.ts).
 */
import type { TaskStatusRule } from "../../../generated/tasks.js";

/** An x-elkapi-task-status as written: `status` required, the rest optional. */
export type TaskStatusExtension = Partial<TaskStatusRule> & { status: readonly string[] };

/** The full rule: empty lists, no progress and a 5000 ms interval where the extension says nothing. */
export function taskStatusRule(s: TaskStatusExtension): TaskStatusRule {
  return {
    status: s.status,
    pending: s.pending ?? [],
    succeeded: s.succeeded ?? [],
    failed: s.failed ?? [],
    actionRequired: s.actionRequired ?? [],
    progress: s.progress ?? null,
    failureReason: s.failureReason ?? [],
    results: s.results ?? [],
    interval: s.interval ?? 5000,
    ...(s.body ? { body: s.body } : {}),
  };
}
