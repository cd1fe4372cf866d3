/**
 * `fedpg-lab --help`, `fedpg-lab help <command>` and `fedpg-lab <command> --help`: one table of the
 * commands, their flags and an example each. The slurm command's flags are read from its usage line
 * (experiments/slurm.ts `SLURM_USAGE`, which its parser follows), so a flag added there is listed here; its
 * meaning comes from SLURM_FLAG_HELP below (test/cli.test.ts checks that every flag has one).
 */
import { SLURM_USAGE } from './slurm';

/** One flag of a command: its name (without --), its value's placeholder (none for a switch), what it does. */
export interface FlagHelp {
  flag: string;
  value?: string;
  help: string;
}

/** One command of the CLI. */
export interface CommandHelp {
  summary: string;
  usage: string;
  flags: FlagHelp[];
  examples: string[];
  /** Further reading (a docs/ page). */
  more?: string;
}

/** What each flag of `fedpg-lab slurm` means (those of the usage line are shown; docs/cluster.md has the details). */
export const SLURM_FLAG_HELP: Record<string, string> = {
  budget: 'the budget to apply (quick, full, ci or one the experiment defines)',
  tasks: 'number of array tasks, one shard of the jobs each (required)',
  partition: 'SLURM partition',
  time: 'time limit per task ("30", "2:00:00", "1-12")',
  mem: 'memory per task ("4G", "500M")',
  'cpus-per-task': 'CPUs per task (the worker threads of its sweep)',
  'max-running': 'at most this many tasks at once',
  'merge-time': 'time limit of the merge job',
  'merge-mem': 'memory of the merge job',
  'sbatch-option': 'an sbatch option the site requires (--account=…, --qos=…), repeatable',
  setup: 'a shell line run before node starts (module load nodejs/20), repeatable',
  node: 'the node binary the tasks run (absolute path, or a name on PATH after the setup lines)',
  'checkpoint-seconds': 'seconds between a running job\'s checkpoints',
  'requeue-seconds': 'seconds before the time limit at which a task requeues itself (0: never)',
  'allow-revision-change': 'let the tasks run the current code in a run first submitted with other code',
  'no-preflight': 'skip the probe job that checks what a compute node sees before submitting',
  out: 'the run\'s folder (default data/results/<experiment>/<budget>-slurm)',
  'dry-run': 'print the scripts and the sbatch lines; write and submit nothing',
};

/** The flags of a usage line: `--name VALUE` or `--name`, in order. */
export function usageFlags(usage: string): { flag: string; value?: string }[] {
  return [...usage.matchAll(/--([a-z][a-z-]*)(?: ([A-Za-z][A-Za-z./]*))?/g)].map((m) => ({ flag: m[1], ...(m[2] && !m[2].startsWith('-') ? { value: m[2] } : {}) }));
}

/** The help table of every command. */
export function commandHelp(): Record<string, CommandHelp> {
  return {
    sweep: {
      summary: 'run every (configuration, seed) job of an experiment file on all cores, resumable',
      usage: 'fedpg-lab sweep <experiment.json> [--budget NAME] [--workers N] [--shard i/n [--balance index|work]] [--out DIR] [--checkpoint-seconds S] [--allow-revision-change]',
      flags: [
        { flag: 'budget', value: 'NAME', help: 'the budget to apply: quick, full, ci or one the experiment defines (default: the file as written)' },
        { flag: 'workers', value: 'N', help: 'worker threads (default: one per core; 0 runs the jobs on this thread)' },
        { flag: 'shard', value: 'i/n', help: 'run only shard i of n (0-based), e.g. one per machine; merge the shards with `merge`' },
        { flag: 'balance', value: 'index|work', help: 'how jobs are dealt to shards: by index (default) or by estimated work' },
        { flag: 'out', value: 'DIR', help: 'the results folder (default data/results/<experiment>/<budget>)' },
        { flag: 'checkpoint-seconds', value: 'S', help: 'seconds between a running job\'s checkpoints (default 20; 0: every round)' },
        { flag: 'allow-revision-change', help: 'resume a folder whose runs were computed by other code (recorded per run)' },
      ],
      examples: ['fedpg-lab sweep data/experiments/heterogeneity-bias.json --budget quick', 'fedpg-lab sweep data/experiments/rate-theorem1.json --budget full --shard 0/4 --balance work --out shard0'],
      more: 'data/experiments/README.md',
    },
    merge: {
      summary: 'merge the results folders of shards (or of interrupted runs) into one, every file verified',
      usage: 'fedpg-lab merge --out DIR [--allow-revision-change] <results dir> [<results dir> ...]',
      flags: [
        { flag: 'out', value: 'DIR', help: 'the merged results folder (required)' },
        { flag: 'allow-revision-change', help: 'merge shards whose runs were computed by different code (each run records its own)' },
      ],
      examples: ['fedpg-lab merge --out data/results/rate-theorem1/full shard0 shard1 shard2 shard3'],
      more: 'docs/cluster.md',
    },
    slurm: {
      summary: 'submit an experiment to a SLURM cluster as an array job (one shard per task) and a merge job',
      usage: SLURM_USAGE,
      flags: usageFlags(SLURM_USAGE).map((f) => ({ ...f, help: SLURM_FLAG_HELP[f.flag] ?? 'see docs/cluster.md' })),
      examples: ['fedpg-lab slurm data/experiments/rate-theorem1.json --budget full --tasks 16 --time 2:00:00 --dry-run'],
      more: 'docs/cluster.md',
    },
    status: {
      summary: 'where a run stands: a local sweep\'s results folder, or the --out folder of `fedpg-lab slurm`',
      usage: 'fedpg-lab status DIR',
      flags: [],
      examples: ['fedpg-lab status data/results/rate-theorem1/quick', 'fedpg-lab status data/results/rate-theorem1/full-slurm'],
      more: 'docs/cluster.md',
    },
  };
}

/** The text `--help` prints: every command's summary and usage, or one command's flags and examples. */
export function helpText(command?: string): string {
  const table = commandHelp();
  const entry = command === undefined ? undefined : table[command];
  if (!entry) {
    const lines = ['fedpg-lab: federated policy-gradient sweeps from the command line', '', 'commands:'];
    for (const [name, c] of Object.entries(table)) lines.push(`  ${name.padEnd(7)} ${c.summary}`);
    lines.push('', 'usage:', ...Object.values(table).map((c) => `  ${c.usage}`), '', 'fedpg-lab <command> --help   flags and an example of one command');
    return lines.join('\n');
  }
  const width = Math.max(0, ...entry.flags.map((f) => `--${f.flag}${f.value ? ` ${f.value}` : ''}`.length));
  const lines = [`fedpg-lab ${command}: ${entry.summary}`, '', `usage: ${entry.usage}`];
  if (entry.flags.length > 0) lines.push('', 'flags:', ...entry.flags.map((f) => `  ${`--${f.flag}${f.value ? ` ${f.value}` : ''}`.padEnd(width)}  ${f.help}`));
  lines.push('', `example${entry.examples.length > 1 ? 's' : ''}:`, ...entry.examples.map((e) => `  ${e}`));
  if (entry.more) lines.push('', `more: ${entry.more}`);
  return lines.join('\n');
}
