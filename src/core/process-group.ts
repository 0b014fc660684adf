// Keeps every child of mlbench bounded, even when mlbench itself dies without a word (SIGKILL).
// Each child starts as the leader of its own process group (setsid), through two small wrappers
// from util-linux and coreutils when this machine has them:
//   setpriv --pdeathsig TERM   the child's group gets SIGTERM the moment mlbench dies, however;
//   timeout --kill-after=5s N  the group is ended at its wall-clock limit (SIGTERM, then SIGKILL
//                              5 s later) whether or not mlbench is still there to do it.
// While mlbench lives it ends a group itself (timeout, interrupt, exit): SIGTERM to the whole
// group, SIGKILL after a grace period, and SIGKILL to every group still alive when it exits.
import { whichSync } from './which.js';

/** Seconds between SIGTERM and SIGKILL when a group is ended. */
export const KILL_GRACE_S = 5;
/** The wrapper's own limit trails mlbench's timer so that mlbench, while alive, acts first. */
const WRAPPER_SLACK_S = 3;

const live = new Set<number>();
let hooked = false;

const SETPRIV = process.platform === 'linux' ? whichSync('setpriv') : undefined;
const TIMEOUT = whichSync('timeout');

/** What the bounded child's argv becomes: the wrappers that outlive mlbench, then the tool. */
export function boundedArgv(cmd: string, args: string[], limitMs: number): { file: string; args: string[]; wrapped: boolean } {
  let argv = [cmd, ...args];
  if (TIMEOUT) argv = [TIMEOUT, `--kill-after=${KILL_GRACE_S}s`, `${Math.ceil(limitMs / 1000) + WRAPPER_SLACK_S}s`, ...argv];
  if (SETPRIV) argv = [SETPRIV, '--pdeathsig', 'TERM', '--', ...argv];
  return { file: argv[0], args: argv.slice(1), wrapped: argv[0] !== cmd };
}

/** Exit status of `timeout` when it ended the command at its limit. */
export const WRAPPER_TIMEOUT_STATUS = 124;
/** The wrapper's limit for a child of `limitMs`, to tell its 124 from the tool's own. */
export function wrapperLimitMs(limitMs: number): number {
  return (Math.ceil(limitMs / 1000) + WRAPPER_SLACK_S) * 1000;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Records a live group (its leader's pid) so that it is ended if mlbench exits first. */
export function trackGroup(pgid: number): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const g of live) signalGroup(g, 'SIGKILL');
    });
  }
  live.add(pgid);
}

/** The leader exited: whatever it left in its group is an orphan and is killed now. */
export function untrackGroup(pgid: number): void {
  live.delete(pgid);
  signalGroup(pgid, 'SIGKILL');
}

/** Ends a group: SIGTERM to all of it, SIGKILL after the grace period if anything remains. */
export function endGroup(pgid: number): void {
  signalGroup(pgid, 'SIGTERM');
  setTimeout(() => signalGroup(pgid, 'SIGKILL'), KILL_GRACE_S * 1000).unref();
}

/** Groups still running (for tests and diagnostics). */
export function liveGroups(): number[] {
  return [...live];
}
