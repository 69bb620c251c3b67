import type { CallStatus } from '@gw/database';

/** One call status: `terminal` ones are final (never left, never overwritten). */
export interface CallStateDef {
  name: CallStatus;
  terminal: boolean;
  description: string;
}

/**
 * One row of the transition table: a call in any of `from` may move to `to`, caused by any of
 * `events` (the `event` that callers of transitionCall pass and the timeline shows). `events` is
 * empty for a move no event causes today that the forward-only rule still allows.
 */
export interface CallTransitionRule {
  from: readonly CallStatus[];
  to: CallStatus;
  events: readonly string[];
  description: string;
}

/** The call status machine: how calls are created (`initial`), their statuses and the allowed moves. */
export interface CallStateMachine {
  initial: { to: CallStatus; events: readonly string[]; description: string };
  states: readonly CallStateDef[];
  transitions: readonly CallTransitionRule[];
}

/** One edge of the flattened graph; `event` is null for a move no event causes today. */
export interface CallStateEdge {
  from: CallStatus;
  to: CallStatus;
  event: string | null;
}

/** The machine as a graph: every status, every event name, one edge per (from, to, event). */
export interface CallStateGraph {
  initial: { to: CallStatus; events: string[] };
  states: CallStateDef[];
  events: string[];
  transitions: CallStateEdge[];
}

/** Statuses a call can still leave; UNANSWERED: those before the answer. */
const LIVE = ['queued', 'initiated', 'ringing', 'in-progress'] as const satisfies readonly CallStatus[];
const UNANSWERED = ['queued', 'initiated', 'ringing'] as const satisfies readonly CallStatus[];
/** Events of an orchestrator finding it cannot drive a call: it ends completed if answered, else failed. */
const LOST = ['reconcile.channel_gone', 'reconcile.server_unknown', 'reconcile.takeover_failed', 'ari.server_lost'] as const;

/**
 * The call status machine (Twilio's vocabulary). `canTransitionCall` and `isTerminalCall` are derived
 * from it, so this table is what transitionCall enforces. A status only ever moves forward
 * (queued < initiated < ringing < in-progress < terminal) and may skip steps: the stored status lags
 * behind the call when an ARI event was missed or a write failed (the orchestrator logs and skips
 * failed writes), so the event that ends or answers a call applies from any earlier status.
 * A new event is one row here (`{ from: [...], to, events: ['<source>.<what>'], description }`), or one more
 * name in the `events` of a row whose move it makes.
 */
