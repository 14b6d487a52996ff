import { useWorkerDatabase } from './test-env';

// Before anything starts Strapi: this worker's own copy of the run's database.
useWorkerDatabase();
// Loading Strapi and talking to a real database takes seconds, not milliseconds.
jest.setTimeout(120000);
