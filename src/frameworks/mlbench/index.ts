// The mlbench framework: our own kernel library plus the mlbaot code generator. It ships as
// C sources in the package, so a C compiler (the target's) is all it needs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Availability, Framework } from '../../core/component.js';
import { pkgPath } from '../../core/paths.js';

const KERNEL_DIR = pkgPath('src/frameworks/mlbench/kernels');

export const mlbenchFramework: Framework = {
  name: 'mlbench',
  kind: 'framework',
  description: "mlbench's own header-only int8 kernel library (TFLM reference math) used by the mlbaot backend",
  config: [],
  backends: ['mlbaot'],
  async availability(): Promise<Availability> {
    const header = join(KERNEL_DIR, 'mlb_kernels.h');
    return existsSync(header)
      ? { usable: true, missing: [] }
      : { usable: false, missing: [`kernel library ${header}`], howToGet: 'reinstall mlbench (the package is incomplete)' };
  },
};
