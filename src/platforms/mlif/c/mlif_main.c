/* mlbench's benchmark program: init once (setup region), invoke NUM_RUNS times (run region),
 * then check every compiled-in reference vector. Prints MLonMCU's output block and exits with
 * its status codes. Integer printing only: a float printf would cost ROM on small targets. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "mlb_model.h"
#include "mlif_data.h"
#include "mlif_markers.h"

/* Optional in mlb_model.h (weak): older model headers do not declare it. */
extern size_t mlb_model_arena_used(void) __attribute__((weak));

#ifndef MLIF_NUM_RUNS
#define MLIF_NUM_RUNS 1
#endif
/* Mismatch lines printed per output, so a wrong model does not flood the log. */
#ifndef MLIF_MAX_DIAGNOSTICS
#define MLIF_MAX_DIAGNOSTICS 8
#endif
/* The build sets these from the program's needs: MLIF_VALIDATE 0 when it carries no reference
 * vectors (no comparison code linked), MLIF_FLOAT_OUTPUTS 0 when no output is float32 (no
 * float comparison, so no soft-float routines). Both default to on. */
#ifndef MLIF_VALIDATE
#define MLIF_VALIDATE 1
#endif
#ifndef MLIF_FLOAT_OUTPUTS
#define MLIF_FLOAT_OUTPUTS 1
#endif

#define MLIF_EXIT_OK 0
#define MLIF_EXIT_ERROR 0x10
#define MLIF_EXIT_INVALID_SIZE 0x11
#define MLIF_EXIT_MISMATCH 0x12

/* Output without printf: picolibc's vfprintf (and its float support) would be most of the
 * harness's ROM. Each helper writes through fputs/putchar to the target's console. */
static void out_str(const char *s) { fputs(s, stdout); }

/* Decimal digits by long division of four 16-bit limbs: 32-bit divisions only, so libgcc's
 * 64-bit division routines are not linked in. */
static void out_u64(uint64_t v) {
  char buf[21];
  int i = 20;
  uint32_t limb[4] = {(uint32_t)(v >> 48), (uint32_t)(v >> 32) & 0xffffu, (uint32_t)v >> 16, (uint32_t)v & 0xffffu};
  buf[i] = '\0';
  do {
    uint32_t rem = 0;
    for (int k = 0; k < 4; k++) {
      const uint32_t cur = (rem << 16) | limb[k];
      limb[k] = cur / 10u;
      rem = cur % 10u;
    }
    buf[--i] = (char)('0' + (int)rem);
  } while (limb[0] | limb[1] | limb[2] | limb[3]);
  out_str(&buf[i]);
}

static void out_int(long v) {
  if (v < 0) {
    putchar('-');
    out_u64((uint64_t)(-(int64_t)v));
  } else {
    out_u64((uint64_t)v);
  }
}

__attribute__((unused)) static void print_u64(const char *label, uint64_t v) {
  out_str("# ");
  out_str(label);
  out_str(": ");
  out_u64(v);
  putchar('\n');
}

/* Eight hex digits. */
static void out_hex(uint32_t x) {
  for (int sh = 28; sh >= 0; sh -= 4) putchar("0123456789abcdef"[(x >> sh) & 15u]);
}

/* A minimal printf (%s %c %d %i %u %x %p, flags, width and length ignored) that replaces
 * picolibc's for any library code that calls it, which would otherwise link the full
 * formatted-output engine (several kB of ROM). The harness itself does not call it: unused, it
 * is dropped by --gc-sections. */
int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') {
      putchar(*p);
      continue;
    }
    while (p[1] == '-' || p[1] == '0' || p[1] == '#' || (p[1] >= '1' && p[1] <= '9') || p[1] == 'l' || p[1] == 'z') p++;
    if (!*++p) break;
    switch (*p) {
      case 's': out_str(va_arg(ap, const char *)); break;
      case 'c': putchar(va_arg(ap, int)); break;
      case 'd':
      case 'i': out_int(va_arg(ap, int)); break;
      case 'u': out_u64(va_arg(ap, unsigned)); break;
      case 'x':
      case 'p': out_hex(va_arg(ap, uint32_t)); break;
      default: putchar(*p); break;
    }
  }
  va_end(ap);
  return 0;
}

