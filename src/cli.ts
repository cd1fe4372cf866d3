#!/usr/bin/env node
/**
 * fedpg-lab command line:
 *   fedpg-lab sweep <experiment.json> [--budget quick|full] [--workers N] [--shard i/n] [--out DIR]
 *   fedpg-lab merge --out DIR <results dir> [<results dir> …]
 *   fedpg-lab slurm <experiment.json> [--budget NAME] --tasks n [SLURM options] [--out DIR] [--dry-run]
 *   fedpg-lab status DIR
 */
import { dirname, resolve } from 'node:path';
import { checkOneOf } from './core/check';
import { terminalProgress } from './experiments/progress';
import { readExperiment } from './experiments/readExperiment';
import { SHARD_BALANCES } from './experiments/shardPlan';
import { clusterCommand } from './experiments/slurmCommand';
import { SLURM_USAGE } from './experiments/slurm';
import { parseShard } from './experiments/spec';
import { mergeResults } from './experiments/store';
import { sweep } from './experiments/sweep';

const USAGE = `usage:
  fedpg-lab sweep <experiment.json> [--budget NAME] [--workers N] [--shard i/n [--balance index|work]] [--out DIR] [--checkpoint-seconds S]
  fedpg-lab merge --out DIR <results dir> [<results dir> ...]
  ${SLURM_USAGE}
  fedpg-lab status DIR`;

class UsageError extends Error {}

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined) throw new UsageError(`--${k} needs a value`);
      flags[k] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // SLURM: the commands parse and validate their own flags (src/experiments/slurm.ts).
  if (command === 'slurm' || command === 'status') return clusterCommand(command, rest);
  const { positional, flags } = parseArgs(rest);
  const known = (allowed: string[]) => {
    for (const k of Object.keys(flags)) if (!allowed.includes(k)) throw new UsageError(`unknown option --${k}`);
  };
  if (command === 'sweep') {
    known(['budget', 'workers', 'shard', 'balance', 'out', 'checkpoint-seconds']);
    if (positional.length !== 1) throw new UsageError('sweep takes one experiment file');
    const file = resolve(positional[0]);
    const spec = readExperiment(file);
    const workers = flags.workers === undefined ? undefined : Number(flags.workers);
    const result = await sweep(spec, {
      budget: flags.budget,
      workers,
      shard: flags.shard ? parseShard(flags.shard) : undefined,
      balance: flags.balance === undefined ? undefined : checkOneOf('--balance', flags.balance, SHARD_BALANCES),
      out: flags.out,
      baseDir: dirname(file),
      checkpointSeconds: flags['checkpoint-seconds'] === undefined ? undefined : Number(flags['checkpoint-seconds']),
      onProgress: terminalProgress(),
    });
    console.log(`${spec.name}${flags.budget ? ` (${flags.budget})` : ''}: ${result.jobs} jobs (${result.skipped} already done), ${result.rows.length} rows in ${result.dir}`);
    for (const f of result.failures) console.error(`job ${f.id} failed: ${f.message}`);
    return result.failures.length > 0 ? 1 : 0;
  }
  if (command === 'merge') {
    known(['out']);
    if (!flags.out || positional.length === 0) throw new UsageError('merge needs --out DIR and at least one results directory');
    const { jobs, missing } = mergeResults(resolve(flags.out), positional.map((p) => resolve(p)));
    console.log(`merged ${jobs} jobs into ${flags.out}${missing > 0 ? `; ${missing} jobs are still missing` : ''}`);
    return missing > 0 ? 1 : 0;
  }
  if (command === undefined || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command === undefined ? 2 : 0;
  }
  throw new UsageError(`unknown command "${command}"`);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof UsageError ? `fedpg-lab: ${e.message}\n${USAGE}` : `fedpg-lab: ${(e as Error).message}`);
      process.exit(e instanceof UsageError ? 2 : 1);
    },
  );
}
