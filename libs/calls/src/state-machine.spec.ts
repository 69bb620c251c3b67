import type { CallStatus } from '@gw/database';
import { CALL_STATE_MACHINE, CALL_STATUSES, callStateGraph, callStateMermaid } from './state-machine';
import { canTransitionCall, isTerminalCall } from './status';

/** The rank rule the table replaced: a move applies only when it raises the rank. */
const OLD_RANK: Record<CallStatus, number> = {
  queued: 0,
  initiated: 1,
  ringing: 2,
  'in-progress': 3,
  completed: 4,
  busy: 4,
  'no-answer': 4,
  failed: 4,
  canceled: 4,
};

describe('call state machine', () => {
  const pairs = CALL_STATUSES.flatMap((from) => CALL_STATUSES.map((to) => [from, to] as const));

  it('lists every status once', () => {
    expect([...CALL_STATUSES].sort()).toEqual(Object.keys(OLD_RANK).sort());
  });

  it('allows exactly the moves the rank rule allowed', () => {
    for (const [from, to] of pairs) expect([from, to, canTransitionCall(from, to)]).toEqual([from, to, OLD_RANK[to] > OLD_RANK[from]]);
  });

  it('marks exactly the statuses of the top rank terminal', () => {
    for (const s of CALL_STATUSES) expect([s, isTerminalCall(s)]).toEqual([s, OLD_RANK[s] === 4]);
  });

  it('has no move out of a terminal status, and every status in some move', () => {
    const graph = callStateGraph();
    expect(graph.transitions.filter((e) => isTerminalCall(e.from))).toEqual([]);
    const touched = new Set(graph.transitions.flatMap((e) => [e.from, e.to]));
    expect([...touched].sort()).toEqual([...CALL_STATUSES].sort());
  });

  it('flattens the table into unique (from, to, event) edges and lists every event', () => {
    const graph = callStateGraph();
    const keys = graph.transitions.map((e) => `${e.from}>${e.to}:${e.event}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(graph.transitions).toContainEqual({ from: 'queued', to: 'initiated', event: 'ari.originate' });
    expect(graph.transitions).toContainEqual({ from: 'queued', to: 'canceled', event: 'api.hangup' });
    expect(graph.transitions).toContainEqual({ from: 'in-progress', to: 'canceled', event: null });
    const used = new Set(graph.transitions.map((e) => e.event).filter((e): e is string => e !== null));
    for (const e of used) expect(graph.events).toContain(e);
    expect(graph.events).toEqual(expect.arrayContaining(['api.create', ...CALL_STATE_MACHINE.initial.events]));
    expect(graph.states.map((s) => s.name)).toEqual(CALL_STATUSES);
  });

  it('renders every move, labelled with its events, as Mermaid', () => {
    const text = callStateMermaid();
    const id = (s: string) => s.replace(/-/g, '_');
    const lines = text.split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    expect(text).toContain('state "in-progress" as in_progress');
    expect(text).toContain('[*] --> queued : api.create, ari.StasisStart');
    for (const e of callStateGraph().transitions) {
      const arrow = lines.find((l) => l.trim().split(' : ')[0] === `${id(e.from)} --> ${id(e.to)}`);
      expect([e, arrow]).toEqual([e, expect.any(String)]);
      if (e.event) expect(arrow!.split(' : ')[1].split(', ')).toContain(e.event);
    }
    for (const s of CALL_STATUSES.filter(isTerminalCall)) expect(lines).toContain(`  ${id(s)} --> [*]`);
    expect(lines.filter((l) => / --> /.test(l) && !l.includes('[*]'))).toHaveLength(
      new Set(callStateGraph().transitions.map((e) => `${e.from}>${e.to}`)).size,
    );
  });
});
