import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process's fields from /proc/<pid>/stat, or undefined once it has ended. */
function readStat(pid: number): { parent: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/**
 * A process and every descendant still running (PostgreSQL's backends, the
 * browser's renderers), with their CPU ticks so far. Linux only, like the
 * machines the benchmark runs on.
 */
function processTree(rootPid: number): { pid: number; ticks: number }[] {
  const children = new Map<number, { pid: number; ticks: number }[]>();
  let root: { pid: number; ticks: number } | undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const stat = readStat(pid);
    if (!stat) continue;
    if (pid === rootPid) root = { pid, ticks: stat.ticks };
    children.set(stat.parent, [...(children.get(stat.parent) ?? []), { pid, ticks: stat.ticks }]);
  }
  const tree = root ? [root] : [];
  for (let i = 0; i < tree.length; i++) tree.push(...(children.get(tree[i].pid) ?? []));
  return tree;
}

/** CPU seconds used so far by a process and its running descendants. */
export function treeCpuSeconds(rootPid: number): number {
  return processTree(rootPid).reduce((sum, p) => sum + p.ticks, 0) / TICKS_PER_SECOND;
}

/** Resident memory of a process and its running descendants, in MiB. */
export function treeRssMiB(rootPid: number): number {
  let kib = 0;
  for (const { pid } of processTree(rootPid)) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone meanwhile.
    }
  }
  return kib / 1024;
}

/** CPU seconds this process has used so far. */
export function ownCpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}
