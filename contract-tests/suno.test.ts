import { describe, expect, it } from "vitest";
import { taskQueries, taskSubmits } from "../generated/tasks.js";
import type { components } from "../generated/schema.js";
import { BadRequestError, ErrorInBodyError } from "../src/index.js";
import { getPointer } from "../src/internal/pointer.js";
import { TEST_KEY, testClient } from "./lib/calls.js";
import { contractSuite } from "./lib/contract.js";
import { bundle, deref, examplesOf, operation, pointerOf, schemaErrors } from "./lib/spec.js";

contractSuite("suno");

type Schemas = components["schemas"];
type TaskEnvelope = Schemas["SunoTaskResponse"];

/** The task in a task envelope; throws on the Suno-API relay's unwrapped forms (clip list, lyrics object). */
function taskOf(body: TaskEnvelope): Schemas["SunoTask"] {
  const d = body.data;
  if (d === null || Array.isArray(d) || !("task_id" in d)) throw new Error("expected a task in data");
  return d as Schemas["SunoTask"];
}

/** Named examples of an operation's 200 JSON answer. */
function answers(id: string) {
  return examplesOf(deref(bundle, operation(id).op.responses["200"]!).content!["application/json"]);
}

/** Named request examples of an operation. */
function requests(id: string) {
  const body = deref(bundle, operation(id).op.requestBody!);
  return Object.fromEntries(examplesOf(body.content!["application/json"]).map((e) => [e.name, e.value as Record<string, unknown>]));
}

const SUBMITS = ["submitSunoMusic", "submitSunoLyrics", "submitSunoConcat", "uploadSunoAudioFromUrl"] as const;

