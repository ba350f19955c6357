/**
 * Reading a task's state out of a poll answer with the rules the spec states (x-elkapi-task-status, tabled in
 * generated/tasks.ts): its raw status, whether that is pending, succeeded or failed, a 0..1 progress, the vendor's
 * failure reason and the result URLs.
 */
import type { TaskStatusRule } from "../generated/tasks.js";
import { getPointer } from "./internal/pointer.js";

/** Where a task is in its life. */
export type TaskPhase = "pending" | "succeeded" | "failed" | "action_required";

/** Where a task stands after one poll. */
export interface TaskState {
  /** The vendor's own status value (`"IN_PROGRESS"`, `"dreaming"`, `2` ...), undefined when the answer has none. */
  status: string | number | boolean | undefined;
  /**
   * `pending` for every value not listed otherwise (unknown and empty values included); `action_required` when
   * the task waits for the caller (e.g. Midjourney MODAL: submit the modal).
   */
  phase: TaskPhase;
  /** Progress from 0 to 1, when the vendor reports one. */
  progress: number | undefined;
  /** The vendor's failure reason, when it gives one. */
  failureReason: string | undefined;
  /** Result URLs found at the rule's `results` pointers, in order, without duplicates. */
  results: string[];
}

function first(value: unknown, pointers: readonly string[]): unknown {
  for (const p of pointers) {
    const v = getPointer(value, p);
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** Every value at a pointer whose `*` segments match each array item (or object value). */
export function getAll(value: unknown, pointer: string): unknown[] {
  if (!pointer.includes("*")) {
    const v = getPointer(value, pointer);
    return v === undefined ? [] : [v];
  }
  const star = pointer.indexOf("/*");
  const head = getPointer(value, pointer.slice(0, star));
  const rest = pointer.slice(star + 2);
  const items = Array.isArray(head) ? head : head && typeof head === "object" ? Object.values(head) : [];
  return items.flatMap((item) => getAll(item, rest));
}

/** Normalises a progress value to 0..1: `"45%"` strings, 0..100 numbers or 0..1 fractions, per the rule's scale. */
export function normaliseProgress(raw: unknown, scale: "percent-string" | "percent" | "fraction"): number | undefined {
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number.parseFloat(raw.replace("%", "")) : Number.NaN;
  if (!Number.isFinite(n)) return undefined;
  const fraction = scale === "fraction" ? n : n / 100;
  return Math.min(1, Math.max(0, fraction));
}

/** Reads the state of a task from a poll answer `data` with `rule`. */
export function readTaskState(rule: TaskStatusRule, data: unknown): TaskState {
  const raw = first(data, rule.status);
  const status = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" ? raw : undefined;
  const phase: TaskPhase =
    status === undefined
      ? "pending"
      : rule.succeeded.includes(status)
        ? "succeeded"
        : rule.failed.includes(status)
          ? "failed"
          : rule.actionRequired.includes(status)
            ? "action_required"
            : "pending";
  const progress = rule.progress ? normaliseProgress(first(data, rule.progress.pointer), rule.progress.scale) : undefined;
  const reason = first(data, rule.failureReason);
  const failureReason = typeof reason === "string" && reason !== "" ? reason : reason !== undefined ? JSON.stringify(reason) : undefined;
  const results = [
    ...new Set(
      rule.results.flatMap((p) => getAll(data, p)).flatMap((v) => (Array.isArray(v) ? v : [v])).filter((v): v is string => typeof v === "string" && v !== ""),
    ),
  ];
  return { status, phase, progress: phase === "succeeded" ? 1 : progress, failureReason, results };
}
