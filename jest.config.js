// Unit tests (*.spec.ts) sit beside the code; integration tests (*.int-spec.ts) talk to the real
// Kafka, Postgres and Redis that test/global-setup.ts starts or finds.
const swcOptions = require('./scripts/swc-options.cjs');

const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcOptions, swcrc: false }] },
  moduleNameMapper: {
    '^@switchboard/([^/]+)-service/dist/config$': '<rootDir>/services/$1/src/config',
    '^@switchboard/([^/]+)-service$': '<rootDir>/services/$1/src',
    '^@switchboard/([^/]+)$': '<rootDir>/libs/$1/src',
  },
  testEnvironment: 'node',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

module.exports = {
  // Per-project testTimeout is ignored by Jest; integration tests drive whole stacks.
  testTimeout: 120000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{libs,services,cli,test}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,cli,test}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/global-setup.ts',
    },
  ],
};
