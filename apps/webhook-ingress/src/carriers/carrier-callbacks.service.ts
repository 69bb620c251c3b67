import { Inject, Injectable, Logger, MethodNotAllowedException, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { carrierKind } from '@gw/connectors';
import type { CallbackFields, CarrierWebhook } from '@gw/connectors';
import { DATA_SOURCE } from '@gw/database';
import { applyReceipt, recordInbound, recordReceiptLatency } from '@gw/sms';

/** One verified carrier callback as the controller received it. */
export interface CarrierCallback {
  kind: string;
  method: string;
  query: CallbackFields;
  body: CallbackFields | undefined;
  correlationId?: string;
}

/**
 * Applies carrier callbacks: a DLR becomes a status transition of the message and connector named
 * in the (verified) dlr-url (applyReceipt), timed from the submit in `gw_sms_receipt_seconds`; an
 * MO becomes an inbound message of the project owning the `to` number (recordInbound). Every
 * outcome, including an unknown message, a receipt of a connector that no longer carries the
 * message, or a duplicate, is acknowledged so the carrier stops retrying; a malformed callback
 * throws CarrierCallbackError (400).
 */
@Injectable()
export class CarrierCallbacksService {
  private readonly logger = new Logger(CarrierCallbacksService.name);

  constructor(@Inject(DATA_SOURCE) private readonly ds: DataSource) {}

  /** @returns the carrier's acknowledgement. @throws CarrierCallbackError, NotFoundException, MethodNotAllowedException */
  async onDlr(cb: CarrierCallback): Promise<string> {
    const webhook = this.webhookOf(cb);
    const report = webhook.parseDlr(fieldsOf(webhook, cb));
    if (report) {
      const result = await applyReceipt(this.ds.manager, {
        connectorId: String(cb.query.conn),
        messageId: String(cb.query.msg),
        receipt: report,
        correlationId: cb.correlationId,
      });
      recordReceiptLatency(result, report);
      const { outcome } = result;
      if (outcome === 'unknown_message' || outcome === 'other_connector') {
        this.logger.warn({ message_id: cb.query.msg, connector_id: cb.query.conn, outcome }, 'DLR not applied');
      }
    }
    return webhook.ack;
  }

  /** @returns the carrier's acknowledgement. @throws CarrierCallbackError, NotFoundException, MethodNotAllowedException */
  async onMo(cb: CarrierCallback): Promise<string> {
    const webhook = this.webhookOf(cb);
    const mo = webhook.parseMo(fieldsOf(webhook, cb));
    const outcome = await recordInbound(this.ds, cb.kind, mo, cb.correlationId);
    if (outcome === 'unowned_number') this.logger.warn({ to: mo.to }, 'MO to a number no project owns');
    return webhook.ack;
  }

  private webhookOf(cb: CarrierCallback): CarrierWebhook {
    const webhook = carrierKind(cb.kind)?.webhook;
    if (!webhook) throw new NotFoundException(`no carrier ${cb.kind}`);
    if (webhook.method !== cb.method) throw new MethodNotAllowedException(`${cb.kind} callbacks use ${webhook.method}`);
    return webhook;
  }
}

function fieldsOf(webhook: CarrierWebhook, cb: CarrierCallback): CallbackFields {
  return (webhook.fieldsIn === 'query' ? cb.query : cb.body) ?? {};
}
