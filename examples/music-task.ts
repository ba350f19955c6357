/**
 * A music task waited with progress: submits a Suno song in inspiration mode, shows each status as it changes,
 * then prints the audio URLs. The same call works for every task family (see README, "Waiting for tasks").
 * Run: ELKAPI_API_KEY=sk-... npx tsx examples/music-task.ts "an upbeat song about coffee"
 * (against the mock with moving states: npm run mock -- --lifecycle, ELKAPI_BASE_URL=http://127.0.0.1:4010).
 */
import { TaskFailedError, createElkClient, submitAndWait } from "elkapi";

const idea = process.argv[2] ?? "an upbeat indie-pop song about morning coffee";
const elk = createElkClient();

try {
  const done = await submitAndWait(
    elk,
    "submitSunoMusic",
    { body: { gpt_description_prompt: idea, make_instrumental: false, mv: "chirp-v4" } },
    {
      intervalMs: Number(process.env.POLL_MS ?? 5000),
      onProgress: (p) => console.log(`task ${p.handle.taskId}: ${String(p.status)}${p.progress === undefined ? "" : ` ${Math.round(p.progress * 100)}%`}`),
    },
  );
  console.log(`done after ${done.polls} polls:`);
  for (const url of done.results) console.log(url);
} catch (e) {
  if (e instanceof TaskFailedError) {
    console.error(`the task failed: ${e.reason ?? e.message}`);
    process.exitCode = 3;
  } else throw e;
}
