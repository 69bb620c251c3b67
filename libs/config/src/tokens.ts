/** Injection token for an app's validated config object. */
export const APP_CONFIG = Symbol('APP_CONFIG');
