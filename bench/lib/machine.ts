/** Where and on what a benchmark ran: recorded next to every result. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, release, totalmem, type as osType, arch } from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${osType()} ${release()} ${arch()}`,
  };
}

/** Free memory right now, for the log (not recorded: it says nothing about the result). */
export function freeMemoryGiB(): number {
  return Math.round((freemem() / 2 ** 30) * 10) / 10;
}

/** `git rev-parse --short HEAD`, plus `-dirty` when the working tree has changes. */
export function gitCommit(cwd: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return status.trim() === '' ? commit : `${commit}-dirty`;
  } catch {
    return 'unknown';
  }
}

/** Machine-wide busy CPU time so far (Linux /proc/stat), in ms; undefined elsewhere. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'latin1').split('\n', 1)[0];
    // cpu  user nice system idle iowait irq softirq steal guest guest_nice (in USER_HZ = 1/100 s)
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return (user + nice + system + irq + softirq + steal) * 10;
  } catch {
    return undefined;
  }
}
