// The command a Slurm task runs: this node binary and this mlbench, on the same home. The nodes
// must see both at the same paths (a shared file system or the same install).
import { pkgPath } from '../../../core/paths.js';
import type { Environment } from '../../environment.js';
import type { SessionDir } from '../../session.js';

/** `node <mlbench> flow exec-run --home HOME SESSION ...`: sbatch's script arguments, never a shell string. */
export function mlbenchCommand(env: Environment, session: SessionDir, args: string[]): string[] {
  return [process.execPath, pkgPath('bin', 'mlbench.js'), 'flow', 'exec-run', '--home', env.home, session.id, ...args];
}
