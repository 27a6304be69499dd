// How the cases of one grade share the sandbox: a few at a time, the slowest started first, each
// in an instance of its own. Any ProgramRunner's runAll can be this over its own run().
import type { ProgramOutcome, ProgramRunner, RunInput, RunLimits, SandboxProgram } from './ports.ts';

/**
 * Runs one program once per input, each in a sandbox instance of its own (so that no case can
 * leave anything behind for the next), `caseLanes` of them at once, starting them in `order`
 * (input indices; default: input order). The outcomes come back in input order, and `onOutcome`
 * hears of each as it ends.
 */
export async function runInLanes(
  runner: Pick<ProgramRunner, 'run'>,
  program: SandboxProgram,
  inputs: RunInput[],
  limits: RunLimits & { caseLanes: number },
  onOutcome?: (outcome: ProgramOutcome) => void,
  order: readonly number[] = inputs.map((_, index) => index),
): Promise<ProgramOutcome[]> {
  if (order.length !== inputs.length || new Set(order).size !== inputs.length || order.some((index) => !(index in inputs))) {
    throw new RangeError('the run order must name every input once');
  }
  const outcomes: ProgramOutcome[] = new Array(inputs.length);
  let next = 0;
  const lane = async () => {
    for (let index = order[next++]; index !== undefined; index = order[next++]) {
      let outcome: ProgramOutcome;
      try {
        outcome = await runner.run(program, inputs[index]!, limits);
      } catch (error) {
        next = order.length; // the other lanes start nothing more
        throw error;
      }
      outcomes[index] = outcome;
      onOutcome?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limits.caseLanes, inputs.length)) }, lane));
  return outcomes;
}

/**
 * Input indices, slowest first by the times given (stable for equal times): started in this order,
 * a long case does not begin last and leave the other lanes idle.
 */
export function longestFirst(times: readonly number[]): number[] {
  return times.map((_, index) => index).sort((a, b) => times[b]! - times[a]! || a - b);
}
