/*
 * The C reference of bench/run.ts: fedpg-lab's truncated GPOMDP estimator (src/estimators/sampled.ts),
 *   ĝ(s,a) = (W(s,a) − π(a|s) Σ_b W(s,b)) / M,  W(s,a) = Σ over visits k to (s,a) of G_k,
 *   G_k = Σ_{t=k}^{K−1} γ^t R(s_t,a_t),
 * written as a C programmer who wants the machine's limit would: alias tables for π(·|s) (rebuilt per
 * estimate, as fedpg-lab does for a new θ) and for P (built once), four trajectories stepped in lockstep
 * so that their dependent table reads overlap, each lane with its own xoshiro128** stream (this program's
 * estimates are not fedpg-lab's bit for bit; only their mean is compared, against the exact ∇J_K).
 * A draw w (32 bits) picks slot ⌊w·n/2³²⌋ of an n-entry alias table and compares (w·n mod 2³²)/2³² with
 * the slot's cut: the 64-bit product gives both without a float-to-integer conversion.
 * Compiled by bench/cReference.ts with `gcc -O3 -march=native` at bench time. τ = 0 only.
 *
 * Input on stdin, little-endian: int32 S, A, K, M, nnz, reps, batches; float64 γ; int32 rowStart[S·A+1],
 * next[nnz]; float64 prob[nnz], R[S·A], ρ[S], θ[S·A]. Output on stdout, JSON: median seconds per estimate
 * with the per-θ setup ("seconds") and without it ("secondsPrepared"), then the mean and the sample
 * variance (denominator B − 1) of B = `batches` independent estimates, for the check against ∇J_K.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LANES 4

typedef struct {
  int S, A, K, M;
  double gamma;
  const double *R, *rho;
  /* π(·|s) and its alias tables; per slot q = s·A + j, for the slot (0) and its alias (1): the pair s·A+a and its reward. */
  double *pi, *actCut, *slotReward;
  int *slotPair;
  /* P: per entry k of a row, the cut and the two successors (below the cut, alias). */
  const int *rowStart;
  double *succCut;
  int *succ;
  double *rhoCut;
  int *rhoOther;
  double *W, *disc;
  int *visits;
  int *work;
} Estimator;

/* Walker's alias table (Vose's construction), the same as src/core/alias.ts. */
static void build_alias(const double *p, int n, double *cut, int *other, int *work) {
  double sum = 0;
  for (int j = 0; j < n; j++) sum += p[j];
  int nSmall = 0, nLarge = 0;
  for (int j = 0; j < n; j++) {
    double scaled = p[j] * n / sum;
    cut[j] = scaled;
    other[j] = j;
    if (scaled < 1) work[nSmall++] = j; else work[n + nLarge++] = j;
  }
  while (nSmall > 0 && nLarge > 0) {
    int small = work[--nSmall], large = work[n + --nLarge];
    other[small] = large;
    double rest = cut[large] + cut[small] - 1;
    cut[large] = rest;
    if (rest < 1) work[nSmall++] = large; else work[n + nLarge++] = large;
  }
  while (nLarge > 0) cut[work[n + --nLarge]] = 1;
  while (nSmall > 0) cut[work[--nSmall]] = 1;
}

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

/* xoshiro128** (Blackman & Vigna), as src/core/xoshiro.ts. */
static inline uint32_t next32(uint32_t *s) {
  uint32_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return out;
}

#define U32 2.3283064365386963e-10

/* Per-θ setup: softmax rows, π's alias tables, the packed slot tables. */
static void prepare(Estimator *e, const double *theta) {
  int S = e->S, A = e->A;
  int *other = e->work + 2 * A;
  for (int s = 0; s < S; s++) {
    const double *th = theta + s * A;
    double mx = th[0], z = 0;
    for (int a = 1; a < A; a++) if (th[a] > mx) mx = th[a];
    for (int a = 0; a < A; a++) z += e->pi[s * A + a] = exp(th[a] - mx);
    for (int a = 0; a < A; a++) e->pi[s * A + a] /= z;
    build_alias(e->pi + s * A, A, e->actCut + s * A, other, e->work);
    for (int j = 0; j < A; j++) {
      int q = s * A + j, alt = s * A + other[j];
      e->slotPair[2 * q] = q;
      e->slotPair[2 * q + 1] = alt;
      e->slotReward[2 * q] = e->R[q];
      e->slotReward[2 * q + 1] = e->R[alt];
    }
  }
}

/* NL trajectories in lockstep, each on its own stream, accumulated into W lane by lane. */
static inline __attribute__((always_inline)) void walk(Estimator *e, uint32_t (*x)[4], const int NL) {
  const int A = e->A, K = e->K;
  int s[LANES];
  double d = 1;
  for (int l = 0; l < NL; l++) {
    uint64_t p = (uint64_t)next32(x[l]) * (uint32_t)e->S;
    int j = (int)(p >> 32);
    s[l] = (uint32_t)p * U32 < e->rhoCut[j] ? j : e->rhoOther[j];
  }
  for (int t = 0; t < K; t++) {
#pragma GCC unroll 4
    for (int l = 0; l < NL; l++) {
      uint64_t p = (uint64_t)next32(x[l]) * (uint32_t)A;
      int q = s[l] * A + (int)(p >> 32);
      int w = 2 * q + ((uint32_t)p * U32 < e->actCut[q] ? 0 : 1);
      int sa = e->slotPair[w];
      e->visits[l * K + t] = sa;
      e->disc[l * K + t] = d * e->slotReward[w];
      if (t + 1 < K) {
        int start = e->rowStart[sa];
        uint64_t y = (uint64_t)next32(x[l]) * (uint32_t)(e->rowStart[sa + 1] - start);
        int k = start + (int)(y >> 32);
        s[l] = e->succ[2 * k + ((uint32_t)y * U32 < e->succCut[k] ? 0 : 1)];
      }
    }
    d *= e->gamma;
  }
  for (int l = 0; l < NL; l++) {
    double G = 0;
    for (int t = K - 1; t >= 0; t--) {
      G += e->disc[l * K + t];
      e->W[e->visits[l * K + t]] += G;
    }
  }
}

