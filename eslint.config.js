// Lint rules the house style relies on: workflow code stays deterministic and sandbox-safe, no promise
// is left floating anywhere, and each folder imports only the folders below it (LAYERS).
import tseslint from 'typescript-eslint';

/**
 * Which folder may import which: the application's layers, lowest first. A folder imports only the
 * folders listed for it (and its own files); nothing imports a folder above it, so there is no cycle.
 * docs/architecture.md shows this table; test/infra/layers.test.ts checks that both agree and that a
 * forbidden import fails the lint. `workflows/` sees `activities/` only as types (through
 * activities/index.js), which the compiler erases: the workflow sandbox never loads an activity.
 */
export const LAYERS = {
  domain: [],
  matching: ['domain'],
  extract: ['domain'],
  plex: ['domain'],
  config: ['domain', 'extract', 'matching'],
  db: ['domain', 'config', 'extract', 'matching'],
  notify: ['domain', 'config', 'db'],
  observability: ['domain', 'config', 'db'],
  workflows: ['domain', 'activities'],
  services: ['domain', 'config', 'db', 'extract', 'matching', 'plex', 'notify', 'observability', 'workflows'],
  ingest: ['domain', 'config', 'db', 'extract', 'services', 'workflows'],
  activities: [
    'domain',
    'config',
    'db',
    'extract',
    'matching',
    'plex',
    'notify',
    'observability',
    'services',
    'ingest',
  ],
  views: ['domain'],
  api: [
    'domain',
    'config',
    'db',
    'extract',
    'matching',
    'plex',
    'notify',
    'observability',
    'services',
    'ingest',
    'views',
    'workflows',
  ],
  worker: [
    'domain',
    'config',
    'db',
    'extract',
    'matching',
    'plex',
    'notify',
    'observability',
    'services',
    'ingest',
    'activities',
    'workflows',
  ],
  cli: [
    'domain',
    'config',
    'db',
    'extract',
    'matching',
    'plex',
    'notify',
    'observability',
    'services',
    'ingest',
    'activities',
    'workflows',
    'api',
    'views',
  ],
  'plex-simulator': ['domain', 'plex'],
};

const NOT_PRODUCTION = [
  {
    regex: '(^|/)plex-simulator/',
    message: 'The Plex simulator is a dev/test double: production code talks to Plex through plex/.',
  },
  { regex: '^(\\.\\./)+test/', message: 'Production code does not import test code.' },
  {
    regex: '^(\\.\\./)+testkit/',
    message: 'Production code does not import testkit/ (the fixtures and harnesses of tests and benches).',
  },
];
const WORKFLOW_SANDBOX = {
  patterns: [
    { group: ['node:*'], message: 'Workflow code runs in a sandbox: no Node built-ins.' },
    {
      group: ['**/activities/*', '!**/activities/index.js'],
      message: 'Import activity implementations only as types via activities/index.js.',
    },
  ],
  paths: ['fs', 'path', 'crypto', 'http', 'https', 'child_process', 'postgres', 'pino'].map((name) => ({
    name,
    message: 'Not in workflow code.',
  })),
};

/** One no-restricted-imports per folder: the folders it may not import, plus the sandbox rules. */
function layerRules() {
  const folders = Object.keys(LAYERS);
  return folders.map((folder) => {
    const forbidden = folders.filter((other) => other !== folder && !LAYERS[folder].includes(other));
    const layering = forbidden.length
      ? [
          {
            regex: `^(\\.\\./)+(${forbidden.join('|')})/`,
            message: `${folder}/ may import only ${LAYERS[folder].map((f) => `${f}/`).join(', ') || 'its own files'} (the layers in docs/architecture.md).`,
          },
        ]
      : [];
    const sandboxed = folder === 'workflows' || folder === 'domain';
    const patterns = [
      ...layering,
      ...(folder === 'plex-simulator' ? [] : NOT_PRODUCTION),
      ...(sandboxed ? WORKFLOW_SANDBOX.patterns : []),
    ];
    return {
      files: [`${folder}/**/*.{ts,tsx}`],
      rules: {
        'no-restricted-imports': ['error', { patterns, ...(sandboxed ? { paths: WORKFLOW_SANDBOX.paths } : {}) }],
      },
    };
  });
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      '.tools/**',
      '.data/**',
      'test-artifacts/**',
      'views/static/**',
      'bin/**',
      'eslint.config.js',
    ],
  },
  // typescript-eslint's type-checked recommendations: no `any` leaking through member access, calls or
  // returns, no needless assertions, no object stringified by accident, no async without await.
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['**/*.ts', '**/*.tsx'] })),
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      // `const { omitted: _, ...rest } = x` drops a field on purpose.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself tracks.
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
    },
  },
  {
    // Test doubles and bench stubs implement async interfaces without awaiting anything.
    files: ['test/**/*.ts', 'test/**/*.tsx', 'testkit/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/require-await': 'off' },
  },
  ...layerRules(),
  // testkit/ holds what tests and benches share (generated corpora, scans, the stack, the test servers):
  // the benches, the scripts and testkit/ itself import it, never test/, which stays the tests' own.
  ...[
    { files: ['bench/**/*.ts', 'scripts/**/*.ts'], message: 'Benches and scripts use testkit/, not test/.' },
    { files: ['testkit/**/*.ts'], message: 'testkit/ is shared by tests and benches: it does not import test/.' },
  ].map(({ files, message }) => ({
    files,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+test/', message }] }] },
  })),
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' },
        { name: 'setInterval', message: 'Not in workflow code.' },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Deterministic workflows: no Math.random (the SDK replaces it, but say what you mean with uuid4()).',
        },
      ],
    },
  },
);
