/**
 * Type-checking a generator's output as a user's project would: `strict`, a browser + ES2022 target, bundler
 * module resolution, packages from the folder's node_modules.
 */
import ts from "typescript";

/** Compiler options of the check (what `tsc --strict` in a fresh Vite or Next project uses). */
export function checkOptions(opts: { declarations?: boolean } = {}): ts.CompilerOptions {
  return {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    types: [],
    // A .d.ts output is the code under test, so it is checked; other outputs skip the packages' own .d.ts.
    skipLibCheck: !opts.declarations,
    skipDefaultLibCheck: true,
  };
}

/** A program over `files` and its error diagnostics, each as `file(line,col): TS<code> message`. */
export function typecheck(files: string[], opts: { declarations?: boolean } = {}): { program: ts.Program; errors: string[] } {
  const program = ts.createProgram(files, checkOptions(opts));
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
      if (!d.file || d.start === undefined) return `TS${d.code} ${text}`;
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
      return `${d.file.fileName}(${line + 1},${character + 1}): TS${d.code} ${text}`;
    });
  return { program, errors };
}
