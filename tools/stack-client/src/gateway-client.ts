import { request } from 'undici';

/** A raw HTTP answer: status, parsed JSON body (or text), headers. */
export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** Shape of a message as the API returns it (see apps/api openapi.json). */
export interface ApiMessage {
  id: string;
  status: string;
  direction: string;
  to: string;
  from: string;
  body: string;
  encoding: string;
  segments: number;
  error_code: string | null;
  error_message: string | null;
  /** On an MO, what its keyword did (opt_out, opt_in, help); on a system reply, the keyword it answers. */
  keyword_action?: string | null;
  /** An MT the gateway sent itself in answer to an MO keyword. */
  system_reply?: boolean;
  timeline?: Array<{
    status: string;
    from_status: string | null;
    source: string;
    carrier_status: string | null;
    carrier_code: string | null;
    description: string | null;
    occurred_at: string;
  }>;
}

/** Usage totals of `GET /v1/usage`. */
export interface UsageTotals {
  sms_outbound_segments: number;
  sms_inbound_segments: number;
  call_minutes: number;
}

/** One endpoint class's rate limit (admin routes): requests per `window_s` seconds per credential and per project. */
export interface RateLimit {
  per_key: number;
  per_project: number;
  window_s: number;
}

/** A project as created by the admin route, with its one-time API key and webhook secret. */
export interface CreatedProject {
  id: string;
  name: string;
  api_key: string;
  webhook_secret: string;
}

