#!/usr/bin/env node
/**
 * fedpg-lab command line:
 *   fedpg-lab sweep <experiment.json> [--budget quick|full] [--workers N] [--shard i/n] [--out DIR]
 *   fedpg-lab merge --out DIR [--allow-revision-change] <results dir> [<results dir> …]
 *   fedpg-lab slurm <experiment.json> [--budget NAME] --tasks n [SLURM options] [--out DIR] [--dry-run]
 *   fedpg-lab status DIR
 *   fedpg-lab [<command>] --help
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { commandHelp, helpText } from './experiments/commandHelp';
import { nearestName } from './core/schema';
import { checkOneOf } from './core/check';
import { isFolderName } from './core/names';
import { terminalProgress } from './experiments/progress';
import { readExperiment } from './experiments/readExperiment';
import { SHARD_BALANCES } from './experiments/shardPlan';
import { clusterCommand } from './experiments/slurmCommand';
import { parseShard } from './experiments/spec';
import { mergeResults } from './experiments/store';
import { sweep } from './experiments/sweep';
import { formatLocalStatus, localSweepStatus } from './experiments/localStatus';

const USAGE = `usage:\n${Object.values(commandHelp()).map((c) => `  ${c.usage}`).join('\n')}\n(fedpg-lab <command> --help: its flags and an example)`;

/** A malformed command line; the message names the flag and the value. */
export class UsageError extends Error {}

/** Flags that take no value. */
const SWITCHES = new Set(['allow-revision-change', 'dry-run']);

function parseArgs(argv: string[]): { positional: string[]; flags: Record<string, string> } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const eq = a.indexOf('=');
    const name = a.startsWith('--') ? a.slice(2, eq < 0 ? undefined : eq) : '';
    if (SWITCHES.has(name)) {
      if (name in flags) throw new UsageError(`--${name} is given twice`);
      // A switch is on when given; `--switch=true` and `--switch=false` are read as written, any other value is refused.
      const value = eq < 0 ? 'true' : a.slice(eq + 1);
      if (value !== 'true' && value !== 'false') throw new UsageError(`--${name} is a switch: give it alone (or =true, =false), got ${JSON.stringify(a)}`);
      flags[name] = value;
    } else if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(2, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a.slice(2), argv[++i]];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`--${k} needs a value`);
      if (v.trim() === '') throw new UsageError(`--${k} is empty: give a value`);
      if (k in flags) throw new UsageError(`--${k} is given twice (${JSON.stringify(flags[k])} and ${JSON.stringify(v)})`);
      flags[k] = v;
    } else positional.push(a);
  }
  return { positional, flags };
}

/** A flag's value as an integer in [min, max], or a UsageError naming the flag and the value. */
export function integerFlag(name: string, text: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (text === undefined) return undefined;
  const x = /^[+]?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(x) || x < min || x > max) throw new UsageError(`--${name} must be an integer${max === Number.MAX_SAFE_INTEGER ? ` ≥ ${min}` : ` in [${min}, ${max}]`}, got ${JSON.stringify(text)}`);
  return x;
}

/** A flag's value as a finite number ≥ 0, or a UsageError naming the flag and the value. */
export function nonNegativeFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const x = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(x) || x < 0) throw new UsageError(`--${name} must be a number ≥ 0, got ${JSON.stringify(text)}`);
  return x;
}

/** A flag naming a budget: letters, digits, '.', '_' or '-'. */
function nameFlag(name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!isFolderName(text)) throw new UsageError(`--${name} must be a name of letters, digits, '.', '_' or '-', not only dots, got ${JSON.stringify(text)}`);
  return text;
}

/** Whether a command line asks for help: `--help` or `-h` anywhere after the command (before any parsing, which would want a value for it). */
export function asksForHelp(rest: readonly string[]): boolean {
  return rest.includes('--help') || rest.includes('-h');
}

/**
 * `fedpg-lab status DIR`: the --out folder of `fedpg-lab slurm` (it has slurm/plan.json) goes to the SLURM
 * status; a results folder written by `sweep` (it has manifest.json) gets the local status. Exit 0 when
 * every job is done, 3 while work is left.
 */
