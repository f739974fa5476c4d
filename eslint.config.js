// Lint, including the process boundaries: a file's folder says which process it runs in, and
// these rules make that true. `test/lint/import-boundaries.test.ts` shows each rule firing.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

const noElectron = {
  name: 'electron',
  message: 'Only the Electron shell (electron/) may import electron; everything else must also run in plain Node or a browser.',
};
const noNodeBuiltins = nodeBuiltins.map((name) => ({
  name,
  message: 'This code runs in a browser (or sandboxed preload): Node built-ins are not available here.',
}));

/** Folders a given environment must not reach into (resolved paths, so ../../ tricks do not escape). */
function forbidFolders(target, folders, why) {
  return {
    'import-x/no-restricted-paths': [
      'error',
      { zones: folders.map((from) => ({ target, from: `./${from}`, message: why })) },
    ],
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test-results/**', '.arkiva-dev/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.tsx', '.js', '.mjs', '.json'] })],
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      // Data from outside is checked by schemas, not cast into shape.
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  { files: ['**/*.{js,mjs,ts}'], ignores: ['renderer/**'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },

  // common/: environment-neutral, shared by every process.
  {
    files: ['common/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNodeBuiltins] }],
      ...forbidFolders('./common', ['renderer', 'services', 'scanner-drivers', 'workers', 'electron'],
        'common/ is shared by every process and may import only common/ and pure libraries.'),
    },
  },
  // renderer/: the browser page. Talks to services only through the API contract.
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron, ...noNodeBuiltins] }],
      ...forbidFolders('./renderer', ['services', 'scanner-drivers', 'workers', 'electron'],
        'The renderer reaches the services only through the API contract (common/api).'),
    },
  },
  // services/: Node services, hosted by Electron's main process or by the local host.
  {
    files: ['services/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
      ...forbidFolders('./services', ['renderer', 'electron', 'workers'],
        'Services must run without Electron and never import renderer code; workers are started by path, not imported.'),
    },
  },
  // scanner-drivers/: Node, below the services.
  {
    files: ['scanner-drivers/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
      ...forbidFolders('./scanner-drivers', ['renderer', 'electron', 'services', 'workers'],
        'Scanner drivers depend only on common/ and Node; the services use them, not the other way round.'),
    },
  },
  // workers/: worker-thread entry points.
  {
    files: ['workers/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [noElectron] }],
      ...forbidFolders('./workers', ['renderer', 'electron', 'services', 'scanner-drivers'],
        'Worker threads depend only on common/ and Node.'),
    },
  },
  // electron/preload/: sandboxed, bundled into one file; it exposes the contract and nothing else.
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: noNodeBuiltins }],
      ...forbidFolders('./electron/preload', ['renderer', 'services', 'scanner-drivers', 'workers', 'electron/main'],
        'The preload only bridges the API contract (common/api) to the renderer.'),
    },
  },
  // electron/main/: the thin shell around the services.
  {
    files: ['electron/main/**'],
    rules: {
      ...forbidFolders('./electron/main', ['renderer', 'workers', 'electron/preload'],
        'The main process hosts the services; renderer and preload code are loaded by the window, not imported.'),
    },
  },
);
