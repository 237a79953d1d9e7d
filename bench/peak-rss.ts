// Peak resident memory of the current process, for the benchmarks' fresh child processes.
// `process.resourceUsage().maxRSS` (getrusage's ru_maxrss) is not it on Linux: exec keeps the
// high-water mark of the image the child was forked from, so a child spawned by a parent holding
// 300 MB reports at least ~300 MB whatever it does. /proc/self/status VmHWM is the high-water mark
// of this process's own memory; maxRSS only where /proc is missing. `resetPeakRss` starts a new
// high-water mark (Linux clear_refs), to measure the phases of one run apart.
import { readFileSync, writeFileSync } from 'node:fs';

export function peakRssMiB(): number {
  try {
    const kib = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Number(kib) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Starts a new high-water mark from the current RSS; false where the system cannot. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
