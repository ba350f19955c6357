/**
 * Receiving task callbacks (webhooks) the same way for every vendor. A submit whose body names a callback URL
 * (`notifyHook`, `callback_url`, `webhook`, `webhook_url`, `notify_hook`, `metadata.callback_url`) gets POSTs
 * from the vendor; the spec declares each as an OpenAPI `callbacks` entry, and generated/callbacks.ts tables
 * where its body holds the task id and how it reports state. `parseCallback` checks a received body against the
 * callback's schema (Ajv code compiled ahead of time: generated/callback-validators.ts) and reads its state with
 * `readTaskState`, the reading `waitForTask` does on a poll answer, so one handler serves polls and callbacks:
 *
 *   // any framework: pass the raw text (or bytes, or the parsed JSON)
 *   const cb = parseCallback("createKlingText2Video", await request.text());
 *   if (cb.kind === "challenge") return Response.json(cb.reply);   // MiniMax's URL check
 *   onTaskState(cb.taskId, cb.state);                              // the same TaskState a poll gives
 *   return new Response(null, { status: 204 });
 *
 * Not imported by `createElkClient`: the validators (about 12 KiB gzipped) load only with this module.
 */
import { ElkApiError, type ElkApiErrorInit } from "./errors.js";
import { type TaskState, readTaskState } from "./task-state.js";
import { getPointer } from "./internal/pointer.js";
import { type CallbackBodies, type CallbackInfo, callbackInfos, callbackOf } from "../generated/callbacks.js";
import { type CallbackSchemaError, callbackValidators } from "../generated/callback-validators.js";

export type { CallbackBodies, CallbackInfo } from "../generated/callbacks.js";

/** operationIds of the submits whose callbacks the spec declares. */
export type CallbackSubmitId = keyof typeof callbackOf & keyof CallbackBodies;

/** The typed body a submit's callback POSTs. */
export type CallbackBody<S extends CallbackSubmitId> = CallbackBodies[S];

/** A callback reporting the task: its body, the task id it carries and the state `readTaskState` reads. */
export interface TaskCallback<S extends CallbackSubmitId = CallbackSubmitId> {
  kind: "task";
  /** The submit that named the callback URL. */
  submit: S;
  /** operationId of the callback in the spec. */
  operationId: string;
  body: CallbackBody<S>;
  /**
   * The task id the submit answered (what `TaskHandle.taskId` holds), as a string; undefined when the body holds
   * another id (Seedance posts its upstream id) or none.
   */
  taskId: string | undefined;
  /** Where the task stands: the same shape, and for the same body the same values, as a poll gives. */
  state: TaskState;
}

/**
 * A verification call made before any task update (MiniMax): answer it with HTTP 200 and `reply` as JSON, or the
 * vendor stops using the URL.
 */
export interface ChallengeCallback<S extends CallbackSubmitId = CallbackSubmitId> {
  kind: "challenge";
  submit: S;
  operationId: string;
  body: CallbackBody<S>;
  /** The value to echo. */
  challenge: string;
  /** The JSON body to answer with, e.g. `{"challenge": "..."}`. */
  reply: Record<string, unknown>;
}

/** What `parseCallback` returns. */
export type ParsedCallback<S extends CallbackSubmitId = CallbackSubmitId> = TaskCallback<S> | ChallengeCallback<S>;

/** What `CallbackError` carries beyond ElkApiError. */
export interface CallbackErrorInit extends ElkApiErrorInit {
  submit: string;
  field: string;
  rule: string;
}

/**
 * A received callback body that is not what the spec says: not JSON, or against a rule of its schema.
 * `field` is the JSON pointer of the offending value (`""` for the whole body), `rule` the rule it broke (`json`,
 * or the JSON Schema keyword: `required`, `type`, `enum` ...). `body` keeps the parsed body and `rawBody` the text
 * received, so nothing is lost.
 */
export class CallbackError extends ElkApiError {
  override readonly name = "CallbackError";
  /** The submit whose callback this was meant to be. */
  readonly submit: string;
  /** JSON pointer of the offending value, `""` for the body itself. */
  readonly field: string;
  /** The broken rule: `json`, or a JSON Schema keyword. */
  readonly rule: string;
  constructor(init: CallbackErrorInit) {
    super(init);
    this.submit = init.submit;
    this.field = init.field;
    this.rule = init.rule;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), submit: this.submit, field: this.field, rule: this.rule };
  }
}

