/**
 * A Gaussian process with a squared-exponential kernel on [0, 1]^d, for BayesOptSearch:
 * targets standardised, the length scale chosen by marginal likelihood from a short list.
 */
export class GaussianProcess {
  readonly #x: number[][];
  readonly #alpha: number[];
  readonly #chol: number[][];
  readonly #mean: number;
  readonly #scale: number;
  readonly lengthScale: number;
  static readonly NOISE = 1e-4;
  static readonly LENGTH_SCALES = [0.05, 0.1, 0.2, 0.3, 0.5, 1];

  constructor(x: number[][], y: number[]) {
    this.#x = x;
    this.#mean = y.reduce((a, b) => a + b, 0) / y.length;
    const sd = Math.sqrt(y.reduce((a, b) => a + (b - this.#mean) ** 2, 0) / y.length);
    this.#scale = sd > 0 ? sd : 1;
    const z = y.map((v) => (v - this.#mean) / this.#scale);
    let best: { ls: number; chol: number[][]; alpha: number[]; ll: number } | null = null;
    for (const ls of GaussianProcess.LENGTH_SCALES) {
      const chol = cholesky(x.map((a) => x.map((b, j) => kernel(a, b, ls) + (a === x[j] ? GaussianProcess.NOISE : 0))));
      if (!chol) continue;
      const alpha = solveUpper(chol, solveLower(chol, z));
      // log p(z) = −½ zᵀα − Σ log Lᵢᵢ − n/2 log 2π
      const ll = -0.5 * z.reduce((s, v, i) => s + v * (alpha[i] as number), 0) - chol.reduce((s, row, i) => s + Math.log(row[i] as number), 0);
      if (!best || ll > best.ll) best = { ls, chol, alpha, ll };
    }
    if (!best) throw new Error('GaussianProcess: no length scale gives a positive definite kernel');
    this.lengthScale = best.ls;
    this.#chol = best.chol;
    this.#alpha = best.alpha;
  }

  /** Posterior mean and standard deviation at `p`, in the targets' units. */
  predict(p: readonly number[]): { mean: number; sd: number } {
    const k = this.#x.map((a) => kernel(a, p, this.lengthScale));
    const mean = k.reduce((s, v, i) => s + v * (this.#alpha[i] as number), 0);
    const v = solveLower(this.#chol, k);
    const variance = Math.max(1e-12, 1 - v.reduce((s, a) => s + a * a, 0));
    return { mean: this.#mean + this.#scale * mean, sd: this.#scale * Math.sqrt(variance) };
  }
}

function kernel(a: readonly number[], b: readonly number[], ls: number): number {
  let d2 = 0;
  for (let i = 0; i < a.length; i++) d2 += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.exp((-0.5 * d2) / (ls * ls));
}

/** Lower Cholesky factor, or null when the matrix is not positive definite. */
function cholesky(m: number[][]): number[][] | null {
  const n = m.length;
  const l = m.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = (m[i] as number[])[j] as number;
      for (let k = 0; k < j; k++) sum -= ((l[i] as number[])[k] as number) * ((l[j] as number[])[k] as number);
      if (i === j) {
        if (sum <= 0) return null;
        (l[i] as number[])[i] = Math.sqrt(sum);
      } else {
        (l[i] as number[])[j] = sum / ((l[j] as number[])[j] as number);
      }
    }
  }
  return l;
}

function solveLower(l: number[][], b: readonly number[]): number[] {
  const x: number[] = [];
  for (let i = 0; i < b.length; i++) {
    let sum = b[i] as number;
    for (let k = 0; k < i; k++) sum -= ((l[i] as number[])[k] as number) * (x[k] as number);
    x.push(sum / ((l[i] as number[])[i] as number));
  }
  return x;
}

/** Solves Lᵀx = b. */
function solveUpper(l: number[][], b: readonly number[]): number[] {
  const n = b.length;
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] as number;
    for (let k = i + 1; k < n; k++) sum -= ((l[k] as number[])[i] as number) * (x[k] as number);
    x[i] = sum / ((l[i] as number[])[i] as number);
  }
  return x;
}
