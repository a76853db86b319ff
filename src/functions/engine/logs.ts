import { randomBytes } from 'node:crypto';
import type { LogEvent } from './types.js';

/**
 * The platform's own log lines and log stream names, in the formats CloudWatch shows for Lambda.
 *
 * Recorded AWS output (sources below) gives the shapes:
 * - `START RequestId: <id> Version: <version>` and `END RequestId: <id>`;
 * - `REPORT RequestId: <id>\tDuration: 3071.27 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\t
 *   Max Memory Used: 21 MB\t`, with `Init Duration: 333.05 ms\t` appended on a cold start
 *   (alexa-samples/skill-sample-nodejs-smarthome-switch#18, brianleroux gist of a 2022 REPORT,
 *   open-telemetry/opentelemetry-lambda#2011). Fields are tab separated and the line ends in a tab.
 * - Billed duration is the duration rounded up to the next millisecond (1 ms granularity since
 *   Dec 2020) and, since August 2025, includes the init duration on a cold start: the 2025 REPORT in
 *   opentelemetry-lambda#2011 bills 662 ms for Duration 395.99 ms + Init Duration 265.72 ms.
 * - A timeout logs `<ISO time> <id> Task timed out after 3.00 seconds`; a crashed runtime logs
 *   `RequestId: <id> Error: Runtime exited with error: exit status 1` then `Runtime.ExitError`
 *   (cargo-lambda/cargo-lambda#572, aws/aws-lambda-dotnet#480).
 * - Stream names are `YYYY/MM/DD/[<version>]<32 hex digits>`, one per execution environment
 *   (Lambda Developer Guide, "Sending Lambda function logs to CloudWatch Logs").
 */

export function logStreamName(version: string, now: number): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`;
}

export function startLine(requestId: string, version: string): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

export interface ReportFields {
  requestId: string;
  durationMs: number;
  billedDurationMs: number;
  memorySizeMb: number;
  maxMemoryUsedMb: number;
  initDurationMs?: number;
  /** `timeout` or `error` (with the error type) when the invocation did not complete. */
  status?: { status: 'timeout' } | { status: 'error'; errorType: string };
}

export function reportLine(f: ReportFields): string {
  let line =
    `REPORT RequestId: ${f.requestId}\tDuration: ${f.durationMs.toFixed(2)} ms\tBilled Duration: ${f.billedDurationMs} ms\t` +
    `Memory Size: ${f.memorySizeMb} MB\tMax Memory Used: ${f.maxMemoryUsedMb} MB\t`;
  if (f.initDurationMs !== undefined) line += `Init Duration: ${f.initDurationMs.toFixed(2)} ms\t`;
  if (f.status?.status === 'timeout') line += 'Status: timeout\t';
  if (f.status?.status === 'error') line += `Status: error\tError Type: ${f.status.errorType}\t`;
  return line;
}

export function initReportLine(initDurationMs: number, errorType: string): string {
  return `INIT_REPORT Init Duration: ${initDurationMs.toFixed(2)} ms\tPhase: init\tStatus: error\tError Type: ${errorType}`;
}

/**
 * Of the durations as the REPORT line prints them (to 0.01 ms), so that the line adds up for
 * whoever reads it: 10.004 + 51.999 ms print as 10.00 + 52.00 and bill 62, not 63. Counted in
 * hundredths, whole numbers, so that no floating-point sum lands a hair over a millisecond.
 */
export function billedDuration(durationMs: number, initDurationMs: number | undefined): number {
  const hundredths = Math.round(durationMs * 100) + Math.round((initDurationMs ?? 0) * 100);
  return Math.max(1, Math.ceil(hundredths / 100));
}

export const LOG_TAIL_BYTES = 4096;

/** The last 4 KB of the invocation's log, cut at a character boundary (Invoke, LogType Tail). */
export function logTail(events: LogEvent[]): string {
  const text = events.map((e) => `${e.message}\n`).join('');
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= LOG_TAIL_BYTES) return text;
  let start = bytes.length - LOG_TAIL_BYTES;
  // Skip UTF-8 continuation bytes so the tail starts on a whole character.
  while (start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
  return bytes.subarray(start).toString('utf8');
}

/**
 * Splits a child's output stream into log events, one per line. Runtimes write a multi-line
 * message (a stack trace, a formatted object) as one line with `\r` in place of each `\n`, as the
 * AWS Node.js runtime does on stdout; the event gets its newlines back.
 */
export class LineSplitter {
  private partial = '';

  constructor(private readonly emit: (message: string) => void) {}

  push(chunk: string): void {
    const text = this.partial + chunk;
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (nl < 0) break;
      this.emit(restoreNewlines(text.slice(from, nl)));
      from = nl + 1;
    }
    this.partial = text.slice(from);
  }

  /** Emits a trailing line that had no newline (at process exit). */
  flush(): void {
    if (this.partial.length > 0) this.emit(restoreNewlines(this.partial));
    this.partial = '';
  }
}

function restoreNewlines(line: string): string {
  const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
  return trimmed.includes('\r') ? trimmed.replace(/\r/g, '\n') : trimmed;
}
