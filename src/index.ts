/** Public exports of the elkapi client. */
export { createElkClient, DEFAULT_BASE_URL, DEFAULT_TIMEOUT_MS } from "./client.js";
export type { ElkClient, ElkClientOptions, ElkLogger, ElkMethod, ElkRequestOptions, ElkResponse, FetchLike, LogLevel, Sleep, StreamInit } from "./types.js";
export {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ElkApiError,
  ErrorInBodyError,
  IncompleteStreamError,
  InternalServerError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  StreamEventError,
  UnprocessableEntityError,
} from "./errors.js";
export type { ElkApiErrorInit, Violation } from "./errors.js";
// A type here: the class loads with the first elk.stream() call, so pages that never stream do not bundle it.
export type { ElkStream } from "./streaming.js";
export type { SseOperationId, StreamEvent, StreamFinal } from "./streaming.js";
export { toFile, mediaTypeOf } from "./uploads.js";
export type { ToFileOptions, Uploadable } from "./uploads.js";
export {
  DEFAULT_MAX_RETRIES,
  INITIAL_RETRY_DELAY_MS,
  MAX_RETRY_AFTER_MS,
  MAX_RETRY_DELAY_MS,
  RETRY_JITTER,
  backoffMs,
  retryDelayMs,
  serverRetryAfterMs,
} from "./retry.js";
export { operations } from "../generated/operations.js";
export { operationDocs } from "../generated/operation-docs.js";
export type { OperationDocs } from "../generated/operation-docs.js";
export type { OperationId, OperationInfo, SseEventTypes } from "../generated/operations.js";
export type { components, operations as OperationTypes, paths } from "../generated/schema.js";
export { DEFAULT_TASK_TIMEOUT_MS, submitAndWait, submitTask, waitForTask } from "./tasks.js";
export type { PollOf, SubmitInit, SuccessBody, TaskHandle, TaskProgress, TaskQueryId, TaskResult, TaskSubmitId, WaitOptions } from "./tasks.js";
export { TaskError, TaskFailedError, TaskTimeoutError } from "./task-errors.js";
export { readTaskState } from "./task-state.js";
export { CallbackError, callbackInfo, parseCallback } from "./callbacks.js";
export type { CallbackBodies, CallbackBody, CallbackErrorInit, CallbackInfo, CallbackSubmitId, ChallengeCallback, ParsedCallback, TaskCallback } from "./callbacks.js";
export type { TaskPhase, TaskState } from "./task-state.js";
