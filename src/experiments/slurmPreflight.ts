import { dirname, join } from 'node:path';
import { resourceDirectives, type ScriptContext, shellQuote, type SlurmRequest, slurmPaths } from './slurm';

/**
 * Preflight: before submitting, one short job with the run's partition and site options checks on a
 * compute node what the tasks will need (slurm/preflight.sh, run with `sbatch --wait`). The script is
 * here; slurmCommand.ts runs it and `preflightVerdict` reads its outcome.
 */

/** The line the preflight probe prints when every check passed. */
export const PREFLIGHT_OK = 'fedpg-lab preflight: ok';

/**
 * The preflight probe: a one-minute job with the run's partition and site options that checks, on a compute
 * node, what the tasks need: the setup lines run, the run's folder is writable, node runs and is ≥ 20, and
 * the snapshot's package loads and reads the snapshot's experiment (with its problem files and algorithm
 * modules). Each failed check prints a line `fedpg-lab preflight: …`; the last line is PREFLIGHT_OK when
 * all passed. A folder the node cannot see leaves no log at all (SLURM cannot open --output).
 */
export function preflightScript(r: SlurmRequest, ctx: ScriptContext): string {
  const p = slurmPaths(ctx.out);
  const q = shellQuote;
  const index = join(dirname(dirname(ctx.cli)), 'dist', 'index.js');
  const problem = (text: string) => `problem "${text}"`;
  return [
    '#!/bin/bash',
    `# fedpg-lab: preflight probe of ${ctx.name}; written by \`fedpg-lab slurm\`.`,
    `#SBATCH --job-name=fedpg-${ctx.name}-preflight`,
    `#SBATCH --output=${p.logs}/preflight.%j.log`,
    ...resourceDirectives(r, '1', r.mergeMem, undefined),
    'set -uo pipefail',
    'failed=0',
    'problem() { echo "fedpg-lab preflight: $*"; failed=1; }',
    'echo "fedpg-lab: preflight on $(hostname) (SLURM job ${SLURM_JOB_ID:-?})"',
    ...(r.setup.length > 0 ? ['{', '  :', ...r.setup.map((l) => `  ${l}`), `} || ${problem('the setup lines failed with exit status $? on $(hostname)')}`] : []),
    `dir=${q(ctx.out)}`,
    `node=${q(ctx.node)}`,
    'probe="$dir/.preflight-${SLURM_JOB_ID:-0}"',
    `if touch "$probe" 2>/dev/null; then rm -f "$probe"; else ${problem("the run's folder $dir is not writable from $(hostname)")}; fi`,
    `if ! command -v "$node" >/dev/null 2>&1; then ${problem("node ($node) is not found on $(hostname): give --node the path of node on the compute nodes, or a --setup line such as 'module load nodejs'")};`,
    `elif ! version=$("$node" -e 'process.stdout.write(process.versions.node)' 2>&1); then ${problem('node ($node) does not run on $(hostname): $version')};`,
    `elif [ "\${version%%.*}" -lt 20 ]; then ${problem('node $version on $(hostname) is older than 20')};`,
    `elif ! out=$("$node" -e 'require(process.argv[1]).readExperiment(process.argv[2])' ${q(index)} ${q(ctx.experiment)} 2>&1); then ${problem('the snapshot of the code or of the experiment does not load on $(hostname): $out')};`,
    'fi',
    `if [ "$failed" -eq 0 ]; then echo ${q(PREFLIGHT_OK)}; fi`,
    'exit "$failed"',
    '',
  ].join('\n');
}

/** How the probe ended, as slurmCommand.ts saw it. */
export interface ProbeOutcome {
  /** The probe's job id (undefined when sbatch did not submit it). */
  job?: string;
  /** sbatch --wait's exit status (the job's), or null when it was stopped (timeout). */
  status: number | null;
  /** Its log, when one was written. */
  log?: string;
  /** sbatch's own error output. */
  stderr: string;
  timedOut: boolean;
  /** What squeue said of a probe that did not finish in time ("PENDING (Resources)"). */
  queueState?: string;
}

/**
 * What the probe's outcome means: undefined when every check passed, else the message to show (the failed
 * checks, or why there are none: no log means SLURM could not write into the run's folder on the node).
 */
export function preflightVerdict(o: ProbeOutcome, out: string, logPath: string | undefined, waitedSeconds: number): string | undefined {
  const skip = 'fix it, or submit with --no-preflight to skip this check';
  if (o.job === undefined) return `the preflight probe could not be submitted: ${o.stderr.trim() || `sbatch exited with status ${o.status}`}; ${skip}`;
  if (o.timedOut) return `the preflight probe (job ${o.job}) did not run within ${waitedSeconds} s${o.queueState ? ` (SLURM: ${o.queueState})` : ''} and was cancelled: the partition may be busy or the request cannot be met; submit with --no-preflight to skip this check`;
  if (o.log === undefined) {
    return `the preflight probe (job ${o.job}) ended with status ${o.status} and wrote no log ${logPath ?? ''}: a compute node cannot write into the run's folder ${out} (a folder on the login node or on node-local scratch?). Choose an --out on a filesystem shared by the login and compute nodes; ${skip}`;
  }
  const problems = o.log.split('\n').filter((l) => l.startsWith('fedpg-lab preflight: ') && l.trim() !== PREFLIGHT_OK).map((l) => l.slice('fedpg-lab preflight: '.length));
  if (o.status === 0 && o.log.split('\n').some((l) => l.trim() === PREFLIGHT_OK)) return undefined;
  const host = /^fedpg-lab: preflight on ([^\s(]+)/m.exec(o.log)?.[1];
  if (problems.length === 0) return `the preflight probe (job ${o.job}${host ? ` on ${host}` : ''}) failed with status ${o.status} (log ${logPath}): ${o.log.trim().split('\n').slice(-3).join(' / ')}; ${skip}`;
  return `the preflight probe (job ${o.job}${host ? ` on ${host}` : ''}) found:\n${problems.map((p) => `  - ${p}`).join('\n')}\n${skip}`;
}
