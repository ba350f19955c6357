/**
 * The real-world corpus (contract-tests/fixtures/real-world/, see its README): every case validates against the
 * bundled spec, and every request case, sent through createElkClient to the mock, is accepted.
 */
import { describe, expect, it } from "vitest";
import { loadCorpus } from "../scripts/lib/review/real-world.js";
import { ElkApiError } from "../src/index.js";
import { caseErrors, sendCase } from "./lib/real-world.js";

const files = loadCorpus();

describe("real-world corpus", () => {
  it("holds cases with a source each", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it("catches a case the spec refuses: a wrong type, a route of another operation, a form field's type", () => {
    const source = { url: "https://example.com/x" };
    expect(caseErrors({ id: "x", operationId: "createEmbedding", kind: "request", route: "POST /v1/embeddings", body: { model: 1, input: "hi" }, source })).not.toEqual([]);
    expect(caseErrors({ id: "x", operationId: "createEmbedding", kind: "request", route: "POST /v1/chat/completions", body: {}, source })[0]).toMatch(/does not match createEmbedding/);
    const form = { id: "x", operationId: "createTranscription", kind: "request" as const, route: "POST /v1/audio/transcriptions", source };
    expect(caseErrors({ ...form, body: { file: "@a.mp3", model: "whisper-1", temperature: "0.2" } })).toEqual([]);
    expect(caseErrors({ ...form, body: { file: "@a.mp3", model: "whisper-1", temperature: "warm" } })).not.toEqual([]);
  });

  for (const { file, corpus } of files) {
    describe(file, () => {
      for (const c of corpus.cases) {
        it(`${c.id}: ${c.kind} of ${c.operationId} validates against the spec`, () => {
          expect(caseErrors(c)).toEqual([]);
        });
        if (c.kind === "request") {
          it(`${c.id}: sent through the client, the mock accepts it`, async () => {
            const answer = await sendCase(c).catch((e: unknown) => {
              if (e instanceof ElkApiError) return { status: e.status ?? 0, text: e.message };
              throw e;
            });
            expect(answer.status, answer.text).toBeLessThan(300);
          });
        }
      }
    });
  }
});
