/** `npm run build`: lint, then generate. Prints each step and its time; stops at the first failure. */
import { generate } from "./generate.js";
import { lint } from "./lint.js";

const steps: [string, () => Promise<boolean>][] = [
  ["lint", lint],
  [
    "generate",
    async () => {
      await generate();
      return true;
    },
  ],
];

let ok = true;
for (const [name, step] of steps) {
  const started = performance.now();
  console.log(`build: ${name} ...`);
  try {
    ok = await step();
  } catch (e) {
    console.error(`${name}: ${(e as Error).message}`);
    ok = false;
  }
  const ms = Math.round(performance.now() - started);
  console.log(`build: ${name} ${ok ? "done" : "FAILED"} in ${ms} ms`);
  if (!ok) break;
}
process.exitCode = ok ? 0 : 1;
