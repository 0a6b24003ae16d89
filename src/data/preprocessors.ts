import { RayboxUsageError } from '../core/errors.ts';
import type { Column } from './block.ts';
import { ColumnNotFoundError, DataError } from './errors.ts';
import type { Dataset } from './dataset.ts';

type Batch = Record<string, Column>;

/** Per-column statistics from one streaming pass over the dataset's batches. */
async function columnStats(ds: Dataset, columns: string[]): Promise<Record<string, { count: number; sum: number; sumSq: number; min: number; max: number }>> {
  const stats: Record<string, { count: number; sum: number; sumSq: number; min: number; max: number }> = {};
  for (const c of columns) stats[c] = { count: 0, sum: 0, sumSq: 0, min: Infinity, max: -Infinity };
  for await (const batch of ds.iterBatches({ batchSize: 4096 })) {
    for (const c of columns) {
      const col = (batch as Batch)[c];
      if (!col) throw new ColumnNotFoundError(`fit: no column "${c}"; the dataset has ${Object.keys(batch).map((n) => `"${n}"`).join(', ')}.`);
      const s = stats[c]!;
      for (let i = 0; i < col.length; i++) {
        const v = col[i];
        if (typeof v !== 'number' || Number.isNaN(v)) continue;
        s.count++;
        s.sum += v;
        s.sumSq += v * v;
        if (v < s.min) s.min = v;
        if (v > s.max) s.max = v;
      }
    }
  }
  return stats;
}

/** What every preprocessor offers, as Ray's `Preprocessor`: fit, transform, and a JSON form. */
abstract class Preprocessor<S> {
  readonly columns: string[];
  stats: S | null = null;
  /** The class's name, spelled out so it survives minification in `toJSON`. */
  abstract readonly kind: string;

  constructor(columns: string[]) {
    if (!Array.isArray(columns) || columns.length === 0) throw new RayboxUsageError('A preprocessor takes the columns it works on: name at least one.');
    this.columns = [...columns];
  }

  protected abstract compute(ds: Dataset): Promise<S>;
  protected abstract apply(ds: Dataset, stats: S): Dataset;

  async fit(ds: Dataset): Promise<this> {
    this.stats = await this.compute(ds);
    return this;
  }

  transform(ds: Dataset): Dataset {
    if (this.stats === null) throw new DataError(`${this.kind}.transform: call fit(ds) first (or fitTransform).`);
    return this.apply(ds, this.stats);
  }

  async fitTransform(ds: Dataset): Promise<Dataset> {
    await this.fit(ds);
    return this.transform(ds);
  }

  toJSON(): { type: string; columns: string[]; stats: S | null } {
    return { type: this.kind, columns: this.columns, stats: this.stats };
  }
}

/** (x − mean) / std per column; std with ddof = 0, as Ray's StandardScaler. A constant column becomes 0. */
export class StandardScaler extends Preprocessor<Record<string, { mean: number; std: number }>> {
  readonly kind = 'StandardScaler';

  protected async compute(ds: Dataset) {
    const raw = await columnStats(ds, this.columns);
    const out: Record<string, { mean: number; std: number }> = {};
    for (const [c, s] of Object.entries(raw)) {
      const mean = s.count ? s.sum / s.count : 0;
      out[c] = { mean, std: s.count ? Math.sqrt(Math.max(0, s.sumSq / s.count - mean * mean)) : 0 };
    }
    return out;
  }

  protected apply(ds: Dataset, stats: Record<string, { mean: number; std: number }>): Dataset {
    return ds.mapBatches(
      (batch: Record<string, Float64Array>, s: Record<string, { mean: number; std: number }>) => {
        const out = { ...batch };
        for (const [c, { mean, std }] of Object.entries(s)) out[c] = Float64Array.from(batch[c]!, (v) => (std === 0 ? 0 : (v - mean) / std));
        return out;
      },
      { fnConstructorArgs: [stats] },
    );
  }
}

/** (x − min) / (max − min) per column; a constant column becomes 0. */
export class MinMaxScaler extends Preprocessor<Record<string, { min: number; max: number }>> {
  readonly kind = 'MinMaxScaler';

