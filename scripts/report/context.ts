/**
 * What every section of the report shares: where the results of a budget are, how text and tables are
 * written, and the claims register (data/claims.json), whose tests were stated before the data. A section
 * computes the evidence for the claims of its experiment and hands it to `claim(id, series, evidence)`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalQuantile } from '../../src/index';
import { formatNumber } from '../../src/plot';
import { type ClaimEvidence, type ClaimTest, type ClaimVerdict, judgeClaim, markdownTable, type Row, type UnitBootstrap } from '../../src/analysis';
import { loadManifest } from '../../src/experiments';

/** One entry of data/claims.json. */
export interface ClaimSpec {
  id: string;
  experiment: string;
  claim: string;
  statistic: string;
  test: ClaimTest;
  why: string;
}

/** The claims register. */
export interface ClaimsFile {
  format: 'fedpg-lab/claims@1';
  alpha: number;
  stated: string;
  claims: ClaimSpec[];
}

/** A judged claim as the report lists it. */
export interface JudgedClaim extends ClaimVerdict {
  id: string;
  experiment: string;
  claim: string;
  /** Which series of the experiment ("N = 4", "M = 10"), '' for one. */
  series: string;
  budget: string;
}

export const ROOT = join(__dirname, '..', '..');

export function readClaims(): ClaimsFile {
  return JSON.parse(readFileSync(join(ROOT, 'data', 'claims.json'), 'utf8')) as ClaimsFile;
}

/** The report under construction for one budget. */
export class Report {
  readonly lines: string[] = [];
  readonly judged: JudgedClaim[] = [];
  readonly claims: ClaimsFile;
  /** Level of every interval in the report: 1 − 2α (90% for α = 0.05), the level the claims are judged at. */
  readonly level: number;

  constructor(readonly budget: string) {
    this.claims = readClaims();
    this.level = 1 - 2 * this.claims.alpha;
  }

  dir(name: string): string {
    return join(ROOT, 'data', 'results', name, this.budget);
  }

  say(s = ''): void {
    this.lines.push(s);
  }

  table(rows: readonly Row[], columns?: readonly string[]): void {
    this.say(markdownTable(rows, columns));
    this.say();
  }

  /** A section: its heading, the results' provenance, then `body`; a missing results folder is said, not thrown. */
  section(title: string, experiment: string, body: () => void): void {
    this.say(`## ${title}`);
    try {
      const m = loadManifest(this.dir(experiment));
      const seeds = m.spec.seeds;
      this.say(`_${experiment}: ${m.totalJobs} runs, seeds ${Array.isArray(seeds) ? seeds.join(',') : `0..${seeds - 1}`}, fedpg-lab ${m.version}, git ${m.git.slice(0, 12)}_`);
      this.say();
      body();
    } catch (e) {
      this.say(`(not available: ${(e as Error).message})`);
    }
    this.say();
  }

  /** Judge claim `id` of the register on this evidence (for one series of its experiment). */
  claim(id: string, series: string, evidence: ClaimEvidence): JudgedClaim {
    const spec = this.claims.claims.find((c) => c.id === id);
    if (!spec) throw new Error(`report: claim "${id}" is not in data/claims.json`);
    const j: JudgedClaim = { ...judgeClaim(spec.test, evidence), id, experiment: spec.experiment, claim: spec.claim, series, budget: this.budget };
    this.judged.push(j);
    return j;
  }
}

/** Evidence from a percentile bootstrap over units (se from the interval's width, normal approximation). */
export function bootstrapEvidence(b: UnitBootstrap, statistic: string): ClaimEvidence {
  const z = normalQuantile((1 + b.level) / 2);
  const se = Number.isFinite(b.lo) && Number.isFinite(b.hi) ? (b.hi - b.lo) / (2 * z) : Infinity;
  return { estimate: b.estimate, lo: b.lo, hi: b.hi, level: b.level, se, df: Infinity, statistic };
}

/** Evidence for a deterministic quantity (no interval: lo = hi = the value). */
export function exactEvidence(value: number, level: number, statistic: string): ClaimEvidence {
  return { estimate: value, lo: value, hi: value, level, se: 0, df: Infinity, statistic };
}

/** Numbers in report text: 3 significant digits. */
export const num = (x: number) => formatNumber(x, { significant: 3, target: 'text' });

/** "−0.93 [−1.01, −0.85]". */
export const withInterval = (e: { estimate: number; lo: number; hi: number }) => `${num(e.estimate)} [${num(e.lo)}, ${num(e.hi)}]`;
