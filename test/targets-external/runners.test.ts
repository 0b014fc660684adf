import { describe, expect, it } from 'vitest';
import { parseBenchOutput, instructionRegions, cycleRegions } from '../../src/targets/external/benchOutput.js';
import { etissCommand, etissIni, parseEtissOutput } from '../../src/targets/external/etiss.js';
import { parseSpikeOutput, spikeCommand, spikeIsa } from '../../src/targets/external/spike.js';
import { fvpCommand, parseFvpOutput } from '../../src/targets/external/fvp.js';
import { idfBuild, idfFlash, idfMonitor, idfSetTarget, parseIdfVersion, sdkconfigDefaults } from '../../src/targets/external/espidf.js';
import { parseZephyrOutput, westBuild, westConfigure, westFlash } from '../../src/targets/external/zephyr.js';

// Example outputs written from EXTERNAL-TOOLS.md (§4.4, §5.1, §6, §7, §9.2.6).
const MLIF_BLOCK = [
  'Program start.',
  '# Setup Cycles: 2134',
  '# Setup Instructions: 2134',
  '# Run Cycles: 1803772',
  '# Run Instructions: 1803772',
  '# Deinit Cycles: 6',
  '# Deinit Instructions: 6',
  '# Total Cycles: 1806046',
  '# Total Instructions: 1806046',
  'Program finish.',
  'MLONMCU EXIT: 0',
].join('\n');

describe('mlif output protocol', () => {
  it('reads the bench block and exit line', () => {
    const out = parseBenchOutput(`noise # Bogus Value: 99\n${MLIF_BLOCK}\n# After Finish: 5\n`);
    expect(out.metrics).toEqual({
      'Setup Cycles': 2134,
      'Setup Instructions': 2134,
      'Run Cycles': 1803772,
      'Run Instructions': 1803772,
      'Deinit Cycles': 6,
      'Deinit Instructions': 6,
      'Total Cycles': 1806046,
      'Total Instructions': 1806046,
    });
    expect(out.exitCode).toBe(0);
    expect(out.started && out.finished).toBe(true);
    expect(instructionRegions(out.metrics)).toEqual({ setup: 2134, run: 1803772, deinit: 6, total: 1806046 });
    expect(cycleRegions(out.metrics).run).toBe(1803772);
  });
  it('uses the whole capture without Program start., and the legacy ETISS exit line', () => {
    const out = parseBenchOutput('MLonMCU: START\n# Run Cycles: 9876543\nexit called with code: 18\n');
    expect(out.metrics).toEqual({ 'Run Cycles': 9876543 });
    expect(out.exitCode).toBe(18);
  });
});

describe('ETISS', () => {
  it('writes custom.ini as MLonMCU does', () => {
    const ini = etissIni({ romStart: 0x1000000, romSize: 0x800000, ramStart: 0x1800000, ramSize: 0x4000000, cycleTimePs: 31250, cpuArch: 'RV32IMACFD' });
    expect(ini).toBe(
      [
        '[BoolConfigurations]',
        'arch.enable_semihosting=true',
        'simple_mem_system.error_on_invalid_access=true',
        'jit.verify=false',
        'jit.debug=false',
        'etiss.load_integrated_libraries=true',
        '[StringConfigurations]',
        'arch.cpu=RV32IMACFD',
        'etiss.output_path_prefix=',
        '[IntConfigurations]',
        'simple_mem_system.memseg_origin_00=16777216',
        'simple_mem_system.memseg_length_00=8388608',
        'simple_mem_system.memseg_origin_01=25165824',
        'simple_mem_system.memseg_length_01=67108864',
        'arch.cpu_cycle_time_ps=31250',
        '',
      ].join('\n'),
    );
    const direct = etissIni({ romStart: 0, romSize: 1, ramStart: 1, ramSize: 1, cycleTimePs: 1, cpuArch: 'RV32IMACFD', jit: 'GCC', elfFile: '/p.elf', maxBlockSize: 100 });
    expect(direct).toContain('jit.type=GCCJIT\nvp.elf_file=/p.elf\n[IntConfigurations]');
    expect(direct.endsWith('etiss.max_block_size=100\n')).toBe(true);
  });
  it('builds run_helper.sh and direct command lines', () => {
    const base = { installDir: '/opt/etiss', elf: '/r/prog.elf', iniPath: '/r/run/custom.ini' };
    expect(etissCommand({ ...base, useRunHelper: true, exitOnLoop: true })).toEqual({
      cmd: '/opt/etiss/bin/run_helper.sh',
      args: ['/r/prog.elf', 'nodmi', 'noloop', '-i/r/run/custom.ini'],
    });
    expect(etissCommand({ ...base, useRunHelper: false, exitOnLoop: false })).toEqual({
      cmd: '/opt/etiss/bin/bare_etiss_processor',
      args: ['-i/r/run/custom.ini'],
    });
  });
  it('parses the statistics block', () => {
    const out = parseEtissOutput(
      `=== Simulation start ===\n${MLIF_BLOCK}\nCPU Time: 0.308681s    Simulation Time: 1.23s\nCPU Cycles (estimated): 9.87778e+06\nMIPS (estimated): 8.03\n=== Simulation end ===\n`,
    );
    expect(out.cpuCyclesEstimated).toBe(9877780);
    expect(out.mips).toBe(8.03);
    expect(out.errors).toEqual([]);
    expect(out.bench.metrics['Run Instructions']).toBe(1803772);
    expect(parseEtissOutput('ETISS: Error: bus error at 0x0\n').errors).toEqual(['bus error at 0x0']);
  });
});

