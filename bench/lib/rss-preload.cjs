// Preloaded (node --require) into a child whose peak memory the bench wants: at exit it writes
// process.resourceUsage().maxRSS (KiB) to the file named by BENCH_RSS_FILE.
"use strict";
const fs = require("node:fs");
const file = process.env.BENCH_RSS_FILE;
if (file) {
  process.on("exit", () => {
    try {
      fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
    } catch {
      // the bench reports a missing figure
    }
  });
}
