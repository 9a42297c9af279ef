import { describe, expect, it } from 'vitest';
import { UMF_MOFUN_CODES, UMF_MOFUN_SYNC_STATES, umfMofunCode, umfMofunSyncState, umfMofunTradeState } from './status';

describe('umf-mofun status tables', () => {
  it('a create is failed only for codes that cannot have left a payable order', () => {
    const failed = Object.entries(UMF_MOFUN_CODES)
      .filter(([, v]) => v.create === 'failed')
      .map(([k]) => k);
    expect(failed.sort()).toEqual(['00001001', '00001002', '00001003']);
    expect(umfMofunCode('00001004')?.create).toBe('unknown');
    expect(umfMofunCode('toString')).toBeUndefined();
    expect(umfMofunCode(undefined)).toBeUndefined();
  });

  it('apisync: 0000 paid; 01–03000000 still paying (doc); 04000000 and later closed/failed (assumed)', () => {
    expect(umfMofunSyncState('0000')).toBe('paid');
    for (const code of ['01000000', '02000000', '03000000']) expect(umfMofunSyncState(code)).toBe('pending');
    expect(umfMofunSyncState('04000000')).toBe('closed');
    expect(umfMofunSyncState('05000000')).toBe('failed');
    expect(umfMofunSyncState('99000000')).toBe('closed');
    expect(Object.keys(UMF_MOFUN_SYNC_STATES)).toHaveLength(5);
  });

  it('apisync: errors about the request, unknown codes and nothing at all never read as final', () => {
    for (const code of ['00001001', '00001002', '00001003', '00001004', '00009998', '00009999', '00000000', '1000000', '0100000X', '', 'SUCCESS']) {
      expect(umfMofunSyncState(code), code).toBe('unknown');
    }
    expect(umfMofunSyncState('00001005')).toBe('not_found');
    expect(umfMofunSyncState(undefined)).toBe('unknown');
  });

  it('tradeState: only TRADE_SUCCESS is paid; unlisted values are unknown', () => {
    expect(umfMofunTradeState('TRADE_SUCCESS')).toBe('paid');
    expect(umfMofunTradeState('trade_success')).toBe('unknown');
    expect(umfMofunTradeState('hasOwnProperty')).toBe('unknown');
    expect(umfMofunTradeState(undefined)).toBe('unknown');
  });
});
