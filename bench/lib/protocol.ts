/** Messages between the runner and its child processes (servers under test, load driver). */

/** What a server child is asked to be. */
export type ServerSpec =
  | { kind: 'stratus' }
  | {
      kind: 'bare';
      status: number;
      /** Header name/value pairs in wire order, without the ones node:http adds itself. */
      headers: [string, string][];
      /** Response body, base64. */
      body: string;
      keepAliveTimeoutMs: number;
    };

export type ToServer = { type: 'start'; spec: ServerSpec } | { type: 'cpu' } | { type: 'stop' };
export type FromServer =
  | { type: 'ready'; url: string; port: number }
  | { type: 'cpu'; user: number; system: number; at: number }
  | { type: 'failed'; error: string };

export interface LoadSpec {
  host: string;
  port: number;
  /** Complete request bytes (head and body), base64; sent as is on every request. */
  request: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}

export interface LoadResult {
  requests: number;
  durationMs: number;
  rps: number;
  errors: number;
  reconnects: number;
  /** Responses by status code. */
  statuses: Record<string, number>;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; max: number };
  /** Driver CPU time during the measured window, as a share of one core. */
  driverCpu: number;
}

export type FromDriver = { type: 'measuring' } | { type: 'measured' } | { type: 'result'; result: LoadResult } | { type: 'failed'; error: string };
