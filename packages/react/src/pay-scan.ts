'use client';
/**
 * `@payqr/react/pay-scan`: `<PayScan/>`, the cashier's `<pay-scan>` element as a React
 * component (@lit/react): props set its properties (`action`, `order`, `amount`, `currency`,
 * `lang`, `camera`); `onPaid`, `onFailed` and `onStatusChange` listen to its typed events.
 * Safe to import and render on a server, like `<PayQr/>`.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import { PayScanElement, type PayScanFailedEvent, type PayScanPaidEvent, type PayScanStatusChangeEvent } from '@payqr/widget/pay-scan';

export const PayScan = createComponent({
  react: React,
  tagName: 'pay-scan',
  elementClass: PayScanElement,
  displayName: 'PayScan',
  events: {
    /** the scanned code paid the order */
    onPaid: 'pay-scan-paid' as EventName<PayScanPaidEvent>,
    /** the scan was refused or reversed, or the order cannot be loaded */
    onFailed: 'pay-scan-failed' as EventName<PayScanFailedEvent>,
    /** every change of the element's `status` */
    onStatusChange: 'pay-scan-status-change' as EventName<PayScanStatusChangeEvent>,
  },
});

/** `<PayScan/>`'s props: the element's properties, the `on…` event props, and the usual HTML ones. */
export type PayScanProps = React.ComponentProps<typeof PayScan>;

export type {
  PayScanElement,
  PayScanEventDetail,
  PayScanFailedDetail,
  PayScanFailedEvent,
  PayScanPaidEvent,
  PayScanStatus,
  PayScanStatusChangeEvent,
} from '@payqr/widget/pay-scan';
