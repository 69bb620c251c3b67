import { boundingComponent, goalLine, parseWays, rate, SATURATED_CORES, WAY_NAMES } from './carrier-goals';

describe('BENCH_WAYS', () => {
  it('runs every way when absent or empty', () => {
    expect(parseWays(undefined)).toEqual([...WAY_NAMES]);
    expect(parseWays(' ')).toEqual([...WAY_NAMES]);
  });

  it('keeps the named ways in their fixed order, spaces ignored', () => {
    expect(parseWays('kannel, raw,smpp')).toEqual(['raw', 'smpp', 'kannel']);
  });

  it('refuses an unknown way, naming it', () => {
    expect(() => parseWays('raw,jasmin-tuned')).toThrow(/unknown way jasmin-tuned/);
  });
});

describe('rate', () => {
  it('is messages per second, NaN without time', () => {
    expect(rate(2000, 4)).toBe(500);
    expect(rate(10, 0)).toBeNaN();
  });
});

describe('boundingComponent', () => {
  const machine = { busy: 1.1, stolen: 0.1, cores: 2 };

  it('names the busiest process once it is saturated', () => {
    const loads = [
      { name: 'Postgres', cores: 1.2, busiestProcessCores: 0.3 },
      { name: 'sms-connector', cores: 0.95, busiestProcessCores: 0.95 },
      { name: 'SMSC simulator', cores: 0.5, busiestProcessCores: 0.5 },
    ];
    expect(boundingComponent(loads, machine)).toBe('sms-connector: one process at 0.95 cores (saturated)');
  });

  it('names the machine and its largest user when no process is saturated but the cores are', () => {
    const loads = [
      { name: 'api', cores: 0.8, busiestProcessCores: 0.4 },
      { name: 'Postgres', cores: 0.6, busiestProcessCores: 0.2 },
    ];
    expect(boundingComponent(loads, { busy: 1.6, stolen: 0.2, cores: 2 })).toBe(
      "the machine's CPU: 1.60 busy + 0.20 stolen of 2 cores; largest user api at 0.80 cores",
    );
  });

  it('says no CPU bounds the way when neither a process nor the machine is saturated', () => {
    const loads = [{ name: 'Jasmin (jasmind)', cores: 0.3, busiestProcessCores: 0.3 }];
    expect(boundingComponent(loads, machine)).toBe(
      'no CPU bound (1.20 of 2 cores busy or stolen; busiest process Jasmin (jasmind) at 0.30 cores): a window, prefetch or round trip limits it',
    );
  });

  it('counts a process exactly at the threshold as saturated', () => {
    const loads = [{ name: 'Jasmin (jasmind)', cores: SATURATED_CORES, busiestProcessCores: SATURATED_CORES }];
    expect(boundingComponent(loads, machine)).toMatch(/^Jasmin \(jasmind\): one process/);
  });
});

describe('goalLine', () => {
  const bound = () => 'Jasmin (jasmind): one process at 0.99 cores (saturated)';

  it('passes at or above the goal', () => {
    expect(goalLine('gateway / Jasmin', 0.95, 0.95, bound, '')).toBe('gateway / Jasmin: 0.95 (goal >= 0.95) PASS');
  });

  it('misses below it and names what bounds the way', () => {
    expect(goalLine('gateway / Jasmin', 0.9, 0.95, bound, '')).toBe(
      'gateway / Jasmin: 0.90 (goal >= 0.95) MISS, bound by Jasmin (jasmind): one process at 0.99 cores (saturated)',
    );
  });

  it('is n/a when a compared way did not run', () => {
    expect(goalLine('tuned / defaults', null, 3, bound, 'needs jasmin and jasmin-default')).toBe(
      'tuned / defaults: n/a (needs jasmin and jasmin-default)',
    );
    expect(goalLine('tuned / defaults', NaN, 3, bound, 'no time measured')).toBe('tuned / defaults: n/a (no time measured)');
  });
});
