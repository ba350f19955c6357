/**
 * The client generators `npm run generators` checks the published bundle with, each run as its README tells a
 * user to run it (default settings), at the exact version package.json pins.
 */
import path from "node:path";
import { bin, root } from "../../paths.js";

/** How a generator's output names the type (or zod schema) of a component schema; see erased.ts. */
export type TypeLookup =
  /** `components["schemas"][name]` of openapi-typescript. */
  | "components"
  /** An exported type alias or interface named after the schema (case and punctuation may differ). */
  | "export"
  /** An exported zod schema `z<Name>`; its type is `z.infer<typeof zName>`. */
  | "zod";

/** One generator run. */
export interface Generator {
  /** Short id, also the output folder's name. */
  id: string;
  /** What a user would call it. */
  label: string;
  /** The command, relative to the work folder (`spec` is the bundle's path there). */
  command(spec: string): { bin: string; args: string[] };
  /**
   * Where the command runs: the temp work folder, or the checkout (openapi-typescript there reads the project's
   * redocly.yaml, as it does for a user who runs it in a clone).
   */
  cwd: "work" | "checkout";
  /** Output files to type-check, relative to the generator's folder. */
  typecheck: string[] | "all";
  /** Declaration output (.d.ts): type-checked with skipLibCheck off. */
  declarations?: boolean;
  lookup: TypeLookup;
  /** File holding the named types, relative to the generator's folder. */
  typesFile: string;
}

export const GENERATORS: readonly Generator[] = [
  {
    id: "openapi-typescript",
    label: "openapi-typescript",
    command: (spec) => ({ bin: bin("openapi-typescript"), args: [spec, "-o", "{out}/schema.d.ts"] }),
    cwd: "checkout",
    typecheck: ["schema.d.ts"],
    declarations: true,
    lookup: "components",
    typesFile: "schema.d.ts",
  },
  {
    id: "openapi-typescript-enum",
    label: "openapi-typescript --enum",
    command: (spec) => ({ bin: bin("openapi-typescript"), args: [spec, "--enum", "-o", "{out}/schema.ts"] }),
    cwd: "checkout",
    typecheck: ["schema.ts"],
    lookup: "components",
    typesFile: "schema.ts",
  },
  {
    id: "hey-api",
    label: "@hey-api/openapi-ts",
    command: (spec) => ({ bin: bin("openapi-ts"), args: ["-i", spec, "-o", "{out}"] }),
    cwd: "work",
    typecheck: "all",
    lookup: "export",
    typesFile: "types.gen.ts",
  },
  {
    id: "hey-api-zod",
    label: "@hey-api/openapi-ts with zod",
    command: (spec) => ({ bin: bin("openapi-ts"), args: ["-i", spec, "-o", "{out}", "-p", "@hey-api/client-fetch", "@hey-api/typescript", "@hey-api/sdk", "zod"] }),
    cwd: "work",
    typecheck: "all",
    lookup: "zod",
    typesFile: "zod.gen.ts",
  },
  {
    id: "orval",
    label: "orval (fetch client)",
    command: (spec) => ({ bin: bin("orval"), args: ["-i", spec, "-o", "{out}/client.ts", "--client", "fetch"] }),
    cwd: "work",
    typecheck: "all",
    lookup: "export",
    typesFile: "client.ts",
  },
  {
    id: "oazapfts",
    label: "oazapfts",
    command: (spec) => ({ bin: bin("oazapfts"), args: [spec, "{out}/client.ts"] }),
    cwd: "work",
    typecheck: "all",
    lookup: "export",
    typesFile: "client.ts",
  },
];

/** The command line as a user would type it, for reports and the README (`elkapi/openapi.json` as input). */
export function commandLine(g: Generator, spec = "openapi.json", out = "out"): string {
  const { bin: b, args } = g.command(spec);
  return [path.basename(b), ...args.map((a) => a.replace("{out}", out))].join(" ");
}

export { root };
