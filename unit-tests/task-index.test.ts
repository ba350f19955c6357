/**
 * The task rules waitForTask loads by family (generated/task-index.ts, generated/tasks/<family>.ts): every
 * submit and query is found in its family with its route, a submit's poll sits in the same family (pollInit looks
 * for the submits of a poll there), and the families together are exactly the whole table (generated/tasks.ts).
 */
import { describe, expect, it } from "vitest";
import { type TaskFamilyRules, loadTaskFamily, taskQueryFamilies, taskSubmitFamilies } from "../generated/task-index.js";
import { taskQueries, taskRoutes, taskSubmits } from "../generated/tasks.js";

const families = [...new Set([...Object.values(taskSubmitFamilies), ...Object.values(taskQueryFamilies)])];
const load = async () => new Map<string, TaskFamilyRules>(await Promise.all(families.map(async (f) => [f, await loadTaskFamily(f)] as const)));

describe("task rules by family", () => {
  it("lists every submit and query of the table, in its order", () => {
    expect(Object.keys(taskSubmitFamilies)).toEqual(Object.keys(taskSubmits));
    expect(Object.keys(taskQueryFamilies)).toEqual(Object.keys(taskQueries));
  });

  it("finds each submit, its poll and both routes in the submit's family", async () => {
    const rules = await load();
    for (const [id, family] of Object.entries(taskSubmitFamilies)) {
      const f = rules.get(family)!;
      const poll = f.submits[id]?.poll;
      expect(f.submits[id], id).toEqual((taskSubmits as Record<string, unknown>)[id]);
      expect(taskQueryFamilies[poll!], `${id} polls ${poll}`).toBe(family);
      expect([f.routes[id], f.routes[poll!]], id).toEqual([taskRoutes[id], taskRoutes[poll!]]);
    }
    for (const [id, family] of Object.entries(taskQueryFamilies)) {
      expect(rules.get(family)!.queries[id], id).toEqual((taskQueries as Record<string, unknown>)[id]);
      expect(rules.get(family)!.routes[id], id).toBe(taskRoutes[id]);
    }
  });

  it("holds nothing beyond the table, and refuses an unknown family", async () => {
    const rules = [...(await load()).values()];
    expect(rules.flatMap((r) => Object.keys(r.submits)).sort()).toEqual(Object.keys(taskSubmits).sort());
    expect(rules.flatMap((r) => Object.keys(r.queries)).sort()).toEqual(Object.keys(taskQueries).sort());
    await expect(loadTaskFamily("nope")).rejects.toThrow(/no task family nope/);
  });
});
