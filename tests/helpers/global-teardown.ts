import fs from 'fs';

export default async () => {
  const file = process.env.DATABASE_FILENAME;
  if (file && file.includes('test-')) fs.rmSync(file, { force: true });
};
