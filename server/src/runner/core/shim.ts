// C linked into every program (all allocators are wrapped with wasm-ld's --wrap).
//
// - When an allocation that would fit in a larger memory fails, the wrappers leave a note on
//   stderr, so that a crash or exit that follows can be reported as "memory limit reached" rather
//   than as a mystery. The program still sees NULL, as C promises.
// - They count live allocations, so a test driver can check that the candidate freed what the
//   statement says must be freed: `size_t runner_allocations_live(void)`, read before and after the
//   candidate's calls. Successful malloc / calloc / aligned_alloc / posix_memalign and
//   realloc(NULL, n) add one, free(non-NULL) of a live block subtracts one, realloc(p, n) of a live
//   p is neutral whether it moves, fails or not (wasi-libc's realloc(p, 0) returns a minimum-size
//   block that must still be freed).
// - They remember which pointers are live (a small hash set of their own, allocated with the real
//   malloc and not counted), so free() or realloc() of a pointer that is not a live allocation
//   (a double free, a pointer into the middle of a block, a stack address) is counted by
//   `size_t runner_invalid_frees(void)`, noted on stderr and NOT passed to the allocator: wasi-libc's
//   dlmalloc does no checks, and would silently corrupt its heap instead.
//
// wasm-ld rewrites every undefined reference to `malloc` etc., including those in libc's own
// objects, so libc's allocations made for the program (strdup, getline, fopen, the argv and
// environment copies made before main) are counted too; stdin/stdout/stderr buffers are static
// and printf never allocates. A driver that reads the count just before and just after the
// candidate's calls therefore sees exactly the candidate's allocations. The few libc internals
// that call __libc_malloc/__libc_free directly (locales, atexit beyond 32 handlers) pair up with
// each other and are not counted.

// - It holds the fuel counter (fuel.ts): the candidate's code, compiled with
//   -fsanitize-coverage=trace-pc-guard, calls __sanitizer_cov_trace_pc_guard on every edge; past
//   the budget in the environment (RUNNER_FUEL) the program traps in runner_fuel_exhausted. The
//   budget is read with WASI calls into static buffers: no allocation, so the counts above do not
//   move. A measured run (RUNNER_FUEL_REPORT) writes the steps it used last on stderr.
import { FUEL_ENV, FUEL_EXHAUSTED_FUNCTION, FUEL_REPORT_ENV, FUEL_REPORT_MARKER } from './fuel.ts';

export const SHIM_FILE = 'runner_shim.c';
export const OUT_OF_MEMORY_MARKER = '[runner] out of memory:';
export const INVALID_FREE_MARKER = '[runner] invalid free:';

export const WRAPPED_ALLOCATORS = ['malloc', 'calloc', 'realloc', 'aligned_alloc', 'posix_memalign', 'free'];

