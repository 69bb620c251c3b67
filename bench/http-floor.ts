import { createServer } from 'node:http';
import { newOutboundMessage } from '../apps/api/src/messages/accept-statement';
import { launchFloor } from './floor-workers';

/**
 * Baseline server for benchmark (a): what this machine gives an HTTP endpoint that does nothing
 * but the api's group-committed write (the same MessageWriter). `POST /` with `{to, from, body}`
 * answers 201 once the message, timeline row and outbox event are committed; any other method
 * answers 200 (readiness). No framework, authentication, validation or logging, so the gap between
 * this and the api is what the api's own layers cost. Processes, port and project: see launchFloor.
 */
launchFloor('http-floor', (writer, port, projectId) => {
  createServer((req, res) => {
    if (req.method !== 'POST') {
      res.end();
      return;
    }
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const { to, from, body } = JSON.parse(raw) as { to: string; from: string; body: string };
      const message = newOutboundMessage({ projectId, to, from, body, encoding: 'GSM-7', segments: 1 });
      writer.write({ message }).then(
        () => {
          const out = JSON.stringify({ id: message.id, status: 'queued' });
          res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
        },
        () => res.writeHead(500).end(),
      );
    });
  }).listen(port, '127.0.0.1');
});
