/** Timestamps as ARI writes them (ast_json_timeval): `2024-05-01T12:00:00.123+0000`, always UTC. */
export function ariTimestamp(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}
