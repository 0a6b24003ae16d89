import { RayboxError, registerErrorClasses } from '../core/errors.ts';
import { CODE_LANGUAGES, type CellType, type CodeLanguage } from './cell.ts';
import { decodeSavedRun, type SavedOutput } from './saved-output.ts';

/**
 * The notebook file: what export writes, import and share links read, and IndexedDB keeps. It is
 * versioned; `decodeNotebook` is the one door through which outside bytes become a notebook, and
 * it refuses anything it does not fully understand, saying what is wrong.
 *
 * @example
 * { "format": "raybox-notebook", "version": 1, "title": "Hello",
 *   "cells": [{ "type": "markdown", "source": "# Hello" },
 *             { "type": "code", "language": "javascript", "source": ["const x = 1;", "x + 1"] }] }
 */
export interface NotebookFile {
  format: typeof NOTEBOOK_FORMAT;
  version: typeof NOTEBOOK_VERSION;
  title: string;
  cells: CellFile[];
}

export interface CellFile {
  type: CellType;
  /** A string, or (in files written by hand) its lines, joined with '\n' on reading. */
  source: string;
  /** Code cells only; 'javascript' when absent. */
  language?: CodeLanguage;
  /** Code cells only: the execution count of the run whose outputs are kept. */
  executionCount?: number | null;
  /** Code cells only: what the cell showed after its last run, as text (see saved-output.ts). */
  outputs?: SavedOutput[];
}

export const NOTEBOOK_FORMAT = 'raybox-notebook';
export const NOTEBOOK_VERSION = 1;

/** Limits that keep a hostile or broken file from freezing the page. */
const MAX_CELLS = 10_000;
const MAX_SOURCE = 1_000_000;

/** A file or link that is not a notebook this version of raybox can open. Nothing was replaced. */
export class NotebookFormatError extends RayboxError {
  override readonly name = 'NotebookFormatError';
}
registerErrorClasses(NotebookFormatError);

/** Reads the text of a notebook file. */
export function parseNotebookJson(text: string): NotebookFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new NotebookFormatError('This file is not a raybox notebook: it is not JSON. Choose a .json file exported from raybox.');
  }
  return decodeNotebook(data);
}

/** Checks a parsed value field by field and returns a clean copy. */
export function decodeNotebook(data: unknown): NotebookFile {
  if (!isRecord(data)) throw new NotebookFormatError('This file is not a raybox notebook: it holds no object. Choose a .json file exported from raybox.');
  if (data['format'] !== NOTEBOOK_FORMAT) {
    if ('nbformat' in data) {
      throw new NotebookFormatError('This is a Jupyter notebook (.ipynb); raybox opens its own notebooks. Copy the cells over by hand.');
    }
    throw new NotebookFormatError(`This file is not a raybox notebook: it has no "format": "${NOTEBOOK_FORMAT}". Choose a .json file exported from raybox.`);
  }
  const version = data['version'];
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new NotebookFormatError('This notebook has no valid "version". It may be damaged; export it again.');
  }
  if (version > NOTEBOOK_VERSION) {
    throw new NotebookFormatError(`This notebook was written by a newer raybox (format version ${version}; this page reads up to ${NOTEBOOK_VERSION}). Open it with a newer raybox.`);
  }
  const title = data['title'] ?? 'Untitled';
  if (typeof title !== 'string') throw new NotebookFormatError('This notebook is damaged: "title" is not a string.');
  const cells = data['cells'];
  if (!Array.isArray(cells)) throw new NotebookFormatError('This notebook is damaged: "cells" is not a list.');
  if (cells.length > MAX_CELLS) throw new NotebookFormatError(`This notebook has ${cells.length} cells; raybox opens up to ${MAX_CELLS}.`);
  return { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, title, cells: cells.map((cell, i) => decodeCell(cell, i)) };
}

function decodeCell(cell: unknown, index: number): CellFile {
  const where = `cell ${index + 1}`;
  if (!isRecord(cell)) throw new NotebookFormatError(`This notebook is damaged: ${where} is not an object.`);
  const type = cell['type'];
  if (type !== 'code' && type !== 'markdown') {
    throw new NotebookFormatError(`This notebook is damaged: ${where} has type ${JSON.stringify(type)}; a cell is "code" or "markdown".`);
  }
  const raw = cell['source'] ?? '';
  let source: string;
  if (typeof raw === 'string') source = raw;
  else if (Array.isArray(raw) && raw.every((line) => typeof line === 'string')) source = raw.join('\n');
  else throw new NotebookFormatError(`This notebook is damaged: the source of ${where} is neither text nor a list of lines.`);
  if (source.length > MAX_SOURCE) throw new NotebookFormatError(`The source of ${where} is longer than ${MAX_SOURCE} characters.`);
  const decoded: CellFile = { type, source };
  if (type === 'code') {
    const language = cell['language'] ?? 'javascript';
    if (!CODE_LANGUAGES.includes(language as CodeLanguage)) {
      throw new NotebookFormatError(`This notebook is damaged: ${where} has language ${JSON.stringify(language)}; use ${CODE_LANGUAGES.map((l) => `"${l}"`).join(' or ')}.`);
    }
    decoded.language = language as CodeLanguage;
    if (cell['outputs'] !== undefined) {
      const saved = decodeSavedRun(cell['executionCount'], cell['outputs'], (what) => new NotebookFormatError(`This notebook is damaged: in ${where}, ${what}.`));
      decoded.outputs = saved.outputs;
      decoded.executionCount = saved.executionCount;
    }
  }
  return decoded;
}

/** The file's text, as export writes it: indented, so it diffs well. */
export function stringifyNotebook(file: NotebookFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
