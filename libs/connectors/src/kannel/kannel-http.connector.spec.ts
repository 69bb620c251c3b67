import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError, RetryableError } from '@gw/queues';
import { NotSubmittedError } from '../carrier';
import { KannelHttpConnector, classifyKannelResponse, kannelDlrUrl, kannelSendsmsQuery } from './kannel-http.connector';

const creds = { username: 'gw', password: 'pw', smsc: null };
const req = {
  messageId: 'msg_1',
  to: '+14155550100',
  from: 'ACME',
  body: 'hi there',
  encoding: 'GSM-7' as const,
  validityPeriodS: null,
  dlrUrl: 'http://127.0.0.1:58081/webhooks/kannel/dlr?msg=msg_1&conn=conn_1&token=t-_k',
};

/** The octets of query value `name`, percent-decoded as Kannel's CGI parser does (`+` is a space). */
function octetsOf(query: string, name: string): Buffer {
  const pair = query.split('&').find((p) => p.startsWith(`${name}=`));
  if (!pair) throw new Error(`no ${name} in ${query}`);
  const raw = pair.slice(name.length + 1).replaceAll('+', ' ');
  return Buffer.from(
    raw.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    'latin1',
  );
}

describe('kannelSendsmsQuery', () => {
  it('sends GSM-7 as UTF-8 text with coding 0, asks for every DLR type and keeps the credentials', () => {
    const q = new URLSearchParams(kannelSendsmsQuery(creds, { ...req, body: 'héllo € [x]' }));
    expect(Object.fromEntries(q)).toEqual({
      username: 'gw',
      password: 'pw',
      to: '+14155550100',
      from: 'ACME',
      coding: '0',
      charset: 'UTF-8',
      'dlr-mask': '31',
      'dlr-url': `${req.dlrUrl}&type=%d&reply=%A&smscid=%F&ts=%T`,
      text: 'héllo € [x]',
    });
  });

  it('sends UCS-2 as the UTF-16BE octets of the text with coding 2, surrogate pairs as they are', () => {
    const query = kannelSendsmsQuery(creds, { ...req, body: 'Привет 😀', encoding: 'UCS-2' });
    const q = new URLSearchParams(query);
    expect(q.get('coding')).toBe('2');
    expect(q.get('charset')).toBe('UTF-16BE');
    expect(octetsOf(query, 'text').toString('hex')).toBe('041f044004380432043504420020d83dde00');
  });

  it('converts the validity period from seconds to whole minutes, rounding up', () => {
    expect(new URLSearchParams(kannelSendsmsQuery(creds, { ...req, validityPeriodS: 90 })).get('validity')).toBe('2');
    expect(new URLSearchParams(kannelSendsmsQuery(creds, { ...req, validityPeriodS: 1 })).get('validity')).toBe('1');
    expect(new URLSearchParams(kannelSendsmsQuery(creds, req)).has('validity')).toBe(false);
  });

  it('forces the smsc-id only when one is configured', () => {
    expect(new URLSearchParams(kannelSendsmsQuery({ ...creds, smsc: 'simulator' }, req)).get('smsc')).toBe('simulator');
    expect(new URLSearchParams(kannelSendsmsQuery(creds, req)).has('smsc')).toBe(false);
  });
});

describe('kannelDlrUrl', () => {
  it('appends the escapes and doubles every % of the gateway URL, which Kannel would otherwise expand', () => {
    expect(kannelDlrUrl('http://h/d?msg=m%2B1&token=%A')).toBe('http://h/d?msg=m%%2B1&token=%%A&type=%d&reply=%A&smscid=%F&ts=%T');
  });
});

describe('classifyKannelResponse', () => {
  it('accepts 202 "0: Accepted for delivery" and 202 "3: Queued for later delivery"', () => {
    expect(classifyKannelResponse(202, '0: Accepted for delivery')).toBeNull();
    expect(classifyKannelResponse(202, '3: Queued for later delivery')).toBeNull();
  });

  it('reports 503 as not submitted (another connector may take it)', () => {
    expect(classifyKannelResponse(503, 'Temporal failure, try again later.')).toBeInstanceOf(NotSubmittedError);
  });

  it('treats 4xx as permanent with the status in the code', () => {
    const e = classifyKannelResponse(403, 'Authorization failed for sendsms');
    expect(e).toBeInstanceOf(PermanentError);
    expect((e as PermanentError).code).toBe('kannel_403');
    expect((classifyKannelResponse(400, 'Missing receiver number, rejected') as PermanentError).code).toBe('kannel_400');
  });

  it('leaves other answers unknown: retry on the same connector', () => {
    for (const [status, body] of [
      [500, 'oops'],
      [202, 'Something else'],
      [200, '0: Accepted for delivery'],
    ] as const) {
      const e = classifyKannelResponse(status, body);
      expect(e).toBeInstanceOf(RetryableError);
      expect(e).not.toBeInstanceOf(NotSubmittedError);
    }
  });
});

describe('KannelHttpConnector.submit', () => {
  let server: Server;
  let seen: string[];
  let answer: (res: ServerResponse) => void;

  const connector = (port: number, timeoutMs = 2000): KannelHttpConnector =>
    new KannelHttpConnector(
      { id: 'conn_1', name: 'kannel', kind: 'kannel' },
      { baseUrl: `http://127.0.0.1:${port}`, username: 'gw', password: 'secret-pw', smsc: null, timeoutMs },
    );
  const listen = async (): Promise<number> => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  };

  beforeEach(() => {
    seen = [];
    server = createServer((rq, res) => {
      seen.push(rq.url ?? '');
      answer(res);
    });
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('GETs /cgi-bin/sendsms and returns the gateway message id as the provider id', async () => {
    answer = (res) => res.writeHead(202, { 'content-type': 'text/html' }).end('0: Accepted for delivery');
    const port = await listen();
    await expect(connector(port).submit(req)).resolves.toEqual({ providerMessageId: 'msg_1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^\/cgi-bin\/sendsms\?username=gw&password=secret-pw&/);
  });

  it('throws PermanentError for a 4xx and NotSubmittedError for a 503', async () => {
    const port = await listen();
    answer = (res) => res.writeHead(403).end('Authorization failed for sendsms');
    await expect(connector(port).submit(req)).rejects.toBeInstanceOf(PermanentError);
    answer = (res) => res.writeHead(503).end('Temporal failure, try again later.');
    await expect(connector(port).submit(req)).rejects.toBeInstanceOf(NotSubmittedError);
  });

  it('throws NotSubmittedError when nothing listens, without the password in the message', async () => {
    const port = await listen();
    server.close();
    const err = await connector(port)
      .submit(req)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotSubmittedError);
    expect(String((err as Error).message)).not.toContain('secret-pw');
  });

  it('throws a RetryableError that is not NotSubmittedError on a timeout or a reset after sending', async () => {
    const port = await listen();
    answer = () => undefined;
    const timedOut = await connector(port, 150)
      .submit(req)
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(RetryableError);
    expect(timedOut).not.toBeInstanceOf(NotSubmittedError);
    answer = (res) => res.socket?.destroy();
    const reset = await connector(port)
      .submit(req)
      .catch((e: unknown) => e);
    expect(reset).toBeInstanceOf(RetryableError);
    expect(reset).not.toBeInstanceOf(NotSubmittedError);
    expect(String((reset as Error).message)).not.toContain('secret-pw');
  });
});
