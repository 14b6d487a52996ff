/** Unit tests (pure src/lib logic) and API tests (HTTP against a real Strapi instance). */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/unit/**/*.test.ts'],
      transform,
    },
    {
      displayName: 'api',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/api/**/*.test.api.ts'],
      transform,
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/jest-setup.ts'],
      modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
    },
    {
      // The generated adversarial suite of the public read path (tests/security/generate.ts).
      displayName: 'security',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/security/**/*.test.security.ts'],
      transform,
      globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/jest-setup.ts'],
      modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/tests/e2e/**/*.test.e2e.ts'],
      transform,
      globalSetup: '<rootDir>/tests/helpers/e2e-setup.ts',
      globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/helpers/jest-setup.ts'],
      modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.tmp/'],
    },
  ],
};
