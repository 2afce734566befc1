import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { trustedProxies } from '../../src/cli/server-commands.js';

describe('relief serve --trust-proxy', () => {
  it('takes a hop count', () => {
    expect(trustedProxies('1')).toBe(1);
    expect(trustedProxies('2')).toBe(2);
  });

  it('takes proxy addresses and CIDR ranges, separated by commas', () => {
    expect(trustedProxies('10.0.0.1, 10.0.0.2')).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(trustedProxies('192.168.0.0/16,::1')).toEqual(['192.168.0.0/16', '::1']);
  });

  it('refuses "true": trusting every hop would let a client choose its own address', () => {
    expect(() => trustedProxies('true')).toThrow(InvalidArgumentError);
    expect(() => trustedProxies('proxy.example.org')).toThrow(/number of proxy hops/);
  });
});
