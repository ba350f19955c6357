/**
 * parseCallback (src/callbacks.ts) alone, for every callback in the spec: each example parses, typed, with the
 * state a poll of the same task gives; a body built from the poll answer reads exactly as the poll does; bodies
 * that break a rule throw CallbackError naming the field and the rule.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, expectTypeOf, it } from "vitest";
import { callbackInfos, callbackOf } from "../generated/callbacks.js";
import { mockLifecycles } from "../generated/lifecycles.js";
import { type TaskStatusRule, taskQueries } from "../generated/tasks.js";
import { callbackRules } from "../scripts/lib/generate/callbacks.js";
import { generatedDir } from "../scripts/lib/paths.js";
import { type Bundle, type Json, deref, operationsOf } from "../scripts/lib/spec.js";
import { CallbackError, type CallbackSubmitId, type ParsedCallback, callbackInfo, parseCallback } from "../src/callbacks.js";
import type { components } from "../generated/schema.js";
import { getPointer } from "../src/internal/pointer.js";
import { readTaskState } from "../src/task-state.js";

const bundle = JSON.parse(readFileSync(path.join(generatedDir, "openapi.json"), "utf8")) as Bundle;
const { rules } = callbackRules(bundle);
const submits = Object.keys(callbackOf) as CallbackSubmitId[];
const polls = taskQueries as Record<string, TaskStatusRule>;
const lifecycles = mockLifecycles as Record<string, { succeeded: readonly string[]; failed: readonly string[] }>;
// One submit per distinct callback: the behaviour is the callback's, the submit only picks it.
const byCallback = [...new Map(submits.map((s) => [rules[s]!.operationId, s])).values()];

/** The poll's named 200 examples. */
function pollExamples(poll: string): Record<string, Json> {
  const op = operationsOf(bundle).find((o) => o.op.operationId === poll)!.op;
  const examples = deref(bundle, op.responses["200"]!).content?.["application/json"]?.examples ?? {};
  return Object.fromEntries(Object.entries(examples).map(([n, ex]) => [n, deref(bundle, ex).value as Json]));
}

/** x-elkapi-callback.at of a submit's callback ("" when the body is the whole poll answer or has its own rule). */
function atOf(submit: string): string | undefined {
  const cb = Object.values(deref(bundle, Object.values(operationsOf(bundle).find((o) => o.op.operationId === submit)!.op.callbacks as Record<string, Json>)[0]!) as Record<string, { post: Record<string, Json> }>)[0]!;
  const ext = cb.post["x-elkapi-callback"] as { at?: string; status?: unknown };
  return ext.status ? undefined : (ext.at ?? "");
}

