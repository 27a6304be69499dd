// Worker thread that runs compiled WASI programs: one WebAssembly.Module (posted by the parent,
// compiled once), a fresh instance with fresh memory per run. The program can call only the
// functions below: a minimal WASI preview 1 with stdin, stdout and stderr, clocks, randomness and
// sleeping, and nothing else (no preopened directories, no sockets; every other call fails).
// Runs are synchronous; the parent stops one that takes too long by terminating this worker.
// Plain JavaScript so that Node, tsx and vitest all start it the same way.
import { parentPort } from 'node:worker_threads';
import { getRandomValues } from 'node:crypto';

// Enough frames to tell runaway recursion from an ordinary trap, few enough to symbolize quickly.
Error.stackTraceLimit = 24;

const ERRNO = { SUCCESS: 0, BADF: 8, INVAL: 28, NOSYS: 52, SPIPE: 70, NOTCAPABLE: 76 };
const FILETYPE_CHARACTER_DEVICE = 2;
const CLOCK_REALTIME = 0;
const SUBSCRIPTION_CLOCK_ABSTIME = 1;
const EVENTTYPE_CLOCK = 0;
const MAX_SLEEP_MS = 60_000;
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Thrown by proc_exit to unwind the program. */
class ProcExit {
  constructor(code) {
    this.code = code;
  }
}

/** Thrown by fd_write once stdout or stderr crosses the cap, to stop the program at once. */
class OutputLimit {
  constructor(stream) {
    this.stream = stream;
  }
}

/**
 * The live output of the current run, kept in memory shared with the parent so that what a
 * program printed before it was stopped for time survives the termination of this worker.
 * Layout: Int32 [stdout length, stderr length], then `cap` bytes of stdout, then `cap` of stderr.
 */
class SharedOutput {
  constructor(buffer, cap) {
    this.lengths = new Int32Array(buffer, 0, 2);
    this.streams = [new Uint8Array(buffer, 8, cap), new Uint8Array(buffer, 8 + cap, cap)];
    this.cap = cap;
  }

  reset() {
    Atomics.store(this.lengths, 0, 0);
    Atomics.store(this.lengths, 1, 0);
  }

  /** Appends to stream 0 (stdout) or 1 (stderr); false once the cap has been crossed. */
  append(stream, bytes) {
    const length = this.lengths[stream];
    const room = this.cap - length;
    const taken = Math.min(room, bytes.length);
    this.streams[stream].set(bytes.subarray(0, taken), length);
    Atomics.store(this.lengths, stream, length + taken);
    return bytes.length <= room;
  }

  copy(stream) {
    return this.streams[stream].slice(0, this.lengths[stream]);
  }
}

