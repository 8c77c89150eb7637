/**
 * Type-level and runtime checks that the plugin is accepted by the installed got (14 on Node 20, the
 * newest on Node 24 in CI) in every shape the README shows.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import got, { type ExtendOptions, type Hooks } from 'got';
import { aws4Hooks, createAws4Hooks } from '../../src/index.js';

describe('the plugin shapes got accepts', () => {
  it('got.extend(aws4Hooks) works with the zero-configuration plugin as a value', () => {
    const client = got.extend(aws4Hooks);
    expect(client.defaults.options.hooks.beforeRequest).toHaveLength(1);
    expect(client.defaults.options.hooks.beforeRedirect).toHaveLength(1);
    expect(client.defaults.options.hooks.afterResponse).toHaveLength(1);
  });

  it('got.extend(aws4Hooks({...})) and createAws4Hooks({...}) install fresh hooks', () => {
    const a = got.extend(aws4Hooks({ region: 'us-east-1', service: 's3' }));
    const b = got.extend(createAws4Hooks({ region: 'us-east-1', service: 's3' }));
    expect(a.defaults.options.hooks.beforeRequest[0]).not.toBe(b.defaults.options.hooks.beforeRequest[0]);
    expect(a.defaults.options.hooks.beforeRequest[0]).not.toBe(aws4Hooks.hooks.beforeRequest[0]);
  });

  it('chains with other options and other instances', () => {
    const client = got.extend({ prefixUrl: 'https://example.com' }, aws4Hooks).extend({ timeout: { request: 1000 } });
    expect(client.defaults.options.hooks.beforeRequest).toHaveLength(1);
    expect(String(client.defaults.options.prefixUrl)).toBe('https://example.com/');
  });

  it('is assignable to got’s own ExtendOptions and Hooks types', () => {
    const plugin = aws4Hooks({ region: 'us-east-1', service: 'es' });
    const asExtend: ExtendOptions = plugin;
    const asHooks: Partial<Hooks> = plugin.hooks;
    expect(asExtend).toBe(plugin);
    expect(asHooks).toBe(plugin.hooks);
    expectTypeOf(plugin).toMatchTypeOf<ExtendOptions>();
  });

  it('has no own enumerable key but hooks, which got requires of options objects', () => {
    expect(Object.keys(aws4Hooks)).toEqual(['hooks']);
    expect(Object.keys(aws4Hooks({}))).toEqual(['hooks']);
  });
});
