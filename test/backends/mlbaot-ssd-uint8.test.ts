// The uint8 SSD-style detector (uint8 edges and weights, CONCATENATION of heads, detection
// post-process) run end to end with -f validate against LiteRT on RISC-V, Cortex-M4 and the host.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { whichSync } from '../../src/core/which.js';
import { loadOracle } from '../../src/frameworks/litert/oracle.js';
import { writeZooModel } from '../../src/frameworks/litert/zoo-model.js';
import { ssdUint8Model } from '../../src/frameworks/litert/zoo-ssd-uint8.js';
import { mlbench, readCsv, tempHome } from '../e2e/cli-helpers.js';

const tools = ['qemu-system-riscv32', 'qemu-system-arm', 'riscv64-unknown-elf-gcc', 'arm-none-eabi-gcc', 'gcc'];
const missing = tools.filter((t) => !whichSync(t));
if (missing.length > 0) console.warn(`skipping the uint8 SSD target runs: ${missing.join(', ')} not installed`);

describe.skipIf(missing.length > 0)('uint8 SSD-style detector on mlbaot', () => {
  it('validates against LiteRT on riscv_qemu, cortexm4_qemu and host_x86', async () => {
    const oracle = await loadOracle();
    const model = await writeZooModel(ssdUint8Model, mkdtempSync(join(tmpdir(), 'mlb-ssd-')), oracle);
    oracle.dispose();
    const home = tempHome();
    const r = await mlbench(home, ['flow', 'run', model, '-b', 'mlbaot', '-t', 'riscv_qemu', '-t', 'cortexm4_qemu', '-t', 'host_x86', '-f', 'validate']);
    expect(r.exitCode, r.stderr).toBe(0);
    const rows = readCsv(join(home, 'sessions', '1', 'report.csv'));
    expect(rows.map((row) => row.Target).sort()).toEqual(['cortexm4_qemu', 'host_x86', 'riscv_qemu']);
    for (const row of rows) {
      expect(row.Status, row.Reason).toBe('ok');
      expect(row.Validation).toBe('pass 2/2');
    }
    console.log(`ssd_uint8 run instructions: ${rows.map((row) => `${row.Target} ${row['Run Instructions']}`).join(', ')}`);
  }, 600_000);
});
