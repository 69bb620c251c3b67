import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { apiEnv, loadConfig, type ApiConfig } from '@gw/config';
import { buildOpenApi, createApiApp } from './bootstrap';

/** Path of the committed OpenAPI document (checked for drift in the unit tests). */
export const OPENAPI_PATH = resolve(__dirname, '..', 'openapi.json');

// Parsed like the real environment, so every default (JWT settings included) is the app's own.
const PREVIEW_CONFIG: ApiConfig = loadConfig(apiEnv, {
  DATABASE_URL: 'postgres://preview@127.0.0.1:1/preview',
  REDIS_URL: 'redis://127.0.0.1:1/0',
  KAFKA_BROKERS: '127.0.0.1:1',
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  API_PORT: '1',
  OPERATOR_SECRET: 'preview-operator-secret',
  RECORDINGS_DIR: '/nonexistent',
});

/** Renders the api's OpenAPI document as stable, pretty JSON without connecting to any service. */
export async function renderOpenApi(): Promise<string> {
  const app = await createApiApp(PREVIEW_CONFIG, { preview: true });
  const doc = buildOpenApi(app);
  await app.close();
  return JSON.stringify(doc, null, 2) + '\n';
}

if (require.main === module) {
  renderOpenApi()
    .then((json) => writeFileSync(process.argv[2] ?? OPENAPI_PATH, json))
    .catch((err: unknown) => {
      process.stderr.write(`openapi generation failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
