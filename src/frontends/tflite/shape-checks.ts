// Shape consistency of the operators whose shapes the summary and the backends compute with.
// A damaged dimension or stride that stays in range would otherwise give wrong MACs, wrong
// buffer sizes in generated code, or out-of-bounds reads in a kernel.
import type { Model, Operator } from '../../core/model.js';

/** Output size of a windowed operator along one axis, as TFLite computes it. */
export function windowOutput(padding: 'SAME' | 'VALID', input: number, filter: number, stride: number, dilation: number): number {
  const effective = (filter - 1) * dilation + 1;
  return padding === 'SAME' ? Math.ceil(input / stride) : Math.ceil((input - effective + 1) / stride);
}

function elements(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Problems with one operator's shapes, empty when consistent. */
export function shapeProblems(model: Model, op: Operator): string[] {
  const shapeOf = (ix: number | undefined): number[] | undefined =>
    ix === undefined || ix < 0 ? undefined : model.tensors[ix].shape;
  const input = shapeOf(op.inputs[0]);
  const filter = shapeOf(op.inputs[1]);
  const bias = shapeOf(op.inputs[2]);
  const out = shapeOf(op.outputs[0]);
  const problems: string[] = [];
  const need = (cond: boolean, what: string): void => {
    if (!cond) problems.push(what);
  };
  const fmt = (s: number[] | undefined): string => `[${(s ?? []).join(', ')}]`;
  const o = op.options;

  const spatial = (kH: number, kW: number, strideH: number, strideW: number, dilH: number, dilW: number, padding: 'SAME' | 'VALID'): void => {
    if (!input || !out) return;
    const h = windowOutput(padding, input[1], kH, strideH, dilH);
    const w = windowOutput(padding, input[2], kW, strideW, dilW);
    need(out[1] === h && out[2] === w, `output ${fmt(out)} does not follow from input ${fmt(input)}, window ${kH}x${kW}, stride ${strideH}x${strideW}, ${padding} padding (expected ${h}x${w})`);
    need(out[0] === input[0], `batch of output ${fmt(out)} differs from input ${fmt(input)}`);
  };

  if (op.opcode === 'CONV_2D' && o.kind === 'conv2d' && input && filter && out) {
    need(filter[0] === out[3], `filter ${fmt(filter)} does not produce the ${out[3]} output channels of ${fmt(out)}`);
    need(filter[3] > 0 && input[3] % filter[3] === 0, `filter ${fmt(filter)} does not divide the ${input[3]} input channels`);
    if (bias) need(elements(bias) === out[3], `bias ${fmt(bias)} does not match ${out[3]} output channels`);
    spatial(filter[1], filter[2], o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding);
  } else if (op.opcode === 'DEPTHWISE_CONV_2D' && o.kind === 'depthwise_conv2d' && input && filter && out) {
    need(filter[3] === out[3], `filter ${fmt(filter)} does not produce the ${out[3]} output channels of ${fmt(out)}`);
    need(input[3] > 0 && out[3] % input[3] === 0, `output channels of ${fmt(out)} are not a multiple of the input's ${input[3]}`);
    if (bias) need(elements(bias) === out[3], `bias ${fmt(bias)} does not match ${out[3]} output channels`);
    spatial(filter[1], filter[2], o.strideH, o.strideW, o.dilationH, o.dilationW, o.padding);
  } else if (o.kind === 'pool2d' && input && out) {
    need(out[3] === input[3], `pooling changes channels from ${input[3]} to ${out[3]}`);
    spatial(o.filterHeight, o.filterWidth, o.strideH, o.strideW, 1, 1, o.padding);
  } else if (op.opcode === 'FULLY_CONNECTED' && input && filter && out) {
    const [units, depth] = filter;
    need(depth > 0 && elements(input) % depth === 0, `input ${fmt(input)} is not a whole number of rows of ${depth} (weights ${fmt(filter)})`);
    if (depth > 0) need(elements(out) === (elements(input) / depth) * units, `output ${fmt(out)} does not match input ${fmt(input)} times weights ${fmt(filter)}`);
    if (bias) need(elements(bias) === units, `bias ${fmt(bias)} does not match ${units} units`);
  }
  return problems;
}
