import { type DialAllowlist, dialTargetRefusal } from '@gw/calls';

describe('dialTargetRefusal', () => {
  describe('without an allowlist (the default)', () => {
    it.each(['+14155550100', '+442071838750', '+12'])('allows any E.164 number (%s)', (target) => {
      expect(dialTargetRefusal(null, target)).toBeNull();
    });

    it.each([
      ['a SIP URI', 'sip:alice@pbx.example.com', /^SIP URIs are refused until the operator sets/],
      ['a SIPS URI', 'sips:pbx.example.com:5061', /^SIP URIs are refused until the operator sets/],
      ['a PJSIP endpoint', 'PJSIP/1000@trunk', /^PJSIP endpoints are refused until the operator sets/],
      ['anything else', 'IAX2/foo', /is not a dial target/],
    ])('refuses %s', (_what, target, why) => {
      expect(dialTargetRefusal(null, target)).toMatch(why);
    });
  });

  describe('with an allowlist', () => {
    const allowlist: DialAllowlist = { e164_prefixes: ['+1', '+4420'], sip_domains: ['pbx.example.com'], pjsip_endpoints: ['alice'] };

    it.each([
      ['an E.164 number under a prefix', '+14155550100'],
      ['an E.164 number under a longer prefix', '+442071838750'],
      ['a SIP URI on a listed domain', 'sip:alice@pbx.example.com'],
      ['a SIP URI on a listed domain, another case, with a port', 'sips:bob@PBX.Example.com:5061'],
      ['a SIP URI without user part', 'sip:pbx.example.com'],
      ['a listed PJSIP endpoint', 'PJSIP/alice'],
    ])('allows %s (%s)', (_what, target) => {
      expect(dialTargetRefusal(allowlist, target)).toBeNull();
    });

    it.each([
      ['an E.164 number under no prefix', '+442171838750', "+442171838750 matches no E.164 prefix of the project's dial allowlist"],
      ['a SIP URI on another domain', 'sip:alice@10.0.0.5', "SIP domain 10.0.0.5 is not in the project's dial allowlist"],
      [
        'a SIP URI on a subdomain of a listed one',
        'sip:a@evil.pbx.example.com',
        "SIP domain evil.pbx.example.com is not in the project's dial allowlist",
      ],
      [
        'a SIP URI whose user part names a listed domain',
        'sip:pbx.example.com@evil.example',
        "SIP domain evil.example is not in the project's dial allowlist",
      ],
      ['another PJSIP endpoint', 'PJSIP/alice@trunk', "PJSIP endpoint alice@trunk is not in the project's dial allowlist"],
    ])('refuses %s', (_what, target, why) => {
      expect(dialTargetRefusal(allowlist, target)).toBe(why);
    });

    it('allows nothing of a kind whose list is empty', () => {
      const none: DialAllowlist = { e164_prefixes: [], sip_domains: [], pjsip_endpoints: [] };
      expect(dialTargetRefusal(none, '+14155550100')).toMatch(/matches no E\.164 prefix/);
    });
  });
});
