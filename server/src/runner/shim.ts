// C linked into every program. The allocation wrappers leave a note on stderr when an allocation
// that would fit in a larger memory fails, so that a crash or exit that follows can be reported as
// "memory limit reached" rather than as a mystery. The program still sees NULL, as C promises.

export const SHIM_FILE = 'runner_shim.c';
export const OUT_OF_MEMORY_MARKER = '[runner] out of memory:';

export const WRAPPED_ALLOCATORS = ['malloc', 'calloc', 'realloc', 'aligned_alloc', 'posix_memalign'];

export function shimSource(memoryBytes: number): string {
  return `#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

void *__real_malloc(size_t);
void *__real_calloc(size_t, size_t);
void *__real_realloc(void *, size_t);
void *__real_aligned_alloc(size_t, size_t);
int __real_posix_memalign(void **, size_t, size_t);

static void runner_note_failure(const char *what, size_t bytes) {
  if (bytes > ${memoryBytes}u) return; /* would fail with any memory: not the limit's doing */
  char line[160];
  int length = snprintf(line, sizeof line, "\\n${OUT_OF_MEMORY_MARKER} %s(%zu) failed: the ${memoryBytes / (1024 * 1024)} MiB memory limit is reached\\n", what, bytes);
  if (length > 0) write(2, line, (size_t)length);
}

void *__wrap_malloc(size_t size) {
  void *result = __real_malloc(size);
  if (!result && size) runner_note_failure("malloc", size);
  return result;
}

void *__wrap_calloc(size_t count, size_t size) {
  void *result = __real_calloc(count, size);
  size_t bytes;
  if (!result && count && size && !__builtin_mul_overflow(count, size, &bytes)) runner_note_failure("calloc", bytes);
  return result;
}

void *__wrap_realloc(void *pointer, size_t size) {
  void *result = __real_realloc(pointer, size);
  if (!result && size) runner_note_failure("realloc", size);
  return result;
}

void *__wrap_aligned_alloc(size_t alignment, size_t size) {
  void *result = __real_aligned_alloc(alignment, size);
  if (!result && size) runner_note_failure("aligned_alloc", size);
  return result;
}

int __wrap_posix_memalign(void **out, size_t alignment, size_t size) {
  int status = __real_posix_memalign(out, alignment, size);
  if (status && size) runner_note_failure("posix_memalign", size);
  return status;
}
`;
}
