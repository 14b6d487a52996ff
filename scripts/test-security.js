#!/usr/bin/env node
/**
 * `npm run test:security [-- --full] [jest options]`: the generated adversarial suite
 * (tests/security). `--full` runs every operator on every attribute path with both auths over
 * REST and GraphQL (WUTONG_SECURITY_FULL=1); other arguments go to Jest.
 */
const { spawnSync } = require('child_process');

const args = process.argv.slice(2);
const full = args.includes('--full');
const result = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest'),
    '--runInBand',
    '--selectProjects',
    'security',
    ...args.filter((arg) => arg !== '--full'),
  ],
  { stdio: 'inherit', env: { ...process.env, ...(full ? { WUTONG_SECURITY_FULL: '1' } : {}) } },
);
process.exit(result.status ?? 1);
