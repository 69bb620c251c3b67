import { NotSubmittedError } from '@gw/connectors';
import { ConnectorBreaker } from './connector-breaker';

describe('ConnectorBreaker', () => {
  const settings = { failures: 5, halfOpenAfterMs: 5000 };

  it('stays forced open when its settings change, refusing submits before they are made', async () => {
    const breaker = new ConnectorBreaker(settings, () => undefined);
    breaker.configure(settings, 'open');
    breaker.configure({ failures: 5, halfOpenAfterMs: 1000 }, 'open');
    const submit = jest.fn(async () => 'taken');
    await expect(breaker.run(submit)).rejects.toBeInstanceOf(NotSubmittedError);
    expect(submit).not.toHaveBeenCalled();
    expect(breaker.state()).toBe('forced-open');
  });

  it('lets submits through again once the override returns to auto after a settings change', async () => {
    const breaker = new ConnectorBreaker(settings, () => undefined);
    breaker.configure(settings, 'open');
    breaker.configure({ failures: 3, halfOpenAfterMs: 1000 }, 'open');
    breaker.configure({ failures: 3, halfOpenAfterMs: 1000 }, null);
    await expect(breaker.run(async () => 'taken')).resolves.toBe('taken');
    expect(breaker.state()).toBe('closed');
  });

  it('reports each change of the consecutive failures, not only state changes', async () => {
    const seen: Array<{ state: string; failures: number }> = [];
    const breaker = new ConnectorBreaker(settings, (b) => seen.push(b.snapshot()));
    const refused = async () => {
      throw new NotSubmittedError('connection refused');
    };
    for (let i = 0; i < 2; i++) await expect(breaker.run(refused)).rejects.toBeInstanceOf(NotSubmittedError);
    await breaker.run(async () => 'taken');
    await breaker.run(async () => 'taken');
    expect(seen.map((s) => [s.state, s.failures])).toEqual([
      ['closed', 1],
      ['closed', 2],
      ['closed', 0],
    ]);
  });
});