#if MLIF_VALIDATE
#if MLIF_FLOAT_OUTPUTS
/* A float as a signed decimal with six fractional digits, without float printf. */
static void out_float(float f) {
  if (f != f) {
    out_str("nan");
    return;
  }
  if (f < 0) {
    putchar('-');
    f = -f;
  }
  if (f > 2e9f) {
    out_str("big");
    return;
  }
  uint32_t whole = (uint32_t)f;
  uint32_t micro = (uint32_t)((f - (float)whole) * 1e6f + 0.5f);
  if (micro >= 1000000u) {
    whole += 1u;
    micro -= 1000000u;
  }
  out_u64(whole);
  putchar('.');
  for (uint32_t d = 100000u; d > 0u; d /= 10u) putchar((char)('0' + (int)(micro / d % 10u)));
}
#endif

/* "MLIF MISMATCH vector=V output=O index=K got=" ... */
static void mismatch_head(int vector, int output, unsigned long index) {
  out_str("MLIF MISMATCH vector=");
  out_int(vector);
  out_str(" output=");
  out_int(output);
  out_str(" index=");
  out_u64(index);
  out_str(" got=");
}

#endif /* MLIF_VALIDATE */

static int finish(int status) {
  out_str("Program finish.\n");
  out_str("MLONMCU EXIT: ");
  out_int(status);
  putchar('\n');
  return status;
}

#if MLIF_VALIDATE
/* Largest difference of any int8/uint8/int16 output element from the reference, in LSB. */
static int mlif_max_diff = 0;

/* Whether the reference's top-1 element is also a largest element of the output (ties agree):
 * frameworks that requantize differently (TFLM, TVM) must still pick the same class. */
/* Element k of an integer output of this kind (int16 elements are little-endian byte pairs). */
static int element_at(int kind, const unsigned char *p, size_t k) {
  if (kind == MLIF_OUT_INT16) return (int)(int16_t)(uint16_t)(p[2 * k] | (p[2 * k + 1] << 8));
  return kind == MLIF_OUT_INT8 ? (int)(int8_t)p[k] : (int)p[k];
}

static int top1_agrees(int kind, const unsigned char *got, const unsigned char *expected, size_t bytes) {
  if (kind != MLIF_OUT_INT8 && kind != MLIF_OUT_UINT8 && kind != MLIF_OUT_INT16) return 1;
  size_t n = kind == MLIF_OUT_INT16 ? bytes / 2 : bytes;
  size_t best = 0;
  int got_max = -100000;
  for (size_t k = 0; k < n; k++) {
    int g = element_at(kind, got, k);
    if (element_at(kind, expected, k) > element_at(kind, expected, best)) best = k;
    if (g > got_max) got_max = g;
  }
  return element_at(kind, got, best) == got_max;
}

/* Returns the number of mismatching elements of one output. */
static size_t compare_output(int vector, int output, const unsigned char *got, const unsigned char *expected,
                             size_t bytes) {
  size_t mismatches = 0;
  int kind = mlif_output_kinds[output];
#if MLIF_FLOAT_OUTPUTS
  if (kind == MLIF_OUT_FLOAT32) {
    for (size_t k = 0; k + 4 <= bytes; k += 4) {
      float g, e;
      memcpy(&g, got + k, 4);
      memcpy(&e, expected + k, 4);
      float d = g > e ? g - e : e - g;
      if (!(d <= mlif_float_tolerance)) {
        if (mismatches++ < MLIF_MAX_DIAGNOSTICS) {
          mismatch_head(vector, output, (unsigned long)(k / 4));
          out_float(g);
          out_str(" expected=");
          out_float(e);
          putchar('\n');
        }
      }
    }
    return mismatches;
  }
#endif
  size_t n = kind == MLIF_OUT_INT16 ? bytes / 2 : bytes;
  for (size_t k = 0; k < n; k++) {
    int g = element_at(kind, got, k);
    int e = element_at(kind, expected, k);
    int tol = kind == MLIF_OUT_BYTES ? 0 : mlif_tolerance_lsb;
    int d = g > e ? g - e : e - g;
    if (kind != MLIF_OUT_BYTES && d > mlif_max_diff) mlif_max_diff = d;
    if (d > tol) {
      if (mismatches++ < MLIF_MAX_DIAGNOSTICS) {
        mismatch_head(vector, output, (unsigned long)k);
        out_int(g);
        out_str(" expected=");
        out_int(e);
        putchar('\n');
      }
    }
  }
  return mismatches;
}

