// Loading Strapi and talking to a real database takes seconds, not milliseconds.
jest.setTimeout(120000);
