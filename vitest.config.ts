import { defineConfig } from "vitest/config";

// Two projects: `unit` (the client's modules and the mock's rules alone; no Prism) and `contract` (its global
// setup starts the mock: Prism behind the front). `vitest run --project unit` runs in seconds.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 90_000,
    projects: [
      { extends: true, test: { name: "unit", include: ["unit-tests/**/*.test.ts", "mock/test/**/*.test.ts"] } },
      { extends: true, test: { name: "contract", include: ["contract-tests/**/*.test.ts"], globalSetup: ["contract-tests/setup/global-setup.ts"] } },
    ],
  },
});
