import { readFileSync } from 'node:fs';
import { OPENAPI_PATH, renderOpenApi } from './openapi';

describe('committed OpenAPI document', () => {
  it('matches what the code generates (regenerate with npm run openapi)', async () => {
    const generated = JSON.parse(await renderOpenApi());
    expect(generated.paths['/v1/messages'].post).toBeDefined();
    expect(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'))).toEqual(generated);
  });
});
