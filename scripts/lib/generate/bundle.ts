/** Getting a bundled spec: from the working tree's openapi/, or from a git ref (its committed bundle, else its openapi/). */
import { existsSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { root, specRoot } from "../paths.js";
import { redocly, run, withoutBanner } from "../proc.js";
import type { Bundle } from "../spec.js";

/** `redocly bundle` of a root YAML to JSON, read back. */
export async function bundleSpec(rootFile: string = specRoot, cwd: string = root): Promise<Bundle> {
  const tmp = path.join(os.tmpdir(), `elkapi-bundle-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  try {
    const res = await redocly(["bundle", rootFile, "-o", tmp, "--ext", "json"], { cwd });
    if (res.code !== 0) throw new Error(`redocly bundle ${path.relative(cwd, rootFile)} failed:\n${withoutBanner(res.stdout + "\n" + res.stderr)}`);
    return JSON.parse(await readFile(tmp, "utf8")) as Bundle;
  } finally {
    await rm(tmp, { force: true });
  }
}

async function git(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return run("git", args, { cwd: root });
}

/** The commit a ref names; throws a readable error for an unknown ref. */
export async function resolveRef(ref: string): Promise<string> {
  const res = await git(["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (res.code !== 0) throw new Error(`unknown git ref "${ref}"`);
  return res.stdout.trim();
}

/** Where a spec came from, for the summary's heading. */
export interface LoadedSpec {
  label: string;
  bundle: Bundle;
}

/**
 * The bundled spec at `ref`: its committed generated/openapi.json, or, where that file is absent at the ref,
 * openapi/ at the ref bundled with the current Redocly.
 */
export async function specAtRef(ref: string): Promise<LoadedSpec> {
  const commit = await resolveRef(ref);
  const short = commit.slice(0, 9);
  const shown = await git(["show", `${commit}:generated/openapi.json`]);
  if (shown.code === 0) return { label: `${ref} (${short}, generated/openapi.json)`, bundle: JSON.parse(shown.stdout) as Bundle };
  const dir = await mkdtemp(path.join(os.tmpdir(), "elkapi-ref-"));
  try {
    const archive = path.join(dir, "spec.tar");
    const res = await git(["archive", "--format=tar", "-o", archive, commit, "openapi"]);
    if (res.code !== 0) throw new Error(`${ref} has neither generated/openapi.json nor openapi/`);
    const untar = await run("tar", ["-xf", archive, "-C", dir]);
    if (untar.code !== 0) throw new Error(`cannot unpack openapi/ of ${ref}: ${untar.stderr}`);
    // Lint config of the ref does not matter for bundling; resolve from the unpacked folder.
    return { label: `${ref} (${short}, openapi/ bundled)`, bundle: await bundleSpec(path.join(dir, "openapi/openapi.yaml"), dir) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The working tree's openapi/, bundled now (uncommitted edits included). */
export async function specOfWorkingTree(): Promise<LoadedSpec> {
  return { label: "working tree (openapi/ bundled now)", bundle: await bundleSpec() };
}

/** A git ref, or a spec file (`.json` read as a bundle, `.yaml`/`.yml` bundled) when such a file exists. */
export async function loadSpec(refOrFile: string): Promise<LoadedSpec> {
  const file = path.resolve(refOrFile);
  if (/\.(json|ya?ml)$/i.test(refOrFile) && existsSync(file) && statSync(file).isFile()) {
    const rel = path.relative(root, file);
    if (/\.json$/i.test(file)) return { label: rel, bundle: JSON.parse(await readFile(file, "utf8")) as Bundle };
    return { label: `${rel} (bundled)`, bundle: await bundleSpec(file, path.dirname(file)) };
  }
  return specAtRef(refOrFile);
}
