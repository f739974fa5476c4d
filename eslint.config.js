// Lint, including the process boundaries: a file's folder says which process it runs in, and
// these rules make that true. `test/lint/import-boundaries.test.ts` shows each rule firing.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';

const ELECTRON_MESSAGE =
  'Only the Electron shell (electron/) may import electron; everything else must also run in plain Node or a browser.';
const NODE_MESSAGE = 'This code runs in a browser (or sandboxed preload): Node built-ins are not available here.';

/**
 * Module names a process may not load, for static imports (no-restricted-imports) and for dynamic
 * `import()` and `require()` (no-restricted-syntax). ESLint replaces a rule's options file by file
 * rather than merging them, so every block that sets these rules takes its options from here.
 */
const electronModule = { paths: [{ name: 'electron', message: ELECTRON_MESSAGE }], patterns: [{ regex: '^electron/', message: ELECTRON_MESSAGE }] };
const nodeModules = {
  paths: builtinModules.map((name) => ({ name, message: NODE_MESSAGE })),
  patterns: [{ regex: '^node:', message: NODE_MESSAGE }],
};
// The preload reaches Electron's renderer-side modules only; the main process's need a main process.
const mainOnlyElectronModules = { paths: [], patterns: [{ regex: '^electron/(main|utility)$', message: 'The sandboxed preload has only the renderer side of electron.' }] };
// esquery reads a regex literal up to its first "/", so "/" is written \u002F.
const bareBuiltins = [...new Set(builtinModules.map((name) => name.split('/')[0]))].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const electronPattern = '^electron($|\\u002F)';
const nodePattern = `^(node:|(${bareBuiltins.join('|')})($|\\u002F))`;

function dynamicLoads(pattern, message) {
  return [
    { selector: `ImportExpression[source.value=/${pattern}/]`, message },
    { selector: `ImportExpression > TemplateLiteral.source[expressions.length=0][quasis.0.value.cooked=/${pattern}/]`, message },
    { selector: `CallExpression[callee.type='Identifier'][callee.name='require'][arguments.0.value=/${pattern}/]`, message },
  ];
}

function forbidModules({ electron = false, node = false, electronMain = false }) {
  const bans = [...(electron ? [electronModule] : []), ...(electronMain ? [mainOnlyElectronModules] : []), ...(node ? [nodeModules] : [])];
  return {
    'no-restricted-imports': ['error', { paths: bans.flatMap((ban) => ban.paths), patterns: bans.flatMap((ban) => ban.patterns) }],
    'no-restricted-syntax': [
      'error',
      ...(electron ? dynamicLoads(electronPattern, ELECTRON_MESSAGE) : []),
      ...(node ? dynamicLoads(nodePattern, NODE_MESSAGE) : []),
    ],
  };
}

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

  // Only the shell imports electron: one ban for the whole tree (new folders included), lifted for
  // electron/. Blocks below that ban Node as well repeat it through forbidModules.
  { files: ['**/*.{js,mjs,cjs,ts,tsx}'], ignores: ['electron/**'], rules: forbidModules({ electron: true }) },

  // common/: environment-neutral, shared by every process.
  {
    files: ['common/**'],
    rules: {
      ...forbidModules({ electron: true, node: true }),
      ...forbidFolders('./common', ['renderer', 'services', 'scanner-drivers', 'workers', 'electron'],
        'common/ is shared by every process and may import only common/ and pure libraries.'),
    },
  },
  // renderer/: the browser page. Talks to services only through the API contract.
  {
    files: ['renderer/**'],
    rules: {
      ...forbidModules({ electron: true, node: true }),
      ...forbidFolders('./renderer', ['services', 'scanner-drivers', 'workers', 'electron'],
        'The renderer reaches the services only through the API contract (common/api).'),
    },
  },
  // services/: Node services, hosted by Electron's main process or by the local host.
  {
    files: ['services/**'],
    rules: {
      ...forbidFolders('./services', ['renderer', 'electron', 'workers'],
        'Services must run without Electron and never import renderer code; workers are started by path, not imported.'),
    },
  },
  // scanner-drivers/: Node, below the services.
  {
    files: ['scanner-drivers/**'],
    rules: {
      ...forbidFolders('./scanner-drivers', ['renderer', 'electron', 'services', 'workers'],
        'Scanner drivers depend only on common/ and Node; the services use them, not the other way round.'),
    },
  },
  // workers/: worker-thread entry points.
  {
    files: ['workers/**'],
    rules: {
      ...forbidFolders('./workers', ['renderer', 'electron', 'services', 'scanner-drivers'],
        'Worker threads depend only on common/ and Node.'),
    },
  },
  // electron/preload/: sandboxed, bundled into one file; it exposes the contract and nothing else.
  {
    files: ['electron/preload/**'],
    rules: {
      ...forbidModules({ node: true, electronMain: true }),
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
