/** The error classes tasks.ts throws, loaded on the first failure: a task that succeeds never needs them. */
export { APIUserAbortError, ElkApiError, ErrorInBodyError } from "../errors.js";
export { TaskFailedError, TaskTimeoutError } from "../task-errors.js";
