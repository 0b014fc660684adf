/* mlbench's QEMU TCG plugin (plugin API v1, QEMU 7.2).
 *
 * Counts guest instructions exactly between marker addresses, records the stack high-water mark,
 * stops a runaway program after a fixed number of instructions, and attributes instructions of the
 * run region to layer functions. Results go to a text file (`out=`), one `key value` per line.
 *
 * Arguments (comma-separated by QEMU, one key=value each):
 *   out=PATH                      result file (required)
 *   region=NAME:BEGIN:END         count from BEGIN's entry (inclusive) to END's entry (exclusive);
 *                                 addresses in hex, Thumb bit already cleared; repeatable
 *   limit=N                       stop with exit status 124 after N instructions (0 = none)
 *   stack=LOW:HIGH                record the lowest store address inside [LOW, HIGH)
 *   sp_stores=riscv               also record stores addressed off the stack pointer (sw/fsw/fsd
 *                                 with base x2, c.swsp/c.fswsp/c.fsdsp) below LOW: a frame larger
 *                                 than what is left of the reservation skips its last bytes and
 *                                 writes into other data, and only its sp-based stores show it
 *   layer=NAME:START:END          per-layer counts inside region "run"; repeatable
 *   stall_ms=N                    stop with exit status 126 when no instruction completes for N ms
 *                                 of wall clock (10x N before the first one): a CPU trapping on
 *                                 instruction fetch (fault before a trap vector is set, e.g. crt0
 *                                 touching fcsr on a CPU without F) never reaches a plugin
 *                                 callback. Detection only: counts stay exact.
 *   fault=ADDR                    a fault handler's entry; entering one a second time (a fault
 *                                 while handling a fault, e.g. a handler saving FP registers on a
 *                                 CPU without F) stops with exit status 125 instead of looping
 *
 * Debian ships no qemu-plugin.h, so the few API v1 declarations are repeated here; they must
 * match QEMU's include/qemu/qemu-plugin.h for QEMU_PLUGIN_VERSION 1. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
typedef uint32_t qemu_plugin_meminfo_t;

enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info, uint64_t vaddr,
                                          void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_udata_cb_t cb,
                                            enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn, enum qemu_plugin_op op, void *ptr,
                                                uint64_t imm);
void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *insn, qemu_plugin_vcpu_mem_cb_t cb,
                                      enum qemu_plugin_cb_flags flags, enum qemu_plugin_mem_rw rw, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

#define MAX_REGIONS 8
#define MAX_LAYERS 1024
#define LIMIT_EXIT_STATUS 124
#define FAULT_LOOP_EXIT_STATUS 125
#define STALL_EXIT_STATUS 126

struct region {
  char name[32];
  uint64_t begin, end;
  uint64_t start_count; /* count at the last begin */
  uint64_t total;
  bool open;
  bool seen;
};

struct layer {
  char name[96];
  uint64_t start, end;
  uint64_t count;
};

static char *out_path;
static struct region regions[MAX_REGIONS];
static int num_regions;
static struct layer layers[MAX_LAYERS];
static int num_layers;
static int current_layer = -1;
static uint64_t layer_mark;
static int run_region = -1;

static uint64_t insn_count; /* instructions executed so far (single vCPU) */
static uint64_t limit;
static bool limit_hit;
static uint64_t stack_low, stack_high, stack_min;
static bool track_stack;
static bool riscv_sp_stores;
static bool written;
static int fault_entries;
static bool fault_loop;
static uint64_t stall_ms;
static bool stalled;
static uint64_t fault_addr;

/* An instruction that starts a marker or layer gets a callback instead of the inline add; the
 * callback adds its own instruction after reading the count, so it sees exactly the number of
 * instructions executed before it. */

static void write_results(void) {
  if (written) return;
  written = true;
  FILE *f = fopen(out_path, "w");
  if (!f) {
    fprintf(stderr, "mlbench plugin: cannot write %s\n", out_path);
    return;
  }
  fprintf(f, "instructions %" PRIu64 "\n", insn_count);
  fprintf(f, "limit_hit %d\n", limit_hit ? 1 : 0);
  if (stalled) fprintf(f, "stalled 1\n");
  if (fault_loop) fprintf(f, "fault_loop 0x%" PRIx64 "\n", fault_addr);
  for (int r = 0; r < num_regions; r++) {
    if (regions[r].seen) fprintf(f, "region %s %" PRIu64 " %d\n", regions[r].name, regions[r].total, regions[r].open ? 1 : 0);
  }
  if (track_stack && stack_min < stack_high) fprintf(f, "stack_low 0x%" PRIx64 "\n", stack_min);
  for (int l = 0; l < num_layers; l++) fprintf(f, "layer %s %" PRIu64 "\n", layers[l].name, layers[l].count);
  fclose(f);
}

