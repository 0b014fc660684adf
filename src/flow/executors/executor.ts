// What runs a session's runs. Every executor gets the session as the submitting machine made
// it (runs expanded, session.json written, lock held) and returns the same outcome: which runs
// have a result now. Each run always executes the same way — executeRun in its own run folder,
// result.json written atomically — whether in this process (local) or as `mlbench flow
// exec-run` on a cluster node (slurm); only who starts it differs.
import type { ConfigRecord } from '../../core/config.js';
import type { ScheduleOptions, SessionOutcome } from '../scheduler.js';
import type { SessionDir, SessionRecord } from '../session.js';
import type { ExecutorName } from './keys.js';

export interface ExecutorOptions extends ScheduleOptions {
  /** The session's executor keys (`slurm.time`, ...), validated. */
  settings: ConfigRecord;
  /** Submit and return without waiting (`--detach`); only executors with `canDetach`. */
  detach: boolean;
  /** `sessions wait`: follow what was submitted earlier, start nothing new. */
  watchOnly: boolean;
}

export interface Executor {
  readonly name: ExecutorName;
  /** Whether its runs go on without mlbench (`--detach`, `sessions wait`). */
  readonly canDetach: boolean;
  /** Refuses (MlbenchError) before any session exists: missing client tools, bad settings. */
  check(settings: ConfigRecord): Promise<void>;
  /** Runs (or follows) every run of the session that has no final result. */
  runSession(session: SessionDir, record: SessionRecord, o: ExecutorOptions): Promise<SessionOutcome>;
  /** One line about runs in flight for `sessions show`, when the executor knows more than the result files. */
  describe?(session: SessionDir, record: SessionRecord): Promise<string | undefined>;
}
