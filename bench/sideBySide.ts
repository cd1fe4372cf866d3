/**
 * `node --import tsx bench/sideBySide.ts '{"S":10000,"gamma":0.9,"reps":3,"pairs":15,"methods":["bicgstab",…]}'`:
 * fedpg-lab's exact ∇J and SciPy's on the same sparse Garnet (A = 4, b = 5), timed side by side in two
 * long-lived processes (bench/exactServe.ts, bench/scipy_baseline.py --serve), so that the load of a
 * shared machine falls on both alike. First every SciPy method `reps` times, interleaved (its table and the
 * choice of the best: the fastest that met the guarantee, else the fastest); then `pairs` pairs of one
 * fedpg-lab call and one call of the best method, which goes first alternating. Each call's CPU time is
 * taken in its own process. Prints JSON: the two ready lines, every method's times, the pairs.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PYTHON } from './exactScale';

const job = JSON.parse(process.argv[2]) as { S: number; gamma: number; reps: number; pairs: number; methods: string[] };

/** Lines of a child's stdout, one at a time; rejects with its stderr if it exits first. */
function lineReader(child: ChildProcessWithoutNullStreams, name: string): () => Promise<string> {
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let pending = '';
  let stderr = '';
  let failed: Error | null = null;
  const fail: ((e: Error) => void)[] = [];
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (c: string) => (stderr += c));
  child.stdout.on('data', (c: string) => {
    pending += c;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      const w = waiting.shift();
      if (w) {
        fail.shift();
        w(line);
      } else lines.push(line);
    }
  });
  child.on('exit', (code) => {
    if (code === 0) return;
    failed = new Error(`${name} exited with ${code}:\n${stderr}`);
    for (const f of fail.splice(0)) f(failed);
  });
  return () =>
    new Promise((resolve, reject) => {
      const line = lines.shift();
      if (line !== undefined) resolve(line);
      else if (failed) reject(failed);
      else {
        waiting.push(resolve);
        fail.push(reject);
      }
    });
}

function median(xs: number[]): number {
  const t = [...xs].sort((a, b) => a - b);
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2;
}

async function main(): Promise<void> {
  const ours = spawn(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', join(__dirname, 'exactServe.ts'), JSON.stringify({ S: job.S, A: 4, b: 5, gamma: job.gamma })]);
  const oursLine = lineReader(ours, 'bench/exactServe.ts');
  const oursReady = JSON.parse(await oursLine()) as { files: Record<string, unknown> } & Record<string, unknown>;
  // One BLAS thread: CPU time would otherwise count OpenBLAS's threads spinning (the sparse products are single-threaded).
  const sc = spawn(PYTHON, [join(__dirname, 'scipy_baseline.py'), '--serve'], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' } });
  const scLine = lineReader(sc, 'bench/scipy_baseline.py --serve');
  sc.stdin.write(`${JSON.stringify({ ...oursReady.files, gamma: job.gamma, methods: job.methods })}\n`);
  const scReady = JSON.parse(await scLine()) as { scipy: string; methods: Record<string, { iterations: number[]; met: boolean }> };
  const askOurs = async () => {
    ours.stdin.write('\n');
    return Number(await oursLine()) * 1000;
  };
  const askScipy = async (m: string) => {
    sc.stdin.write(`${m}\n`);
    return Number(await scLine()) * 1000;
  };
  const times: Record<string, number[]> = Object.fromEntries(job.methods.map((m) => [m, []]));
  for (let r = 0; r < job.reps; r++) for (const m of job.methods) times[m].push(await askScipy(m));
  const ranked = job.methods.map((m) => ({ m, met: scReady.methods[m].met, ms: median(times[m]) })).sort((a, b) => Number(b.met) - Number(a.met) || a.ms - b.ms);
  const best = ranked[0].m;
  const pairs: { ours: number; scipy: number }[] = [];
  for (let i = 0; i < job.pairs; i++) {
    if (i % 2 === 0) {
      const o = await askOurs();
      pairs.push({ ours: o, scipy: await askScipy(best) });
    } else {
      const s = await askScipy(best);
      pairs.push({ ours: await askOurs(), scipy: s });
    }
  }
  ours.stdin.end();
  sc.stdin.end();
  rmSync(dirname(oursReady.files.next as string), { recursive: true, force: true });
  console.log(JSON.stringify({ ours: oursReady, scipy: scReady, times, best, pairs }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