async function call<T>(
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
  timeoutMs = 10000,
): Promise<HttpAnswer<T>> {
  const res = await request(url, {
    method: method as 'GET',
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.body.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.statusCode, body: parsed as T, headers: res.headers };
}

/** HTTP client of the gateway's REST API, for the main job, tests and benchmarks. */
export class GatewayClient {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey?: string,
  ) {}

  /** Same client authenticated with `apiKey`. */
  as(apiKey: string): GatewayClient {
    return new GatewayClient(this.baseUrl, apiKey);
  }

  private auth(extra: Record<string, string> = {}): Record<string, string> {
    return this.apiKey ? { authorization: `Bearer ${this.apiKey}`, ...extra } : extra;
  }

  /** `POST /admin/projects` with the operator secret. */
  async createProject(operatorSecret: string, name: string, defaultCallbackUrl?: string): Promise<CreatedProject> {
    const res = await call<CreatedProject>(
      'POST',
      `${this.baseUrl}/admin/projects`,
      { 'x-operator-secret': operatorSecret },
      {
        name,
        ...(defaultCallbackUrl ? { default_callback_url: defaultCallbackUrl } : {}),
      },
    );
    if (res.status !== 201) throw new Error(`create project: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** `POST /admin/projects/{id}/numbers`, with the flow that answers its calls when given; resolves with the number's id. */
  async addNumber(operatorSecret: string, projectId: string, e164: string, voiceFlowId?: string): Promise<{ id: string; e164: string }> {
    const res = await call<{ id: string; e164: string }>(
      'POST',
      `${this.baseUrl}/admin/projects/${projectId}/numbers`,
      { 'x-operator-secret': operatorSecret },
      { e164, ...(voiceFlowId ? { voice_flow_id: voiceFlowId } : {}) },
    );
    if (res.status !== 201) throw new Error(`add number: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** `POST /admin/projects/{id}/sender-ids`: grants an alphanumeric sender id (`ACME`) to the project, expecting 201. */
  async grantSenderId(operatorSecret: string, projectId: string, senderId: string): Promise<void> {
    const res = await this.adminRaw(operatorSecret, 'POST', `/admin/projects/${projectId}/sender-ids`, { sender_id: senderId });
    if (res.status !== 201) throw new Error(`grant sender id: ${res.status} ${JSON.stringify(res.body)}`);
  }

  /** `POST /admin/projects/{id}/api-keys`: another API key of the project, expecting 201. */
  async createApiKey(operatorSecret: string, projectId: string): Promise<string> {
    const res = await this.adminRaw<{ api_key: string }>(operatorSecret, 'POST', `/admin/projects/${projectId}/api-keys`);
    if (res.status !== 201) throw new Error(`create API key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.api_key;
  }

  /** Any operator route (`/admin/...`) with the operator secret; `body` as in sendRaw. */
  adminRaw<T = unknown>(
    operatorSecret: string,
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<HttpAnswer<T>> {
    return call<T>(method, `${this.baseUrl}${path}`, { 'x-operator-secret': operatorSecret }, body);
  }

  /** `PUT /admin/projects/{id}/rate-limits` with any body; 200 answers every class's effective limit. */
  setRateLimits(operatorSecret: string, projectId: string, limits: unknown): Promise<HttpAnswer<Record<string, RateLimit>>> {
    return this.adminRaw(operatorSecret, 'PUT', `/admin/projects/${projectId}/rate-limits`, limits);
  }

  /** `PUT /admin/projects/{id}/messaging-settings` with any body; 200 answers the project's settings. */
  setMessagingSettings(operatorSecret: string, projectId: string, settings: unknown): Promise<HttpAnswer<Record<string, unknown>>> {
    return this.adminRaw(operatorSecret, 'PUT', `/admin/projects/${projectId}/messaging-settings`, settings);
  }

  /** `GET /admin/projects/{id}/rate-limits`: every endpoint class's effective limit, expecting 200. */
  async rateLimits(operatorSecret: string, projectId: string): Promise<Record<string, RateLimit>> {
    const res = await this.adminRaw<Record<string, RateLimit>>(operatorSecret, 'GET', `/admin/projects/${projectId}/rate-limits`);
    if (res.status !== 200) throw new Error(`rate limits: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** `POST /v1/messages`; `body` may be any value or a raw string (sent verbatim). */
  sendRaw(
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer<ApiMessage & { error?: { code: string; fields?: Array<{ field: string }> } }>> {
    return call('POST', `${this.baseUrl}/v1/messages`, this.auth(headers), body);
  }

  /** `POST /v1/messages`, expecting 201. */
  async send(body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<ApiMessage> {
    const res = await this.sendRaw(body, headers);
    if (res.status !== 201) throw new Error(`send: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  getRaw(path: string): Promise<HttpAnswer<unknown>> {
    return call('GET', `${this.baseUrl}${path}`, this.auth());
  }

  /** `GET /v1/messages/{id}` with the timeline. */
  async message(id: string): Promise<ApiMessage> {
    const res = await call<ApiMessage>('GET', `${this.baseUrl}/v1/messages/${id}`, this.auth());
    if (res.status !== 200) throw new Error(`get message: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /**
   * Polls a message until `done(status)` holds; calls `onChange` with each new status seen.
   * @throws Error naming the last status after `timeoutMs`.
   */
  async waitFor(id: string, done: (m: ApiMessage) => boolean, timeoutMs = 30000, onChange?: (m: ApiMessage) => void): Promise<ApiMessage> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const m = await this.message(id);
      if (m.status !== last) {
        last = m.status;
        onChange?.(m);
      }
      if (done(m)) return m;
      if (Date.now() > deadline) throw new Error(`message ${id} still ${m.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** GET with the API key, returning the raw bytes (e.g. a recording). */
  async getBytes(path: string): Promise<HttpAnswer<Buffer>> {
    const res = await request(`${this.baseUrl}${path}`, { headers: this.auth(), signal: AbortSignal.timeout(10000) });
    return { status: res.statusCode, headers: res.headers, body: Buffer.from(await res.body.arrayBuffer()) };
  }

  /** POST with the API key (any JSON body). */
  postRaw(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<unknown>> {
    return call('POST', `${this.baseUrl}${path}`, this.auth(headers), body);
  }

  /** PATCH with the API key (any JSON body). */
  patchRaw(path: string, body: unknown): Promise<HttpAnswer<unknown>> {
    return call('PATCH', `${this.baseUrl}${path}`, this.auth(), body);
  }

  /** DELETE with the API key. */
  deleteRaw(path: string): Promise<HttpAnswer<unknown>> {
    return call('DELETE', `${this.baseUrl}${path}`, this.auth());
  }

  /** `POST /v1/calls`, expecting 201. */
  async placeCall(body: Record<string, unknown>): Promise<ApiCall> {
    const res = await this.postRaw('/v1/calls', body);
    if (res.status !== 201) throw new Error(`place call: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ApiCall;
  }

  /** `GET /v1/calls/{id}` with its timeline. */
  async call(id: string): Promise<ApiCall> {
    const res = await this.getRaw(`/v1/calls/${id}`);
    if (res.status !== 200) throw new Error(`get call: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as ApiCall;
  }

  /** Polls a call until `done` holds; `onChange` sees each new status. @throws Error after `timeoutMs` */
  async waitForCall(
    id: string,
    done: (c: ApiCall) => boolean = (c) => CALL_TERMINAL.has(c.status),
    timeoutMs = 60000,
    onChange?: (c: ApiCall) => void,
  ): Promise<ApiCall> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
      const c = await this.call(id);
      if (c.status !== last) {
        last = c.status;
        onChange?.(c);
      }
      if (done(c)) return c;
      if (Date.now() > deadline) throw new Error(`call ${id} still ${c.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** `POST /v1/flows`, expecting 201; returns the flow id. */
  async createFlow(name: string, document: unknown): Promise<string> {
    const res = await this.postRaw('/v1/flows', { name, document });
    if (res.status !== 201) throw new Error(`create flow: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { id: string }).id;
  }

  /** `GET /v1/usage`. */
  async usage(from: string, to: string): Promise<{ totals: UsageTotals }> {
    const res = await call<{ totals: UsageTotals }>('GET', `${this.baseUrl}/v1/usage?from=${from}&to=${to}`, this.auth());
    if (res.status !== 200) throw new Error(`usage: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

/** A call as the API returns it, with its timeline and recordings. */
export interface ApiCall {
  id: string;
  status: string;
  direction: string;
  hangup_cause: string | null;
  duration_s: number | null;
  /** Orchestrator replica driving the call; null before one claims it and once the call ended. */
  replica: string | null;
  /** ARI server carrying the call; null until it is placed. */
  ari_server: string | null;
  /** Verb of the flow step running now (`redirect`/`actionHook` for fetches); null when none or ended. */
  current_verb: string | null;
  /** End of the replica's lease (ISO 8601); null when `replica` is. */
  lease_expires_at: string | null;
  timeline: Array<{
    seq: number;
    kind: string;
    from_status: string | null;
    event: string | null;
    to_status: string | null;
    step: Record<string, unknown> | null;
    detail: Record<string, unknown> | null;
    occurred_at: string;
  }>;
  recordings: Array<{ id: string; duration_s: number; url: string }>;
}

/** Terminal call statuses. */
export const CALL_TERMINAL = new Set(['completed', 'busy', 'no-answer', 'failed', 'canceled']);

/** Terminal message statuses. */
export const TERMINAL = new Set(['delivered', 'undelivered', 'failed', 'received']);
