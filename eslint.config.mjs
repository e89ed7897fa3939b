// One lint for the workspace (`npm run lint`; each Nx project's `lint` target runs it on its own
// files): typescript-eslint's type-aware recommended rules, since a floating or misused promise in a
// Kafka or gRPC handler is an error nobody sees, and the architecture as Nx module boundaries.
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/gen/**', '**/node_modules/**', '.local/**', '.nx/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    extends: [js.configs.recommended, ...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // Each file is checked with the nearest tsconfig.json: the root one, or the console web app's.
      // The web app's unit tests run under Jest, outside the app's browser tsconfig: the default project.
      parserOptions: {
        projectService: { allowDefaultProject: ['services/console/web/src/*.spec.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      // The compiler already reports these (noUnusedLocals, noUnusedParameters), with `_` for a
      // parameter a signature needs.
      '@typescript-eslint/no-unused-vars': 'off',
      // `async` without `await` is how a synchronous implementation meets a Promise-returning
      // interface here (close(), handlers); the promise rules above catch the real mistakes.
      '@typescript-eslint/require-await': 'off',
      // The input validators reject control characters, so their patterns name them on purpose.
      'no-control-regex': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          // Test-only cycles: libs/testing builds on these libs, whose own integration tests use it.
          // Their package.json cuts the edge from the build graph (implicitDependencies "!…").
          ignoredCircularDependencies: [
            ['@switchboard/testing', '@switchboard/logging'],
            ['@switchboard/testing', '@switchboard/messaging'],
            ['@switchboard/testing', '@switchboard/persistence'],
          ],
          depConstraints: [
            // cli -> services -> libs: a service never imports another service, a lib never a service.
            { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:service', 'type:lib'] },
            { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // Encryption is a leaf that persistence builds on next to the bus; it does not pull Kafka in.
            { sourceTag: 'scope:crypto', notDependOnLibsWithTags: ['scope:messaging'] },
          ],
        },
      ],
    },
  },
  {
    // Tests read untyped JSON (HTTP bodies, Kafka payloads, rows) and assert its shape with expect();
    // the promise rules stay on for them.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', 'test/**/*.ts', '*/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['services/console/web/**/*.tsx', 'services/console/web/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
);
