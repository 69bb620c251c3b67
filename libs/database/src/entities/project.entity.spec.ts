import { activeWebhookSecrets } from './project.entity';

describe('activeWebhookSecrets', () => {
  const now = new Date('2026-12-04T12:00:00Z');
  const project = (previous: string | null, until: string | null) => ({
    webhookSecret: 'whsec_new',
    webhookSecretPrevious: previous,
    webhookSecretPreviousExpiresAt: until ? new Date(until) : null,
  });

  it('signs with the current secret only when nothing was rotated', () => {
    expect(activeWebhookSecrets(project(null, null), now)).toEqual(['whsec_new']);
  });

  it('signs with both during the overlap, the current one first', () => {
    expect(activeWebhookSecrets(project('whsec_old', '2026-12-04T12:00:01Z'), now)).toEqual(['whsec_new', 'whsec_old']);
  });

  it('drops the previous secret once its overlap is over', () => {
    expect(activeWebhookSecrets(project('whsec_old', '2026-12-04T12:00:00Z'), now)).toEqual(['whsec_new']);
  });
});
