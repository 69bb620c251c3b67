import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat's times: USER_HZ, 100 on Linux x86-64 and arm64. */
const TICKS_PER_S = 100;

/** CPU seconds (user + system, fields 14 and 15 of /proc/<pid>/stat, proc(5)); 0 once the process is gone. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** `pid` and all its descendants (cluster workers), from /proc/<pid>/task/<pid>/children. */
export function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    // gone, or no children file
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Pids whose command line (arguments joined by spaces, from /proc/<pid>/cmdline) satisfies `match`. */
export function pidsWhere(match: (cmdline: string) => boolean): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((d) => {
      try {
        return match(readFileSync(`/proc/${d}/cmdline`, 'utf8').replaceAll('\0', ' '));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Pids of the PostgreSQL server's processes (postmaster and backends): command line starting with `postgres`. */
export function postgresPids(): number[] {
  return pidsWhere((cmdline) => cmdline.startsWith('postgres'));
}

/** Pids of Redis servers (rate-limit counters, queues): command line starting with `redis-server`. */
export function redisPids(): number[] {
  return pidsWhere((cmdline) => cmdline.startsWith('redis-server'));
}

/**
 * Starts a CPU meter over the processes `pids()` lists (read again at the end, so backends that
 * appear meanwhile count from zero). Linux only: reads /proc. The returned function gives the CPU
 * seconds used since, by the processes still alive at the end.
 */
export function cpuMeter(pids: () => number[]): () => number {
  const start = new Map(pids().map((p) => [p, cpuSeconds(p)]));
  return () => pids().reduce((sum, p) => sum + cpuSeconds(p) - (start.get(p) ?? 0), 0);
}

/**
 * Meters the whole machine from /proc/stat (Linux). Returns a function that gives, since the call,
 * the cores busy on average (0 .. core count: all time but idle, iowait and steal, over the
 * elapsed time) and the cores the hypervisor stole on average (`steal`: time a virtual CPU was
 * ready to run but the host ran something else; on a shared host it slows whatever is running).
 */
export function machineBusyMeter(): () => { busy: number; stolen: number } {
  const read = (): { total: number; idle: number; steal: number } => {
    const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: ticks.reduce((a, b) => a + b, 0), idle: ticks[3] + ticks[4], steal: ticks[7] ?? 0 };
  };
  const start = read();
  const cores = cpus().length;
  return () => {
    const end = read();
    const total = end.total - start.total;
    if (total <= 0) return { busy: 0, stolen: 0 };
    const idle = end.idle - start.idle;
    const stolen = end.steal - start.steal;
    return { busy: (cores * (total - idle - stolen)) / total, stolen: (cores * stolen) / total };
  };
}