  protected async compute(ds: Dataset) {
    const raw = await columnStats(ds, this.columns);
    const out: Record<string, { min: number; max: number }> = {};
    for (const [c, s] of Object.entries(raw)) out[c] = { min: s.min, max: s.max };
    return out;
  }

  protected apply(ds: Dataset, stats: Record<string, { min: number; max: number }>): Dataset {
    return ds.mapBatches(
      (batch: Record<string, Float64Array>, s: Record<string, { min: number; max: number }>) => {
        const out = { ...batch };
        for (const [c, { min, max }] of Object.entries(s)) out[c] = Float64Array.from(batch[c]!, (v) => (max === min ? 0 : (v - min) / (max - min)));
        return out;
      },
      { fnConstructorArgs: [stats] },
    );
  }
}

/** Each listed column becomes a one-hot vector (an array of 0/1) over the categories seen by `fit`, sorted. */
export class OneHotEncoder extends Preprocessor<Record<string, unknown[]>> {
  readonly kind = 'OneHotEncoder';

  protected async compute(ds: Dataset) {
    const out: Record<string, unknown[]> = {};
    for (const c of this.columns) out[c] = await ds.unique(c);
    return out;
  }

  protected apply(ds: Dataset, stats: Record<string, unknown[]>): Dataset {
    return ds.mapBatches(
      (batch: Record<string, unknown[]>, s: Record<string, unknown[]>) => {
        const out: Record<string, unknown[]> = { ...batch };
        for (const [c, categories] of Object.entries(s)) {
          out[c] = Array.from(batch[c]!, (v) => categories.map((k) => (k === v ? 1 : 0)));
        }
        return out;
      },
      { fnConstructorArgs: [stats] },
    );
  }
}

/** The listed numeric columns joined into one array column (`concat_out` by default), as Ray's Concatenator; the inputs are dropped. */
export class Concatenator {
  readonly columns: string[];
  readonly outputColumnName: string;

  constructor(options: { columns: string[]; outputColumnName?: string }) {
    if (!options || !Array.isArray(options.columns) || options.columns.length === 0) throw new RayboxUsageError('Concatenator({ columns }): name the columns to join.');
    this.columns = [...options.columns];
    this.outputColumnName = options.outputColumnName ?? 'concat_out';
  }

  /** Nothing to learn; here for the common interface. */
  async fit(_ds: Dataset): Promise<this> {
    return this;
  }

  transform(ds: Dataset): Dataset {
    return ds.mapBatches(
      (batch: Record<string, ArrayLike<number>>, columns: string[], name: string) => {
        const out: Record<string, unknown> = {};
        for (const [c, col] of Object.entries(batch)) if (!columns.includes(c)) out[c] = col;
        const n = batch[columns[0]!]!.length;
        out[name] = Array.from({ length: n }, (_, i) => columns.map((c) => batch[c]![i]));
        return out;
      },
      { fnConstructorArgs: [this.columns, this.outputColumnName] },
    );
  }

  async fitTransform(ds: Dataset): Promise<Dataset> {
    return this.transform(ds);
  }

  toJSON(): { type: string; columns: string[]; outputColumnName: string } {
    return { type: 'Concatenator', columns: this.columns, outputColumnName: this.outputColumnName };
  }
}

/** A fitted preprocessor back from its `toJSON()`. */
export function preprocessorFromJSON(json: { type: string; columns: string[]; stats?: unknown; outputColumnName?: string }): StandardScaler | MinMaxScaler | OneHotEncoder | Concatenator {
  if (json.type === 'Concatenator') return new Concatenator({ columns: json.columns, outputColumnName: json.outputColumnName });
  const Class = { StandardScaler, MinMaxScaler, OneHotEncoder }[json.type];
  if (!Class) throw new RayboxUsageError(`preprocessorFromJSON: unknown type ${JSON.stringify(json.type)}.`);
  const p = new Class(json.columns);
  (p as { stats: unknown }).stats = json.stats ?? null;
  return p;
}
