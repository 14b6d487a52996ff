import fs from 'fs';
import { removeWorkerDatabases } from './test-env';

export default async () => {
  await removeWorkerDatabases();
  const file = process.env.DATABASE_FILENAME;
  if (file && file.includes('test-')) fs.rmSync(file, { force: true });
};