const rows = callbackOf as Record<string, number>;

/**
 * How a submit's callback is delivered and read: the URL field (JSON pointer into the submit body), the body's
 * media type and schema, the callback's operationId.
 * @throws TypeError when the spec declares no callback for `submit`.
 */
export function callbackInfo(submit: CallbackSubmitId): CallbackInfo {
  const index = rows[submit];
  if (index === undefined) {
    throw new TypeError(`${String(submit)} has no callback in the spec; submits with one: ${Object.keys(rows).join(", ")}`);
  }
  return callbackInfos[index]!;
}

/** The text of a raw body (UTF-8 bytes decoded), or undefined when `body` is already parsed. */
function rawText(body: unknown): string | undefined {
  if (typeof body === "string") return body;
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(body);
  if (ArrayBuffer.isView(body)) return new TextDecoder().decode(body);
  return undefined;
}

/** The field an Ajv error is about: the missing or extra property itself where the keyword names one. */
function fieldOf(e: CallbackSchemaError): string {
  const name = e.params.missingProperty ?? e.params.additionalProperty;
  return typeof name === "string" ? `${e.instancePath}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}` : e.instancePath;
}

/**
 * Checks a received callback body against the submit's callback schema and reads the task state from it.
 *
 * @param submit operationId of the submit that named the callback URL, e.g. `"createKlingText2Video"`.
 * @param body what was POSTed: the raw text (a string is always read as JSON text), its bytes (`Uint8Array`,
 *   `Buffer`, `ArrayBuffer`; UTF-8), or the JSON your framework already parsed.
 * @returns `{ kind: "task", body, taskId, state }`, with `state` as `readTaskState` gives it for a poll; or, for a
 *   verification call (MiniMax), `{ kind: "challenge", challenge, reply }` to answer with.
 * @throws CallbackError naming the field (JSON pointer) and the rule when the body is not JSON or breaks its
 *   schema; TypeError when the spec declares no callback for `submit`.
 */
export function parseCallback<S extends CallbackSubmitId>(submit: S, body: unknown): ParsedCallback<S> {
  const info = callbackInfo(submit);
  const raw = rawText(body);
  const common = { submit: submit as string, operationId: info.operationId, rawBody: raw ?? null };
  let data: unknown = body;
  if (raw !== undefined) {
    try {
      data = JSON.parse(raw);
    } catch (e) {
      throw new CallbackError({ ...common, field: "", rule: "json", body: raw, cause: e, message: `${info.operationId}: the body is not JSON (${(e as Error).message})` });
    }
  }
  const validate = callbackValidators[info.schema]!;
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const field = e ? fieldOf(e) : "";
    const allowed = Array.isArray(e?.params.allowedValues) ? ` (${e.params.allowedValues.map((v) => JSON.stringify(v)).join(", ")})` : "";
    throw new CallbackError({
      ...common,
      field,
      rule: e?.keyword ?? "schema",
      body: data,
      message: `${info.operationId}: ${e?.keyword === "required" ? `${field} is missing (required)` : `${field || "the body"} ${e?.message ?? "does not match the schema"}${allowed}`} (schema ${info.schema})`,
    });
  }
  const typed = data as CallbackBody<S>;
  const challenge = info.challenge === null ? undefined : getPointer(data, info.challenge);
  if (typeof challenge === "string") {
    // The reply puts the value back where it came from (`/challenge` → `{"challenge": ...}`).
    const keys = info.challenge!.slice(1).split("/").map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
    const reply = keys.reduceRight<unknown>((inner, k) => ({ [k]: inner }), challenge) as Record<string, unknown>;
    return { kind: "challenge", submit, operationId: info.operationId, body: typed, challenge, reply };
  }
  const id = info.taskId.map((p) => getPointer(data, p)).find((v) => typeof v === "string" || typeof v === "number");
  return { kind: "task", submit, operationId: info.operationId, body: typed, taskId: id === undefined ? undefined : String(id), state: readTaskState(info.status, data) };
}
