/** Identifiers shaped like Asterisk's: channel uniqueids, channel names and UUIDs. */
import { randomUUID } from 'node:crypto';

/** Generates ids; one instance per simulator so sequences restart with it. */
export class IdGenerator {
  private uniqueSeq = 0;
  private nameSeq = 0;

  /** A channel uniqueid like Asterisk's default: `<unix seconds>.<sequence>`, e.g. `1714564800.12`. */
  channelId(): string {
    this.uniqueSeq += 1;
    return `${Math.floor(Date.now() / 1000)}.${this.uniqueSeq}`;
  }

  /**
   * A channel name for a dial endpoint, like chan_pjsip names them: `PJSIP/+15550001@trunk` gives
   * `PJSIP/trunk-0000000a`, `PJSIP/trunk/sip:+1555@host` gives `PJSIP/trunk-...`, `PJSIP/alice` gives `PJSIP/alice-0000000a`, `Local/100@ctx` gives
   * `Local/100@ctx-0000000a;1`.
   */
  channelName(endpoint: string): string {
    this.nameSeq += 1;
    const seq = this.nameSeq.toString(16).padStart(8, '0');
    const slash = endpoint.indexOf('/');
    const tech = slash > 0 ? endpoint.slice(0, slash) : endpoint;
    const resource = slash > 0 ? endpoint.slice(slash + 1) : '';
    if (tech.toLowerCase() === 'local') return `${tech}/${resource}-${seq};1`;
    // PJSIP/<endpoint>/<uri> and PJSIP/<number>@<endpoint> both name the channel after the endpoint.
    const at = resource.indexOf('@');
    const device = (resource.includes('/') ? resource.split('/')[0] : at >= 0 ? resource.slice(at + 1) : resource) || 'sim';
    return `${tech}/${device}-${seq}`;
  }

  /**
   * The name of the `;2` half of a Local channel pair whose `;1` is named `firstName`:
   * `Local/100@ctx-0000000a;1` gives `Local/100@ctx-0000000a;2`. Any other name (the realistic
   * mode pairs every outbound channel) gives `Local/<number>@from-gateway-<its sequence>;2`, as
   * the observed `Local/<number>@from-gateway` far ends are named.
   */
  localHalfName(firstName: string, number: string): string {
    if (firstName.endsWith(';1')) return `${firstName.slice(0, -2)};2`;
    const seq = /-([0-9a-f]{8})$/.exec(firstName)?.[1] ?? this.nameSeq.toString(16).padStart(8, '0');
    return `Local/${number}@from-gateway-${seq};2`;
  }

  /** A random UUID (playback and bridge ids when the client gives none). */
  uuid(): string {
    return randomUUID();
  }
}