describe("the callbacks table", () => {
  it("covers all 34 submits with callbacks, through 13 callbacks written once each", () => {
    const withCallbacks = operationsOf(bundle).filter((o) => o.op.callbacks).map((o) => o.op.operationId);
    expect(submits.sort()).toEqual(withCallbacks.sort());
    expect(submits).toHaveLength(34);
    expect(Object.keys(bundle.components!.callbacks!)).toHaveLength(13);
    for (const s of submits) {
      const ref = Object.values(operationsOf(bundle).find((o) => o.op.operationId === s)!.op.callbacks as Record<string, { $ref?: string }>)[0]!.$ref;
      expect(ref, s).toMatch(/^#\/components\/callbacks\//);
    }
    expect(new Set(callbackInfos.map((i) => i.operationId)).size).toBe(13);
  });

  it("names the URL field as a pointer into the submit body", () => {
    expect(callbackInfo("submitMidjourneyImagine").field).toBe("/notifyHook");
    expect(callbackInfo("createVideoGeneration").field).toBe("/metadata/callback_url");
    expect(callbackInfo("createReplicatePrediction").field).toBe("/webhook");
    expect(() => callbackInfo("getLumaGeneration" as CallbackSubmitId)).toThrow(/getLumaGeneration has no callback in the spec; submits with one: .*createLumaGeneration/);
  });
});

describe.each(byCallback)("parseCallback: %s's callback", (submit) => {
  const rule = rules[submit]!;
  const steps = lifecycles[rule.poll]!;
  const pollBodies = pollExamples(rule.poll);

  it.each(Object.keys(rule.examples))("parses example %s from text, bytes and parsed JSON alike", (name) => {
    const value = rule.examples[name]!;
    const text = JSON.stringify(value);
    const fromText = parseCallback(submit, text);
    expect(parseCallback(submit, new TextEncoder().encode(text))).toEqual(fromText);
    expect(parseCallback(submit, JSON.parse(text))).toEqual(fromText);
    expect(fromText.body).toEqual(value);
    expect(fromText.operationId).toBe(rule.operationId);
    if (rule.challenge && getPointer(value, rule.challenge) !== undefined) {
      expect(fromText).toMatchObject({ kind: "challenge", challenge: getPointer(value, rule.challenge), reply: { challenge: getPointer(value, rule.challenge) } });
      return;
    }
    if (fromText.kind !== "task") throw new Error("expected a task callback");
    expect(fromText.taskId).toBe(rule.taskId.length ? String(getPointer(value, rule.taskId[0]!)) : undefined);
    expect(fromText.state.status).toBeDefined();
  });

  it("reports each state it delivers with the phase the poll reports for that step", () => {
    for (const outcome of ["succeeded", "failed"] as const) {
      const names = rule.lifecycle[outcome];
      const states = names.map((n) => parseCallback(submit, rule.examples[n]!)).map((p) => (p.kind === "task" ? p.state.phase : "challenge"));
      expect(states, outcome).toEqual([...names.slice(0, -1).map(() => "pending"), outcome]);
      // Where the callback and the poll name a step alike, both read the same phase (and, for the same vocabulary, status).
      for (const n of names.filter((x) => steps[outcome].includes(x) && pollBodies[x] !== undefined)) {
        const fromPoll = readTaskState(polls[rule.poll]!, pollBodies[n]);
        const cb = parseCallback(submit, rule.examples[n]!);
        if (cb.kind !== "task") throw new Error("expected a task callback");
        expect(cb.state.phase, n).toBe(fromPoll.phase);
        if (atOf(submit) !== undefined) expect(cb.state.status, n).toBe(fromPoll.status);
      }
    }
  });

  it("reads a body cut from a poll answer exactly as waitForTask reads the answer", () => {
    const at = atOf(submit);
    if (at === undefined) return expect(rule.status).not.toEqual(polls[rule.poll]); // own vocabulary: covered above
    let compared = 0;
    for (const [name, answer] of Object.entries(pollBodies)) {
      const part = getPointer(answer, at);
      const fromPoll = readTaskState(polls[rule.poll]!, answer);
      if (!part || typeof part !== "object" || fromPoll.status === undefined) continue;
      let cb;
      try {
        cb = parseCallback(submit, part);
      } catch {
        continue; // a poll form the callback never takes (e.g. the gateway's own wrapper)
      }
      if (cb.kind !== "task") continue;
      expect(cb.state, name).toEqual(fromPoll);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(2);
  });

  it("throws CallbackError naming the field and the rule", () => {
    const example = Object.values(rule.examples).find((v) => !rule.challenge || getPointer(v, rule.challenge) === undefined) as Record<string, Json>;
    const schema = deref(bundle, { $ref: `#/components/schemas/${rule.schema}` }) as { required?: string[]; anyOf?: { required?: string[] }[] };
    const required = schema.required ?? schema.anyOf?.find((s) => s.required?.some((r) => r in example))?.required ?? [];
    const field = required.find((r) => r in example)!;
    const missing = { ...example };
    delete missing[field];
    const err = (() => {
      try {
        parseCallback(submit, missing);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(CallbackError);
    if (!schema.anyOf) expect(err).toMatchObject({ field: `/${field}`, rule: "required", submit, operationId: rule.operationId, body: missing });
    expect((err as Error).message).toContain(rule.operationId);

    const wrongType = { ...example, [field]: { nested: true } };
    expect(() => parseCallback(submit, wrongType)).toThrow(CallbackError);
    const notJson = "{\"task\": ";
    expect(() => parseCallback(submit, notJson)).toThrow(expect.objectContaining({ field: "", rule: "json", rawBody: notJson }));
    expect(() => parseCallback(submit, [])).toThrow(expect.objectContaining({ field: "", rule: "type" }));
  });
});

describe("parseCallback: what users see", () => {
  it("types the body by the submit (Kling's task data, Midjourney's task, MiniMax's challenge or update)", () => {
    const kling = parseCallback("createKlingText2Video", '{"task_id":"1","task_status":"succeed","created_at":1,"updated_at":2}');
    expectTypeOf(kling.body).toEqualTypeOf<components["schemas"]["KlingTaskData"]>();
    expectTypeOf<ParsedCallback<"submitMidjourneyImagine">["body"]>().toEqualTypeOf<components["schemas"]["MidjourneyTaskInfo"]>();
    expectTypeOf<ParsedCallback<"createMinimaxVideoGeneration">["body"]>().toEqualTypeOf<components["schemas"]["MinimaxCallbackBody"]>();
    // @ts-expect-error a query has no callback
    expect(() => parseCallback("getKlingText2Video", {})).toThrow(TypeError);
  });

  it("names the allowed values of a closed field", () => {
    expect(() => parseCallback("createKlingText2Video", { task_id: "1", task_status: "done", created_at: 1, updated_at: 2 })).toThrow(
      /klingVideoTaskCallback: \/task_status must be equal to one of the allowed values \("submitted", "processing", "succeed", "failed"\)/,
    );
  });

  it("gives Kling's results and failure reason as a poll does", () => {
    const ok = parseCallback("createKlingText2Video", rules.createKlingText2Video!.examples.succeed!);
    expect(ok).toMatchObject({ kind: "task", taskId: "862318890115530805", state: { phase: "succeeded", progress: 1, results: [expect.stringMatching(/\.mp4$/)] } });
    const failed = parseCallback("createKlingImageGeneration", rules.createKlingImageGeneration!.examples.failed!);
    expect(failed).toMatchObject({ state: { phase: "failed", failureReason: "Failure to pass the risk control system" } });
  });

  it("answers MiniMax's URL check with the challenge, then reads its lower-case states", () => {
    const check = parseCallback("createMinimaxVideoGeneration", '{"challenge":"1a3cs1j-601a"}');
    expect(check).toEqual(expect.objectContaining({ kind: "challenge", challenge: "1a3cs1j-601a", reply: { challenge: "1a3cs1j-601a" } }));
    const done = parseCallback("createMinimaxVideoGeneration", { task_id: "1", status: "success", file_id: "2" });
    expect(done).toMatchObject({ kind: "task", taskId: "1", state: { status: "success", phase: "succeeded" } });
  });

  it("keeps Seedance's upstream id out of taskId (it is not the id the submit answered)", () => {
    const cb = parseCallback("createVideoGeneration", rules.createVideoGeneration!.examples.succeeded!);
    expect(cb).toMatchObject({ kind: "task", taskId: undefined, state: { phase: "succeeded", results: [expect.stringMatching(/\.mp4$/)] } });
  });

  it("reads text sent as UTF-8 bytes, in a Buffer or an ArrayBuffer", () => {
    const failed = rules.createReplicatePrediction!.examples.failed as Record<string, Json>;
    const text = JSON.stringify({ ...failed, id: "p1", error: "NSFW — flagged" });
    const bytes = new TextEncoder().encode(text);
    for (const body of [Buffer.from(text), bytes, bytes.buffer]) {
      expect(parseCallback("createReplicatePrediction", body)).toMatchObject({ taskId: "p1", state: { phase: "failed", failureReason: "NSFW — flagged" } });
    }
  });
});
