import { orderCandidates, type RouteCandidate } from './candidates';

const PROJECT = 'prj_a';
let seq = 0;

/** A route of PROJECT created at second `at` (so creation order is explicit). */
function route(over: Partial<RouteCandidate> & { connectorIds: string[] }, at = 0): RouteCandidate {
  seq += 1;
  return {
    id: `rte_${String(seq).padStart(3, '0')}`,
    projectId: PROJECT,
    prefix: '',
    price: null,
    enabled: true,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, at)),
    ...over,
  };
}

describe('orderCandidates', () => {
  it('tries the longest matching prefix first, whatever the input order', () => {
    const routes = [
      route({ prefix: '', connectorIds: ['conn_any'] }),
      route({ prefix: '4477', connectorIds: ['conn_uk_mobile'] }),
      route({ prefix: '44', connectorIds: ['conn_uk'] }),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_uk_mobile', 'conn_uk', 'conn_any']);
    expect(orderCandidates([...routes].reverse(), PROJECT)).toEqual(['conn_uk_mobile', 'conn_uk', 'conn_any']);
  });

  it('at equal prefix length, tries the least cost per segment first and an unknown price last', () => {
    const routes = [
      route({ prefix: '44', price: null, connectorIds: ['conn_unpriced'] }),
      route({ prefix: '44', price: 0.012, connectorIds: ['conn_dear'] }),
      route({ prefix: '44', price: 0.0045, connectorIds: ['conn_cheap'] }),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_cheap', 'conn_dear', 'conn_unpriced']);
  });

  it("puts the project's own route before a global one of the same length, even a cheaper global one", () => {
    const routes = [
      route({ projectId: null, prefix: '44', price: 0.001, connectorIds: ['conn_global'] }),
      route({ prefix: '44', price: 0.05, connectorIds: ['conn_own'] }),
      route({ projectId: null, prefix: '447', price: 0.09, connectorIds: ['conn_global_longer'] }),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_global_longer', 'conn_own', 'conn_global']);
  });

  it('keeps each route’s failover order and, at equal price, the older route first', () => {
    const routes = [
      route({ prefix: '1', price: 0.01, connectorIds: ['conn_c', 'conn_d'] }, 20),
      route({ prefix: '1', price: 0.01, connectorIds: ['conn_a', 'conn_b'] }, 10),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_a', 'conn_b', 'conn_c', 'conn_d']);
  });

  it('lists a connector once, at its first place', () => {
    const routes = [
      route({ prefix: '44', connectorIds: ['conn_a', 'conn_b'] }),
      route({ prefix: '', connectorIds: ['conn_b', 'conn_c', 'conn_a'] }),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_a', 'conn_b', 'conn_c']);
  });

  it("leaves out disabled routes and other projects' routes", () => {
    const routes = [
      route({ prefix: '44', enabled: false, connectorIds: ['conn_off'] }),
      route({ prefix: '447', projectId: 'prj_other', connectorIds: ['conn_theirs'] }),
      route({ prefix: '4', connectorIds: ['conn_on'] }),
    ];
    expect(orderCandidates(routes, PROJECT)).toEqual(['conn_on']);
    expect(orderCandidates([], PROJECT)).toEqual([]);
  });

  it('breaks a full tie by route id, so the order never depends on the input order', () => {
    const a = route({ prefix: '44', price: 0.01, connectorIds: ['conn_first'] }, 5);
    const b = route({ prefix: '44', price: 0.01, connectorIds: ['conn_second'] }, 5);
    expect(orderCandidates([b, a], PROJECT)).toEqual(['conn_first', 'conn_second']);
  });
});