static void estimate(Estimator *e, uint32_t (*x)[4], double *out) {
  int S = e->S, A = e->A, M = e->M, m = 0;
  memset(e->W, 0, sizeof(double) * S * A);
  for (; m + LANES <= M; m += LANES) walk(e, x, LANES);
  for (; m < M; m++) walk(e, x, 1);
  for (int s = 0; s < S; s++) {
    double ws = 0;
    for (int a = 0; a < A; a++) ws += e->W[s * A + a];
    for (int a = 0; a < A; a++) out[s * A + a] = (e->W[s * A + a] - e->pi[s * A + a] * ws) / M;
  }
}

static void *readn(size_t bytes) {
  void *p = malloc(bytes);
  if (fread(p, 1, bytes, stdin) != bytes) { fprintf(stderr, "estimator.c: short input\n"); exit(2); }
  return p;
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Median CPU seconds per estimate over `reps` batches of `inner` estimates, after two warm-up batches
 * (process CPU time, as bench/measure.ts: on a shared machine a wall clock counts waiting for a core). */
static double timed(Estimator *e, uint32_t (*x)[4], const double *theta, double *out, int reps, int withSetup) {
  int inner = (int)fmax(1, round(1e6 / ((double)e->K * e->M)));
  double *t = malloc(sizeof(double) * reps);
  for (int r = -2; r < reps; r++) {
    double t0 = now();
    for (int i = 0; i < inner; i++) {
      if (withSetup) prepare(e, theta);
      estimate(e, x, out);
    }
    if (r >= 0) t[r] = (now() - t0) / inner;
  }
  qsort(t, reps, sizeof(double), cmp);
  double med = reps % 2 ? t[reps / 2] : (t[reps / 2 - 1] + t[reps / 2]) / 2;
  free(t);
  return med;
}

int main(void) {
  int32_t *h = readn(7 * sizeof(int32_t));
  int S = h[0], A = h[1], K = h[2], M = h[3], nnz = h[4], reps = h[5], batches = h[6];
  double *gamma = readn(sizeof(double));
  int *rowStart = readn(sizeof(int) * (S * A + 1)), *next = readn(sizeof(int) * nnz);
  double *prob = readn(sizeof(double) * nnz), *R = readn(sizeof(double) * S * A);
  double *rho = readn(sizeof(double) * S), *theta = readn(sizeof(double) * S * A);
  int maxRow = S;
  for (int r = 0; r < S * A; r++) if (rowStart[r + 1] - rowStart[r] > maxRow) maxRow = rowStart[r + 1] - rowStart[r];
  Estimator e = {
    .S = S, .A = A, .K = K, .M = M, .gamma = *gamma, .R = R, .rho = rho, .rowStart = rowStart,
    .pi = malloc(sizeof(double) * S * A), .actCut = malloc(sizeof(double) * S * A),
    .slotReward = malloc(sizeof(double) * 2 * S * A), .slotPair = malloc(sizeof(int) * 2 * S * A),
    .succCut = malloc(sizeof(double) * nnz), .succ = malloc(sizeof(int) * 2 * nnz),
    .rhoCut = malloc(sizeof(double) * S), .rhoOther = malloc(sizeof(int) * S),
    .W = malloc(sizeof(double) * S * A), .disc = malloc(sizeof(double) * LANES * K),
    .visits = malloc(sizeof(int) * LANES * K), .work = malloc(sizeof(int) * 3 * maxRow),
  };
  int *other = malloc(sizeof(int) * nnz);
  for (int r = 0; r < S * A; r++) {
    int start = rowStart[r], n = rowStart[r + 1] - start;
    build_alias(prob + start, n, e.succCut + start, other + start, e.work);
    for (int k = start; k < start + n; k++) {
      e.succ[2 * k] = next[k];
      e.succ[2 * k + 1] = next[start + other[k]];
    }
  }
  build_alias(rho, S, e.rhoCut, e.rhoOther, e.work);
  uint32_t x[LANES][4];
  for (int l = 0; l < LANES; l++) for (int i = 0; i < 4; i++) x[l][i] = 0x9E3779B9u * (uint32_t)(4 * l + i + 1);
  double *out = malloc(sizeof(double) * S * A);
  prepare(&e, theta);
  double seconds = timed(&e, x, theta, out, reps, 1);
  double secondsPrepared = timed(&e, x, theta, out, reps, 0);
  double *sum = calloc(S * A, sizeof(double)), *sumSq = calloc(S * A, sizeof(double));
  for (int b = 0; b < batches; b++) {
    estimate(&e, x, out);
    for (int k = 0; k < S * A; k++) { sum[k] += out[k]; sumSq[k] += out[k] * out[k]; }
  }
  printf("{\"seconds\":%.9g,\"secondsPrepared\":%.9g,\"batches\":%d,\"mean\":[", seconds, secondsPrepared, batches);
  for (int k = 0; k < S * A; k++) printf("%s%.17g", k ? "," : "", sum[k] / batches);
  printf("],\"variance\":[");
  for (int k = 0; k < S * A; k++) {
    double mean = sum[k] / batches, v = batches > 1 ? (sumSq[k] - batches * mean * mean) / (batches - 1) : NAN;
    printf("%s%.17g", k ? "," : "", v > 0 ? v : 0);
  }
  printf("]}\n");
  return 0;
}
