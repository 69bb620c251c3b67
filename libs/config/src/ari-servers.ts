/** One Asterisk server the call orchestrator drives over ARI. */
export interface AriServerConfig {
  /** Stable name (stored with each call it carries); `[A-Za-z0-9_-]`, at most 63 characters. */
  name: string;
  /** Base URL of Asterisk's HTTP server (ARI lives under `/ari`), without credentials. */
  url: string;
  username: string;
  password: string;
}

const NAME = /^[A-Za-z0-9_-]{1,63}$/;

/**
 * Parses `ARI_SERVERS`: comma-separated `name=url` entries, e.g.
 * `pbx1=http://10.0.0.5:8088,pbx2=http://gateway:secret@10.0.0.6:8088`. Credentials in a URL's
 * userinfo override `username`/`password` (ARI_USERNAME / ARI_PASSWORD) for that server. Without
 * `ARI_SERVERS`, the single server `fallbackUrl` (ARI_URL) is named `default`.
 * @throws Error naming the bad entry (never echoing credentials) for a missing name, a bad URL,
 *   a duplicate name or no server at all.
 */
export function parseAriServers(
  list: string | undefined,
  fallbackUrl: string | undefined,
  username: string | undefined,
  password: string | undefined,
): AriServerConfig[] {
  const entries = list?.trim()
    ? list
        .split(',')
        .map((e) => e.trim())
        .filter(Boolean)
    : fallbackUrl
      ? [`default=${fallbackUrl}`]
      : [];
  if (!entries.length) throw new Error('set ARI_SERVERS (name=url,...) or ARI_URL');
  const servers: AriServerConfig[] = [];
  entries.forEach((entry, i) => {
    const eq = entry.indexOf('=');
    const name = eq > 0 ? entry.slice(0, eq) : '';
    if (!NAME.test(name)) throw new Error(`entry ${i + 1} must be name=url with a name of A-Z a-z 0-9 _ - (at most 63)`);
    let url: URL;
    try {
      url = new URL(entry.slice(eq + 1));
    } catch {
      throw new Error(`entry ${i + 1} (${name}): not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`entry ${i + 1} (${name}): the URL must be http(s)`);
    const user = url.username ? decodeURIComponent(url.username) : username;
    const pass = url.password ? decodeURIComponent(url.password) : password;
    if (!user || !pass) throw new Error(`entry ${i + 1} (${name}): no credentials (userinfo in the URL, or ARI_USERNAME and ARI_PASSWORD)`);
    if (servers.some((s) => s.name === name)) throw new Error(`entry ${i + 1}: duplicate name ${name}`);
    url.username = '';
    url.password = '';
    servers.push({ name, url: url.toString().replace(/\/$/, ''), username: user, password: pass });
  });
  return servers;
}
