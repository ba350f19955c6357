export { createElkClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "./client.js";
export type { ElkClient, ElkClientOptions, ElkMethod, ElkResponse } from "./client.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ElkApiError,
  ErrorInBodyError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
} from "./errors.js";
export type { ElkApiErrorInit, Violation } from "./errors.js";
export { operations } from "../generated/operations.js";
export type { OperationId, OperationInfo } from "../generated/operations.js";
export type { components, operations as OperationTypes, paths } from "../generated/schema.js";
export { DEFAULT_TASK_TIMEOUT_MS, submitAndWait, submitTask, waitForTask } from "./tasks.js";
export type { PollOf, SubmitInit, SuccessBody, TaskHandle, TaskProgress, TaskQueryId, TaskResult, TaskSubmitId, WaitOptions } from "./tasks.js";
export { TaskError, TaskFailedError, TaskTimeoutError } from "./task-errors.js";
export { readTaskState } from "./task-state.js";
export type { TaskState } from "./task-state.js";