export function shimSource(memoryBytes: number): string {
  return `#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__real_aligned_alloc(size_t, size_t);
int __real_posix_memalign(void **, size_t, size_t);
void __real_free(void *);

static void runner_note_failure(const char *what, size_t bytes) {
  if (bytes > ${memoryBytes}u) return; /* would fail with any memory: not the limit's doing */
  char line[160];
  int length = snprintf(line, sizeof line, "\\n${OUT_OF_MEMORY_MARKER} %s(%zu) failed: the ${memoryBytes / (1024 * 1024)} MiB memory limit is reached\\n", what, bytes);
  if (length > 0) write(2, line, (size_t)length);
}

/* ---- live pointers: open addressing, linear probing, deletion by backward shift ---- */

static void **runner_slots;       /* NULL marks an empty slot */
static size_t runner_capacity;    /* a power of two, or 0 before the first allocation */
static size_t runner_live;        /* live allocations (= pointers in the set while tracking) */
static size_t runner_invalid;     /* frees of pointers that were not live */
static int runner_untracked;      /* the set could not grow: count only, trust every free */

size_t runner_allocations_live(void) { return runner_live; }
size_t runner_invalid_frees(void) { return runner_invalid; }

static size_t runner_home(const void *pointer, size_t capacity) {
  /* Mix the bits (heap pointers are 8-aligned and close together) before masking. */
  uint32_t key = (uint32_t)((uintptr_t)pointer >> 3);
  key ^= key >> 16;
  key *= 0x7feb352du;
  key ^= key >> 15;
  return (size_t)key & (capacity - 1);
}

static void runner_place(void **slots, size_t capacity, void *pointer) {
  size_t i = runner_home(pointer, capacity);
  while (slots[i]) i = (i + 1) & (capacity - 1);
  slots[i] = pointer;
}

/* Gives up tracking (counting goes on) when the set cannot grow: the program's own
   allocations matter more than our bookkeeping near the memory limit. */
static void runner_stop_tracking(void) {
  runner_untracked = 1;
  __real_free(runner_slots);
  runner_slots = NULL;
  runner_capacity = 0;
}

static void runner_track(void *pointer) {
  runner_live++;
  if (runner_untracked) return;
  if (runner_live * 2 > runner_capacity) { /* keep the load at most 1/2 */
    size_t capacity = runner_capacity ? runner_capacity * 2 : 256;
    void **slots = __real_calloc(capacity, sizeof *slots);
    if (!slots) { runner_stop_tracking(); return; }
    for (size_t i = 0; i < runner_capacity; i++)
      if (runner_slots[i]) runner_place(slots, capacity, runner_slots[i]);
    __real_free(runner_slots);
    runner_slots = slots;
    runner_capacity = capacity;
  }
  runner_place(runner_slots, runner_capacity, pointer);
}

/* Removes a live pointer; returns 0 (and changes nothing) if it is not one. */
static int runner_untrack(void *pointer) {
  if (runner_untracked) {
    if (runner_live) runner_live--;
    return 1;
  }
  if (!runner_capacity) return 0;
  size_t mask = runner_capacity - 1;
  size_t i = runner_home(pointer, runner_capacity);
  while (runner_slots[i] != pointer) {
    if (!runner_slots[i]) return 0;
    i = (i + 1) & mask;
  }
  /* Backward shift: move later entries of the probe run into the hole when their home allows. */
  size_t hole = i;
  for (size_t j = (i + 1) & mask; runner_slots[j]; j = (j + 1) & mask) {
    size_t home = runner_home(runner_slots[j], runner_capacity);
    /* The entry at j may move to the hole unless its home lies cyclically in (hole, j]. */
    int stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!stays) {
      runner_slots[hole] = runner_slots[j];
      hole = j;
    }
  }
  runner_slots[hole] = NULL;
  runner_live--;
  return 1;
}

static void runner_note_invalid(const char *what, void *pointer) {
  runner_invalid++;
  if (runner_invalid > 10) return; /* a loop of bad frees must not flood stderr */
  char line[200];
  int length = snprintf(line, sizeof line, "\\n${INVALID_FREE_MARKER} %s(%p): not a live allocation (freed twice, never allocated, or not the start of a block); ignored\\n", what, pointer);
  if (length > 0) write(2, line, (size_t)length);
}

void *__wrap_malloc(size_t size) {
  void *result = __real_malloc(size);
  if (result) runner_track(result);
  else if (size) runner_note_failure("malloc", size);
  return result;
}

void *__wrap_calloc(size_t count, size_t size) {
  void *result = __real_calloc(count, size);
  size_t bytes;
  if (result) runner_track(result);
  else if (count && size && !__builtin_mul_overflow(count, size, &bytes)) runner_note_failure("calloc", bytes);
  return result;
}

void *__wrap_realloc(void *pointer, size_t size) {
  if (!pointer) return __wrap_malloc(size);
  if (runner_untracked) { /* neutral: the block stays live whether it moves or not */
    void *result = __real_realloc(pointer, size);
    if (!result && size) runner_note_failure("realloc", size);
    return result;
  }
  /* Check before the real realloc reads the block's header. */
  if (!runner_untrack(pointer)) {
    runner_note_invalid("realloc", pointer);
    return NULL;
  }
  void *result = __real_realloc(pointer, size);
  runner_track(result ? result : pointer); /* on failure the old block is still live */
  if (!result && size) runner_note_failure("realloc", size);
  return result;
}

void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  void *result = __real_aligned_alloc(alignment, size);
  if (result) runner_track(result);
  else if (size) runner_note_failure("aligned_alloc", size);
  return result;
}

int __wrap_posix_memalign(void **out, size_t alignment, size_t size) {
  int status = __real_posix_memalign(out, alignment, size);
  if (!status && *out) runner_track(*out);
  else if (size) runner_note_failure("posix_memalign", size);
  return status;
}

/* ---- fuel ---- */

static unsigned long long runner_fuel_used;
static unsigned long long runner_fuel_limit = ~0ull;
static int runner_fuel_loaded;
static int runner_fuel_report;

__attribute__((noinline)) void ${FUEL_EXHAUSTED_FUNCTION}(void) { __builtin_trap(); }

/* The value of an environment variable as a number, or -1 when it is absent or not a number. */
static long long runner_env_number(const char *name) {
  static char text[1024];
  static char *entries[16];
  __wasi_size_t count, size;
  if (__wasi_environ_sizes_get(&count, &size) != 0 || count > 16 || size > sizeof text) return -1;
  if (__wasi_environ_get((uint8_t **)entries, (uint8_t *)text) != 0) return -1;
  size_t length = strlen(name);
  for (__wasi_size_t i = 0; i < count; i++) {
    const char *entry = entries[i];
    if (strncmp(entry, name, length) != 0 || entry[length] != '=') continue;
    long long value = 0;
    const char *digit = entry + length + 1;
    if (!*digit) return -1;
    for (; *digit; digit++) {
      if (*digit < '0' || *digit > '9' || value > 100000000000000000ll) return -1;
      value = value * 10 + (*digit - '0');
    }
    return value;
  }
  return -1;
}

static void runner_fuel_load(void) {
  runner_fuel_loaded = 1;
  long long limit = runner_env_number("${FUEL_ENV}");
  if (limit >= 0) runner_fuel_limit = (unsigned long long)limit;
  runner_fuel_report = runner_env_number("${FUEL_REPORT_ENV}") > 0;
}

/* Before the candidate's own constructors (and loaded again on first use if one runs earlier). */
__attribute__((constructor(101))) static void runner_fuel_start(void) {
  if (!runner_fuel_loaded) runner_fuel_load();
}

__attribute__((destructor(101))) static void runner_fuel_end(void) {
  if (!runner_fuel_report) return;
  char line[80];
  int length = snprintf(line, sizeof line, "\\n${FUEL_REPORT_MARKER} %llu\\n", runner_fuel_used);
  if (length > 0) write(2, line, (size_t)length);
}

void __sanitizer_cov_trace_pc_guard_init(uint32_t *start, uint32_t *stop) { (void)start; (void)stop; }

void __sanitizer_cov_trace_pc_guard(uint32_t *guard) {
  (void)guard;
  if (__builtin_expect(++runner_fuel_used > runner_fuel_limit || !runner_fuel_loaded, 0)) {
    if (!runner_fuel_loaded) runner_fuel_load();
    if (runner_fuel_used > runner_fuel_limit) ${FUEL_EXHAUSTED_FUNCTION}();
  }
}

void __wrap_free(void *pointer) {
  if (!pointer) return;
  if (!runner_untrack(pointer)) {
    runner_note_invalid("free", pointer);
    return;
  }
  __real_free(pointer);
}
`;
}