describe('Spike', () => {
  it('merges imafd to g and adds zicntr for newer Spike', () => {
    expect(spikeIsa('rv32imafdc', true)).toBe('rv32gc');
    expect(spikeIsa('rv32gc', false)).toBe('rv32gc_zicntr');
    expect(spikeIsa('rv32imac', true)).toBe('rv32imac');
  });
  it('builds spike --isa … pk -s elf', () => {
    expect(spikeCommand({ spike: 'spike', pk: '/opt/pk', isa: 'rv32gc', extraArgs: ['--ic=64:8:32'], elf: '/r/p.elf' })).toEqual({
      cmd: 'spike',
      args: ['--isa=rv32gc', '--ic=64:8:32', '/opt/pk', '-s', '/r/p.elf'],
    });
  });
  it("parses pk's -s statistics", () => {
    const out = parseSpikeOutput(`${MLIF_BLOCK}\n1234 ticks\n1900001 cycles\n1900001 instructions\n1.00 CPI\n`);
    expect(out.pkCycles).toBe(1900001);
    expect(out.pkInstructions).toBe(1900001);
    expect(out.bench.exitCode).toBe(0);
  });
});

describe('Corstone-300 FVP', () => {
  it('builds MLonMCU’s command line with literal quotes', () => {
    const c = fvpCommand({ fvp: 'FVP_Corstone_SSE-300_Ethos-U55', elf: '/r/p.elf', fpu: true, mve: 2, timelimitS: 60, extraArgs: ['--stat'] });
    expect(c.args).toEqual([
      '-C', 'mps3_board.visualisation.disable-visualisation=1',
      '-C', 'mps3_board.telnetterminal0.start_telnet=0',
      '-C', 'mps3_board.uart0.out_file="-"',
      '-C', 'mps3_board.uart0.unbuffered_output=1',
      '-C', 'mps3_board.uart0.shutdown_tag="EXITTHESIM"',
      '-C', 'cpu0.CFGDTCMSZ=15',
      '-C', 'cpu0.CFGITCMSZ=15',
      '-C', 'cpu0.FPU=1',
      '-C', 'cpu0.MVE=2',
      '--timelimit', '60',
      '--stat',
      '/r/p.elf',
    ]);
    const npu = fvpCommand({ fvp: 'f', elf: 'e', fpu: false, mve: 0, ethosuMacs: 256, extraArgs: [] });
    expect(npu.args.slice(14)).toEqual(['-C', 'cpu0.FPU=0', '-C', 'cpu0.MVE=0', '-C', 'ethosu.num_macs=256', '-C', 'ethosu.extra_args="--fast"', 'e']);
  });
  it('parses the exit line and --stat block', () => {
    const out = parseFvpOutput(
      `${MLIF_BLOCK}\nApplication exit code: 0.\n\u0004EXITTHESIM\nInfo: /OSCI/SystemC: Simulation stopped by user.\n\n--- FVP_MPS3_Corstone_SSE_300 statistics: -------------------------------------\nSimulated time                          : 0.066055s\nUser time                               : 0.157169s\nWall time                               : 0.165018s\nFVP_MPS3_Corstone_SSE_300.cpu0          :   7.08 MIPS (     1171181 Inst)\n`,
    );
    expect(out).toMatchObject({ applicationExitCode: 0, shutdownTagSeen: true, cpu0Instructions: 1171181, cpu0Mips: 7.08, simulatedTimeS: 0.066055 });
  });
});

