// How many processes a stage may run at once. Inside a Slurm task the machine's cores are not
// all ours: Slurm grants `--cpus-per-task` (slurm.cpus) and says so in SLURM_CPUS_PER_TASK.
import { availableParallelism } from 'node:os';

export function coresGranted(env: NodeJS.ProcessEnv = process.env): number {
  const machine = availableParallelism();
  const granted = Number.parseInt(env.SLURM_CPUS_PER_TASK ?? '', 10);
  return Number.isInteger(granted) && granted > 0 ? Math.min(machine, granted) : machine;
}
