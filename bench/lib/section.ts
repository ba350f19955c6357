/** What every bench section module exports. */

/** Options every section gets from bench/run.ts. */
export interface RunOptions {
  /** One round and tiny durations: checks the bench end to end, the figures mean little. */
  quick: boolean;
  /** Prints a progress line (to stderr, so the tables stay readable on stdout). */
  progress(message: string): void;
}

/** A bench section: measures, and renders its results as text. */
export interface BenchSection<T> {
  title: string;
  run(opts: RunOptions): Promise<T>;
  print(result: T): string;
}
