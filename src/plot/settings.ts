/** Short names used in figure subtitles, from the symbol table of docs/paper.md. */
const SYMBOLS: Record<string, string> = {
  agents: 'N',
  localSteps: 'H',
  horizon: 'K',
  batch: 'M',
  entropy: 'τ',
  gamma: 'γ',
  states: 'S',
  actions: 'A',
  branching: 'b',
  heterogeneity: 'h',
  rounds: 'T',
  serverStep: 'α_g',
};

/**
 * A one-line label of the settings a figure was made with, e.g. "Garnet S=20 A=4 · γ=0.8 · τ=1 · H=5 ·
 * K=40 · M=10 · seeds 0–3 · fedpg-lab 0.1.0 @1a2b3c4": every figure of the project carries one.
 */
export function settingsLabel(settings: Record<string, unknown>, extra: readonly string[] = []): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(settings)) {
    if (v === undefined || v === null || typeof v === 'object') continue;
    const name = SYMBOLS[k] ?? k;
    parts.push(`${name}=${typeof v === 'number' ? Number(v.toPrecision(4)) : v}`);
  }
  return [...parts, ...extra].join(' · ');
}