static void flush_layer(void) {
  if (current_layer >= 0) layers[current_layer].count += insn_count - layer_mark;
  current_layer = -1;
}


/* Per-address event tables, filled at install time. */
struct event_addr {
  uint64_t addr;
  int region_begin_mask;
  int region_end_mask;
  int layer;
  bool fault;
};
#define MAX_FAULTS 8
static struct event_addr events[2 * MAX_REGIONS + MAX_LAYERS + MAX_FAULTS];
static int num_faults;
static int num_events;

static struct event_addr *event_at(uint64_t addr, bool create) {
  for (int i = 0; i < num_events; i++)
    if (events[i].addr == addr) return &events[i];
  if (!create) return NULL;
  struct event_addr *e = &events[num_events++];
  e->addr = addr;
  e->region_begin_mask = 0;
  e->region_end_mask = 0;
  e->layer = -1;
  e->fault = false;
  return e;
}

static void on_marker(unsigned int vcpu, void *udata) {
  (void)vcpu;
  struct event_addr *e = (struct event_addr *)udata;
  for (int r = 0; r < num_regions; r++) {
    if ((e->region_end_mask & (1 << r)) && regions[r].open) {
      regions[r].total += insn_count - regions[r].start_count;
      regions[r].open = false;
      if (r == run_region) flush_layer();
    }
  }
  for (int r = 0; r < num_regions; r++) {
    if (e->region_begin_mask & (1 << r)) {
      regions[r].start_count = insn_count;
      regions[r].open = true;
      regions[r].seen = true;
    }
  }
  if (e->fault && ++fault_entries >= 2) {
    fault_loop = true;
    fault_addr = e->addr;
    write_results();
    fprintf(stderr, "mlbench plugin: fault handler at 0x%" PRIx64 " re-entered\n", e->addr);
    fflush(stderr);
    _exit(FAULT_LOOP_EXIT_STATUS);
  }
  if (e->layer >= 0 && run_region >= 0 && regions[run_region].open) {
    flush_layer();
    current_layer = e->layer;
    layer_mark = insn_count;
  }
  insn_count++;
}

static void on_tb_exec(unsigned int vcpu, void *udata) {
  (void)vcpu;
  (void)udata;
  if (insn_count > limit) {
    limit_hit = true;
    write_results();
    fprintf(stderr, "mlbench plugin: instruction limit %" PRIu64 " reached\n", limit);
    fflush(stderr);
    _exit(LIMIT_EXIT_STATUS);
  }
}

static void on_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata) {
  (void)vcpu;
  (void)info;
  (void)udata;
  if (vaddr >= stack_low && vaddr < stack_high && vaddr < stack_min) stack_min = vaddr;
}

/* Stores off the stack pointer can only be stack stores, wherever they land. */
static void on_sp_store(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata) {
  (void)vcpu;
  (void)info;
  (void)udata;
  if (vaddr < stack_high && vaddr < stack_min) stack_min = vaddr;
}

static bool is_riscv_sp_store(const struct qemu_plugin_insn *insn) {
  const uint8_t *p = qemu_plugin_insn_data(insn);
  size_t n = qemu_plugin_insn_size(insn);
  if (n == 4) {
    uint32_t w = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    uint32_t op = w & 0x7f;
    return (op == 0x23 || op == 0x27) && ((w >> 15) & 31) == 2; /* STORE / STORE-FP, rs1 = sp */
  }
  if (n == 2) {
    uint16_t h = (uint16_t)(p[0] | p[1] << 8);
    return (h & 3) == 2 && ((h >> 13) & 7) >= 5; /* quadrant 2: c.fsdsp, c.swsp, c.fswsp */
  }
  return false;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  if (limit) qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, NULL);
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    struct event_addr *e = event_at(qemu_plugin_insn_vaddr(insn), false);
    if (e)
      qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker, QEMU_PLUGIN_CB_NO_REGS, e);
    else
      qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &insn_count, 1);
    if (track_stack) {
      qemu_plugin_vcpu_mem_cb_t cb = riscv_sp_stores && is_riscv_sp_store(insn) ? on_sp_store : on_store;
      qemu_plugin_register_vcpu_mem_cb(insn, cb, QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_MEM_W, NULL);
    }
  }
}