/* Runs every reference vector; returns an exit status. */
static int validate(int *passed, int *top1) {
  *passed = 0;
  *top1 = 0;
  if ((int)mlb_model_num_inputs() != mlif_num_inputs || (int)mlb_model_num_outputs() != mlif_num_outputs) {
    out_str("MLIF ERROR model has ");
    out_u64(mlb_model_num_inputs());
    out_str(" inputs / ");
    out_u64(mlb_model_num_outputs());
    out_str(" outputs, reference data ");
    out_int(mlif_num_inputs);
    out_str(" / ");
    out_int(mlif_num_outputs);
    putchar('\n');
    return MLIF_EXIT_INVALID_SIZE;
  }
  for (int v = 0; v < mlif_num_vectors; v++) {
    for (int i = 0; i < mlif_num_inputs; i++) {
      size_t want = mlb_model_input_size((size_t)i);
      size_t have = mlif_input_bytes[v * mlif_num_inputs + i];
      if (want != have) {
        out_str("MLIF ERROR vector=");
        out_int(v);
        out_str(" input=");
        out_int(i);
        out_str(" size ");
        out_u64(have);
        out_str(", model expects ");
        out_u64(want);
        putchar('\n');
        return MLIF_EXIT_INVALID_SIZE;
      }
      memcpy(mlb_model_input_ptr((size_t)i), mlif_input_data[v * mlif_num_inputs + i], have);
    }
    if (mlb_model_invoke() != 0) {
      out_str("MLIF ERROR vector=");
      out_int(v);
      out_str(" invoke failed\n");
      return MLIF_EXIT_ERROR;
    }
    size_t bad = 0;
    int vector_top1 = 1;
    for (int o = 0; o < mlif_num_outputs; o++) {
      size_t want = mlif_expected_bytes[v * mlif_num_outputs + o];
      size_t have = mlb_model_output_size((size_t)o);
      if (want != have) {
        out_str("MLIF ERROR vector=");
        out_int(v);
        out_str(" output=");
        out_int(o);
        out_str(" size ");
        out_u64(have);
        out_str(", reference has ");
        out_u64(want);
        putchar('\n');
        return MLIF_EXIT_INVALID_SIZE;
      }
      const unsigned char *got = (const unsigned char *)mlb_model_output_ptr((size_t)o);
      const unsigned char *expected = mlif_expected_data[v * mlif_num_outputs + o];
      bad += compare_output(v, o, got, expected, want);
      if (mlif_check_top1 && !top1_agrees(mlif_output_kinds[o], got, expected, want)) {
        if (bad++ == 0) {
          out_str("MLIF MISMATCH vector=");
          out_int(v);
          out_str(" output=");
          out_int(o);
          out_str(" top-1 differs\n");
        }
        vector_top1 = 0;
      }
    }
    if (vector_top1) (*top1)++;
    if (bad == 0) (*passed)++;
  }
  return *passed == mlif_num_vectors ? MLIF_EXIT_OK : MLIF_EXIT_MISMATCH;
}
#endif /* MLIF_VALIDATE */

