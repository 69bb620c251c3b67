import { createDataSource } from '@gw/database';
import { launchWorkers } from '@gw/observability';
import { MessageWriter } from '../apps/api/src/messages/message-writer';

/**
 * Runs a baseline server of benchmark (a) in FLOOR_WORKERS processes (default 1): each connects to
 * DATABASE_URL (pool of 20), builds the api's group-committing MessageWriter and calls `serve` with
 * it, the port (FLOOR_PORT) and the project the messages belong to (FLOOR_PROJECT_ID).
 */
export function launchFloor(name: string, serve: (writer: MessageWriter, port: number, projectId: string) => Promise<void> | void): void {
  launchWorkers(
    name,
    () => Number(process.env.FLOOR_WORKERS ?? 1),
    async () => {
      const ds = await createDataSource({ url: process.env.DATABASE_URL!, applicationName: name, poolSize: 20 }).initialize();
      await serve(new MessageWriter(ds), Number(process.env.FLOOR_PORT), process.env.FLOOR_PROJECT_ID!);
    },
  );
}
