/**
 * What a server process spends over a window, from its own accounting: CPU time (all threads, its
 * `process.cpuUsage()` as the server child reports it), wake-ups (voluntary context switches of
 * all its threads, from /proc: a thread that blocks and is woken again counts one) and, for the
 * machine as a whole, the busy CPU time of everything else (/proc/stat, less the server and this
 * process), so a run can say how loaded the machine was while it measured.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { CpuSample } from './children.js';
import { machineBusyMs } from './machine.js';

export interface UsageSample {
  /** Server CPU time, µs. */
  cpuUs: number;
  /** Voluntary context switches of all the server's threads so far (NaN without /proc). */
  wakeups: number;
  /** This process's CPU time, µs. */
  selfCpuUs: number;
  /** Machine-wide busy CPU time, ms (undefined without /proc/stat). */
  machineBusyMs: number | undefined;
  /** performance.now() here, ms. */
  at: number;
}

export interface UsageDelta {
  wallMs: number;
  cpuUs: number;
  wakeups: number;
  /** CPU used by everything but the server and this process, in cores (NaN without /proc/stat). */
  otherCores: number;
}

export async function sampleUsage(server: { pid: number; cpu(): Promise<CpuSample> }): Promise<UsageSample> {
  const { cpu } = await server.cpu();
  const self = process.cpuUsage();
  return { cpuUs: cpu, wakeups: voluntarySwitches(server.pid), selfCpuUs: self.user + self.system, machineBusyMs: machineBusyMs(), at: performance.now() };
}

export function usageBetween(from: UsageSample, to: UsageSample): UsageDelta {
  const wallMs = to.at - from.at;
  const cpuUs = to.cpuUs - from.cpuUs;
  const selfUs = to.selfCpuUs - from.selfCpuUs;
  const busyMs = from.machineBusyMs !== undefined && to.machineBusyMs !== undefined ? to.machineBusyMs - from.machineBusyMs : NaN;
  // /proc/stat counts in 10 ms ticks: over a few seconds that is a rough figure, and never below 0.
  const otherCores = Math.max(0, (busyMs - (cpuUs + selfUs) / 1000) / wallMs);
  return { wallMs, cpuUs, wakeups: to.wakeups - from.wakeups, otherCores };
}

/** Sum of voluntary_ctxt_switches over every thread of `pid`; NaN where /proc is not there. */
export function voluntarySwitches(pid: number): number {
  let total = 0;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return NaN;
  }
  for (const task of tasks) {
    try {
      const status = readFileSync(`/proc/${pid}/task/${task}/status`, 'latin1');
      const match = /^voluntary_ctxt_switches:\s+(\d+)/m.exec(status);
      if (match) total += Number(match[1]);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return total;
}
