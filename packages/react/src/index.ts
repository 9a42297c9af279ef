'use client';
/**
 * `@payqr/react`: `<PayQr/>`, the `<pay-qr>` checkout element (@payqr/widget) as a React
 * component, made with @lit/react. Props set the element's properties (`endpoint`, `order`,
 * `secret`, `channels`, `lang`, `scene`, `buyerId`); `onPaid`, `onExpired`, `onFailed`,
 * `onCancel` and `onStatusChange` listen to its typed events. `<PayScan/>` (the cashier's scan)
 * is in `@payqr/react/pay-scan`, so a checkout page never loads the till's bundle.
 *
 * Safe on a server (Next.js): importing @payqr/widget there defines nothing and touches no
 * browser global, and `<PayQr/>` renders `<pay-qr endpoint="…" order="…" secret="…">`, which the
 * element brings to life in the browser. `'use client'` lets React Server Components use it.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import {
  PayQrElement,
  type PayQrCancelEvent,
  type PayQrExpiredEvent,
  type PayQrFailedEvent,
  type PayQrPaidEvent,
  type PayQrStatusChangeEvent,
} from '@payqr/widget';

export const PayQr = createComponent({
  react: React,
  tagName: 'pay-qr',
  elementClass: PayQrElement,
  displayName: 'PayQr',
  events: {
    /** the server says the order is paid (once) */
    onPaid: 'pay-qr-paid' as EventName<PayQrPaidEvent>,
    /** the order expired unpaid */
    onExpired: 'pay-qr-expired' as EventName<PayQrExpiredEvent>,
    /** an attempt failed (a retry is offered), or the order cannot be loaded or paid (`status: 'error'`) */
    onFailed: 'pay-qr-failed' as EventName<PayQrFailedEvent>,
    /** the order was canceled */
    onCancel: 'pay-qr-cancel' as EventName<PayQrCancelEvent>,
    /** every change of the element's `status` */
    onStatusChange: 'pay-qr-status-change' as EventName<PayQrStatusChangeEvent>,
  },
});

/** `<PayQr/>`'s props: the element's properties, the `on…` event props, and the usual HTML ones. */
export type PayQrProps = React.ComponentProps<typeof PayQr>;

export type {
  PayQrElement,
  PayQrCancelEvent,
  PayQrExpiredEvent,
  PayQrFailedEvent,
  PayQrPaidEvent,
  PayQrStatusChangeEvent,
  PayQrEventDetail,
  PayQrFailedDetail,
  PayQrStatus,
} from '@payqr/widget';
