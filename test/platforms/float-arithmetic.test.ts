import { describe, expect, test } from 'vitest';
import { floatArithmetic } from '../../src/platforms/mlif/float-arithmetic.js';

describe('the report\'s Float column', () => {
  test('hardware float ABIs are FPU, the rest soft-float; the last flag wins', () => {
    expect(floatArithmetic({ arch: 'riscv32' }, ['-march=rv32imac', '-mabi=ilp32'])).toBe('soft-float');
    expect(floatArithmetic({ arch: 'riscv32' }, ['-march=rv32imafc', '-mabi=ilp32f'])).toBe('FPU');
    expect(floatArithmetic({ arch: 'riscv32' }, ['-mabi=ilp32d'])).toBe('FPU');
    expect(floatArithmetic({ arch: 'arm' }, ['-mcpu=cortex-m4', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'])).toBe('FPU');
    expect(floatArithmetic({ arch: 'arm' }, ['-mcpu=cortex-m3'])).toBe('soft-float');
    expect(floatArithmetic({ arch: 'arm' }, ['-mfloat-abi=hard', '-mfloat-abi=soft'])).toBe('soft-float');
    expect(floatArithmetic({ arch: 'x86_64' }, [])).toBe('FPU');
  });
});
