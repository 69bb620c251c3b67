import type { CarrierKind } from './carrier';
import { jasminKind } from './jasmin/jasmin.kind';
import { kannelKind } from './kannel/kannel.kind';
import { smppKind } from './smpp/smpp.kind';

/** Every carrier kind the gateway can run, by `kind`. Adding a carrier: its folder plus one line here. */
export const CARRIER_KINDS: readonly CarrierKind[] = [jasminKind, kannelKind, smppKind];

/** The kind named `kind`, or undefined. */
export function carrierKind(kind: string): CarrierKind | undefined {
  return CARRIER_KINDS.find((k) => k.kind === kind);
}
