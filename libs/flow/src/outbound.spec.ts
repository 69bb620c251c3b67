import { flowOutbound } from './index';
import { dial, flowOf, gather, hangup, play, redirect, say } from './testing/builders';

describe('flowOutbound', () => {
  it('lists redirect URLs, actionHooks and dial targets with their paths, in step order', () => {
    const flow = flowOf(
      say(),
      play({ url: 'https://media.example.com/hello.wav' }),
      dial({ target: 'sip:alice@pbx.example.com', label: 'agent' }),
      gather({ actionHook: 'https://hooks.example.com/digits', prompt: { verb: 'say', text: 'Pick one' } }),
      dial({ target: '+14155550100' }),
      redirect({ url: 'http://127.0.0.1:9/next' }),
    );
    expect(flowOutbound(flow)).toEqual([
      { path: '/steps/2/target', kind: 'dial', value: 'sip:alice@pbx.example.com' },
      { path: '/steps/3/actionHook', kind: 'url', value: 'https://hooks.example.com/digits' },
      { path: '/steps/4/target', kind: 'dial', value: '+14155550100' },
      { path: '/steps/5/url', kind: 'url', value: 'http://127.0.0.1:9/next' },
    ]);
  });

  it('lists nothing for a flow that reaches nothing outside the call (play media is fetched by Asterisk)', () => {
    const flow = flowOf(say(), play(), gather({ branches: { '1': 'bye' }, default: 'bye', onTimeout: 'bye' }), hangup({ label: 'bye' }));
    expect(flowOutbound(flow)).toEqual([]);
  });
});
