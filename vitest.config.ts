import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["contract-tests/**/*.test.ts", "unit-tests/**/*.test.ts"],
    globalSetup: ["contract-tests/setup/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 90_000,
  },
});