function wasiImports(state) {
  const view = () => new DataView(state.memory.buffer);
  const bytes = () => new Uint8Array(state.memory.buffer);
  const argv = [new TextEncoder().encode('program\0')];
  const isStdio = (fd) => fd >= 0 && fd <= 2;
  const nosys = () => ERRNO.NOSYS;
  const badf = () => ERRNO.BADF;
  const notcapable = () => ERRNO.NOTCAPABLE;

  const imports = {
    args_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, argv.length, true);
      view().setUint32(sizePtr, argv.reduce((sum, arg) => sum + arg.length, 0), true);
      return ERRNO.SUCCESS;
    },
    args_get(argvPtr, bufPtr) {
      let offset = bufPtr;
      argv.forEach((arg, index) => {
        view().setUint32(argvPtr + 4 * index, offset, true);
        bytes().set(arg, offset);
        offset += arg.length;
      });
      return ERRNO.SUCCESS;
    },
    environ_sizes_get(countPtr, sizePtr) {
      view().setUint32(countPtr, 0, true);
      view().setUint32(sizePtr, 0, true);
      return ERRNO.SUCCESS;
    },
    environ_get: () => ERRNO.SUCCESS,
    clock_res_get(_id, resultPtr) {
      view().setBigUint64(resultPtr, 1000n, true);
      return ERRNO.SUCCESS;
    },
    clock_time_get(id, _precision, resultPtr) {
      const now = id === CLOCK_REALTIME ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
      view().setBigUint64(resultPtr, now, true);
      return ERRNO.SUCCESS;
    },
    fd_write(fd, iovs, iovsLength, writtenPtr) {
      if (fd !== 1 && fd !== 2) return ERRNO.BADF;
      const memory = view();
      let written = 0;
      for (let index = 0; index < iovsLength; index++) {
        const pointer = memory.getUint32(iovs + 8 * index, true);
        const length = memory.getUint32(iovs + 8 * index + 4, true);
        if (length === 0) continue;
        const chunk = new Uint8Array(state.memory.buffer, pointer, length);
        if (!state.output.append(fd - 1, chunk)) throw new OutputLimit(fd - 1);
        written += length;
      }
      memory.setUint32(writtenPtr, written, true);
      return ERRNO.SUCCESS;
    },
    fd_read(fd, iovs, iovsLength, readPtr) {
      if (fd !== 0) return ERRNO.BADF;
      const memory = view();
      let read = 0;
      for (let index = 0; index < iovsLength && state.stdinOffset < state.stdin.length; index++) {
        const pointer = memory.getUint32(iovs + 8 * index, true);
        const length = memory.getUint32(iovs + 8 * index + 4, true);
        const chunk = state.stdin.subarray(state.stdinOffset, state.stdinOffset + length);
        bytes().set(chunk, pointer);
        state.stdinOffset += chunk.length;
        read += chunk.length;
      }
      memory.setUint32(readPtr, read, true);
      return ERRNO.SUCCESS;
    },
    fd_fdstat_get(fd, resultPtr) {
      if (!isStdio(fd)) return ERRNO.BADF;
      const memory = view();
      // A character device without seek rights: libc treats it as a terminal, so stdout is
      // line-buffered and what a program printed before it crashed is still shown.
      memory.setUint8(resultPtr, FILETYPE_CHARACTER_DEVICE);
      memory.setUint16(resultPtr + 2, 0, true);
      memory.setBigUint64(resultPtr + 8, 0n, true);
      memory.setBigUint64(resultPtr + 16, 0n, true);
      return ERRNO.SUCCESS;
    },
    fd_filestat_get(fd, resultPtr) {
      if (!isStdio(fd)) return ERRNO.BADF;
      new Uint8Array(state.memory.buffer, resultPtr, 64).fill(0);
      view().setUint8(resultPtr + 16, FILETYPE_CHARACTER_DEVICE);
      return ERRNO.SUCCESS;
    },
    fd_seek: (fd) => (isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF),
    fd_tell: (fd) => (isStdio(fd) ? ERRNO.SPIPE : ERRNO.BADF),
    fd_close: (fd) => (isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
    fd_sync: (fd) => (isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
    fd_datasync: (fd) => (isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF),
    fd_fdstat_set_flags: (fd) => (isStdio(fd) ? ERRNO.NOSYS : ERRNO.BADF),
    // No preopened directories: libc finds nothing to open files under.
    fd_prestat_get: badf,
    fd_prestat_dir_name: badf,
    poll_oneoff(subscriptions, events, count, countPtr) {
      const memory = view();
      const subscription = (index) => {
        const base = subscriptions + 48 * index;
        return { base, tag: memory.getUint8(base + 8) };
      };
      // stdin, stdout and stderr are always ready; otherwise wait for the earliest clock.
      let fdWaited = false;
      for (let index = 0; index < count; index++) if (subscription(index).tag !== EVENTTYPE_CLOCK) fdWaited = true;
      let sleepMs = Infinity;
      let fired = [];
      for (let index = 0; index < count; index++) {
        const { base, tag } = subscription(index);
        if (tag !== EVENTTYPE_CLOCK) {
          const fd = memory.getUint32(base + 16, true);
          fired.push({ base, tag, error: isStdio(fd) ? ERRNO.SUCCESS : ERRNO.BADF });
        } else if (!fdWaited) {
          const id = memory.getUint32(base + 16, true);
          const timeout = memory.getBigUint64(base + 24, true);
          const absolute = (memory.getUint16(base + 40, true) & SUBSCRIPTION_CLOCK_ABSTIME) !== 0;
          const now = id === CLOCK_REALTIME ? BigInt(Date.now()) * 1_000_000n : process.hrtime.bigint();
          const ms = Number(absolute ? timeout - now : timeout) / 1e6;
          if (ms < sleepMs) {
            sleepMs = ms;
            fired = [];
          }
          if (ms <= sleepMs) fired.push({ base, tag, error: ERRNO.SUCCESS });
        }
      }
      if (count === 0) return ERRNO.INVAL;
      if (!fdWaited && sleepMs > 0) Atomics.wait(sleeper, 0, 0, Math.min(sleepMs, MAX_SLEEP_MS));
      const after = view();
      fired.forEach((event, index) => {
        const out = events + 32 * index;
        new Uint8Array(state.memory.buffer, out, 32).fill(0);
        after.setBigUint64(out, after.getBigUint64(event.base, true), true);
        after.setUint16(out + 8, event.error, true);
        after.setUint8(out + 10, event.tag);
      });
      after.setUint32(countPtr, fired.length, true);
      return ERRNO.SUCCESS;
    },
    random_get(pointer, length) {
      for (let offset = 0; offset < length; offset += 65_536) {
        getRandomValues(new Uint8Array(state.memory.buffer, pointer + offset, Math.min(65_536, length - offset)));
      }
      return ERRNO.SUCCESS;
    },
    sched_yield: () => ERRNO.SUCCESS,
    proc_exit(code) {
      throw new ProcExit(code);
    },
    proc_raise: nosys,
  };
  for (const name of [
    'path_open', 'path_create_directory', 'path_filestat_get', 'path_filestat_set_times', 'path_link',
    'path_readlink', 'path_remove_directory', 'path_rename', 'path_symlink', 'path_unlink_file',
  ]) imports[name] = notcapable;
  for (const name of [
    'fd_advise', 'fd_allocate', 'fd_fdstat_set_rights', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread',
    'fd_pwrite', 'fd_readdir', 'fd_renumber', 'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
  ]) imports[name] = nosys;
  return imports;
}

