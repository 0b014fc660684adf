// The `mlbench` command line (yargs). Each command's work lives in its own module.
import { availableParallelism } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { MlbenchError, errorMessage } from '../core/errors.js';
import { FAULT_EXIT_CODE, machineFaultOf } from '../flow/faults.js';
import { STAGES, type StageName } from '../flow/matrix.js';
import { Registry } from '../flow/registry.js';
import { extractGenGroups } from './argv.js';
import { flowResume, flowRun, flowWait } from './flow.js';
import { execRunCommand } from './exec-run.js';
import { EXECUTOR_NAMES } from '../flow/executors/keys.js';
import { envCommand } from './env.js';
import { exportCommand } from './export.js';
import { initCommand, modelsCommand } from './models.js';
import { sessionsCommand } from './sessions.js';
import { setupCommand } from './setup.js';
import { compareLayersCommand } from './compare-layers.js';
import { reportCommand } from './report.js';
import { postprocessNames, splitPostprocessConfig } from '../postprocess/index.js';

const STAGE_HELP: Record<StageName, string> = {
  load: 'read and check the models (stop after load)',
  tune: 'load, then tune the backend (autotuning; stop after tune)',
  build: 'load (and tune, with -f autotune), then generate the model code (stop after build)',
  compile: 'build, then compile for the targets; reports ROM/RAM (stop after compile)',
  run: 'compile, then run on the targets; reports instructions, ROM, RAM, validation',
};

/**
 * A whole-number option checked like a config value: `-j 0`, `-j -3`, `-j 1.5` or `--keep -1` are
 * refused (exit 2) instead of being bent into something that runs.
 */
const wholeNumber =
  (flag: string, min: number) =>
  (v: unknown): number | undefined => {
    if (v === undefined) return undefined;
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isInteger(n) || n < min) {
      throw new MlbenchError('config', `invalid value ${typeof v === 'number' ? String(v) : JSON.stringify(v)} for ${flag}: expected a whole number >= ${min}`);
    }
    return n;
  };

/** `-j N`, or `-j` / `-j all` alone for every core (MLonMCU's bare `--parallel`). */
function parallelOption(v: unknown): number | undefined {
  if (v === 'all' || v === '') return availableParallelism();
  return wholeNumber('-j/--parallel', 1)(v);
}

interface GlobalArgs {
  home?: string;
  json?: boolean;
}

function flowOptions<T>(y: Argv<T>) {
  return y
    .positional('models', { type: 'string', array: true, describe: 'model names, groups (tinymlperf, minimal) or .tflite files' })
    .option('backend', { alias: 'b', type: 'string', array: true, default: [] as string[], describe: 'backend(s); default from the environment (mlbaot)' })
    .option('target', { alias: 't', type: 'string', array: true, default: [] as string[], describe: 'target(s); default host_x86' })
    .option('platform', { type: 'string', array: true, default: [] as string[], describe: 'platform(s); default mlif' })
    .option('feature', { alias: 'f', type: 'string', array: true, default: [] as string[], describe: 'feature(s) for every run, e.g. validate' })
    .option('config', { alias: 'c', type: 'string', array: true, describe: 'component.key=value for every run (repeatable)' })
    .option('feature-gen', { type: 'string', array: true, describe: 'one feature variant per occurrence ("_" = none); variants multiply' })
    .option('config-gen', { type: 'string', array: true, describe: 'one config variant per occurrence (several key=value allowed); variants multiply' })
    .option('parallel', { alias: 'j', type: 'string', coerce: parallelOption, describe: 'runs at once (default, and -j alone: number of cores)' })
    .option('progress', { type: 'boolean', default: false, describe: 'live progress bar (plain lines when not a terminal)' })
    .option('label', { type: 'string', describe: 'a label stored with the session; the report is also copied to <home>/results/<label>.csv' })
    .option('dest', { type: 'string', describe: 'also export the finished session to DIR (a folder, .zip, .tar or .tar.gz), as `mlbench export DIR` does' })
    .option('executor', { type: 'string', choices: EXECUTOR_NAMES, describe: 'what runs the runs: local (default) or slurm (one job array; see slurm.* keys)' })
    .option('detach', { type: 'boolean', default: false, describe: 'slurm: submit and return; follow with `sessions show/wait ID`' })
    .option('postprocess', { type: 'string', array: true, default: [] as string[], describe: 'postprocess(es) for the report, configured by -c NAME.key=value (see `mlbench report postprocesses`)' });
}