int main(void) {
  out_str("Program start.\n");
  mlif_marker_total_begin();

  mlif_marker_setup_begin();
  int init_status = mlb_model_init();
  mlif_marker_setup_end();
  if (init_status != 0) {
    out_str("MLIF ERROR mlb_model_init returned ");
    out_int(init_status);
    putchar('\n');
    return finish(MLIF_EXIT_ERROR);
  }

  int run_status = 0;
  /* Opaque to the optimiser: otherwise GCC may reuse init_status (known 0 here) as run_status
   * and keep it on the stack, a store inside the setup region that depends on num_runs. */
  __asm__("" : "+r"(run_status));
  mlif_marker_run_begin();
  for (int r = 0; r < MLIF_NUM_RUNS; r++) run_status |= mlb_model_invoke();
  mlif_marker_run_end();
  if (run_status != 0) {
    out_str("MLIF ERROR mlb_model_invoke failed\n");
    return finish(MLIF_EXIT_ERROR);
  }

#if MLIF_VALIDATE
  int passed = 0, top1 = 0;
  int status = mlif_num_vectors > 0 ? validate(&passed, &top1) : MLIF_EXIT_OK;
#else
  int status = MLIF_EXIT_OK;
#endif
  mlif_marker_total_end();

#if defined(MLIF_COUNTER_INSTRET)
  print_u64("Setup Instructions", mlif_marker_samples[MLIF_SETUP_END] - mlif_marker_samples[MLIF_SETUP_BEGIN]);
  print_u64("Run Instructions", mlif_marker_samples[MLIF_RUN_END] - mlif_marker_samples[MLIF_RUN_BEGIN]);
  print_u64("Total Instructions", mlif_marker_samples[MLIF_TOTAL_END] - mlif_marker_samples[MLIF_TOTAL_BEGIN]);
#endif
  if (mlb_model_arena_used) print_u64("Arena Usage", (uint64_t)mlb_model_arena_used());
#if MLIF_VALIDATE
  if (mlif_num_vectors > 0) {
    print_u64("Validation Vectors", (uint64_t)mlif_num_vectors);
    print_u64("Validation Passed", (uint64_t)passed);
    print_u64("Validation Max Diff", (uint64_t)mlif_max_diff);
    if (mlif_check_top1) print_u64("Validation Top-1", (uint64_t)top1);
  }
#endif
  return finish(status);
}

/* Fault reports without picolibc's semihost crt0 (whose command-line buffer costs 1.3 kB RAM):
 * the same "<ARCH> fault" block (see describeFault in src/targets/qemu/runner.ts), then exit 1. */
#if defined(__riscv) && !defined(__linux__)
extern void _exit(int) __attribute__((noreturn));
__attribute__((used, noreturn)) void mlif_riscv_fault(void) {
  uint32_t mepc, mcause, mtval;
  __asm__ volatile(".insn i SYSTEM, 2, %0, x0, 0x341" : "=r"(mepc));
  __asm__ volatile(".insn i SYSTEM, 2, %0, x0, 0x342" : "=r"(mcause));
  __asm__ volatile(".insn i SYSTEM, 2, %0, x0, 0x343" : "=r"(mtval));
  out_str("RISCV fault\n\tmepc:     0x");
  out_hex(mepc);
  out_str("\n\tmcause:   0x");
  out_hex(mcause);
  out_str("\n\tmtval:    0x");
  out_hex(mtval);
  putchar('\n');
  _exit(1);
}
/* mtvec target (direct mode, 4-byte aligned): a fresh stack, then the report. */
__attribute__((naked, aligned(4))) void _trap(void) {
  __asm__ volatile(".option push\n\t.option norelax\n\tla sp, __stack\n\t.option pop\n\ttail mlif_riscv_fault");
}
__attribute__((constructor)) static void mlif_install_trap(void) {
  __asm__ volatile(".insn i SYSTEM, 1, x0, %0, 0x305" ::"r"(_trap));
}
#elif defined(__arm__) && !defined(__linux__)
extern void _exit(int) __attribute__((noreturn));
__attribute__((used, noreturn)) void arm_fault(const uint32_t *frame, int reason) {
  static const char *const reasons[] = {"hardfault", "memmanage", "busfault", "usagefault"};
  static const char *const regs[] = {"R0:  ", "R1:  ", "R2:  ", "R3:  ", "R12: ", "LR:  ", "PC:  ", "XPSR:"};
  out_str("ARM fault: ");
  out_str(reasons[reason]);
  putchar('\n');
  for (int i = 0; i < 8; i++) {
    out_str("\t");
    out_str(regs[i]);
    out_str(" 0x");
    out_hex(frame[i]);
    putchar('\n');
  }
  _exit(1);
}
/* picolibc's vector table names these handlers (weak defaults); the stacked frame is at sp. */
#define MLIF_ARM_ISR(name, n) \
  __attribute__((naked)) void name(void) { __asm__ volatile("mov r0, sp\n\tmovs r1, #" #n "\n\tbl arm_fault"); }
MLIF_ARM_ISR(arm_hardfault_isr, 0)
MLIF_ARM_ISR(arm_memmange_isr, 1)
MLIF_ARM_ISR(arm_busfault_isr, 2)
MLIF_ARM_ISR(arm_usagefault_isr, 3)
#endif
