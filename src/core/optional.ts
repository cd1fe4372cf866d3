import { FedPGError } from './errors';

/**
 * The workspace parts of fedpg-lab (Danfo frames, notebook display, static figure export) use packages
 * that a researcher's own project may not have: they are optional peer dependencies, installed in this
 * repository (devDependencies) but never pulled in by `npm install fedpg-lab`. Each is loaded on first use
 * through `requireOptional`, which says exactly what to install when it is missing.
 *
 * The versions here are the package.json `peerDependencies` (a test keeps the two equal).
 */
export const OPTIONAL_PEERS = {
  'danfojs-node': {
    version: '^1.2.0',
    /**
     * danfojs-node 1.2 does not install from the npm registry alone: its `xlsx` dependency points at a CDN
     * tarball and `@tensorflow/tfjs-node` downloads a native binary at install time. These overrides (the ones
     * fedpg-lab's own package.json uses) replace them with registry packages: xlsx 0.18.5 and the pure-JS
     * TensorFlow.js, on which Danfo works.
     */
    overrides: { xlsx: '0.18.5', '@tensorflow/tfjs-node': 'npm:@tensorflow/tfjs@3.21.0' } as Record<string, string>,
    alternative: 'The core works without it on plain rows: loadRows(dir) instead of loadResults(dir), run.history instead of runFor(…).history, and every analysis function and figure builder accepts rows.',
  },
  tslab: {
    version: '^1.0.22',
    overrides: {} as Record<string, string>,
    alternative: 'Outside a tslab kernel, show() and showTable() print a one-line note or a console table instead.',
  },
  'playwright-core': {
    version: '^1.65.1',
    overrides: {} as Record<string, string>,
    alternative: 'It also needs a Chromium binary: /usr/bin/chromium (Debian package chromium) or the path in FEDPG_CHROMIUM.',
  },
} as const;

/** The name of an optional peer dependency. */
export type OptionalPeer = keyof typeof OPTIONAL_PEERS;

/** An optional peer dependency that a workspace function needs is not installed. */
export class MissingDependencyError extends FedPGError {
  readonly dependency: OptionalPeer;
  constructor(dependency: OptionalPeer, what: string, cause: string) {
    super(missingMessage(dependency, what, cause));
    this.dependency = dependency;
  }
}

/** The message of a MissingDependencyError: what needs the package, the overrides to add, the command to run. */
export function missingMessage(dependency: OptionalPeer, what: string, cause = ''): string {
  const peer = OPTIONAL_PEERS[dependency];
  const overrides = Object.entries(peer.overrides);
  const lines = [`${what} needs the optional package ${dependency}, which is not installed (fedpg-lab installs only its core).`];
  if (overrides.length > 0) {
    const json = overrides.map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ');
    lines.push(`First add these overrides to your project's package.json (npm applies only the root project's overrides, so fedpg-lab's own do not reach you):`);
    lines.push(`  "overrides": { ${json} }`);
    lines.push('then run:');
  } else lines.push('Install it in your project:');
  lines.push(`  npm install ${dependency}@${peer.version}`);
  lines.push(peer.alternative);
  if (cause) lines.push(`(${cause})`);
  return lines.join('\n');
}

/**
 * `require(dependency)`, or a MissingDependencyError naming `what` needs it when the package cannot be
 * found. Errors raised while an installed package loads are rethrown unchanged.
 */
export function requireOptional<T>(dependency: OptionalPeer, what: string, subpath = ''): T {
  const id = subpath ? `${dependency}/${subpath}` : dependency;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(id) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err?.code === 'MODULE_NOT_FOUND' && typeof err.message === 'string' && err.message.includes(`'${id}'`)) {
      throw new MissingDependencyError(dependency, what, err.message.split('\n')[0]);
    }
    throw e;
  }
}

/**
 * danfojs-node, loaded on first use: it pulls in TensorFlow.js (≈ 2 s to load), so importing fedpg-lab stays
 * fast, and works, for code that never builds a frame.
 */
export function danfo(what: string): typeof import('danfojs-node') {
  return requireOptional<typeof import('danfojs-node')>('danfojs-node', what);
}
