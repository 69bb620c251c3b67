export { OutboundAddressRefusedError, SecurityConfigError, SignatureVerificationError } from './errors';
export type { SecurityConfigProblem, SignatureFailureReason } from './errors';

export { signToken, verifyToken } from './dlr-token';
export { apiKeyMatches, bearerToken, generateApiKey, hashApiKey, parseApiKey } from './api-key';
export type { GeneratedApiKey } from './api-key';
export { IpAllowlist } from './ip-allowlist';
export { JwtRejectedError, JwtVerifier, looksLikeJwt } from './jwt';
export type { JwtPrincipal, JwtSettings } from './jwt';
export { OutboundAddressPolicy } from './outbound/address-policy';
export { outboundDispatcher } from './outbound/outbound-dispatcher';
export type { HostResolver, OutboundDispatcherOptions } from './outbound/outbound-dispatcher';
export { constantTimeEqual } from './primitives';

export { generateWebhookSecret, signWebhook, verifyWebhook } from './webhooks/standard-webhooks';
export type { StandardWebhookHeaders, VerifiedWebhook, WebhookSecret } from './webhooks/standard-webhooks';
export type { FreshnessOptions, HeaderInput, HeaderMap } from './webhooks/headers';
