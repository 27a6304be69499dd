// `npm run bench -- <runner|runs|realtime|replay|import|abuse|similarity> [options]`: prints tables; no targets are asserted here.
import { benchAbuse } from './abuse.ts';
import { benchImport } from './import.ts';
import { benchRealtime } from './realtime.ts';
import { benchReplay } from './replay.ts';
import { benchRunner } from './runner.ts';
import { benchRuns } from './runs.ts';
import { benchSimilarity } from './similarity.ts';

const benches: Record<string, (args: string[]) => Promise<void>> = {
  runner: benchRunner,
  runs: benchRuns,
  realtime: benchRealtime,
  replay: benchReplay,
  import: benchImport,
  abuse: benchAbuse,
  similarity: benchSimilarity,
};

const [name, ...args] = process.argv.slice(2);
const names = name ? [name] : Object.keys(benches);
for (const each of names) {
  const bench = benches[each];
  if (!bench) {
    console.error(`unknown benchmark "${each}"; choose one of: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  await bench(args);
}
process.exit(0);
