/**
 * Validates the OpenAPI document on stdin against the OpenAPI 3.x JSON schemas and prints
 * {valid, errors} as JSON. A separate process: the validator is an ES module, which Jest's
 * CommonJS runtime cannot load.
 */
import { Validator } from '@seriousme/openapi-schema-validator';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(input));
process.stdout.write(
  JSON.stringify({ valid: result.valid, version: validator.version, errors: result.errors ?? null }),
);
