/**
 * @payqr/node's types mirror what this server answers. The checks are type-level: `tsc` (the
 * `typecheck` script, run before the tests) fails when a view here gains a field the SDK does
 * not know, drops one the SDK requires, or changes a field's type (vitest's expectTypeOf does
 * nothing at run time). Real answers go through the SDK in node-sdk.app.test.ts.
 */
import type {
  Attempt as SdkAttempt,
  CreatedOrder as SdkCreatedOrder,
  CreateOrderParams as SdkCreateOrderParams,
  EventOrder as SdkEventOrder,
  EventType as SdkEventType,
  Metadata as SdkMetadata,
  MicropayResult as SdkMicropayResult,
  Order as SdkOrder,
} from '@payqr/node';
import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { AttemptStatus, Channel, OrderStatus, Scene } from '../core/domain';
import type { eventData } from '../ledger/ledger';
import type { EventType } from '../ledger/schema';
import type { MicropayResult } from '../payments/micropay';
import type { CreatedOrder, createOrderSchema } from '../payments/orders';
import type { AttemptView, OrderView } from '../payments/views';

/** The server types `metadata` as unknown (parsed JSON); it is always what createOrderSchema accepted. */
type OrderMetadata = NonNullable<z.infer<typeof createOrderSchema>['metadata']>;
type WithMetadata<T> = Omit<T, 'metadata'> & { metadata?: OrderMetadata };

type EventData = ReturnType<typeof eventData>;
type EventAttempt = NonNullable<EventData['attempt']>;

describe('@payqr/node types match this server', () => {
  it('the vocabulary is the same', () => {
    expectTypeOf<SdkOrder['status']>().toEqualTypeOf<OrderStatus>();
    expectTypeOf<SdkAttempt['status']>().toEqualTypeOf<AttemptStatus>();
    expectTypeOf<SdkAttempt['channel']>().toEqualTypeOf<Channel>();
    expectTypeOf<SdkAttempt['scene']>().toEqualTypeOf<Scene>();
    expectTypeOf<SdkEventType>().toEqualTypeOf<EventType>();
    expectTypeOf<SdkMetadata>().toEqualTypeOf<OrderMetadata>();
  });

  it('what the server answers is assignable to the SDK types, with the same fields', () => {
    expectTypeOf<AttemptView>().toExtend<SdkAttempt>();
    expectTypeOf<keyof AttemptView>().toEqualTypeOf<keyof SdkAttempt>();
    expectTypeOf<WithMetadata<OrderView>>().toExtend<SdkOrder>();
    expectTypeOf<keyof OrderView>().toEqualTypeOf<keyof SdkOrder>();
    expectTypeOf<WithMetadata<CreatedOrder['order']>>().toExtend<SdkCreatedOrder>();
    expectTypeOf<keyof CreatedOrder['order']>().toEqualTypeOf<keyof SdkCreatedOrder>();
    // the micropay handler adds serverTime to the use-case's result
    expectTypeOf<MicropayResult & { serverTime: string }>().toExtend<SdkMicropayResult>();
    expectTypeOf<keyof (MicropayResult & { serverTime: string })>().toEqualTypeOf<keyof SdkMicropayResult>();
    // a webhook's data
    expectTypeOf<WithMetadata<EventData>>().toExtend<SdkEventOrder>();
    expectTypeOf<keyof EventData>().toEqualTypeOf<keyof SdkEventOrder>();
    expectTypeOf<keyof EventAttempt>().toEqualTypeOf<keyof NonNullable<SdkEventOrder['attempt']>>();
  });

  it('what the SDK sends is what the server accepts', () => {
    expectTypeOf<SdkCreateOrderParams>().toExtend<z.input<typeof createOrderSchema>>();
    expectTypeOf<keyof SdkCreateOrderParams>().toEqualTypeOf<keyof z.input<typeof createOrderSchema>>();
  });

  it('has teeth: a view with another status or an extra field is not accepted', () => {
    expectTypeOf<Omit<OrderView, 'status'> & { status: 'refunded' }>().not.toExtend<SdkOrder>();
    expectTypeOf<keyof (OrderView & { refundedAt: string })>().not.toEqualTypeOf<keyof SdkOrder>();
  });
});
