// Cuts a model into its operators, each one standing alone with its activations as model inputs,
// all side by side in one model. Fed with the oracle's intermediate tensors, this measures each
// kernel's own error instead of error that built up in the layers before it.
import type { Model, Tensor } from '../../core/model.js';

export interface IsolatedLayers {
  model: Model;
  /** For each operator (invoke order): original tensor index of each of its model inputs. */
  inputSources: number[][];
  /** For each operator: positions of its outputs among the isolated model's outputs. */
  outputPositions: number[][];
}

export function isolateOperators(model: Model): IsolatedLayers {
  const tensors: Tensor[] = [];
  const operators: Model['operators'] = [];
  const inputs: number[] = [];
  const outputs: number[] = [];
  const inputSources: number[][] = [];
  const outputPositions: number[][] = [];
  for (const op of model.operators) {
    const local = new Map<number, number>();
    const sources: number[] = [];
    const copy = (ix: number): number => {
      if (ix < 0) return ix;
      const seen = local.get(ix);
      if (seen !== undefined) return seen;
      const t = model.tensors[ix];
      const index = tensors.length;
      tensors.push({ ...t, index, name: `op${op.index}_${t.name}` });
      local.set(ix, index);
      return index;
    };
    const opInputs = op.inputs.map((ix) => {
      const isActivation = ix >= 0 && !model.tensors[ix].data && !local.has(ix);
      const n = copy(ix);
      if (isActivation) {
        inputs.push(n);
        sources.push(ix);
      }
      return n;
    });
    const opOutputs = op.outputs.map(copy);
    operators.push({ ...op, index: operators.length, inputs: opInputs, outputs: opOutputs });
    inputSources.push(sources);
    outputPositions.push(opOutputs.map((_, j) => outputs.length + j));
    outputs.push(...opOutputs);
  }
  return {
    model: { ...model, name: `${model.name}_isolated`, tensors, operators, inputs, outputs },
    inputSources,
    outputPositions,
  };
}
