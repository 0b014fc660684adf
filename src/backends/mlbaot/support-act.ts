// Support checks of int8 MUL, LOGISTIC and TANH (support.ts asks): TFLite's LOGISTIC/TANH kernels
// are written for one fixed output quantization each, which converters always give them; MUL
// reads one scale per operand, constants included.
import type { Model, Operator } from '../../core/model.js';

const OUTPUT_QUANT: Record<string, { scale: number; zeroPoint: number; text: string }> = {
  LOGISTIC: { scale: 1 / 256, zeroPoint: -128, text: 'scale 1/256 and zero point -128' },
  TANH: { scale: 1 / 128, zeroPoint: 0, text: 'scale 1/128 and zero point 0' },
};

export function mulActivationProblems(model: Model, op: Operator, where: string): string[] {
  if (op.opcode === 'MUL') {
    const perChannel = op.inputs.map((i) => model.tensors[i]).filter((t) => t?.data && t.dtype === 'int8' && (t.quantization?.scale.length ?? 0) !== 1);
    return perChannel.map((t) => `${where}: int8 operand ${t.name} is a constant with per-channel quantization (only per-tensor is supported)`);
  }
  const want = OUTPUT_QUANT[op.opcode];
  const q = model.tensors[op.outputs[0]]?.quantization;
  if (!want || !q) return [];
  return Math.abs(q.scale[0] - want.scale) > 1e-9 || q.zeroPoint[0] !== want.zeroPoint ? [`${where}: int8 output must have ${want.text}`] : [];
}