describe("suno: task lifecycle in the spec", () => {
  it("hands every submit's task id to getSunoTask as its path parameter", () => {
    for (const id of SUBMITS) {
      expect(taskSubmits[id]).toEqual({ poll: "getSunoTask", taskId: ["/data"], param: "task_id" });
    }
  });

  it("serves every task state by name, and the status rule sorts them", async () => {
    const elk = testClient();
    const { data: submitted } = await elk.POST("/suno/submit/music", {
      body: { prompt: "[Verse]\nStreetlights hum", title: "Morning Rain", tags: "indie pop", mv: "chirp-auk" },
    });
    if ("clips" in submitted) throw new Error("expected the task envelope");
    const taskId = submitted.data;
    if (taskId === null) throw new Error("expected a task id");
    const rule = taskQueries.getSunoTask;
    const states: Record<string, string> = {
      not_start: "NOT_START",
      submitted: "SUBMITTED",
      queued: "QUEUED",
      in_progress: "IN_PROGRESS",
      success: "SUCCESS",
      failure: "FAILURE",
      unknown: "UNKNOWN",
    };
    for (const [name, status] of Object.entries(states)) {
      const { data } = await elk.GET("/suno/fetch/{task_id}", {
        params: { path: { task_id: taskId } },
        headers: { Prefer: `example=${name}` },
      });
      expect(getPointer(data, rule.status[0]!)).toBe(status);
      expect(taskOf(data).status).toBe(status);
    }
    const known = [...rule.pending, ...rule.succeeded, ...rule.failed];
    for (const status of Object.values(states)) expect(known).toContain(status);
    expect(rule.succeeded).toEqual(["SUCCESS"]);
    expect(rule.failed).toEqual(["FAILURE"]);
  });

  it("finds progress, result URLs and the failure reason where the rule says", () => {
    const rule = taskQueries.getSunoTask;
    const byName = Object.fromEntries(answers("getSunoTask").map((e) => [e.name, e.value as TaskEnvelope]));
    expect(getPointer(byName.in_progress, rule.progress!.pointer[0]!)).toBe("60%");
    const urls = (body: unknown) =>
      rule.results.flatMap((p) => {
        const [head, tail] = p.split("/*");
        const list = getPointer(body, head!);
        return Array.isArray(list) ? list.map((item) => getPointer(item, tail!)) : [];
      });
    expect(urls(byName.success).filter((u) => typeof u === "string" && u.endsWith(".mp3"))).toHaveLength(2);
    expect(urls(byName.success).filter((u) => typeof u === "string" && u.endsWith(".mp4"))).toHaveLength(2);
    expect(getPointer(byName.failure, rule.failureReason[0]!)).toBe("Song description contained an artist name");
    // Every progress string of every example has the `NN%` form the rule expects.
    for (const { value } of answers("getSunoTask")) {
      const p = getPointer(value, "/data/progress");
      if (p !== undefined) expect(p).toMatch(/^\d{1,3}%$/);
    }
  });

  it("reads lyrics tasks as one object and music tasks as a clip list", async () => {
    const elk = testClient();
    const { data: lyrics } = await elk.GET("/suno/fetch/{task_id}", {
      params: { path: { task_id: "9b2f4c1e-3a7d-4f0b-8c55-1e2d3c4b5a69" } },
      headers: { Prefer: "example=lyrics_success" },
    });
    const result = taskOf(lyrics).data;
    expect(Array.isArray(result)).toBe(false);
    if (result && !Array.isArray(result)) expect(result.text).toContain("[Verse]");
    const { data: music } = await elk.GET("/suno/fetch/{task_id}", {
      params: { path: { task_id: "0f6a2d9c-84e1-4b7a-9d3e-5c2b1a0e7f48" } },
      headers: { Prefer: "example=stems_success" },
    });
    const clips = taskOf(music).data;
    expect(Array.isArray(clips) && clips.map((c) => c.metadata?.stem_type_group_name)).toEqual(["Vocals", "Instrumental"]);
  });

  it("polls through the batch query too: one id at /ids/0, the task at /data/0", async () => {
    const rule = taskQueries.listSunoTasksByIds;
    expect(rule.status).toEqual(["/data/0/status"]);
    const { data } = await testClient().POST("/suno/fetch", {
      body: { ids: ["0f6a2d9c-84e1-4b7a-9d3e-5c2b1a0e7f48"] },
      headers: { Prefer: "example=found" },
    });
    expect(getPointer(data, rule.status[0]!)).toBe("SUCCESS");
    expect(getPointer(data, rule.progress!.pointer[0]!)).toBe("100%");
  });

  it("gives the callbacks the task object (not the envelope) as their body", () => {
    for (const [op, cb] of [
      ["submitSunoMusic", "sunoMusicTaskFinished"],
      ["submitSunoLyrics", "sunoLyricsTaskFinished"],
    ] as const) {
      const entry = operation(op);
      const ref = (getPointer(bundle, pointerOf("paths", entry.path, "post", "callbacks", cb)) as { $ref: string }).$ref;
      const path = `${ref.slice(1)}${pointerOf("{$request.body#/notify_hook}", "post", "requestBody")}`;
      const body = deref(bundle, getPointer(bundle, path) as { content?: Record<string, never> });
      const media = body.content!["application/json"];
      const examples = examplesOf(media);
      expect(examples.map((e) => e.name)).toEqual(["success", "failure"]);
      for (const ex of examples) {
        expect(schemaErrors(`${path}/content/application~1json/schema`, ex.value)).toEqual([]);
        expect(ex.value).toMatchObject({ task_id: expect.any(String), status: ex.name.toUpperCase() });
      }
    }
  });
});

describe("suno: errors inside a 200 are thrown", () => {
  const cases = [
    ["submitSunoMusic", () => testClient().POST("/suno/submit/music", { body: { gpt_description_prompt: "a song" }, headers: { Prefer: "example=error" } })],
    ["getSunoTask", () => testClient().GET("/suno/fetch/{task_id}", { params: { path: { task_id: "nope" } }, headers: { Prefer: "example=error" } })],
    ["listSunoTasksByIds", () => testClient().POST("/suno/fetch", { body: { ids: ["nope"] }, headers: { Prefer: "example=error" } })],
    ["getSunoClipWav", () => testClient().GET("/suno/act/wav/{clip_id}", { params: { path: { clip_id: "nope" } }, headers: { Prefer: "example=error" } })],
  ] as const;
  for (const [id, call] of cases) {
    it(`${id}: a non-success code in a 200 becomes ErrorInBodyError with the code and message`, async () => {
      const err = await call().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ErrorInBodyError);
      const e = err as ErrorInBodyError;
      expect(e.status).toBe(200);
      expect(e.code).toBe("error");
      expect(e.operationId).toBe(id);
      expect(e.message.length).toBeGreaterThan(10);
      expect(JSON.stringify(e)).not.toContain(TEST_KEY);
    });
  }

  it("does not treat the raw persona, timing or WAV bodies (no code) as errors", async () => {
    const elk = testClient();
    const persona = await elk.POST("/suno/persona/create", { body: requests("createSunoPersona").persona as never });
    expect(persona.data.id).toBeTruthy();
    const timing = await elk.GET("/suno/act/timing/{clip_id}", { params: { path: { clip_id: "5d1e7f30-2b44-4c8e-9a61-0f3c2e7b8d15" } } });
    expect(timing.data.aligned_words.length).toBeGreaterThan(0);
    const wav = await elk.GET("/suno/act/wav/{clip_id}", {
      params: { path: { clip_id: "5d1e7f30-2b44-4c8e-9a61-0f3c2e7b8d15" } },
      headers: { Prefer: "example=raw" },
    });
    expect(wav.data.wav_file_url).toMatch(/\.wav$/);
  });

  it("keeps the relay's task-shaped 400 error readable", async () => {
    const err = await testClient()
      .GET("/suno/fetch/{task_id}", { params: { path: { task_id: "nope" } }, headers: { Prefer: "code=400, example=task_not_exist" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as BadRequestError).code).toBe("task_not_exist");
  });
});

