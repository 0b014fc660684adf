// `profile`: per-layer instruction counts of the run region. The QEMU plugin attributes every
// instruction to the most recently entered layer function (BuildArtifact.layerFunctions);
// RunArtifact.profile holds the counts. Other targets ignore it.
import type { Feature } from '../core/component.js';

export const profileFeature: Feature = {
  name: 'profile',
  kind: 'feature',
  description: 'per-layer instruction counts of the run region (QEMU targets)',
  appliesTo: ['platform', 'target'],
  config: [],
};
