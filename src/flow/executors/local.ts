// The local executor: today's scheduler, a pool of -j runs in this process.
import { runSession } from '../scheduler.js';
import type { Executor } from './executor.js';

export const localExecutor: Executor = {
  name: 'local',
  canDetach: false,
  async check() {},
  runSession: (session, record, o) => runSession(session, record, o),
};
