// A host recording as tflmc's recorder prints it: one fully-connected node, int8 [1,4] → [1,2].
import type { TflmcRecording } from '../../src/backends/tflm/tflmc-record.js';

const q = (scale: number, zero: number) => ({ scale: [scale], zeroPoint: [zero], quantizedDimension: 0, variable: false });

export const TFLMC_FC_RECORDING: TflmcRecording = {
  arenaUsed: 1193,
  subgraphs: 1,
  inputs: [0],
  outputs: [2],
  tensors: [
    { type: 9, dims: [1, 4], bytes: 4, arena: 0, model: null, ...q(0.5, 1) },
    { type: 9, dims: [2, 4], bytes: 8, arena: null, model: 32, ...q(0.125, 0) },
    { type: 9, dims: [1, 2], bytes: 2, arena: 8, model: null, ...q(0.25, -3) },
  ],
  nodes: [{ op: 'FULLY_CONNECTED', inputs: [0, 1, -1], outputs: [2], intermediates: [], options: [0, 0, 0, 0, 0] }],
};
