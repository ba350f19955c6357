/**
 * Property-based contract tests for every operation of the spec (fast-check drives, json-schema-faker draws; see
 * lib/fuzz/sampler.ts for why those two):
 * - valid requests drawn from the operation's schemas go through createElkClient to the mock: none is refused,
 *   none gets a 5xx, every answer validates against the spec;
 * - requests that break one rule each (lib/fuzz/mutations.ts) get a typed 400/422 error naming the field;
 * - the spec's own request examples, mutated the same way, are refused by the spec's validator where the schema
 *   says.
 * `npm test` runs a fixed seed and FUZZ_VALID / FUZZ_INVALID runs per operation (defaults below); `npm run fuzz`
 * runs 200 of each. FUZZ_SEED picks another seed; a failure prints the seed and path to replay it.
 */
import fc from "fast-check";
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { AuthenticationError, BadRequestError, ElkApiError, UnprocessableEntityError } from "../../src/index.js";
import { TEST_KEY } from "../lib/calls.js";
import { mutationsOf, refusal } from "../lib/fuzz/mutations.js";
import { breaksARule, requestMutations } from "../lib/fuzz/requests.js";
import { type Answer, answerProblems, isErrorIn200, send } from "../lib/fuzz/send.js";
import { type FuzzTarget, drawRequest, examplesFor, fuzzTargets } from "../lib/fuzz/targets.js";

const VALID = Number(process.env.FUZZ_VALID ?? 50);
const INVALID = Number(process.env.FUZZ_INVALID ?? 20);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const params = (numRuns: number) => ({ seed: SEED, numRuns, endOnFailure: true, maxSkipsPerRun: 20 });

/** Per operation: runs, and how many invalid requests broke each kind of rule. */
const report: Record<string, { valid: number; invalid: number; kinds: Record<string, number> }> = {};

const show = (v: unknown) => String(JSON.stringify(v, (_k, x: unknown) => (typeof x === "string" && x.startsWith("\u0000") ? `<file ${x.length} bytes>` : x)) ?? v).slice(0, 1500);

function expectAccepted(t: FuzzTarget, a: Answer, sent: unknown): void {
  const what = `${t.name} refused a valid request\nrequest: ${show(sent)}\nanswer: ${a.status} ${show(a.body)}`;
  expect(a.status, what).not.toBeGreaterThanOrEqual(500);
  if (t.upgrade) expect(a.status, what).toBe(101);
  else if (a.error) expect(isErrorIn200(a), `${what}\n${a.error.message}`).toBe(true);
  else expect(a.status, what).toBeLessThan(300);
  expect(answerProblems(t, a), `${t.name} answered outside the spec\nrequest: ${show(sent)}\nanswer: ${a.status} ${show(a.body)}`).toEqual([]);
}

/** Whether any draw of this operation's request has a rule to break (GETs with free-text ids have none). */
function hasRules(t: FuzzTarget): boolean {
  for (let seed = 1; seed <= 30; seed++) if (requestMutations(t, drawRequest(t, seed)).some((m) => breaksARule(t, m.request))) return true;
  return false;
}

describe.concurrent("fuzz: every operation, requests drawn from the spec", () => {
  for (const t of fuzzTargets) {
    report[t.name] = { valid: 0, invalid: 0, kinds: {} };
    describe(t.name, () => {
      it(`${VALID} valid requests drawn from its schemas are accepted, and every answer matches the spec`, async () => {
        await fc.assert(
          // Static answers only: Prism's dynamic ones (`Prefer: dynamic=true`) crash its generator on some
          // schemas (json-schema-faker 0.5 on arrays of objects under a union, e.g. SunoTaskResponse.data).
          fc.asyncProperty(fc.integer(), async (seed) => {
            const req = drawRequest(t, seed);
            expectAccepted(t, await send(t, req), req);
            report[t.name]!.valid++;
          }),
          params(VALID),
        );
      });

      if (!hasRules(t)) {
        it("has no rule a request could break (no body, parameters take any text): nothing to mutate", () => {
          expect(t.bodyPointer).toBeUndefined();
          expect(requestMutations(t, drawRequest(t, SEED)).filter((m) => breaksARule(t, m.request))).toEqual([]);
        });
      } else {
        it(`${INVALID} requests breaking one rule each get a typed error naming the field, never a 5xx`, async () => {
          await fc.assert(
            fc.asyncProperty(fc.integer(), fc.nat(), async (seed, pick) => {
              const muts = requestMutations(t, drawRequest(t, seed));
              const order = muts.map((_, i) => muts[(i + pick) % muts.length]!);
              const m = order.find((x) => breaksARule(t, x.request));
              fc.pre(m !== undefined);
              const a = await send(t, m!.request);
              const what = `${t.name}: ${m!.note} (${m!.kind})\nrequest: ${show(m!.request)}\nanswer: ${a.status} ${show(a.body)}`;
              expect(a.error, `accepted: ${what}`).toBeInstanceOf(ElkApiError);
              if (m!.unauthenticated) {
                // The parameter is the key (queryKeyAuth): without it the gateway answers 401, as for any missing key.
                expect(a.error, what).toBeInstanceOf(AuthenticationError);
                report[t.name]!.invalid++;
                return;
              }
              expect([BadRequestError, UnprocessableEntityError].some((c) => a.error instanceof c), what).toBe(true);
              // Parameter names are matched without case (Prism reports header and query names in lower case).
              const param = m!.in !== "body";
              const message = param ? a.error!.message.toLowerCase() : a.error!.message;
              // Inside a union no validator can tell which branch was meant: there the error names the value that
              // matches no branch (the mutated field's parent), elsewhere the field itself.
              const names = [param ? m!.field.toLowerCase() : m!.field];
              if (!m!.definite && m!.path.length > 1) names.push(m!.path.slice(0, -1).join("."));
              const parentNamed = !m!.definite && a.error!.validation.some((v) => v.location.join(".") === ["body", ...m!.path.slice(0, -1)].join("."));
              expect(
                names.some((n) => message.includes(n)) || parentNamed,
                `the error does not name ${names.join(" or ")}: ${what}\n${a.error!.message.slice(0, 2000)}`,
              ).toBe(true);
              expect(a.error!.message).not.toContain(TEST_KEY);
              report[t.name]!.invalid++;
              report[t.name]!.kinds[m!.kind] = (report[t.name]!.kinds[m!.kind] ?? 0) + 1;
            }),
            params(INVALID),
          );
        });
      }

      const examples = examplesFor(t);
      if (t.bodyPointer && examples.length) {
        it(`its ${examples.length} request example(s), mutated one rule at a time, are refused by the spec's validator where the schema says`, () => {
          let tried = 0;
          for (const ex of examples) {
            for (const m of mutationsOf(t.bodyPointer!, ex.value, { multipart: t.media === "multipart/form-data" })) {
              tried++;
              const r = refusal(t.bodyPointer!, m);
              const what = `${t.name} example "${ex.name}": ${m.note}\n${r.errors.slice(0, 6).join("\n")}`;
              // Inside an object-level union another branch may take the mutated value; when refused, the
              // validator must still point at the field.
              if (m.definite) expect(r.refused, `not refused: ${what}`).toBe(true);
              if (r.refused) expect(r.located, `refused elsewhere: ${what}`).toBe(true);
            }
          }
          expect(tried, "no rule of the schema applies to its examples").toBeGreaterThan(0);
        });
      }
    });
  }
});

afterAll(() => {
  if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ seed: SEED, valid: VALID, invalid: INVALID, operations: report }, null, 2));
});
