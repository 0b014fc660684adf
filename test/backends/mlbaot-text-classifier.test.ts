// The GATHER/MEAN text classifier (int32 token ids in, src/frameworks/litert/text-classifier.ts)
// end to end: `mlbench flow run -f validate` on riscv_qemu, cortexm4_qemu and host_x86, int8 and
// float32, against LiteRT's outputs: int8 bit-exact (MEAN rescales in float as TensorFlow Lite does).
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { writeTextClassifierFolder } from '../../src/frameworks/litert/text-classifier.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc', 'gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (missing.length > 0) console.warn(`skipping the text classifier runs: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('GATHER/MEAN text classifier with int32 token ids', () => {
  it('validates against LiteRT on riscv_qemu, cortexm4_qemu and host_x86, int8 and float32', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mlb-textcls-'));
    const oracle = await loadOracle();
    const models = { int8: await writeTextClassifierFolder(dir, 'int8', oracle), float32: await writeTextClassifierFolder(dir, 'float32', oracle) };
    oracle.dispose();
    const home = tempHome();
    const lines: string[] = [];
    let session = 0;
    for (const [dtype, model] of Object.entries(models)) {
      for (const target of ['riscv_qemu', 'cortexm4_qemu', 'host_x86']) {
        const profile = target === 'riscv_qemu' ? ['-f', 'profile'] : [];
        const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', target, '-f', 'validate', ...profile]);
        expect(r.exitCode, r.stderr).toBe(0);
        const [row] = readCsv(join(home, 'sessions', String(++session), 'report.csv'));
        expect(row.Status, row.Reason).toBe('ok');
        expect(row.Validation, `${dtype} on ${target}`).toMatch(/^pass 2\/2/);
        lines.push(`${dtype} ${target}: ${row['Run Instructions']} instructions, ${row.Validation}`);
        if (profile.length === 0) continue;
        // One profile row per layer function, as for every other kernel.
        const runs = join(home, 'sessions', String(session), 'runs');
        const rows = readFileSync(join(runs, readdirSync(runs)[0], 'run', 'profile.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
        const layers = rows.filter(([name]) => name.startsWith('mlb_layer_'));
        expect(layers.map(([name]) => name)).toEqual(['mlb_layer_0_gather', 'mlb_layer_1_mean', 'mlb_layer_2_fully_connected', 'mlb_layer_3_softmax']);
        expect(rows.reduce((a, l) => a + Number(l[1]), 0)).toBe(Number(row['Run Instructions']));
        lines.push(...layers.map(([name, n]) => `  ${name} ${n}`));
      }
    }
    console.log(`text classifier run instructions:\n${lines.join('\n')}`);
  }, 900_000);
});