describe("suno: the modes of POST /suno/submit/music", () => {
  const bodies = requests("submitSunoMusic");
  const submit = (body: Record<string, unknown>) => testClient().POST("/suno/submit/music", { body: body as never });

  async function rejected(body: Record<string, unknown>, field: string) {
    const err = await submit(body).catch((e: unknown) => e);
    expect(err, "the mock should refuse the body").toBeInstanceOf(BadRequestError);
    const e = err as BadRequestError;
    expect(e.message).toContain(field);
    expect(e.validation.some((v) => v.location.includes(field) || v.message.includes(`'${field}'`))).toBe(true);
    expect(e.message).not.toContain(TEST_KEY);
  }

  it("has one named request example per guide scenario", () => {
    expect(Object.keys(bodies)).toEqual(
      expect.arrayContaining([
        "inspiration",
        "custom",
        "custom_instrumental",
        "inspiration_instrumental",
        "upload_extend",
        "upload_extend_legacy",
        "extend",
        "cover",
        "infill",
        "persona",
        "stems_two",
        "stems_twelve",
      ]),
    );
  });

  it("matches each example to exactly the mode schema its name says", () => {
    const mode: Record<string, string> = {
      inspiration: "SunoMusicInspirationRequest",
      inspiration_instrumental: "SunoMusicInspirationRequest",
      custom: "SunoMusicCustomRequest",
      custom_instrumental: "SunoMusicCustomRequest",
      upload_extend_legacy: "SunoMusicCustomRequest",
      custom_with_controls: "SunoMusicCustomRequest",
      extend: "SunoMusicExtendRequest",
      upload_extend: "SunoMusicUploadExtendRequest",
      cover: "SunoMusicCoverRequest",
      infill: "SunoMusicInfillRequest",
      persona: "SunoMusicPersonaRequest",
      stems_two: "SunoMusicStemsRequest",
      stems_twelve: "SunoMusicStemsRequest",
    };
    const modeSchemas = [...new Set(Object.values(mode))];
    for (const [name, value] of Object.entries(bodies)) {
      const matching = modeSchemas.filter((s) => schemaErrors(`/components/schemas/${s}`, value).length === 0);
      expect(matching, name).toEqual([mode[name]]);
    }
  });

  it("maps every task value through an explicit discriminator mapping", () => {
    const schema = bundle.components!.schemas!.SunoMusicTaskRequest as { discriminator: { propertyName: string; mapping: Record<string, string> } };
    expect(schema.discriminator.propertyName).toBe("task");
    expect(Object.keys(schema.discriminator.mapping).sort()).toEqual(["artist_consistency", "cover", "extend", "gen_stem", "infill", "upload_extend"]);
  });

  it("rejects a mode body without its required field, naming it", async () => {
    const { continue_clip_id: _c, ...extend } = bodies.extend!;
    await rejected(extend, "continue_clip_id");
    const { prompt: _p, ...custom } = bodies.custom!;
    await rejected(custom, "prompt");
    const { persona_id: _id, ...persona } = bodies.persona!;
    await rejected(persona, "persona_id");
    const { stem_task: _s, ...stems } = bodies.stems_two!;
    await rejected(stems, "stem_task");
  });

  it("accepts a model version the spec never heard of (mv is an open model id)", async () => {
    const { data } = await submit({ ...bodies.custom!, mv: "chirp-v9000" });
    expect("clips" in data ? "upstream" : data.code).toBe("success");
  });

  it("rejects a mode outside the closed `task` values, naming the field", async () => {
    await rejected({ ...bodies.cover!, task: "overpainting" }, "task");
  });

  it("accepts stem groups, slider names and voice genders it never heard of (passed to Suno unchecked)", async () => {
    const { data } = await submit({ ...bodies.stems_twelve!, stem_task: "four", stem_type_group_name: "Four" });
    expect("clips" in data ? "upstream" : data.code).toBe("success");
    const controls = bodies.custom_with_controls!;
    const metadata = { ...(controls.metadata as Record<string, unknown>), vocal_gender: "x", can_control_sliders: ["tempo_weight"] };
    const { data: withControls } = await submit({ ...controls, metadata });
    expect("clips" in withControls ? "upstream" : withControls.code).toBe("success");
  });

  it("refuses a string where the gateway decodes a boolean or a number (make_instrumental, continue_at)", async () => {
    await rejected({ ...bodies.custom_instrumental!, make_instrumental: "true" }, "make_instrumental");
    await rejected({ ...bodies.extend!, continue_at: "30" }, "continue_at");
  });

  it("accepts an extend body without task_id (current new-api no longer requires it)", async () => {
    const { task_id: _t, ...extend } = bodies.extend!;
    const { data } = await submit(extend);
    expect("clips" in data ? "upstream" : data.code).toBe("success");
  });

  it("accepts Suno's own generate body as an answer and keeps it apart from the envelope in the types", async () => {
    const { data } = await submit(bodies.stems_two!);
    expect("clips" in data ? "upstream" : data.code).toBe("success");
    const { data: raw } = await testClient().POST("/suno/submit/music", {
      body: bodies.stems_two as never,
      headers: { Prefer: "example=upstream_clips" },
    });
    // `"clips" in data` tells Suno's own body from the envelope, in the types as at run time.
    if (!("clips" in raw)) throw new Error("expected the upstream body");
    expect(raw.clips.map((c) => c.model_name)).toEqual(["chirp-stem", "chirp-stem"]);
  });

  it("types the modes apart (compile-time checks)", () => {
    const extend: Schemas["SubmitSunoMusicRequest"] = {
      task: "extend",
      task_id: "t",
      continue_clip_id: "c",
      continue_at: 30,
      mv: "chirp-auk",
    };
    const inspiration: Schemas["SubmitSunoMusicRequest"] = { gpt_description_prompt: "a song", make_instrumental: true };
    expect([extend, inspiration]).toHaveLength(2);
    if (Date.now() < 0) {
      // @ts-expect-error an extend body needs continue_clip_id
      const missing: Schemas["SunoMusicExtendRequest"] = { task: "extend", task_id: "t", continue_at: 1 };
      // @ts-expect-error inspiration mode has no `task`
      const mixed: Schemas["SunoMusicInspirationRequest"] = { gpt_description_prompt: "x", task: "extend" };
      // mv is open (a model id): one the spec never heard of still type-checks, as the gateway forwards it.
      const newMv: Schemas["SunoMusicCustomRequest"] = { prompt: "", mv: "chirp-v9000" };
      void [missing, mixed, newMv];
    }
    const pick = (b: Schemas["SunoMusicTaskRequest"]): string => {
      switch (b.task) {
        case "gen_stem":
          return b.stem_task; // narrowed to the stems schema
        case "artist_consistency":
          return b.persona_id;
        default:
          return b.task;
      }
    };
    expect(pick(bodies.stems_two as Schemas["SunoMusicStemsRequest"])).toBe("two");
  });
});

describe("suno: the music body's mode union as users type it", () => {
  it("sends a body held in a variable of the union type (every mode stays writable)", async () => {
    const examples = examplesOf(deref(bundle, operation("submitSunoMusic").op.requestBody!).content!["application/json"]);
    const elk = testClient();
    for (const ex of examples) {
      // A variable of the generated union type, as a caller building bodies in a function would hold it.
      const body: components["schemas"]["SubmitSunoMusicRequest"] = ex.value as components["schemas"]["SubmitSunoMusicRequest"];
      const { response } = await elk.POST("/suno/submit/music", { body });
      expect(response.ok, ex.name).toBe(true);
    }
  });
});
