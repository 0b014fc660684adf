// Simulators whose tools are absent here (ETISS, Spike); the FVP runner is used by corstone300.
import type { Target } from '../../core/component.js';
import { etissTarget } from './etiss.js';
import { spikeTarget } from './spike.js';

export { etissTarget, spikeTarget };
export const externalTargets: Target[] = [etissTarget, spikeTarget];