describe('ESP-IDF and Zephyr', () => {
  it('wraps idf.py in export.sh', () => {
    expect(idfSetTarget('/opt/esp-idf', '/r/proj', 'esp32c3')).toEqual({
      cmd: 'bash',
      args: ['-c', '. /opt/esp-idf/export.sh && /opt/esp-idf/tools/idf.py -C /r/proj set-target esp32c3'],
    });
    expect(idfBuild('/opt/esp-idf', '/r/proj').args[1]).toBe('. /opt/esp-idf/export.sh && /opt/esp-idf/tools/idf.py -C /r/proj -DCMAKE_BUILD_TYPE=Release build');
    expect(idfFlash('/opt/esp-idf', '/r/proj', '/dev/ttyUSB0', 115200).args[1]).toBe(
      '. /opt/esp-idf/export.sh && /opt/esp-idf/tools/idf.py -C /r/proj -DCMAKE_BUILD_TYPE=Release flash -p /dev/ttyUSB0 -b 115200',
    );
    expect(idfMonitor('/i', '/p', '/dev/ttyUSB0', 115200, 4).args[1]).toMatch(/monitor -p \/dev\/ttyUSB0 -B 115200$/);
    expect(idfMonitor('/i', '/p', '/dev/ttyUSB0', 115200, 5).args[1]).toMatch(/monitor -p \/dev\/ttyUSB0 -b 115200$/);
    expect(parseIdfVersion('ESP-IDF v4.4.6-dirty')).toEqual({ major: 4, minor: 4 });
  });
  it('writes sdkconfig.defaults', () => {
    const text = sdkconfigDefaults({ codegenDir: '/r/gen', optimize: '3', release: false, definitions: { MLONMCU_FRAMEWORK_TVM: true, MLONMCU_NUM_RUNS: '1' } });
    expect(text).toBe(
      'CONFIG_PARTITION_TABLE_SINGLE_APP_LARGE=y\nCONFIG_ESP_TASK_WDT_TIMEOUT_S=60\nCONFIG_MLONMCU_CODEGEN_DIR="/r/gen"\nCONFIG_COMPILER_OPTIMIZATION_PERF=y\nCONFIG_MLONMCU_FRAMEWORK_TVM=y\nCONFIG_MLONMCU_NUM_RUNS="1"\n',
    );
  });
  it('builds west commands', () => {
    expect(westConfigure('/r/proj', 'nucleo_f413zh')).toEqual({
      cmd: 'west',
      args: ['build', '-d', '/r/proj/build', '-b', 'nucleo_f413zh', '/r/proj', '-DCMAKE_BUILD_TYPE=Release', '-c'],
    });
    expect(westBuild('/r/proj', 'stm32f746g_disco', 2).args).toEqual(['build', '-d', '/r/proj/build', '-b', 'stm32f746g_disco', '/r/proj', '-o=-j2']);
    expect(westFlash('/r/proj', '/opt/venv')).toEqual({ cmd: 'bash', args: ['-c', '. /opt/venv/bin/activate && west flash -d /r/proj/build'] });
    expect(parseZephyrOutput('MLonMCU: START\nTotal Time: 61728 us\nTotal Cycles: 13333248\nMLonMCU: STOP\n')).toEqual({ totalTimeUs: 61728, totalCycles: 13333248 });
  });
});
