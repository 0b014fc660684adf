// Per-layer scratch memory in the arena: operators that need working buffers beyond their tensors
// (the fused LSTM's four gate buffers) get a block the planner places like a tensor live only
// during that operator, under a key no tensor uses.
import { tensorElements, type Model, type Operator } from '../../core/model.js';
import { LSTM_SLOT } from './support-lstm.js';

/** The planner's key of an operator's scratch block: negative, and -1 stays "omitted tensor". */
export const scratchKey = (op: Operator): number => -2 - op.index;

/** Scratch bytes the operator's kernel needs (0: none). */
export function scratchBytes(model: Model, op: Operator): number {
  if (op.opcode !== 'UNIDIRECTIONAL_SEQUENCE_LSTM') return 0;
  // Four gate outputs of batch x state cells: int16 for int8 activations, float32 otherwise.
  const hidden = model.tensors[op.inputs[LSTM_SLOT.hiddenState]];
  if (!hidden) return 0;
  return 4 * tensorElements(hidden) * (hidden.dtype === 'int8' ? 2 : 4);
}