function statusOf(rest: string[]): number {
  const dir = rest.length === 1 && !rest[0].startsWith('--') ? resolve(rest[0]) : undefined;
  if (dir === undefined || existsSync(join(dir, 'slurm', 'plan.json')) || !existsSync(join(dir, 'manifest.json'))) return clusterCommand('status', rest);
  const s = localSweepStatus(dir);
  console.log(formatLocalStatus(s));
  return s.done === s.total ? 0 : 3;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const table = commandHelp();
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    console.log(helpText(command === 'help' ? rest[0] : undefined));
    return command === undefined ? 2 : 0;
  }
  if (command in table && asksForHelp(rest)) {
    console.log(helpText(command));
    return 0;
  }
  if (command === 'status') return statusOf(rest);
  // SLURM: the command parses and validates its own flags (src/experiments/slurm.ts).
  if (command === 'slurm') return clusterCommand(command, rest);
  const { positional, flags } = parseArgs(rest);
  const known = (allowed: string[]) => {
    for (const k of Object.keys(flags)) {
      if (allowed.includes(k)) continue;
      const near = nearestName(k, allowed);
      throw new UsageError(`unknown option --${k}${near ? `; did you mean --${near}?` : ''} (options: ${allowed.map((a) => `--${a}`).join(', ')})`);
    }
  };
  if (command === 'sweep') {
    known(['budget', 'workers', 'shard', 'balance', 'out', 'checkpoint-seconds', 'allow-revision-change']);
    if (positional.length !== 1) {
      const extra = positional.slice(1).find((p) => ['true', 'false'].includes(p));
      if (extra && flags['allow-revision-change']) throw new UsageError(`--allow-revision-change takes no value (got ${JSON.stringify(extra)} after it)`);
      throw new UsageError(`sweep takes one experiment file, got ${positional.length}${positional.length > 1 ? `: ${positional.map((p) => JSON.stringify(p)).join(', ')}` : ''}`);
    }
    const file = resolve(positional[0]);
    const spec = readExperiment(file);
    const workers = integerFlag('workers', flags.workers, 0, 256);
    const budget = nameFlag('budget', flags.budget);
    const checkpointSeconds = nonNegativeFlag('checkpoint-seconds', flags['checkpoint-seconds']);
    let shard: { index: number; count: number } | undefined;
    try {
      shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
    } catch (e) {
      throw new UsageError(`--shard ${(e as Error).message.replace(/^shard /, '')}`);
    }
    const result = await sweep(spec, {
      budget,
      workers,
      shard,
      balance: flags.balance === undefined ? undefined : checkOneOf('--balance', flags.balance, SHARD_BALANCES),
      out: flags.out,
      baseDir: dirname(file),
      checkpointSeconds,
      allowRevisionChange: flags['allow-revision-change'] === 'true',
      onProgress: terminalProgress(),
    });
    console.log(`${spec.name}${flags.budget ? ` (${flags.budget})` : ''}: ${result.jobs} jobs (${result.skipped} already done), ${result.rows.length} rows in ${result.dir}`);
    for (const f of result.failures) console.error(`job ${f.id} failed: ${f.message}`);
    return result.failures.length > 0 ? 1 : 0;
  }
  if (command === 'merge') {
    known(['out', 'allow-revision-change']);
    if (!flags.out || positional.length === 0) throw new UsageError('merge needs --out DIR and at least one results directory');
    const { jobs, missing } = mergeResults(resolve(flags.out), positional.map((p) => resolve(p)), undefined, { allowRevisionChange: flags['allow-revision-change'] === 'true' });
    console.log(`merged ${jobs} jobs into ${flags.out}${missing > 0 ? `; ${missing} jobs are still missing` : ''}`);
    return missing > 0 ? 1 : 0;
  }
  const near = nearestName(command, ['sweep', 'merge', 'slurm', 'status', 'help']);
  throw new UsageError(`unknown command "${command}"${near ? `; did you mean ${near}?` : ''}`);
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