/* Watchdog thread: reads the counter racily, which is fine for noticing that it stopped. */
static void *stall_watch(void *arg) {
  (void)arg;
  uint64_t last = 0, still_ms = 0;
  const uint64_t tick_ms = 50;
  for (;;) {
    struct timespec ts = {0, (long)(tick_ms * 1000000)};
    nanosleep(&ts, NULL);
    uint64_t now = *(volatile uint64_t *)&insn_count;
    if (now != last) {
      last = now;
      still_ms = 0;
      continue;
    }
    still_ms += tick_ms;
    if (still_ms >= (now == 0 ? 10 * stall_ms : stall_ms)) {
      stalled = true;
      write_results();
      fprintf(stderr, "mlbench plugin: no instruction completed for %" PRIu64 " ms after %" PRIu64 "\n", still_ms, now);
      fflush(stderr);
      _exit(STALL_EXIT_STATUS);
    }
  }
  return NULL;
}

static void on_exit_cb(qemu_plugin_id_t id, void *udata) {
  (void)id;
  (void)udata;
  write_results();
}

/* "NAME:HEX:HEX" → name and two addresses. */
static bool parse_triple(const char *s, char *name, size_t name_len, uint64_t *a, uint64_t *b) {
  const char *c1 = strchr(s, ':');
  if (!c1) return false;
  const char *c2 = strchr(c1 + 1, ':');
  if (!c2) return false;
  size_t len = (size_t)(c1 - s);
  if (len >= name_len) len = name_len - 1;
  memcpy(name, s, len);
  name[len] = '\0';
  *a = strtoull(c1 + 1, NULL, 16);
  *b = strtoull(c2 + 1, NULL, 16);
  return true;
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                                               int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "out=", 4) == 0) {
      out_path = strdup(a + 4);
    } else if (strncmp(a, "region=", 7) == 0 && num_regions < MAX_REGIONS) {
      struct region *r = &regions[num_regions];
      if (!parse_triple(a + 7, r->name, sizeof r->name, &r->begin, &r->end)) goto bad;
      event_at(r->begin, true)->region_begin_mask |= 1 << num_regions;
      event_at(r->end, true)->region_end_mask |= 1 << num_regions;
      if (strcmp(r->name, "run") == 0) run_region = num_regions;
      num_regions++;
    } else if (strncmp(a, "layer=", 6) == 0 && num_layers < MAX_LAYERS) {
      struct layer *l = &layers[num_layers];
      if (!parse_triple(a + 6, l->name, sizeof l->name, &l->start, &l->end)) goto bad;
      event_at(l->start, true)->layer = num_layers;
      num_layers++;
    } else if (strncmp(a, "fault=", 6) == 0 && num_faults < MAX_FAULTS) {
      num_faults++;
      event_at(strtoull(a + 6, NULL, 16), true)->fault = true;
    } else if (strncmp(a, "stall_ms=", 9) == 0) {
      stall_ms = strtoull(a + 9, NULL, 10);
    } else if (strncmp(a, "limit=", 6) == 0) {
      limit = strtoull(a + 6, NULL, 10);
    } else if (strcmp(a, "sp_stores=riscv") == 0) {
      riscv_sp_stores = true;
    } else if (strncmp(a, "stack=", 6) == 0) {
      char *colon = strchr(a + 6, ':');
      if (!colon) goto bad;
      stack_low = strtoull(a + 6, NULL, 16);
      stack_high = strtoull(colon + 1, NULL, 16);
      stack_min = stack_high;
      track_stack = true;
    } else {
      goto bad;
    }
    continue;
  bad:
    fprintf(stderr, "mlbench plugin: bad argument %s\n", a);
    return -1;
  }
  if (!out_path) {
    fprintf(stderr, "mlbench plugin: out=PATH is required\n");
    return -1;
  }
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
  qemu_plugin_register_atexit_cb(id, on_exit_cb, NULL);
  if (stall_ms) {
    pthread_t t;
    if (pthread_create(&t, NULL, stall_watch, NULL) == 0) pthread_detach(t);
  }
  return 0;
}
