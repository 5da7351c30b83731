// Lint rules the house style relies on: workflow code stays deterministic and sandbox-safe, and no
// promise is left floating anywhere.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'test-artifacts/**', 'views/static/**', 'bin/**', 'eslint.config.js'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/describe() return promises the runner itself tracks.
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] }] },
      ],
    },
  },
  {
    // Production code never reaches into the Plex double or the tests.
    files: ['activities', 'api', 'cli', 'config', 'db', 'domain', 'extract', 'ingest', 'matching', 'notify', 'observability', 'plex', 'views', 'worker'].map((dir) => `${dir}/**/*.{ts,tsx}`),
    ignores: ['workflows/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/plex-simulator/*'], message: 'The Plex simulator is a dev/test double: production code talks to Plex through plex/.' },
        { group: ['**/test/*', '**/test/**'], message: 'Production code does not import test code.' },
      ] }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code runs in a sandbox: no Node built-ins.' },
            { group: ['**/activities/*', '!**/activities/index.js'], message: 'Import activity implementations only as types via activities/index.js.' },
            { group: ['**/db/*', '**/plex/*', '**/extract/*', '**/api/*'], message: 'Workflow code does no I/O: use an activity.' },
          ],
          paths: ['fs', 'path', 'crypto', 'http', 'https', 'child_process', 'postgres', 'pino'].map((name) => ({ name, message: 'Not in workflow code.' })),
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Not in workflow code.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Deterministic workflows: no Math.random (the SDK replaces it, but say what you mean with uuid4()).' }],
    },
  },
);
