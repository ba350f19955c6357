import { fileURLToPath } from "node:url";
import path from "node:path";

/** Absolute paths the pipeline scripts share. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const specRoot = path.join(root, "openapi/openapi.yaml");
export const generatedDir = path.join(root, "generated");
export const bin = (name: string): string => path.join(root, "node_modules/.bin", name);
