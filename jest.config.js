/** @type {import('jest').Config} */
// Transpiled file by file (tsconfig.jest.json): `npm run typecheck` checks the types, once, for
// the whole project.
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json' }],
};

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/src/**/*.spec.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      rootDir: __dirname,
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      transform,
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 60_000,
  // Each test file in a worker that is replaced once it holds this much: in one process the whole
  // suite (FHIR definitions, Chromium clients, Nest apps) outgrew the heap before the end.
  workerIdleMemoryLimit: '2GB',
};
