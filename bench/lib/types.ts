/** What a benchmark is, as the runner sees it. */
export interface BenchOptions {
  /** Measured seconds per run. */
  durationS: number;
  /** Warm-up seconds before each run (load applied, nothing counted). */
  warmupS: number;
  connections: number;
  /** Each server is measured `rounds` times, alternating which goes first. */
  rounds: number;
  /** Pin the server and the driver to one core each (taskset). */
  pin: boolean;
  /** Run the server under test with --cpu-prof and summarise the hot spots. */
  profile: boolean;
  /** Where profiles go. */
  profileDir: string;
  /** Project root (for source paths and git). */
  root: string;
  /**
   * The project root of another build (`--against=DIR`): benchmarks that support it also run
   * that build's server, in alternating rounds, for an A/B of a change. Such runs are not recorded.
   */
  against?: string;
}

export interface BenchOutcome {
  /** Recorded in bench/results/<name>.json. */
  figures: Record<string, unknown>;
  /** The settings that shaped the figures, recorded with them. */
  settings: Record<string, unknown>;
  /** Printed after the run. */
  report: string;
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions, log: (line: string) => void): Promise<BenchOutcome>;
}
