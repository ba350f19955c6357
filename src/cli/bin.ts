#!/usr/bin/env node
/** The `elkapi` executable: runs the CLI (main.ts) with the process's arguments; Ctrl-C interrupts a wait. */
import { run } from "./main.js";

const ac = new AbortController();
process.once("SIGINT", () => ac.abort());
process.exitCode = await run(process.argv.slice(2), ac.signal);
