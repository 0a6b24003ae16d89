import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Only src/ml touches TensorFlow.js. */
const tfPattern = { group: ['@tensorflow/*'], message: 'Only src/ml imports TensorFlow.js.' };
const tfOnlyInMl = {
  files: ['src/**/*.ts'],
  rules: { 'no-restricted-imports': ['error', { patterns: [tfPattern] }] },
};

/**
 * Layers import one way: core ← protocol ← workers ← net ← runtime ← ml ← rl, tune, data, train,
 * serve ← notebook ← ui ← app. Each entry lists the layers a folder must not import from.
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
  ['notebook', ['ui', 'app']],
  ['ui', ['app']],
]);

const layerRules = layers.map(([layer, forbidden]) => ({
  files: [`src/${layer}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...forbidden.map((name) => ({
            group: [`**/${name}/*`, `**/${name}`],
            message: `src/${layer} must not import from src/${name}: layers depend one way (see ARCHITECTURE.md).`,
          })),
          ...(layer === 'ml' ? [] : [tfPattern]),
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'public/**', 'test/bench/results/**'] },
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
