/** Errors of waiting on a task: it failed on the vendor's side, or did not finish in time. */
import { ElkApiError, type ElkApiErrorInit } from "./errors.js";
import type { TaskHandle } from "./tasks.js";

/** What task errors carry beyond ElkApiError. */
export interface TaskErrorInit extends ElkApiErrorInit {
  handle: TaskHandle<string>;
  taskStatus?: string | number | boolean | undefined;
  /** The vendor's failure reason, as it gave it. */
  reason?: string | undefined;
}

/** A task error: keeps the handle (resume later) and the last status seen. */
export class TaskError extends ElkApiError {
  override readonly name: string = "TaskError";
  /** The task, as `waitForTask` can resume it. */
  readonly handle: TaskHandle<string>;
  /** The vendor's status value at the end. */
  readonly taskStatus: string | number | boolean | undefined;
  constructor(init: TaskErrorInit) {
    super(init);
    this.handle = init.handle;
    this.taskStatus = init.taskStatus;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), handle: this.handle, taskStatus: this.taskStatus };
  }
}

/** The vendor reports the task failed (a failed status, or an error inside a 200 poll answer). */
export class TaskFailedError extends TaskError {
  override readonly name = "TaskFailedError";
  /** The vendor's failure reason, kept as it was sent. */
  readonly reason: string | undefined;
  constructor(init: TaskErrorInit) {
    super(init);
    this.reason = init.reason;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), reason: this.reason };
  }
}

/** The task was still pending when `timeoutMs` ran out. Resume with `waitForTask(client, error.handle)`. */
export class TaskTimeoutError extends TaskError {
  override readonly name = "TaskTimeoutError";
}
