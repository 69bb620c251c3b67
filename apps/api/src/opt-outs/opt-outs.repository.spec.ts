import { markedPositions } from './opt-outs.repository';

describe('markedPositions', () => {
  it('maps the 1-based positions the opt-out check returned onto the batch, in order', () => {
    expect(markedPositions(4, [{ ord: 2 }, { ord: 4 }])).toEqual([false, true, false, true]);
    expect(markedPositions(3, [])).toEqual([false, false, false]);
    expect(markedPositions(1, [{ ord: 1 }])).toEqual([true]);
  });
});
