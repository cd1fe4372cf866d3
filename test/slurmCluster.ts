/**
 * A SLURM cluster of one or more nodes on this machine, for tests: munged, slurmctld and one slurmd per node
 * started as root from a generated slurm.conf in a temporary directory (no systemd), with their sockets,
 * ports, state and logs all inside it so nothing of the machine's own configuration is used or touched.
 * Each slurmd runs in its own UTS namespace (`unshare -u`) with the hostname of its node (node1, node2, …)
 * and its own port, sharing the machine's filesystem and process table: a job on node2 sees `hostname`
 * node2, as on a real cluster, while the controller and the commands run under the machine's hostname
 * (the login node). `stop()` ends exactly the daemons this started, by the PIDs they wrote.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';

export interface Cluster {
  /** The compute nodes' names (node1, node2, …). */
  nodes: string[];
  /** The login node's (this machine's) short hostname, where the controller runs. */
  login: string;
  /** Environment for SLURM commands and for the CLI: SLURM_CONF set. */
  env: NodeJS.ProcessEnv;
  dir: string;
  /** Run a SLURM client command against this cluster. */
  run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string };
  /** The last lines of the daemons' logs (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

/** An executable on PATH or in the sbin folders (root's daemons live there). */
function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

/** A TCP port nothing listens on right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Why a cluster cannot start here, or undefined when it can be tried. */
export function clusterUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `SLURM test cluster needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'starting a SLURM test cluster needs root (SlurmUser=root, slurmd runs jobs as their user)';
  const missing = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel', 'srun', 'unshare'].filter((b) => !which(b));
  if (missing.length > 0) return `SLURM or munge is not installed (missing ${missing.join(', ')}; Debian packages slurm-wlm and munge, installed by scripts/setup.sh as root)`;
  return undefined;
}

/**
 * Start munged, slurmctld and `nodes` slurmd (2 CPUs each); throws (after stopping what started) when a node
 * does not come up.
 */
export async function startCluster(dir: string, nodeCount = 1): Promise<Cluster> {
  const login = hostname().split('.')[0];
  const nodes = Array.from({ length: nodeCount }, (_, i) => `node${i + 1}`);
  const pidFiles: string[] = [];
  const paths = {
    key: join(dir, 'munge-key', 'munge.key'),
    socket: join(dir, 'munge-run', 'munge.socket'),
    conf: join(dir, 'slurm.conf'),
    log: join(dir, 'log'),
  };
  for (const d of ['munge-key', 'munge-run', 'state', 'spool', 'log']) mkdirSync(join(dir, d), { recursive: true });
  chmodSync(dir, 0o755);
  chmodSync(join(dir, 'munge-key'), 0o700);
  chmodSync(join(dir, 'munge-run'), 0o755);
  writeFileSync(paths.key, randomBytes(1024), { mode: 0o600 });
  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: paths.conf };
  const run = (command: string, args: string[]) => {
    const r = spawnSync(which(command) ?? command, args, { env, encoding: 'utf8', timeout: 30_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? r.error.message : ''}` };
  };
  const tailOf = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').slice(-15).join('\n') : '(none)');
  const logs = () => ['munged.log', 'slurmctld.log', ...nodes.map((n) => `slurmd.${n}.log`)].map((f) => `--- ${f}\n${tailOf(join(paths.log, f))}`).join('\n');
  const pids = () => pidFiles.filter(existsSync).map((f) => Number(readFileSync(f, 'utf8').trim())).filter((p) => p > 0);
  /**
   * Processes of this cluster still alive: every process started by its daemons (slurmstepd, the jobs)
   * inherits SLURM_CONF=<this cluster's slurm.conf>, a path no other process has.
   */
  const descendants = () => {
    const mark = `SLURM_CONF=${paths.conf}\0`;
    const found: number[] = [];
    for (const name of existsSync('/proc') ? readdirSync('/proc') : []) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (`${readFileSync(join('/proc', name, 'environ'), 'latin1')}\0`.includes(mark)) found.push(Number(name));
      } catch {
        /* gone, or not readable */
      }
    }
    return found;
  };
  const stop = async () => {
    run('scancel', ['--full', '--quiet', '--user=root']); // jobs of this cluster only: its controller knows no others
    // Let the jobs end (SIGTERM, then slurmstepd's SIGKILL) before their daemons go.
    for (let i = 0; i < 50 && pidFiles.length > 1 && run('squeue', ['-h']).stdout.trim() !== ''; i++) await sleep(200);
    const started = pids();
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && started.some(alive); i++) await sleep(100);
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    // Whatever the daemons started and left (a job step of a test that failed mid-way), by its PID.
    for (const pid of descendants()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  try {
    const munged = join(dir, 'munged.pid');
    pidFiles.push(munged);
    const m = run('munged', ['--force', `--socket=${paths.socket}`, `--key-file=${paths.key}`, `--pid-file=${munged}`, `--log-file=${join(paths.log, 'munged.log')}`, `--seed-file=${join(dir, 'munged.seed')}`]);
    if (m.status !== 0) throw new Error(`munged did not start: ${m.stderr}`);
    // slurmd checks the node's memory against the configured RealMemory: take slurmd's own measurement.
    const measured = /RealMemory=(\d+)/.exec(run('slurmd', ['-C']).stdout)?.[1];
    const memory = measured ?? String(Math.floor((0.9 * totalmem()) / 2 ** 20));
    const ctldPort = await freePort();
    const ports: number[] = [];
    for (const _ of nodes) ports.push(await freePort());
    writeFileSync(
      paths.conf,
      [
        'ClusterName=fedpgtest',
        `SlurmctldHost=${login}(127.0.0.1)`,
        `SlurmctldPort=${ctldPort}`,
        'SlurmUser=root',
        'SlurmdUser=root',
        'AuthType=auth/munge',
        'CredType=cred/munge',
        // cred_expire: how long a requeued job waits before it may start again (SLURM's default 120 s).
        `AuthInfo=socket=${paths.socket},cred_expire=5`,
        `StateSaveLocation=${join(dir, 'state')}`,
        `SlurmdSpoolDir=${join(dir, 'spool', '%n')}`,
        `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
        `SlurmdPidFile=${join(dir, 'slurmd.%n.pid')}`,
        `SlurmctldLogFile=${join(paths.log, 'slurmctld.log')}`,
        `SlurmdLogFile=${join(paths.log, 'slurmd.%n.log')}`,
        'ProctrackType=proctrack/linuxproc',
        'TaskPlugin=task/none',
        'SwitchType=switch/none',
        'MpiDefault=none',
        'SchedulerType=sched/backfill',
        'SelectType=select/cons_tres',
        'SelectTypeParameters=CR_CPU',
        // Test-speed scheduling: look for runnable jobs every second (dependencies, throttled array tasks).
        'SchedulerParameters=sched_interval=1,bf_interval=1',
        'ReturnToService=2',
        'SlurmdParameters=config_overrides',
        'JobAcctGatherType=jobacct_gather/none',
        'AccountingStorageType=accounting_storage/none',
        'JobCompType=jobcomp/none',
        'MinJobAge=600',
        ...nodes.map((n, i) => `NodeName=${n} NodeHostname=${n} NodeAddr=127.0.0.1 Port=${ports[i]} CPUs=2 RealMemory=${memory} State=UNKNOWN`),
        `PartitionName=debug Nodes=${nodes.join(',')} Default=YES MaxTime=INFINITE State=UP`,
        '',
      ].join('\n'),
    );
    pidFiles.push(join(dir, 'slurmctld.pid'));
    const c = run('slurmctld', ['-c', '-i']);
    if (c.status !== 0) throw new Error(`slurmctld did not start: ${c.stderr}`);
    for (const n of nodes) {
      mkdirSync(join(dir, 'spool', n), { recursive: true });
      pidFiles.push(join(dir, `slurmd.${n}.pid`));
      // Its own UTS namespace: the node's hostname, seen by slurmd and every job it starts.
      const d = run('unshare', ['-u', 'sh', '-c', 'hostname "$1" && exec "$2" -N "$1"', 'sh', n, which('slurmd') ?? 'slurmd']);
      if (d.status !== 0) throw new Error(`slurmd of ${n} did not start: ${d.stderr}`);
    }
    const end = Date.now() + 30_000;
    for (;;) {
      const state = run('sinfo', ['-h', '-N', '-o', '%N %T']).stdout.trim();
      if (state.split('\n').filter((l) => / idle$/.test(l)).length === nodes.length) break;
      if (Date.now() > end) throw new Error(`the nodes did not become idle within 30 s (sinfo: ${JSON.stringify(state)})\n${logs()}`);
      await sleep(200);
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { nodes, login, env, dir, run, logs, stop };
}