export const CALL_STATE_MACHINE: CallStateMachine = {
  initial: {
    to: 'queued',
    events: ['api.create', 'ari.StasisStart'],
    description: 'A call is created queued: outbound by POST /v1/calls, inbound when its channel enters the Stasis app',
  },
  states: [
    { name: 'queued', terminal: false, description: 'Created; not dialled yet (outbound) or not taken yet (inbound)' },
    { name: 'initiated', terminal: false, description: 'Outbound: Asterisk accepted the originate and is dialling' },
    { name: 'ringing', terminal: false, description: 'The far end rings (outbound) or the call waits to be answered (inbound)' },
    { name: 'in-progress', terminal: false, description: 'Answered; the flow runs' },
    { name: 'completed', terminal: true, description: 'Answered, then hung up' },
    { name: 'busy', terminal: true, description: 'Never answered: the far end was busy (Q.850 17)' },
    { name: 'no-answer', terminal: true, description: 'Never answered: no answer within the ring time (Q.850 18, 19)' },
    { name: 'failed', terminal: true, description: 'Never answered: rejected, unroutable, or the gateway could not place or answer it' },
    { name: 'canceled', terminal: true, description: 'Hung up through the API before it was dialled' },
  ],
  transitions: [
    { from: ['queued'], to: 'initiated', events: ['ari.originate'], description: 'Outbound: ARI accepted the originate' },
    {
      from: ['queued', 'initiated'],
      to: 'ringing',
      events: ['ari.ChannelStateChange'],
      description: 'Outbound: the channel reports the Ringing state',
    },
    { from: ['queued'], to: 'ringing', events: ['ari.StasisStart'], description: 'Inbound: the call entered the Stasis app' },
    {
      from: UNANSWERED,
      to: 'in-progress',
      events: ['ari.StasisStart'],
      description: 'Outbound: the callee answered and the channel entered the Stasis app',
    },
    { from: ['ringing'], to: 'in-progress', events: ['ari.answer'], description: 'Inbound: the gateway answered' },
    {
      from: LIVE,
      to: 'completed',
      events: ['ari.ChannelDestroyed'],
      description: 'An answered call hung up (from an earlier status when the in-progress write was lost)',
    },
    {
      from: ['in-progress'],
      to: 'completed',
      events: LOST,
      description: 'An answered call no orchestrator can drive any more: its channel or ARI server is gone, or a takeover failed',
    },
    { from: UNANSWERED, to: 'busy', events: ['ari.ChannelDestroyed'], description: 'Hung up unanswered with Q.850 cause 17' },
    { from: UNANSWERED, to: 'no-answer', events: ['ari.ChannelDestroyed'], description: 'Hung up unanswered with Q.850 cause 18 or 19' },
    { from: UNANSWERED, to: 'failed', events: ['ari.ChannelDestroyed'], description: 'Hung up unanswered with any other Q.850 cause' },
    { from: ['queued'], to: 'failed', events: ['ari.originate_failed'], description: 'Outbound: ARI refused the originate' },
    { from: ['ringing'], to: 'failed', events: ['ari.answer_failed'], description: 'Inbound: ARI refused to answer' },
    {
      from: UNANSWERED,
      to: 'failed',
      events: LOST,
      description: 'An unanswered call no orchestrator can drive any more: its channel or ARI server is gone, or a takeover failed',
    },
    {
      from: ['queued'],
      to: 'failed',
      events: ['watchdog.expired'],
      description: 'Outbound: no ARI server could place the call within its ring time + time limit + margin',
    },
    { from: ['queued'], to: 'canceled', events: ['api.hangup'], description: 'POST /v1/calls/{id}/hangup before the call was dialled' },
    // Forward moves that no event makes today; kept because a status may always move forward.
    { from: ['in-progress'], to: 'busy', events: [], description: 'No event makes this move today (answered calls end completed)' },
    { from: ['in-progress'], to: 'no-answer', events: [], description: 'No event makes this move today (answered calls end completed)' },
    { from: ['in-progress'], to: 'failed', events: [], description: 'No event makes this move today (answered calls end completed)' },
    {
      from: ['initiated', 'ringing', 'in-progress'],
      to: 'canceled',
      events: [],
      description: 'No event makes this move today (the api cancels only calls not yet dialled)',
    },
  ],
};

/** Every status, in the table's order (forward progress, then the terminal ones). */
export const CALL_STATUSES: CallStatus[] = CALL_STATE_MACHINE.states.map((s) => s.name);

/**
 * The machine as a graph: `events` in first-use order (creation events first), `transitions` one
 * edge per (from, to, event) of each row in table order, with `event: null` for a row without events.
 */
export function callStateGraph(machine: CallStateMachine = CALL_STATE_MACHINE): CallStateGraph {
  const transitions = machine.transitions.flatMap((row) =>
    row.from.flatMap((from) => (row.events.length ? row.events : [null]).map((event) => ({ from, to: row.to, event }))),
  );
  const events = [...new Set([...machine.initial.events, ...machine.transitions.flatMap((row) => row.events)])];
  return {
    initial: { to: machine.initial.to, events: [...machine.initial.events] },
    states: machine.states.map((s) => ({ ...s })),
    events,
    transitions,
  };
}

/** Mermaid state id: hyphens would read as part of an arrow. */
const mermaidId = (status: CallStatus): string => status.replace(/-/g, '_');

/**
 * Mermaid `stateDiagram-v2` text of the machine: each status declared with its name as label, one
 * arrow per (from, to) labelled with its events (comma-separated; no label when no event causes it),
 * `[*] --> queued` labelled with the creation events and `<terminal> --> [*]` for each terminal status.
 */
export function callStateMermaid(machine: CallStateMachine = CALL_STATE_MACHINE): string {
  const lines = ['stateDiagram-v2'];
  for (const s of machine.states) lines.push(`  state "${s.name}" as ${mermaidId(s.name)}`);
  lines.push(`  [*] --> ${mermaidId(machine.initial.to)} : ${machine.initial.events.join(', ')}`);
  const arrows = new Map<string, string[]>();
  for (const edge of callStateGraph(machine).transitions) {
    const key = `${mermaidId(edge.from)} --> ${mermaidId(edge.to)}`;
    const labels = arrows.get(key) ?? [];
    if (edge.event && !labels.includes(edge.event)) labels.push(edge.event);
    arrows.set(key, labels);
  }
  for (const [arrow, labels] of arrows) lines.push(`  ${arrow}${labels.length ? ` : ${labels.join(', ')}` : ''}`);
  for (const s of machine.states.filter((st) => st.terminal)) lines.push(`  ${mermaidId(s.name)} --> [*]`);
  return lines.join('\n') + '\n';
}
