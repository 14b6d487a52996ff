/**
 * Browser tests need the admin panel built (dist/build). It is built once per test run, after
 * the shared environment; `strapi build` also recompiles the server code.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { DIST, ROOT } from './paths';
import { prepareTestEnvironment } from './test-env';

export default async (globalConfig: { maxWorkers: number }) => {
  await prepareTestEnvironment(globalConfig);
  if (process.env.WUTONG_E2E_SKIP_BUILD && fs.existsSync(path.join(DIST, 'build', 'index.html'))) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', '@strapi', 'strapi', 'bin', 'strapi.js'), 'build'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: process.env,
  });
};
