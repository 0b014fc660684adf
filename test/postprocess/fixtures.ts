// Report rows like a real sweep produces: 2 models x 2 backends on host_x86, one failed run.
import type { ReportRow } from '../../src/flow/report.js';

export function run(id: string, model: string, backend: string, metrics: Partial<Record<string, number | string>>, extra: Partial<ReportRow> = {}): ReportRow {
  const row: ReportRow = {
    Session: '7',
    Run: id,
    Model: model,
    Frontend: 'tflite',
    Framework: backend === 'tflmi' ? 'litert' : 'mlbench',
    Backend: backend,
    Platform: 'mlif',
    Target: 'host_x86',
    Features: '',
    Config: '',
    Status: 'ok',
    'Failed Stage': '',
    Reason: '',
  };
  for (const [k, v] of Object.entries(metrics)) if (v !== undefined) row[k] = v;
  return { ...row, ...extra } as ReportRow;
}

export function sweep(): ReportRow[] {
  return [
    run('0', 'aww', 'mlbaot', { 'Run Instructions': 1000, 'ROM Total': 5000, 'RAM Total': 2000, Validation: 'true', 'Build s': 1.5 }),
    run('1', 'aww', 'tflmi', { 'Run Instructions': 1500, 'ROM Total': 9000, 'RAM Total': 3000, Validation: 'true', 'Build s': 2.5 }),
    run('2', 'vww', 'mlbaot', { 'Run Instructions': 4000, 'ROM Total': 20000, 'RAM Total': 8000, Validation: 'true' }),
    run('3', 'vww', 'tflmi', { 'Run Instructions': '', 'ROM Total': '', 'RAM Total': '' }, {
      Status: 'failed',
      'Failed Stage': 'compile',
      Reason: 'does not fit: RAM 300000 > 262144 (log: runs/3/compile/log.txt)',
    }),
  ];
}
