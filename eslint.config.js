import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only src/ml touches TensorFlow.js. */
const tfPattern = { group: ['@tensorflow/*'], message: 'Only src/ml imports TensorFlow.js.' };
const tfOnlyInMl = {
  files: ['src/**/*.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [tfPattern] }] },
};

/**
 * Layers import one way: core ← protocol ← workers ← net ← runtime ← ml ← rl, tune, data,
 * serve ← notebook (train sits above tune and data: it takes data's blocks and is a Tune trainable) ← ui ← app, embed. Each entry lists the layers a folder must not import from.
 * `sandbox` is the entry of a joiner's sandbox iframe: a node, not a head, so it takes nothing of
 * the driver or above, except `ml`'s list of wasm files: the only URLs its workers may fetch.
 */
const layers = /** @type {const} */ ([
  ['core', ['protocol', 'workers', 'net', 'runtime', 'ml', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['protocol', ['workers', 'net', 'runtime', 'ml', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['workers', ['net', 'runtime', 'ml', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['net', ['runtime', 'ml', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['runtime', ['ml', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['ml', ['rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['rl', ['tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['tune', ['data', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['data', ['rl', 'tune', 'train', 'serve', 'notebook', 'ui', 'app']],
  ['serve', ['rl', 'tune', 'data', 'train', 'notebook', 'ui', 'app']],
  ['train', ['rl', 'serve', 'notebook', 'ui', 'app']],
  ['notebook', ['ui', 'app']],
  ['ui', ['app', 'embed']],
  ['embed', ['app']],
  ['sandbox', ['runtime', 'rl', 'tune', 'data', 'train', 'serve', 'notebook', 'ui', 'app', 'embed']],
]);

/** Folders below src/ as deep as any file of a layer lies (src/rl/env/spaces/x.ts is depth 3). */
const DEPTHS = [1, 2, 3, 4];

/**
 * One config per layer and folder depth: the layer's forbidden layers, and the facade
 * (`src/index.ts`, for users only; a layer takes a type from the layer that owns it). Both sit in
 * one rule entry because a later config's options for a rule replace an earlier one's.
 */
const layerRules = layers.flatMap(([layer, forbidden]) =>
  DEPTHS.map((depth) => ({
    files: [`src/${layer}/${'*/'.repeat(depth - 1)}*.ts`],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...forbidden.map((name) => ({
              group: [`**/${name}/*`, `**/${name}`],
              message: `src/${layer} must not import from src/${name}: layers depend one way (see ARCHITECTURE.md).`,
            })),
            // `embed` is an entry, like `app`: the drop-in script hands the facade to the page's code blocks.
            ...(layer === 'embed'
              ? []
              : [
                  {
                    group: [`${'../'.repeat(depth)}index.ts`, `${'../'.repeat(depth)}index`],
                    message: `src/${layer} must not import the facade src/index.ts: import from the layer that owns the name.`,
                  },
                ]),
            ...(layer === 'ml' ? [] : [tfPattern]),
          ],
        },
      ],
    },
  })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'dist-lib/**', 'node_modules/**', 'public/**', 'test/bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  tfOnlyInMl,
  ...layerRules,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly' } },
  },
);
