import { it } from 'vitest';
import { buildShared, compareWithReference } from '/work/main/test/backends/reference-helpers.js';
it('smoke', async () => {
  for (const m of (process.env.M ?? 'aww').split(',')) {
    const b = buildShared(m);
    console.log(m, b.dir, b.build.arenaBytes, b.simpleLivenessPeak);
    const c = await compareWithReference(b, m, 10);
    console.log(JSON.stringify(c.filter((x) => x.mismatches > 0)), c.length);
  }
}, 120000);