/** One run of `module` with `stdin`. Output goes to the shared buffer. */
function runOnce(module, stdin, output) {
  output.reset();
  const state = { memory: undefined, stdin, stdinOffset: 0, output };
  const started = performance.now();
  let kind = 'exited';
  let exitCode = 0;
  let trapMessage;
  let truncated;
  try {
    const instance = new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasiImports(state) });
    state.memory = instance.exports.memory;
    instance.exports._start();
  } catch (error) {
    if (error instanceof ProcExit) exitCode = error.code;
    else if (error instanceof OutputLimit) {
      kind = 'output_limit';
      truncated = error.stream;
    }
    else {
      kind = 'trapped';
      exitCode = null;
      trapMessage = error instanceof Error ? String(error.stack ?? error.message) : String(error);
    }
  }
  const ms = performance.now() - started;
  return { kind, exitCode: kind === 'exited' ? exitCode : null, trapMessage, truncated, ms, stdout: output.copy(0), stderr: output.copy(1) };
}

parentPort.on('message', (request) => {
  // { id, module, inputs: Uint8Array[], first, buffer, cap }
  const output = new SharedOutput(request.buffer, request.cap);
  for (let index = request.first; index < request.inputs.length; index++) {
    parentPort.postMessage({ type: 'started', id: request.id, index });
    const outcome = runOnce(request.module, request.inputs[index], output);
    parentPort.postMessage({ type: 'finished', id: request.id, index, outcome });
  }
  parentPort.postMessage({ type: 'done', id: request.id });
});