export async function main(rawArgv: string[]): Promise<number> {
  try {
    return await parseAndRun(rawArgv);
  } catch (caught) {
    // A full disk or a read-only folder met outside a session still gets its one line.
    const e = machineFaultOf(caught) ?? caught;
    const code = e instanceof MlbenchError && e.kind === 'fault' ? FAULT_EXIT_CODE : e instanceof MlbenchError && e.kind !== 'config' ? 3 : 2;
    process.stderr.write(`mlbench: ${errorMessage(e)}\n`);
    const verbose = rawArgv.includes('-v') || rawArgv.includes('--verbose');
    if (!(e instanceof MlbenchError) && e instanceof Error && (process.env.MLBENCH_DEBUG || verbose)) process.stderr.write(`${e.stack}\n`);
    // Scripts that asked for JSON get the refusal as JSON on stdout too.
    if (rawArgv.includes('--json')) {
      const error = e instanceof MlbenchError ? { kind: e.kind, message: e.message, hint: e.hint ?? null } : { kind: 'error', message: errorMessage(e), hint: null };
      process.stdout.write(`${JSON.stringify({ error, exitCode: code })}\n`);
    }
    return code;
  }
}

async function parseAndRun(rawArgv: string[]): Promise<number> {
  const registry = new Registry();
  const gen = extractGenGroups(rawArgv, {
    featureNames: registry.all('feature').map((f) => f.name),
    componentNames: [...new Set([...registry.schema().keys()].map((k) => k.slice(0, k.indexOf('.'))))].concat(postprocessNames()),
  });
  const { postprocess: postConfig, rest: componentConfig } = splitPostprocessConfig(gen.config);
  let code = 0;
  const setCode = (c: number): void => {
    code = c;
  };
  const parser = yargs(gen.argv)
    .scriptName('mlbench')
    .usage('$0 <command> [options]\n\nBenchmark ML models on microcontroller targets: instructions, ROM and RAM, measured on real toolchains and simulators.')
    .parserConfiguration({ 'greedy-arrays': false })
    .option('home', { type: 'string', describe: 'environment home (default $MLBENCH_HOME or ~/.mlbench)', global: true })
    .option('json', { type: 'boolean', default: false, describe: 'machine-readable output', global: true })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'say more: every run\'s stages as they start and end; stack traces of internal errors', global: true })
    .option('quiet', { alias: 'q', type: 'boolean', describe: 'say only what went wrong (no summary table, no progress); the exit status tells the rest', global: true })
    .conflicts('verbose', 'quiet')
    .command('flow', 'run the benchmark pipeline: load → tune → build → compile → run', (y) => {
      let f = y;
      for (const stage of STAGES) {
        f = f.command(
          `${stage} [models..]`,
          STAGE_HELP[stage],
          (yy) =>
            flowOptions(yy)
              .example(`$0 flow ${stage} tinymlperf -t host_x86 -t riscv_qemu -f validate`, 'the MLPerf Tiny models on two targets, validated')
              .example(`$0 flow ${stage} aww --config-gen mlif.optimize=2 --config-gen mlif.optimize=s`, 'two variants of one model'),
          async (a) => {
            setCode(
              await flowRun(
                {
                  until: stage as StageName,
                  models: (a.models as string[]) ?? [],
                  backends: a.backend,
                  targets: a.target,
                  platforms: a.platform,
                  features: a.feature,
                  config: componentConfig,
                  featureGen: gen.featureGen,
                  configGen: gen.configGen,
                },
                {
                  home: a.home,
                  parallel: a.parallel,
                  progress: a.progress,
                  json: a.json === true,
                  label: a.label,
                  dest: a.dest,
                  verbose: a.verbose === true,
                  quiet: a.quiet === true,
                  argv: rawArgv,
                  postprocess: { names: a.postprocess, config: postConfig },
                  executor: a.executor,
                  detach: a.detach,
                },
              ),
            );
          },
        );
      }
      return f
        .command(
          'resume <session>',
          'finish a session: run only the runs without a result',
          (yy) =>
            yy
              .positional('session', { type: 'string', demandOption: true })
              .option('parallel', { alias: 'j', type: 'string', coerce: parallelOption })
              .option('progress', { type: 'boolean', default: false })
              .option('retry-failed', { type: 'boolean', default: false, describe: 'also run the runs that failed again' })
              .option('postprocess', { type: 'string', array: true, default: [] as string[] })
              .option('executor', { type: 'string', choices: EXECUTOR_NAMES, describe: 'run the rest elsewhere than the session did (-c slurm.KEY=VALUE changes its settings)' })
              .option('detach', { type: 'boolean', default: false, describe: 'slurm: submit and return' }),
          async (a) => {
            setCode(
              await flowResume(String(a.session), {
                home: a.home,
                parallel: a.parallel,
                progress: a.progress,
                json: a.json === true,
                verbose: a.verbose === true,
                quiet: a.quiet === true,
                argv: rawArgv,
                postprocess: { names: a.postprocess, config: postConfig },
                retryFailed: a['retry-failed'],
                executor: a.executor,
                detach: a.detach,
                executorConfig: componentConfig,
              }),
            );
          },
        )
        .command(
          'exec-run <session> [run]',
          'run one run of an existing session in its run folder (what each Slurm array task runs)',
          (yy) =>
            yy
              .positional('session', { type: 'string', demandOption: true })
              .positional('run', { type: 'string', describe: 'run id (or --submission inside a Slurm array task)' })
              .option('submission', { type: 'number', coerce: wholeNumber('--submission', 1), describe: "the run is the submission's task $SLURM_ARRAY_TASK_ID" })
              .option('probe', { type: 'string', hidden: true }),
          async (a) => setCode(await execRunCommand(String(a.session), a.run, { home: a.home, submission: a.submission, probe: a.probe })),
        )
        .demandCommand(1, 'name a stage: load, tune, build, compile, run (or resume)');
    })
    .command(
      'models [action] [name]',
      'list models and groups, show one, or fetch the public model zoo',
      (y) => y.positional('action', { choices: ['list', 'show', 'fetch'] as const, default: 'list' as const }).positional('name', { type: 'string' }),
      async (a) => setCode(await modelsCommand(a.action ?? 'list', a.name, a as GlobalArgs)),
    )
    .command('init', 'create an environment home from environments/default.yml', {}, async (a) => setCode(initCommand(a as GlobalArgs)))
    .command(
      'setup',
      'install what the targets need (Debian packages via apt-get) and build the QEMU plugin',
      (y) =>
        y
          .option('dry-run', { type: 'boolean', default: false, describe: 'print what would be installed' })
          .option('dev', { type: 'boolean', default: false, describe: 'also install what the test suite needs (chromium, strace, Slurm and munge for a private test cluster)' })
          .option('slurm', { type: 'boolean', default: false, describe: "also install Slurm's client commands (for --executor slurm)" })
          .option('frameworks', {
            type: 'boolean',
            default: false,
            describe: 'also fetch TFLite Micro (with its third-party code) and TVM at the pinned refs into <home>/deps/src with git (needs a network)',
          })
          .option('frameworks-from', { type: 'string', describe: 'use a prepared frameworks folder or tflite-micro tree instead (offline): say what it holds and link it' }),
      async (a) =>
        setCode(await setupCommand({ dryRun: a['dry-run'], dev: a.dev, frameworks: a.frameworks, frameworksFrom: a['frameworks-from'], slurm: a.slurm, home: a.home })),
    )
    .command(
      'env',
      'every component: usable here or not, and what is missing',
      (y) => y.option('config', { type: 'boolean', default: false, describe: 'also list every config key with default and help' }),
      async (a) => setCode(await envCommand({ home: a.home, json: a.json === true, config: a.config === true })),
    )
    .command(
      'sessions [action] [id]',
      'list sessions, show one session report, wait for a session on a cluster, or clean old sessions',
      (y) =>
        y
          .positional('action', { choices: ['list', 'show', 'wait', 'clean'] as const, default: 'list' as const })
          .positional('id', { type: 'string' })
          .option('keep', { type: 'number', default: 10, coerce: wholeNumber('--keep', 0), describe: 'clean: sessions to keep (the newest; sessions in use are never removed)' })
          .option('progress', { type: 'boolean', default: false, describe: 'wait: progress as runs finish' }),
      async (a) =>
        setCode(
          a.action === 'wait'
            ? await flowWait(a.id ?? 'latest', { home: a.home, json: a.json === true, progress: a.progress === true, argv: rawArgv })
            : await sessionsCommand(a.action ?? 'list', a.id, { home: a.home, json: a.json === true, keep: a.keep ?? 10 }),
        ),
    )
    .command(
      'compare-layers <model>',
      'run a model layer by layer through mlbaot and real TensorFlow Lite; name the first layer that differs',
      (y) =>
        y
          .positional('model', { type: 'string', demandOption: true })
          .option('vector', { type: 'number', default: 0, describe: 'reference input vector' })
          .option('tolerance', {
            type: 'number',
            default: 0,
            describe: 'allowed int8 difference in LSB (0: mlbaot fp32 requantization is bit-exact; 1 for mlbaot.requantize=tflm)',
          }),
      async (a) => setCode(await compareLayersCommand(String(a.model), a.vector, { home: a.home, json: a.json === true, tolerance: a.tolerance })),
    )
    .command(
      'export [dest]',
      'copy sessions (reports and run folders) to a folder, .zip, .tar or .tar.gz (default: the latest session to ./mlbench-session-<id>.tar.gz)',
      (y) =>
        y
          .positional('dest', { type: 'string', describe: 'where to: a folder, or a file ending .zip, .tar, .tar.gz or .tgz' })
          .option('session', { alias: 's', type: 'string', array: true, default: [] as string[], describe: 'session id(s) (default latest)' })
          .option('run', { alias: 'r', type: 'string', array: true, default: [] as string[], describe: 'only these runs: folder names or numbers' })
          .option('label', { type: 'string', array: true, default: [] as string[], describe: 'every session with this label' })
          .option('list', { alias: 'l', type: 'boolean', default: false, describe: 'only list what would be exported' })
          .option('force', { alias: 'f', type: 'boolean', default: false, describe: 'replace an existing destination' })
          .example('$0 export results.zip -s 12 -s 13', 'two sessions in one zip')
          .example('$0 export out/ -r 3', 'one run of the latest session, to a folder'),
      async (a) =>
        setCode(
          await exportCommand({
            home: a.home,
            json: a.json === true,
            dest: a.dest,
            sessions: a.session,
            runs: a.run,
            labels: a.label,
            list: a.list,
            force: a.force,
          }),
        ),
    )
    .command(reportCommand({ config: gen.config, setCode }))
    .demandCommand(1, 'name a command (see --help)')
    .strict()
    .recommendCommands()
    .help()
    .alias('help', 'h')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      throw err ?? new MlbenchError('config', msg);
    });
  await parser.parseAsync();
  return code;
}
